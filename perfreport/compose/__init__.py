"""Compose the report's parts: named texts, tables and attachments, as plain data.

The template owns the outline (it places each part by name); compose supplies
the parts, one module per part of the report:
  cover        the cover and the 总览表
  chapter1     一 部门基本情况            chapter2   二 绩效评价工作开展情况
  chapter3     三 评价结论及分析          chapters456 四–六, 摘要 and added chapters
  attachments  附件                       letter     呈报函
draft holds what they share: text expansion, named wording, the catalogues.
Tables and attachments are made first, so that any text may refer to any of
them; numbers are given by perfreport.numbering once the document is rendered.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..models import Checked, Scores
from . import attachments, chapter1, chapter2, chapter3, chapters456, cover, letter
from .draft import Draft
from .names import report_names

PARTS = (chapter1, chapter2, chapter3, chapters456, attachments, letter)


def tables_drafted(checked: Checked, scores: Scores, base: Path = Path(".")) -> Draft:
    """Return the Draft with the report-wide names, tables and attachments made: what any text may refer to."""
    d = Draft(checked, scores, base)
    d.names.update(report_names(d))
    for part in PARTS:
        if hasattr(part, "tables"):
            part.tables(d)
    return d


def compose(checked: Checked, scores: Scores, base: Path = Path(".")) -> tuple[dict, list[Problem]]:
    """Return the render context of the report and the problems found in workbook text.

    `base` is the folder image paths in the workbook are relative to.
    """
    d = tables_drafted(checked, scores, base)
    for part in PARTS:
        if hasattr(part, "texts"):
            part.texts(d)
    d.check_titled_rows()
    info = checked.workbook.records["基本信息"]
    date = info["报告日期"]
    context = {
        "title": d.names["报告标题"], "unit": info["被评价单位"], "short": d.names["单位简称"], "year": d.names["评价年度"],
        "report_date": (date.year, date.month, date.day), "agency": info["评价机构"],
        "agency_short": info["评价机构简称"] or "评价机构", "f": d.names,
        "cover": cover.cover(d), "overview": cover.overview(d), "letter": letter.letter(d),
        "texts": d.texts, "tables": d.tables, "attachments": d.attachments,
        "numbering": {"refs": d.refs, "attachment_label": d.phrase("附件列表")},
    }
    return context, d.problems
