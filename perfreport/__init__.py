"""perfreport: from a consultant's workbook to the finished evaluation report."""

__version__ = "0.1.0"


def summary(paths):
    """Return the summary of the workbooks at `paths` as a pandas DataFrame, one row per workbook.

    The columns are those of the 汇总 sheet `perfreport summary` writes
    (summarybook.overview); pandas is imported only when this is called.
    """
    from .summarybook import summary as table

    return table(paths)
