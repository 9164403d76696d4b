"""Benchmark the rebuild of an edited report (issue 14): what keys and the merge add to a build (by hand, not in CI).

    python benchmarks/edits.py [--runs N]

In this process, on the sample and the sample with changed data (决算支出, one
score, one more 复评项目; tests/test_edits_report.py), times as medians of N runs:
rendering with the template of the last commit without keys (when git has it)
and with the current one, stamping (keys finalized, store attached), the
whole build, `merge` for an unedited report with unchanged data, for an
unedited report with changed data, for the tests' edited report, for it after
a LibreOffice round trip (when soffice is installed), `list_edits`, and
`build --force` on the edited report against `build --discard-edits` (the
merge beyond the build, end to end). Then the report's size with and without
keys and store, and how many keys LibreOffice kept. Target: the merge < 1 s
beyond the build.
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
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_edits_report import changed_workbook, edit  # noqa: E402

from perfreport import edits, pipeline  # noqa: E402
from perfreport.edits import carrier, store  # noqa: E402
from perfreport.edits.ooxml import q  # noqa: E402
from perfreport.edits.package import Package  # noqa: E402
from perfreport.render import DEFAULT_TEMPLATE, render  # noqa: E402

SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
UNKEYED_TEMPLATE = "2da8d37"  # main before issue 14 part 2: the template without key bookmarks


def median(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        gc.collect()  # the garbage of the run before is not this run's cost
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def through_libreoffice(data: bytes, folder: Path) -> bytes:
    (folder / "edited.docx").write_bytes(data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo", "--convert-to", "docx",
                    "--outdir", str(folder / "lo-out"), str(folder / "edited.docx")], check=True,
                   capture_output=True, timeout=300)
    return (folder / "lo-out" / "edited.docx").read_bytes()


def kept_keys(data: bytes, names: dict[str, str]) -> int:
    package = Package.read(data)
    return sum(1 for b in carrier.read(package.xml(package.main()).find(q("body")), names) if b.key)


def unkeyed_template(folder: Path) -> Path | None:
    path = folder / "unkeyed.docx"
    shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{UNKEYED_TEMPLATE}:templates/{DEFAULT_TEMPLATE}"],
                           capture_output=True)
    if shown.returncode != 0:
        return None
    path.write_bytes(shown.stdout)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="bench-edits-"))
    changed = changed_workbook(SAMPLE, folder)
    pipeline.build(SAMPLE, folder / "warm.docx")  # imports and the template cache, once
    _, context = pipeline._analyse(changed, None)  # noqa: SLF001 - the context render is given
    rendered = render(context).data
    fingerprint, subject = store.fingerprint(changed), f"{context['unit']} {context['year']}年度"
    rows = []
    old_template = unkeyed_template(folder)
    if old_template is not None:
        render(context, old_template)
        rows.append(("render, template without keys", median(runs, lambda: render(context, old_template))))
    rows.append(("render, template with keys", median(runs, lambda: render(context))))
    rows.append(("stamp: keys finalized, store attached", median(runs, lambda: edits.stamp(rendered, fingerprint,
                                                                                             subject))))
    rows.append(("build of the changed workbook (check, render, stamp, write)",
                 median(runs, lambda: pipeline.build(changed, folder / "new.docx", force=True, discard_edits=True))))
    pipeline.build(SAMPLE, folder / "old.docx")
    old, new = (folder / "old.docx").read_bytes(), (folder / "new.docx").read_bytes()
    edited = edit(old)
    rows += [("merge: unedited, data unchanged", median(runs, lambda: edits.merge(old, old))),
             ("merge: unedited, data changed", median(runs, lambda: edits.merge(new, old))),
             ("merge: edited (7 edits), data changed", median(runs, lambda: edits.merge(new, edited)))]
    lo = through_libreoffice(edited, folder) if shutil.which("soffice") else None
    if lo is not None:
        rows.append(("merge: edited, after LibreOffice", median(runs, lambda: edits.merge(new, lo))))
    rows.append(("perfreport edits (list_edits)", median(runs, lambda: edits.list_edits(edited))))

    def rebuild(**options) -> None:
        (folder / "report.docx").write_bytes(edited)
        pipeline.build(changed, folder / "report.docx", force=True, **options)
    clean, merged = median(runs, lambda: rebuild(discard_edits=True)), median(runs, rebuild)
    rows += [("build --discard-edits over the edited report", clean), ("build --force over the edited report", merged)]
    print(f"median of {runs} runs, sample workbook, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("| step | seconds |\n|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.3f} |")
    print(f"\nmerge beyond the build, end to end: {merged - clean:.3f} s (target < 1 s)")
    stored = store.find(Package.read(old))
    document = zipfile.ZipFile(folder / "old.docx").getinfo("word/document.xml").compress_size
    plain = f"{len(render(context, old_template).data) // 1024} KiB without keys, " if old_template else ""
    print(f"report of the changed workbook: {plain}{len(new) // 1024} KiB with keys and store "
          f"({len(stored.blocks)} blocks; word/document.xml {document // 1024} KiB compressed)")
    if lo is not None:
        print(f"keys kept by LibreOffice: {kept_keys(lo, stored.names())} of {kept_keys(edited, stored.names())} "
              f"the edited report holds ({len(stored.blocks)} generated)")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
