"""Build many workbooks, in parallel processes, one outcome per workbook.

A workbook that has errors, cannot be written or makes the pipeline raise is
one failed outcome; the others are built regardless. The workbooks are built
by `jobs` worker processes (forked where the system can, so the imported
libraries and the prepared template are shared), one workbook at a time
each: a workbook that kills its worker (out of memory, a crash in a library)
fails alone and a fresh worker goes on, where one broken process pool used to
fail every workbook not yet finished. Outcomes are
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
    edits: tuple[str, ...] = ()  # what merging the editors' changes found (edit-*), as lines: shown, not counted

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
    return Outcome(str(path), result.output, len(errors), len(result.warnings), pdf=result.pdf,
                   edits=tuple(str(p) for p in result.warnings if p.code.startswith("edit")))


def workers(jobs: int | None) -> int:
    """Return the number of processes for `jobs` (0 or None: one per CPU)."""
    return jobs if jobs and jobs > 0 else (os.cpu_count() or 1)


def _worker(connection, options: dict, builds_at_once: int) -> None:
    """Build the workbooks the parent sends, one at a time, answering each with its Outcome, until it sends None."""
    from . import sink
    sink.BUILDS_AT_ONCE = builds_at_once  # the other workers take the other cores
    try:
        while (task := connection.recv()) is not None:
            connection.send(build_one(*task, **options))
    except (KeyboardInterrupt, EOFError):  # the parent stops the batch; the build cleaned up on the way out
        pass
    finally:
        connection.close()


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


def build_many(items: list[tuple[Path, Path | None]], *, jobs: int = 1, force: bool = False,
               template: Path | str | None = None, pdf: bool = False,
               images: Path | str | None = None, discard_edits: bool = False,
               toc_pages: bool = False) -> Iterator[Outcome]:
    """Build each (workbook, output) and yield its Outcome as it finishes.

    With one job the workbooks are built one after another in this process;
    otherwise by `jobs` worker processes forked from this one, each building
    one workbook at a time (a fork per workbook cost a third of a sample's
    build in copied pages). A process that dies without an outcome fails its
    own workbook only, with a message saying so, and a fresh worker takes the
    workbooks still waiting; nothing is half-written (reports are written
    atomically).
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

    def start():
        """A worker process, forked from this one, and the parent's end of its pipe."""
        mine, theirs = context.Pipe()
        process = context.Process(target=_worker, args=(theirs, options, min(workers(jobs), len(items))),
                                  daemon=True)
        process.start()
        theirs.close()
        return mine, process

    waiting = list(reversed(items))
    running: dict = {}  # a worker's pipe -> (its process, the workbook it builds)
    started: list = []  # every worker, to end those still running when the batch stops early
    try:
        for _ in range(min(workers(jobs), len(items))):
            connection, process = start()
            started.append(process)
            path, output = waiting.pop()
            connection.send((path, output))
            running[connection] = (process, path)
        while running:
            for connection in wait(list(running)):
                process, path = running.pop(connection)
                try:
                    outcome = connection.recv()
                except (EOFError, OSError):  # the process died before it could answer
                    connection.close()
                    process.join()
                    yield Outcome(str(path), errors=1, first_error=(
                        f"生成进程意外退出（退出码 {process.exitcode}，可能内存不足或程序库崩溃），未生成报告"))
                    if not waiting:
                        continue
                    connection, process = start()  # a fresh worker for the workbooks still waiting
                    started.append(process)
                else:
                    yield outcome
                if waiting:
                    path, output = waiting.pop()
                    connection.send((path, output))
                    running[connection] = (process, path)
                else:
                    connection.send(None)
                    connection.close()
                    process.join()
    finally:  # Ctrl-C, SIGTERM or an early stop: end what still runs, and wait for it to clean up
        for process in started:
            if process.is_alive():
                process.terminate()
        for process in started:
            process.join()
        gc.unfreeze()
