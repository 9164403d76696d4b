"""perfreport: from a consultant's workbook to the finished evaluation report."""

__version__ = "0.1.0"
