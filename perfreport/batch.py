"""Build many workbooks, in parallel processes, one outcome per workbook.

A workbook that has errors, cannot be written or makes the pipeline raise is
one failed outcome; the others are built regardless. Each workbook is built
in a process of its own (forked where the system can, so the imported
libraries are shared), at most `jobs` at a time: a workbook that kills its
process (out of memory, a crash in a library) fails alone, where one broken
process pool used to fail every workbook not yet finished. Outcomes are
plain, picklable data yielded as each workbook finishes, so the caller can
show progress; the order is the order of completion.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from dataclasses import dataclass
from multiprocessing.connection import wait
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
              template: Path | str | None = None, pdf: bool = False, images: Path | str | None = None,
              discard_edits: bool = False, toc_pages: bool = False) -> Outcome:
    """Build one workbook and return its outcome; never raises for a bad workbook or a bug."""
    from .pipeline import build

    try:
        result = build(path, output, force=force, template=template, pdf=pdf, images=images,
                       discard_edits=discard_edits, toc_pages=toc_pages)
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


def _child(send, path: Path, output: Path | None, options: dict) -> None:
    """Build one workbook in a child process and send its Outcome back."""
    try:
        send.send(build_one(path, output, **options))
    except KeyboardInterrupt:  # the parent stops the batch; the build cleaned up on the way out
        pass
    finally:
        send.close()


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


def build_many(items: list[tuple[Path, Path | None]], *, jobs: int = 1, force: bool = False,
               template: Path | str | None = None, pdf: bool = False,
               images: Path | str | None = None, discard_edits: bool = False,
               toc_pages: bool = False) -> Iterator[Outcome]:
    """Build each (workbook, output) and yield its Outcome as it finishes.

    With one job the workbooks are built one after another in this process;
    otherwise each in a process of its own, `jobs` at a time. A process that
    dies without an outcome fails its own workbook only, with a message
    saying so; nothing is half-written (reports are written atomically).
    Stopping early (Ctrl-C, or the caller closing the iterator) ends the
    running builds, which remove their temporary files.
    """
    options = {"force": force, "template": template, "pdf": pdf, "images": images, "discard_edits": discard_edits,
               "toc_pages": toc_pages}
    if workers(jobs) == 1 or len(items) == 1:
        for path, output in items:
            yield build_one(path, output, **options)
        return
    from .render import warm
    warm(template)  # prepared and compiled once: the forked children inherit it
    gc.freeze()  # and no collection in a child touches (so copies) what it inherits

    context = _context()
    waiting = list(reversed(items))
    running: dict = {}  # receiving end of the pipe -> (process, workbook)
    try:
        while waiting or running:
            while waiting and len(running) < workers(jobs):
                path, output = waiting.pop()
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(send, path, output, options), daemon=True)
                process.start()
                send.close()
                running[receive] = (process, path)
            for receive in wait(list(running)):
                process, path = running.pop(receive)
                try:
                    outcome = receive.recv()
                except (EOFError, OSError):  # the process died before it could answer
                    outcome = None
                receive.close()
                process.join()
                yield outcome or Outcome(str(path), errors=1, first_error=(
                    f"生成进程意外退出（退出码 {process.exitcode}，可能内存不足或程序库崩溃），未生成报告"))
    finally:  # Ctrl-C, SIGTERM or an early stop: end what still runs, and wait for it to clean up
        for process, _ in running.values():
            process.terminate()
        for process, _ in running.values():
            process.join()
        gc.unfreeze()
