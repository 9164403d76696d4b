"""The 问卷 sheet as questions: each 题号's rows, its options with their weights, sample and 问题组.

Checks made on the way are problems with the option's or question's cell:
a 题号 met again further down, a missing 人数 or weight, a sample of 0,
two options guessed to one weight, a per-question value typed twice.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .contract import TOTAL_LABEL
from .errors import Problem, error, warning
from .models import Option, Question, Record

SURVEY = "问卷"
OPTION_WEIGHTS = {"满意": 100, "较满意": 80, "比较满意": 80, "基本满意": 60, "一般": 60, "不满意": 40}
OPTION_LETTER = re.compile(r"^[A-Za-z][.．、]\s*")


def _option_weight(option: Record, weights: dict[str, Decimal | None]) -> Decimal | None:
    """Return the option's 分值, else the default weight of its word (满意 100 …, looked up in `weights` first,
    and kept there), None for other words: 非常满意 and 满意 in one question are not both guessed 100."""
    if option["分值"] is not None:
        return option["分值"]
    typed = option["选项"] or ""
    if typed not in weights:
        word = OPTION_LETTER.sub("", typed).strip()
        weights[typed] = Decimal(OPTION_WEIGHTS[word]) if word in OPTION_WEIGHTS else None
    return weights[typed]


def _question_rows(rows: tuple[Record, ...], problems: list[Problem]) -> dict[int, list[Record]]:
    """Return each 题号's rows; a 题号 met again after another question is an error (its rows would merge)."""
    groups: dict[int, list[Record]] = {}
    last = None
    for row in rows:
        number = row["题号"]
        if number is None:
            continue
        if number in groups and number != last:
            problems.append(error("duplicate-question", row.where("题号"),
                                  f"第 {number} 题重复，与 {groups[number][0].where('题号')} 题号相同："
                                  "各题（含不同问题组的题目）应连续编号、不重复"))
        groups.setdefault(number, []).append(row)
        last = number
    return groups


def survey_questions(rows: tuple[Record, ...], problems: list[Problem]) -> tuple[Question, ...]:
    """Return the questions in the order of the sheet, with the problems of their rows appended to `problems`."""
    groups = _question_rows(rows, problems)
    questions = []
    weights: dict[str, Decimal | None] = {}  # 选项 -> its weight where 分值 is blank: questions share options
    for number, group in groups.items():
        first = group[0]
        kind = first["类型"]
        totals = [r for r in group if TOTAL_LABEL.match((r["选项"] or "").replace(" ", ""))]
        options = tuple(Option(r["选项"], r["人数"], _option_weight(r, weights), r) for r in group
                        if r["选项"] and r not in totals)
        _check_totals(number, options, totals, problems)
        given, printed = _grouped(number, group, "样本量", problems), _grouped(number, group, "单项满意度", problems)
        group_name = _grouped(number, group, "问题组", problems) or ""
        sample = given if given is not None else sum(o.count for o in options if o.count is not None)
        if kind == "满意度问题":
            _check_satisfaction(number, options, given, sample, problems)
        questions.append(Question(number, first["题目"] or "", kind, options, sample, printed, first, group_name))
        _check_carried(questions, problems)
    return tuple(questions)


def _check_carried(questions: list[Question], problems: list[Problem]) -> None:
    """The last question should not show a 题目 or 类型 filled down from the question above (blank on its first
    row). The same 题目 may be typed twice on purpose, so that is a warning; counts on an 开放问题 are an error."""
    q = questions[-1]
    above = questions[-2] if len(questions) > 1 else None
    if above is not None and q.title and (q.title, q.group) == (above.title, above.group):
        problems.append(warning("repeated-title", q.record.where("题目"),
                                f"第 {q.number} 题题目与第 {above.number} 题相同：若是题目空白、沿用了上一行，"
                                f"请填写第 {q.number} 题的题目"))
    if q.kind == "开放问题" and any(o.count is not None for o in q.options):
        problems.append(error("wrong-type", q.record.where("类型"),
                              f"第 {q.number} 题类型为开放问题，但选项填写了人数（开放问题的回答不填人数，"
                              "类型空白时沿用上一行）：请填写该题的类型"))


def _check_totals(number: int, options: tuple[Option, ...], totals: list[Record], problems: list[Problem]) -> None:
    """A 合计 row typed under a question's options is no option: warned where it differs from their sum."""
    counted = sum(o.count or 0 for o in options)
    for total in totals:
        if total["人数"] is not None and total["人数"] != counted:
            problems.append(warning("total-mismatch", total.where("人数"),
                                    f"第 {number} 题合计 {total['人数']}，与各选项人数之和 {counted} 不一致，报告按各选项人数计算"))


def _grouped(number: int, rows: list[Record], name: str, problems: list[Problem]):
    """Return the first `name` typed in a question's rows (None if none); a different one further down is warned."""
    typed = [r for r in rows if r[name] is not None]
    other = next((r for r in typed if r[name] != typed[0][name]), None)
    if other is not None:
        problems.append(warning("value-mismatch", other.where(name),
                                f"第 {number} 题{name}填写了不同的值，与 {typed[0].where(name)} 不一致：每题只填一次"
                                f"（采用 {typed[0].where(name)}）"))
    return typed[0][name] if typed else None


def _check_satisfaction(number: int, options: tuple[Option, ...], given: int | None, sample: int,
                        problems: list[Problem]) -> None:
    for option in options:
        if option.count is None:
            problems.append(error("missing-value", option.record.where("人数"),
                                  f"第 {number} 题满意度选项“{option.text}”缺少人数"))
        if option.weight is None:
            problems.append(error("missing-value", option.record.where("分值"),
                                  f"第 {number} 题选项“{option.text}”无法判断满意度分值：请填写分值（如 满意 100）"))
    _check_guessed_weights(number, options, problems)
    if sample == 0:
        problems.append(error("division-by-zero", options[0].record.where("人数") if options else SURVEY,
                              f"第 {number} 题样本量为 0，无法计算满意度"))
    counted = sum(o.count or 0 for o in options)
    if given is not None and counted != given:
        problems.append(warning("survey-count-mismatch", options[0].record.where("样本量"),
                                f"第 {number} 题各选项人数合计 {counted}，与样本量 {given} 不一致"))


def _check_guessed_weights(number: int, options: tuple[Option, ...], problems: list[Problem]) -> None:
    """Two options whose blank 分值 the words map to one weight (非常满意 and 满意: 100) need 分值 typed."""
    guessed: dict[Decimal, Option] = {}
    for option in options:
        if option.record["分值"] is not None or option.weight is None:
            continue
        same = guessed.setdefault(option.weight, option)
        if same is not option:
            problems.append(error("missing-value", option.record.where("分值"),
                                  f"第 {number} 题选项“{option.text}”与“{same.text}”按默认分值都是 {option.weight}，"
                                  "无法区分：请填写分值（如 非常满意 100、满意 80）"))
