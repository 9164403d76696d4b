"""perfreport's command line with the workbook reader's limits lifted: for benchmarks only, never for users.

    python benchmarks/unlimited.py build WORKBOOK -o REPORT.docx

The reader refuses a workbook over its limits (perfreport/xlsx.py and
sheetxml.py: 100,000 cells with a value, 500,000 XML elements, 64 MB
unpacked), which keep `check` of any hostile file under 250 MB and 2 s.
A workbook with 1,000 times the sample's rows is over all three, so
bench.py measures how everything after the reader scales on it through this
wrapper; the same command without it refuses the workbook (bench.py shows
that too).
"""
from __future__ import annotations

import sys


def lift() -> None:
    """Lift the reader's limits in this process."""
    from perfreport import sheetxml, xlsx

    sheetxml.worksheet.__kwdefaults__.update(max_cells=10**9, max_area=10**12)
    xlsx.MAX_ELEMENTS = 10**10
    xlsx.MAX_UNPACKED_BYTES = 2**40
    xlsx.MAX_FILE_BYTES = 2**40


if __name__ == "__main__":
    lift()
    sys.argv[0] = "perfreport"
    from perfreport.cli import main
    main()
