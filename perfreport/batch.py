"""Build many workbooks, in parallel processes, one outcome per workbook.

A workbook that has errors, cannot be written or makes the pipeline raise is
one failed outcome; the others are built regardless. Outcomes are plain,
picklable data yielded as each workbook finishes, so the caller can show
progress; the order is the order of completion.
"""
from __future__ import annotations

import os
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import OutputError


@dataclass(frozen=True)
class Outcome:
    """What building one workbook produced, as the batch summary shows it."""

    source: str  # the workbook path as given
    output: str | None = None  # the report written, None when it failed
    errors: int = 0
    warnings: int = 0
    first_error: str | None = None  # the first error (or why nothing was written)
    pdf: str | None = None  # the PDF written beside the report (--pdf with LibreOffice)

    @property
    def ok(self) -> bool:
        return self.output is not None and self.first_error is None


def build_one(path: Path | str, output: Path | str | None = None, *, force: bool = False,
              template: Path | str | None = None, pdf: bool = False, discard_edits: bool = False) -> Outcome:
    """Build one workbook and return its outcome; never raises for a bad workbook or a bug."""
    from .pipeline import build

    try:
        result = build(path, output, force=force, template=template, pdf=pdf, discard_edits=discard_edits)
    except OutputError as exc:
        return Outcome(str(path), first_error=f"未生成报告：{exc}", errors=1)
    except Exception as exc:  # a bug or a broken template must not stop the batch
        return Outcome(str(path), first_error=f"内部错误（{type(exc).__name__}）：{exc}", errors=1)
    errors = result.errors
    if not result.output:
        first = str(errors[0]) if errors else "未生成报告"
        return Outcome(str(path), errors=len(errors), warnings=len(result.warnings), first_error=first)
    return Outcome(str(path), result.output, len(errors), len(result.warnings), pdf=result.pdf)


def workers(jobs: int | None) -> int:
    """Return the number of processes for `jobs` (0 or None: one per CPU)."""
    return jobs if jobs and jobs > 0 else (os.cpu_count() or 1)


def build_many(items: list[tuple[Path, Path | None]], *, jobs: int = 1, force: bool = False,
               template: Path | str | None = None, pdf: bool = False, discard_edits: bool = False) -> Iterator[Outcome]:
    """Build each (workbook, output) and yield its Outcome as it finishes.

    With one job the workbooks are built one after another in this process;
    otherwise in a pool of `jobs` processes. Should a worker process die
    (killed, out of memory), the workbooks not finished by then fail with a
    message saying so; nothing is half-written (reports are written atomically).
    """
    if workers(jobs) == 1 or len(items) == 1:
        for path, output in items:
            yield build_one(path, output, force=force, template=template, pdf=pdf, discard_edits=discard_edits)
        return
    from . import render  # noqa: F401  import the docx stack once; forked workers inherit it

    with ProcessPoolExecutor(max_workers=min(workers(jobs), len(items))) as pool:
        futures: dict[Future, Path] = {
            pool.submit(build_one, path, output, force=force, template=template, pdf=pdf,
                        discard_edits=discard_edits): path
            for path, output in items}
        try:
            for future in as_completed(futures):
                try:
                    yield future.result()
                except BrokenProcessPool:
                    yield Outcome(str(futures[future]), errors=1,
                                  first_error="生成进程意外退出（可能内存不足），未生成报告")
        finally:  # also on Ctrl-C or when the caller stops early: drop what has not started
            pool.shutdown(wait=True, cancel_futures=True)
