"""The report template ships inside the package as perfreport.templates."""
