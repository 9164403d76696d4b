"""The library entry points: check a workbook, build its report.

load -> validate -> score -> compose -> render. Each stage collects problems;
a stage runs only when the ones before it found no errors, so that one missing
value does not cascade into a page of follow-on errors.
"""
from __future__ import annotations

import os
from pathlib import Path

from .compose import compose
from .errors import OutputError, WorkbookError, error, warning
from .load import load
from .models import Result
from .output import check_target, default_output, write_atomically
from .score import score
from .validate import validate


def _analyse(path: Path, images: Path | None) -> tuple[Result, dict | None]:
    result = Result(path.name)
    try:
        return result, _stages(path, result, images or path.parent)
    except WorkbookError as exc:
        result.problems.append(exc.problem)
    except Exception as exc:  # noqa: BLE001 - a bug must reach the user as a message, not a traceback
        result.problems.append(error("internal-error", path.name,
                                     f"perfreport 内部错误（{type(exc).__name__}：{exc}）：请核对最近修改的单元格，"
                                     "并把工作簿和这条消息发给维护者"))
    return result, None


def _stages(path: Path, result: Result, images: Path) -> dict | None:
    """Run the stages into `result`; return the render context, or None when a stage found errors."""
    workbook, problems = load(path)
    result.problems += problems
    if result.errors:
        return None
    checked, problems = validate(workbook, images)  # pictures the workbook names: in its folder by default
    result.problems += problems
    if result.errors:
        return None
    result.scores, problems = score(checked)
    result.problems += problems
    if result.errors:
        return None
    context, problems = compose(checked, result.scores, path.parent)
    result.problems += problems
    return None if result.errors else context


def check(path: Path | str, *, images: Path | str | None = None) -> Result:
    """Return every problem of the workbook at `path`, and its scores when it has no errors.

    `images` is the folder the workbook's pictures must lie in (default: the workbook's folder).
    """
    return _analyse(Path(path), Path(images) if images else None)[0]


def build(path: Path | str, output: Path | str | None = None, *, force: bool = False,
          template: Path | str | None = None, pdf: bool = False, images: Path | str | None = None) -> Result:
    """Check the workbook and, when it has no errors, write its report.

    With `pdf`, LibreOffice also writes NAME.pdf and the 目录's page numbers
    come from that rendering; without LibreOffice that step is skipped with a
    warning. Returns the Result; `result.output` is the report's path when one
    was written. Raises OutputError when the report cannot be written there.
    """
    from .render import TemplateError, render  # docx libraries load only when a report is built

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
        rendered = render(context, template)
        document = None
        if pdf:
            rendered, document = _with_pdf(rendered, context, template, result)
    except TemplateError as exc:
        result.problems.append(error("template-error", Path(template).name if template else "报告模板",
                                     f"{str(exc).rstrip('：')}：请检查自定义模板"))
        return result
    write_atomically(rendered.data, target, force)
    result.output = str(target)
    if document is not None:
        write_atomically(document, target.with_suffix(".pdf"), force)
        result.pdf = str(target.with_suffix(".pdf"))
    return result


def _with_pdf(rendered, context: dict, template, result: Result):
    """Return the report with the 目录's page numbers, and its PDF (None when LibreOffice is missing)."""
    from . import pdf
    from .render import render

    try:
        first = pdf.convert(rendered.data)
        pages = pdf.heading_pages(first, rendered.headings)
        if not pages:
            return rendered, first
        numbered = render(context, template, pages)
        return numbered, pdf.convert(numbered.data)
    except pdf.PdfUnavailable as exc:
        result.problems.append(warning("pdf-unavailable", result.source, str(exc)))
        return rendered, None
