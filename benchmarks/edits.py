"""Benchmark the rebuild of an edited report (issue 14): what the merge adds to a build (run by hand, not in CI).

    python benchmarks/edits.py [--runs N]

Builds the sample and the sample with changed data (决算支出, one score, one
more 复评项目) in this process, puts keys on both with the tests' helper
(tests/edit_keys.py, until compose and the template emit keys), makes the
tests' editor session on the old report, then times, as medians of N runs:
the build itself, stamping (keys and store), `merge` for an unedited report
with unchanged data, for an unedited report with changed data, for the
edited report, for the edited report after a LibreOffice round trip (when
soffice is installed), and `list_edits`. Target: the merge < 1 s beyond the build.
"""
from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from edit_keys import keyed, mark_all  # noqa: E402
from test_edits_report import changed_workbook, edit  # noqa: E402

from perfreport import edits, pipeline  # noqa: E402
from perfreport.edits.ooxml import q  # noqa: E402
from perfreport.edits.package import Package, serialize  # noqa: E402

SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"


def median(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        gc.collect()  # the garbage of the run before is not this run's cost
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="bench-edits-"))
    changed = changed_workbook(SAMPLE, folder)
    pipeline.build(SAMPLE, folder / "warm.docx")  # imports and the template cache, once
    build = median(runs, lambda: pipeline.build(changed, folder / "new.docx", force=True, discard_edits=True))
    pipeline.build(SAMPLE, folder / "old.docx")
    raw_new = (folder / "new.docx").read_bytes()
    package = Package.read(raw_new)
    root = package.xml(package.main())
    mark_all(root.find(q("body")))  # the test keys, as part 2's template will write them
    package.parts[package.main()] = serialize(root)
    marked = package.write()
    stamp = median(runs, lambda: edits.stamp(marked, "sha256:bench"))
    old, new = keyed((folder / "old.docx").read_bytes()), keyed(raw_new)
    edited = edit(old)
    rows = [("build of the changed workbook (in process)", build), ("stamp: keys finalized, store attached", stamp),
            ("merge: unedited, data unchanged", median(runs, lambda: edits.merge(old, old))),
            ("merge: unedited, data changed", median(runs, lambda: edits.merge(new, old))),
            ("merge: edited (7 edits), data changed", median(runs, lambda: edits.merge(new, edited)))]
    if shutil.which("soffice"):
        (folder / "edited.docx").write_bytes(edited)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo", "--convert-to", "docx",
                        "--outdir", str(folder / "lo-out"), str(folder / "edited.docx")], check=True,
                       capture_output=True, timeout=300)
        through = (folder / "lo-out" / "edited.docx").read_bytes()
        rows.append(("merge: edited, after LibreOffice", median(runs, lambda: edits.merge(new, through))))
    rows.append(("perfreport edits (list_edits)", median(runs, lambda: edits.list_edits(edited))))
    print(f"median of {runs} runs, sample workbook ({len(old) // 1024} KiB report with keys and store), "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("| step | seconds |\n|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.3f} |")
    worst = max(s for n, s in rows if n.startswith("merge")) + stamp
    print(f"\nmerge + stamp beyond the build, worst case: {worst:.3f} s (target < 1 s)")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
