"""Numbers typed in prose next to the name of a figure, compared with the figure.

Consultants type "预算执行率79.25%" where `{预算执行率}` would print the
computed value and follow the data. In every prose field of the contract, a
number a few characters after a figure's name ("预算执行率为79.25%",
"年初预算批复12,779.84万元") is compared with that figure at the precision it
was typed: a different number is a warning (the text went stale), the same
number a hint that the placeholder would keep it current. A number about
another period or a change ("2022年…", "较上年增长5%", "提高3个百分点"), of
something narrower ("项目预算执行率"), or in another unit (亿元, 元, a date) is
not the figure and is left alone.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterator

from .contract import SHEETS
from .errors import Problem, hint, warning
from .fmt import Figure
from .models import KEY_VALUE_FIELDS, Checked, Record, Scores

GAP = 6  # characters allowed between a figure's name and its number ("批复", "为", "均为")
MARKUP = re.compile(r"\{[^{}]*\}|[\[［【][^\]］】]*[\]］】]")  # placeholders and [表…] markers print no typed number
NUMBER_AFTER = re.compile(r"(?P<gap>[^\d\x00，,。；;：:！？、\n（）()“”]{0,%d}?)"
                          r"(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%%|％|个百分点|万元|亿元|万|亿|元|年|月|日|倍)?" % GAP)
CHANGE = re.compile(r"较|比|增|减|降|升|提高|超过|超出|差|变|排名|第|占")  # a change or a rank, not the value
CLAUSE_END = re.compile(r"[，,。；;\n]")
OTHER_PERIOD = re.compile(r"(?:19|20)\d\d\s*年|上年|上一年|去年|同期|以前年度")
QUALIFIED = re.compile(r"(?:项目|平均|部分|个别|单个|各|其他|全市|全省)$")  # "项目预算执行率" is not the department's
OTHER_UNIT = {"个百分点", "亿元", "万", "亿", "元", "年", "月", "日", "倍"}


def _names(checked: Checked, scores: Scores) -> dict[str, Figure]:
    """Return the figures prose can name: numbers, spelled as they are (no `_`), typed or computed."""
    names = {}
    for name, figure in scores.figures.items():
        if figure.kind not in ("amount", "rate") or "_" in name:
            continue
        if name in KEY_VALUE_FIELDS and checked.workbook.info(name) is None:
            continue  # a blank field counts 0 for arithmetic; prose naming it says something else
        names[name] = figure
    return names


def _prose(checked: Checked) -> Iterator[tuple[Record, str]]:
    for sheet in SHEETS:
        fields = [f.name for f in sheet.fields if f.prose]
        records = [checked.workbook.records[sheet.name]] if sheet.key_value else checked.workbook.tables[sheet.name]
        for record in records:
            for name in fields:
                if record[name]:
                    yield record, name


def _about_this_period(before: str, year: int | None) -> bool:
    """Return whether the clause before a name speaks of the 评价年度 (or of no period at all)."""
    clause = CLAUSE_END.split(before)[-1]
    return not any(m.group(0) != f"{year}年" for m in OTHER_PERIOD.finditer(clause.replace(" ", "")))


def _computed(figure: Figure, unit: str | None) -> Decimal | None:
    """Return the figure as the typed number states it (percentage points for a rate), None when units differ."""
    percent = unit in ("%", "％")
    if unit in OTHER_UNIT or percent != (figure.kind == "rate"):
        return None
    return Decimal(figure.value) * (100 if percent else 1)


def _roundings(computed: Decimal, figure: Figure, typed: Decimal) -> set[Decimal]:
    """Return the figure rounded half up to the typed number's decimals, from its value and from its printed form.

    79.2497% typed with one decimal is 79.2, but a reader rounding the printed
    79.25% writes 79.3: both state the figure.
    """
    printed = Decimal(figure.prose().rstrip("%").replace(",", ""))
    step = Decimal(1).scaleb(typed.as_tuple().exponent)
    return {number.quantize(step, rounding=ROUND_HALF_UP) for number in (computed, printed)}


def stale_numbers(checked: Checked, scores: Scores) -> list[Problem]:
    """Return a warning for every typed number that differs from the figure it follows, a hint where it equals it."""
    figures = _names(checked, scores)
    if not figures:
        return []
    name_pattern = re.compile("|".join(re.escape(n) for n in sorted(figures, key=len, reverse=True)))
    year = checked.workbook.info("评价年度")
    full_marks = {"总分": sum((g.weight for g in scores.level1), Decimal(0))}  # "总分100分" states the maximum
    problems = []
    for record, field_name in _prose(checked):
        text = MARKUP.sub("\x00", record[field_name])
        for match in name_pattern.finditer(text):
            name = match.group(0)
            after = NUMBER_AFTER.match(text, match.end())
            before = text[:match.start()]
            if (not after or CHANGE.search(after["gap"]) or name_pattern.search(after["gap"])
                    or QUALIFIED.search(before) or not _about_this_period(before, year)):
                continue
            computed = _computed(figures[name], after["unit"])
            if computed is None:
                continue
            typed = Decimal(after["number"].replace(",", ""))
            if full_marks.get(name) == typed:
                continue
            snippet = f"{name}{after.group(0)}".strip()
            if typed in _roundings(computed, figures[name], typed):
                problems.append(hint("number-could-be-placeholder", record.where(field_name),
                                     f"“{snippet}”与计算值相同：写成 {{{name}}} 可在数据更改后自动更新"))
            else:
                problems.append(warning("stale-number", record.where(field_name),
                                        f"“{snippet}”与计算值 {figures[name].prose()} 不一致：请改为 {{{name}}}，"
                                        "或核对数据"))
    return problems
