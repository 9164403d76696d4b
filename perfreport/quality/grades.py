"""评分与等级相符: every total and grade the report prints, against the workbook's 等级标准.

The total is read where the report states it (`绩效评价得分70.43分`, `绩效评价得分：70.43分`) and
must be the computed one; every statement of the overall grade (`综合绩效级别为“中”`,
`评价结果等级：中`, a table row 综合绩效级别 | 中) must be the grade of that total under the
bands. 复评项目: a typed 实际绩效等级 must be the grade its 复核得分 falls in, and a sentence
counting projects by grade (`2个项目评价等级为“优”`) must count what the table gives.
"""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Iterator

from ..fmt import amount, round2
from .model import Finding, Subject

TOTAL = re.compile(r"绩效评价得分[：:]?\s*(\d+(?:\.\d+)?)\s*分")
GRADE_WORDS = "综合绩效级别|综合绩效等级|评价结果等级|绩效级别|绩效等级|评价等级"


def _grade_pattern(names: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!项目)(?:{GRADE_WORDS})(?:为|是|：|:)?\s*[“\"]?({alternatives})(?![\w])")


def _listed(after: str, names: tuple[str, ...]) -> bool:
    """Whether the text after a quoted grade goes on with another grade (`“优”“良”…`, `“优”、“良”`)."""
    rest = after.lstrip("”\"").lstrip("、，, ")
    return any(rest.startswith(q + n) for n in names for q in "“\"")


def _texts(subject: Subject) -> Iterator[tuple[str, str]]:
    """(where, text): every paragraph, and every table row with its cells joined by `：`."""
    for p in subject.report.paragraphs:
        if p.zone != "目录" and p.text.strip():
            yield p.where, p.text
    for table in subject.report.tables:
        for row in table.rows:
            yield table.where, "：".join(dict.fromkeys(c.strip() for c in row if c.strip()))


def total_and_grade(subject: Subject) -> Iterator[Finding]:
    """Every printed total and overall grade."""
    bands, total = subject.checked.bands, subject.scores.total
    expected = bands.grade(total)
    grade = _grade_pattern(bands.names)
    seen = set()
    for where, text in _texts(subject):
        for m in TOTAL.finditer(text):
            printed = Decimal(m.group(1))
            key = (where, "total", printed)
            if key not in seen:
                seen.add(key)
                yield Finding(printed == total, where, f"总分 {m.group(1)} 分" + (
                    "，与计算的总分相同" if printed == total else f"，而计算的总分为 {amount(total)} 分"))
        stated = TOTAL.search(text)
        basis = Decimal(stated.group(1)) if stated else total
        for m in grade.finditer(text):
            if _listed(text[m.end():], bands.names):
                continue  # “优”“良”“中”“差”: the scale named, not a grade given
            should = bands.grade(basis)
            key = (where, "grade", m.group(1), basis)
            if key in seen:
                continue
            seen.add(key)
            ok = m.group(1) == should
            yield Finding(ok, where, f"等级“{m.group(1)}”：{amount(basis)} 分按等级标准为“{should}”"
                          + ("" if ok else f"（应为“{should}”）"))
    if not seen:
        yield Finding(False, "正文", f"报告中没有写明总分和等级（计算为 {amount(total)} 分、“{expected}”）")


def review(subject: Subject) -> Iterator[Finding]:
    """复评项目: typed grades against 复核得分, and the report's counts of projects by grade."""
    bands = subject.checked.bands
    used: Counter = Counter()
    for row in subject.checked.workbook.tables["复评项目"]:
        if row["复核得分"] is None:
            continue
        derived, typed = bands.grade(round2(Decimal(row["复核得分"]))), row["实际绩效等级"]  # as printed
        used[typed or derived] += 1
        if typed:
            yield Finding(typed == derived, row.where("实际绩效等级"),
                          f"“{row['项目名称']}”实际绩效等级“{typed}”，复核得分 {amount(row['复核得分'])} "
                          f"按等级标准为“{derived}”")
    if not used:
        return
    names = "|".join(re.escape(n) for n in sorted(bands.names, key=len, reverse=True))
    counting = re.compile(rf"(\d+)个(?:重点)?项目(?:的)?(?:评价|绩效|实际绩效)?等级(?:为|是)?[“\"]({names})[”\"]")
    seen = set()
    for where, text in _texts(subject):
        for m in counting.finditer(text):
            count, grade = int(m.group(1)), m.group(2)
            if (where, count, grade) in seen:
                continue
            seen.add((where, count, grade))
            yield Finding(count == used[grade], where, f"“{m.group(0)}”：复评项目表中等级为“{grade}”的项目 {used[grade]} 个")
