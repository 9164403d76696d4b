"""Time and memory of `perfreport check` on every hostile file of the corpus (by hand, not in CI).

Each file is checked by `python -m perfreport check FILE` in a fresh process,
`--runs` times (default 5); the table gives the median wall and CPU time
(user + system, including Python's start and imports) and the largest peak
resident memory (ru_maxrss) of those runs, and the exit code.

Usage:
    /work/venv/bin/python benchmarks/hostile.py [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(path: Path) -> tuple[float, float, float, int]:
    """Return wall seconds, CPU seconds, peak MB and exit code of one `perfreport check PATH` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "perfreport", "check", str(path)], capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - start
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: measured per file in a fresh helper below
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 2**10, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one file in this process
    args = parser.parse_args()
    if args.one:
        runs = [measure(Path(args.one)) for _ in range(args.runs)]
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        print(f"{statistics.median(walls):.2f}\t{statistics.median(cpus):.2f}\t{max(r[2] for r in runs):.0f}\t"
              f"{runs[0][3]}")
        return 0
    # imported here, not at the top: the measuring helper stays small, and a child forked from it starts small
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from bad_workbooks.generate import CASES, make

    print("| file | size | wall (median) | CPU (median) | peak memory | exit |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for case in (c for c in CASES if c.hostile):
            path, _ = make(case, Path(folder))
            # a helper process per file, so that ru_maxrss of its children is this file's peak alone
            done = subprocess.run([sys.executable, __file__, "--runs", str(args.runs), "--one", str(path)],
                                  capture_output=True, text=True, check=True)
            wall, cpu, peak, code = done.stdout.split()
            print(f"| `{path.name}` | {path.stat().st_size / 2**20:.1f} MB | {wall} s | {cpu} s | {peak} MB | {code} |")
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
