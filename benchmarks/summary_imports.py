"""What pandas costs, and that only the summary pays it (run by hand, not in CI).

    .venv/bin/python benchmarks/summary_imports.py [--runs N]

Measures, each in fresh processes, median of N runs:

1. `import pandas` alone, over a bare interpreter (wall time), and pandas'
   cumulative import time as `python -X importtime` reports it;
2. whether `perfreport check` and `perfreport build` import pandas (they must not);
3. whole-process `perfreport check`, `perfreport summary` of the sample and of
   10 copies, and `perfreport next-year`, wall time.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}


def _run(*args: object) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, env=ENV)
    return time.perf_counter() - start, done


def _median(runs: int, *args: object) -> float:
    return statistics.median(_run(*args)[0] for _ in range(runs))


def _imports(*args: object) -> dict[str, int]:
    """Return module -> cumulative import time (µs) of `python -X importtime ARGS`."""
    _, done = _run("-X", "importtime", *args)
    out = {}
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if cumulative.strip().isdigit():
                out[name.strip()] = int(cumulative)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    bare = _median(runs, "-c", "pass")
    pandas = _median(runs, "-c", "import pandas")
    cumulative = statistics.median(_imports("-c", "import pandas")["pandas"] for _ in range(runs))
    print(f"import pandas: {1000 * (pandas - bare):.0f} ms over a bare interpreter ({1000 * bare:.0f} ms); "
          f"-X importtime cumulative {cumulative / 1000:.0f} ms (median of {runs})")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        copies = []
        for n in range(10):
            copies.append(work / f"部门{n}.xlsx")
            shutil.copy(SAMPLE, copies[-1])
        for label, args in (("check", ["check", SAMPLE]), ("build", ["build", SAMPLE, "-o", work / "r.docx", "--force"])):
            modules = _imports("-m", "perfreport", *args)
            print(f"perfreport {label}: imports pandas: {'pandas' in modules}, numpy: {'numpy' in modules}")
        timings = {
            "check (1 workbook)": ["-m", "perfreport", "check", SAMPLE],
            "summary (1 workbook)": ["-m", "perfreport", "summary", SAMPLE, "-o", work / "s1.xlsx", "--force"],
            "summary (10 workbooks)": ["-m", "perfreport", "summary", *copies, "-o", work / "s10.xlsx", "--force"],
            "next-year": ["-m", "perfreport", "next-year", SAMPLE, "-o", work / "n.xlsx", "--force"],
        }
        for label, args in timings.items():
            print(f"{label}: {1000 * _median(runs, *args):.0f} ms whole process")


if __name__ == "__main__":
    main()
