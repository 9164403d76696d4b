"""The library entry points: check a workbook, build its report.

load -> validate -> crosscheck -> score -> stale numbers -> compose -> render.
Each stage collects problems, and every check runs on what is there, so one
run lists all it can: validate and the cross-checks run even when cells could
not be read, leaving out what follows from those cells (a problem at a cell
already in error, a check reading it). Scores are trusted only when nothing
before them found an error; until then their findings are listed as checks
not yet run, with why, and the report's text is not composed. Problems come
back once each, in workbook order.
"""
from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from pathlib import Path

from .compose import compose
from .contract import SHEETS
from .crosscheck import crosscheck
from .errors import OutputError, Places, Problem, Severity, WorkbookError, area, error, warning
from .load import load
from .models import Checked, Result
from .score import score
from .stale import stale_numbers
from .unfilled import unfilled
from .validate import validate

# a problem of this code means nothing while that sheet has errors: a goal naming an indicator,
# or weights summed, of a framework not all of whose rows could be read
FOLLOW_ON = {"unknown-indicator": "指标体系", "weights-mismatch": "指标体系"}
# a problem of this code means nothing while its own row has an error: 手工 stood in for a 评分方式 not read
ROW_FOLLOW_ON = {"manual-score-missing"}
SCORES_LATER = "得分和等级，以及规则得分与填写得分、抽样比例、满意度、完成率的检查：待以上错误更正后进行"
TEXT_LATER = "文字中的数字与计算值的核对，以及占位符 {名称}、表格标记、图片的检查：待以上错误更正后进行"
SCORING_WILL_FAIL = "按现有数据无法计算："
SHEET_ORDER = {sheet.name: n for n, sheet in enumerate(SHEETS, 1)}


def _analyse(path: Path, images: Path | None, seen: dict | None = None) -> tuple[Result, dict | None]:
    result = Result(path.name)
    try:
        with _without_collections():
            return result, _stages(path, result, images or path.parent, seen)
    except WorkbookError as exc:
        result.problems.append(exc.problem)
    except Exception as exc:  # noqa: BLE001 - a bug must reach the user as a message, not a traceback
        result.problems.append(error("internal-error", path.name,
                                     f"perfreport 内部错误（{type(exc).__name__}：{exc}）：请核对最近修改的单元格，"
                                     "并把工作簿和这条消息发给维护者"))
    finally:
        result.problems = sorted(dict.fromkeys(result.problems), key=_workbook_order)
    return result, None


@contextmanager
def _without_collections():
    """Read, check, score, compose and render without the cyclic garbage collector: what they build (the
    workbook's rows, the context, the report's text) is kept to the end or is text, with no cycles to free, and
    the collector's passes over it took a tenth of a build of 100 times the sample's rows."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _workbook_order(problem: Problem) -> tuple[int, int, int]:
    """Sort key: the file first, then sheet by sheet as the standard workbook lays them out, row by row."""
    sheet, (row, column, _, _) = area(problem.location)
    return SHEET_ORDER.get(sheet, 0), row, column


def _broken_sheets(errors: list[Problem]) -> set[str]:
    """Return the sheets that are missing or lack a required column: nothing on them can be checked."""
    broken = {p.location.split("!")[0] for p in errors if p.code == "missing-column"}
    return broken | {s.name for p in errors if p.code == "missing-sheet" for s in SHEETS if f"“{s.name}”" in p.message}


def _row(location: str) -> tuple[str, int]:
    """Return the sheet and first row of a location (row 0 for a sheet or the file)."""
    sheet, (row, _, _, _) = area(location)
    return sheet, row


def _follows(errors: list[Problem], broken: set[str]):
    """Return a test of whether a problem only follows from `errors`: on a broken sheet, at an erroneous cell,
    FOLLOW_ON, or ROW_FOLLOW_ON on a row with an error."""
    sheets_in_error = broken | {e.location.split("!")[0] for e in errors}
    places = Places(errors)
    rows_in_error = {_row(e.location) for e in errors if "!" in e.location}
    return lambda problem: (problem.location.split("!")[0] in broken
                            or FOLLOW_ON.get(problem.code) in sheets_in_error or places.overlap(problem.location)
                            or (problem.code in ROW_FOLLOW_ON and _row(problem.location) in rows_in_error))


def _stages(path: Path, result: Result, images: Path, seen: dict | None = None) -> dict | None:
    """Run the stages into `result`; return the render context, or None when a stage found errors.

    `seen` (when given) receives the validated workbook under "checked".
    """
    workbook, problems = load(path)
    result.problems += problems
    result.problems += unfilled(path, workbook, result.problems)  # what next-year cleared and is still blank
    read, broken = result.errors, _broken_sheets(result.errors)
    checked, problems = validate(workbook, images)  # pictures the workbook names: in its folder by default
    if seen is not None:
        seen["checked"] = checked
    follows = _follows(read, broken)
    result.problems += [p for p in problems if not follows(p)]
    in_error = Places(result.errors)
    result.problems += crosscheck(checked, lambda cell: cell.split("!")[0] in broken or in_error.overlap(cell))
    if result.errors:
        result.skipped += _scores_later(checked, result.errors, _broken_sheets(result.errors)) + [TEXT_LATER]
        return None
    result.scores, problems = score(checked)
    result.problems += problems
    if result.errors:
        result.skipped.append(TEXT_LATER)
        return None
    result.problems += stale_numbers(checked, result.scores)
    context, problems = compose(checked, result.scores, path.parent)
    result.problems += problems
    return None if result.errors else context


def _scores_later(checked: Checked, errors: list[Problem], broken: set[str]) -> list[str]:
    """Return what scoring can say while there are errors: SCORES_LATER, then what cannot be computed.

    Scores computed over missing values are not trusted, so scoring's warnings
    wait; a rule that cannot be computed (no 复评项目, no 12 月) is listed now,
    unless it only follows from an error already reported.
    """
    try:
        _, problems = score(checked)
    except Exception:  # noqa: BLE001 - values an error left blank may break a rule; it runs again once fixed
        return [SCORES_LATER]
    follows = _follows(errors, broken)
    later = [p for p in problems if p.severity is Severity.ERROR and not follows(p)]
    return [SCORES_LATER] + [f"{SCORING_WILL_FAIL}{p.location}：{p.message}"
                             for p in sorted(dict.fromkeys(later), key=_workbook_order)]


def check(path: Path | str, *, images: Path | str | None = None) -> Result:
    """Return every problem of the workbook at `path`, and its scores when it has no errors.

    `images` is the folder the workbook's pictures must lie in (default: the workbook's folder).
    """
    return _analyse(Path(path), Path(images) if images else None)[0]


def analyse(path: Path | str, *, images: Path | str | None = None) -> tuple[Result, Checked | None, dict | None]:
    """Return what `check` returns, the validated workbook (None when it could not be read) and the render
    context (None when there are errors): what `check --quality` renders and inspects."""
    seen: dict = {}
    result, context = _analyse(Path(path), Path(images) if images else None, seen)
    return result, seen.get("checked"), context


def build(path: Path | str, output: Path | str | None = None, *, force: bool = False,
          template: Path | str | None = None, pdf: bool = False, images: Path | str | None = None,
          discard_edits: bool = False, toc_pages: bool = False) -> Result:
    """Check the workbook and, when it has no errors, write its report.

    With `pdf`, LibreOffice also writes NAME.pdf and the 目录's page numbers
    come from that rendering; with `toc_pages` the numbers are filled the same
    way and no PDF is written. Either way a merged table's names are printed
    again where LibreOffice begins a page inside a group. Without LibreOffice
    that step is skipped with a warning. Returns the Result; `result.output` is the report's path when one
    was written. Raises OutputError when the report cannot be written there.
    With `force`, the editors' changes in the report replaced are carried
    into the new one (perfreport.edits); `discard_edits` replaces it clean.
    """
    with _without_collections():  # importing makes what lasts as long as the process: no garbage to look for
        from .edits.store import fingerprint
        from .output import check_target, default_output, write_atomically
        from .render import TemplateError, render  # the rendering libraries load only when a report is built

    force = force or discard_edits
    path = Path(path)
    target = Path(output) if output else default_output(path)
    if target.exists() and path.exists() and os.path.samefile(target, path):
        raise OutputError(f"报告路径 {target} 就是工作簿本身：请给出另一个 .docx 文件名")
    check_target(target, force)
    if pdf:
        check_target(target.with_suffix(".pdf"), force)
    result, context = _analyse(path, Path(images) if images else None)
    if context is None:
        return result
    try:
        stamp = (fingerprint(path), subject(context))  # for merging editors' changes later
        with _without_collections():
            rendered = render(context, template, stamp=stamp)
        result.problems += rendered.problems  # parts the template did not place, or placed twice
        if result.errors:
            return result
        document = None
        if pdf or toc_pages:
            rendered, document = _with_pdf(rendered, context, template, stamp, result, keep_pdf=pdf)
    except TemplateError as exc:
        result.problems.append(error("template-error", Path(template).name if template else "报告模板",
                                     str(exc)))
        return result
    data = rendered.data
    if force and not discard_edits and target.exists():
        data, document = _carry_over(data, document, target, result)
        if data is None:
            return result
    write_atomically(data, target, force)
    result.output = str(target)
    if document is not None:
        write_atomically(document, target.with_suffix(".pdf"), force)
        result.pdf = str(target.with_suffix(".pdf"))
    return result


def _carry_over(data: bytes, document: bytes | None, target: Path, result: Result):
    """Return the new report with the editors' changes in `target` merged in (None: do not write), and its PDF."""
    from .edits.command import carry_over

    merged, problems = carry_over(data, target)
    result.problems += problems
    if merged is not None and merged is not data and document is not None:
        from . import pdf
        document = pdf.convert(merged)
    return merged, document


def subject(context: dict) -> str:
    """Return the report's subject, stamped into it: a rebuild merges only a report of the same subject."""
    return f"{context['unit']} {context['year']}年度"


def _with_pdf(rendered, context: dict, template, stamp: tuple[str, str], result: Result, keep_pdf: bool = True):
    """Return the report with the 目录's page numbers and the merges restarted where pages begin, as
    LibreOffice lays it out, and its PDF (None without `keep_pdf`, or when LibreOffice is missing)."""
    from . import pdf
    from .render import render

    try:
        first = pdf.convert(rendered.data)
        pages = pdf.heading_pages(first, rendered.headings)
        if not pages:
            return rendered, first if keep_pdf else None
        pdf.mark_page_starts(context, first)
        numbered = render(context, template, pages, stamp)
        return numbered, pdf.convert(numbered.data) if keep_pdf else None
    except pdf.PdfUnavailable as exc:
        code, message = ("pdf-unavailable", str(exc)) if keep_pdf else ("toc-pages-unavailable", str(exc).replace(
            "未生成 PDF", "目录页码未填入"))
        result.problems.append(warning(code, result.source, message))
        return rendered, None
