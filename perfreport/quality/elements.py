"""封面要素 and 报告要素: the names and dates a reviewer looks for, found in the rendered report."""
from __future__ import annotations

import re
from typing import Iterator

from .model import Finding, Subject

DATE = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?")
KIND = re.compile(r"(?:部门整体|整体支出|项目支出|政策|专项资金|财政支出)(?:支出)?绩效评价")


def _plain(text: str) -> str:
    return re.sub(r"\s", "", text or "")


def project(subject: Subject) -> str:
    """The evaluated project's name: the report's title without 报告 (`…2023年度部门整体绩效评价`)."""
    return re.sub("报告$", "", _plain(subject.title))


def authority(subject: Subject) -> str:
    """The 主管部门: 基本信息!主管部门, else the department itself (its own evaluation), as the 总览表 prints it."""
    return _plain(subject.checked.workbook.info("主管部门") or subject.unit)


def _named(text: str, what: str, name: str, where: str) -> Finding:
    if name and name in text:
        return Finding(True, where, f"{what}“{name}”")
    return Finding(False, where, f"{where}上没有{what}" + (f"“{name}”" if name else ""))


def cover(subject: Subject) -> Iterator[Finding]:
    """项目名称, 项目单位, 主管部门, 评价类型, 评价日期 on the cover (what comes before the first page break)."""
    text = subject.report.text("封面")
    yield _named(text, "项目名称", project(subject), "封面")
    yield _named(text, "项目单位", _plain(subject.unit), "封面")
    yield _named(text, "主管部门", authority(subject), "封面")
    kind = KIND.search(text)
    yield Finding(bool(kind), "封面", f"评价类型“{kind.group(0)}”" if kind else "封面上没有评价类型（如“部门整体绩效评价”）")
    date = DATE.search(text)
    yield Finding(bool(date), "封面", f"评价日期“{date.group(0)}”" if date else "封面上没有评价日期（××××年××月）")


def report(subject: Subject) -> Iterator[Finding]:
    """标题, 被评价单位, 评价项目, 出具单位, 日期 in the report itself (the body, the 总览表, the letter)."""
    title = _plain(subject.title)
    body_title = any(_plain(p.text) == title for p in subject.report.zone("正文"))
    yield Finding(body_title, "正文", f"标题“{title}”" if body_title else f"正文前没有报告标题“{title}”")
    for what, name, zones in (("被评价单位", _plain(subject.unit), ("正文", "总览表")),
                              ("评价项目", project(subject), ("总览表", "正文")),
                              ("出具单位", _plain(subject.context["agency"]), ("封面", "呈报函"))):
        found = [z for z in zones if name and name in subject.report.text(z)]
        yield (Finding(True, "、".join(found), f"{what}“{name}”") if found
               else Finding(False, "、".join(zones), f"{'、'.join(zones)}中没有{what}“{name}”"))
    dated = [(z, DATE.search(subject.report.text(z))) for z in ("封面", "呈报函")]
    dated = [(z, m.group(0)) for z, m in dated if m]
    yield (Finding(True, "、".join(z for z, _ in dated), "日期" + "、".join(f"“{d}”" for _, d in dated)) if dated
           else Finding(False, "封面、呈报函", "封面和呈报函都没有日期"))
