"""Check the workbook as a whole and build its structures.

load checked each cell; here the sheets are checked against each other: the
framework (numbering, weights, manual scores), the goals and the indicator
they feed, the survey, the grade bands, and 合计 rows typed in tables. Values
the workbook states twice are compared in perfreport.crosscheck.
"""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType

from .markers import has_marker
from .contract import SHEET, SHEETS, TOTAL_LABEL, Kind
from .errors import Problem, error, warning
from .fmt import amount
from .models import INDICATOR_LABEL, Checked, Goal, Indicator, Record, Workbook
from .rules import (DEFAULT_BANDS, GENERIC, MANUAL, RULES, Bands, BandsError, ParamError, parse_bands, problem,
                    spec_for)
from .rules.figures import kinds as figure_kinds
from .survey import survey_questions

FRAMEWORK, GOALS, SURVEY, TEXTS = "指标体系", "目标对比", "问卷", "文字"
TOTAL_WEIGHT = Decimal(100)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
PARTS = re.compile(r"[、,，;；/]")


def _indicators(rows: tuple[Record, ...], problems: list[Problem]) -> tuple[Indicator, ...]:
    indicators: list[Indicator] = []
    numbers: dict[int, Record] = {}
    names: dict[str, Record] = {}
    for row in rows:
        label = row["三级指标"]
        match = INDICATOR_LABEL.match(label or "")
        if not match:
            if label:
                problems.append(error("indicator-label", row.where("三级指标"),
                                      f"三级指标应带编号，如“(1) 预算安排与部门职能匹配度”，实际为“{label}”"))
            continue
        number, name = int(match.group(1)), match.group(2)
        for key, seen, what in ((number, numbers, f"编号 ({number})"), (name, names, f"名称“{name}”")):
            if key in seen:
                problems.append(error("duplicate-indicator", row.where("三级指标"),
                                      f"三级指标{what}重复，与 {seen[key].where('三级指标')} 相同"))
            seen[key] = row
        weight = row["分值"]
        if weight is None:
            continue
        if weight <= 0:
            problems.append(error("wrong-weight", row.where("分值"), f"分值应大于 0，实际为 {amount(weight)}"))
            continue
        rule = row["评分方式"] or (GENERIC if row["评分参数"] else MANUAL)
        entered = row["得分"]
        if rule == "手工" and entered is None and row["一级指标"]:
            problems.append(error("manual-score-missing", row.where("得分"),
                                  f"{name} 的评分方式为“手工”，请填写得分（0–{amount(weight)}）"))
        if entered is not None and not 0 <= entered <= weight:
            problems.append(error("score-out-of-range", row.where("得分"),
                                  f"得分应在 0 到分值 {amount(weight)} 之间，实际为 {amount(entered)}"))
        indicators.append(Indicator(number, name, row["一级指标"] or "", row["二级指标"] or "",
                                    weight, rule, entered, row))
    return tuple(indicators)


def _typed_weights(rows: tuple[Record, ...]) -> Decimal:
    """Return the sum of every 分值 read, rows refused for their 三级指标 label included: the weights are as typed."""
    return sum((r["分值"] for r in rows if r["分值"] is not None), Decimal(0))


def _check_framework(indicators: tuple[Indicator, ...], rows: tuple[Record, ...],
                     problems: list[Problem]) -> None:
    if not indicators:
        problems.append(error("empty-framework", FRAMEWORK, "指标体系没有任何三级指标"))
        return
    total = _typed_weights(rows)
    if total != TOTAL_WEIGHT:
        first, last = rows[0].where("分值"), rows[-1].cells.get("分值", "")
        problems.append(error("weights-mismatch", f"{first}:{last}",
                              f"三级指标分值合计为 {amount(total)}，应为 100"))
    seen: list[str] = []
    parent: dict[str, str] = {}
    for indicator in indicators:
        level1, level2 = indicator.level1, indicator.level2
        if seen and seen[-1] != level1 and level1 in seen:
            problems.append(error("framework-order", indicator.record.where("一级指标"),
                                  f"一级指标“{level1}”的各行应连续排列"))
        if not seen or seen[-1] != level1:
            seen.append(level1)
        if parent.setdefault(level2, level1) != level1:
            problems.append(error("framework-order", indicator.record.where("二级指标"),
                                  f"二级指标“{level2}”同时属于“{parent[level2]}”和“{level1}”"))


def _numbers(text: str | None) -> list[Decimal]:
    return [Decimal(n) for n in NUMBER.findall((text or "").replace(",", ""))]


def _parts(row: Record, column: str, printed: str, problems: list[Problem]) -> list[Decimal] | None:
    """Return the numbers of a 目标数值/实际数值 cell, or those in its printed text."""
    raw = row[column]
    if raw is None:
        return _numbers(row[printed])
    try:
        return [Decimal(p.strip().rstrip("%")) for p in PARTS.split(raw) if p.strip()]
    except InvalidOperation:
        problems.append(error("wrong-type", row.where(column),
                              f"应为数字，多个值用“、”分隔，实际为“{raw}”"))
        return None


def _resolve(ref: str | None, indicators: tuple[Indicator, ...]) -> int | None:
    if not ref:
        return None
    match = re.match(r"^\s*[(（]\s*(\d+)\s*[)）]", ref)
    if match:
        number = int(match.group(1))
        return number if any(i.number == number for i in indicators) else -1
    name = INDICATOR_LABEL.sub(r"\2", ref).strip()
    return next((i.number for i in indicators if i.name == name), -1)


def _goals(rows: tuple[Record, ...], indicators: tuple[Indicator, ...],
           problems: list[Problem]) -> tuple[Goal, ...]:
    by_goals = {i.number for i in indicators if _scores_on_goals(i)}
    goals = []
    resolved: dict[str | None, int | None] = {}  # 三级指标 as typed -> its number: goals share an indicator
    for row in rows:
        typed = row["三级指标"]
        if typed not in resolved:
            resolved[typed] = _resolve(typed, indicators)
        number = resolved[typed]
        if number == -1:
            problems.append(error("unknown-indicator", row.where("三级指标"),
                                  f"指标体系中没有三级指标“{row['三级指标']}”：请填写编号如 (19) 或完整名称"))
            number = None
        assessed = row["考核"] != "否"
        scored = assessed and number is not None and number in by_goals
        targets = _parts(row, "目标数值", "目标值", problems)
        actuals = _parts(row, "实际数值", "实际完成值", problems)
        parts: tuple = ()
        if scored and targets is not None and actuals is not None:
            parts = _goal_parts(row, targets, actuals, problems)
        goals.append(Goal(row, number, parts, assessed))
    return tuple(goals)


def _goal_parts(row: Record, targets: list[Decimal], actuals: list[Decimal],
                problems: list[Problem]) -> tuple:
    if not targets or len(targets) != len(actuals):
        # at the cell to fill: a blank text with nothing to compute from is where the numbers are missing
        column = ("目标值" if not targets and row["目标数值"] is None and not row["目标值"] else
                  "实际完成值" if not actuals and row["实际数值"] is None and not row["实际完成值"] else "目标数值")
        problems.append(error("goal-parts", row.where(column),
                              f"目标数值（{len(targets)} 个）与实际数值（{len(actuals)} 个）应一一对应；"
                              "多个值用“、”分隔，或在目标值、实际完成值中写出数字"))
        return ()
    direction = row["方向"] or next((s for s in "≤=≥" if s in (row["目标值"] or "")), "≥")
    if direction == "≥" and any(t == 0 for t in targets):
        problems.append(error("division-by-zero", row.where("目标数值"),
                              "目标值为 0，无法计算完成率（实际/目标）：请填写大于 0 的目标"))
        return ()
    negative = [(column, n) for column, numbers in (("目标数值", targets), ("实际数值", actuals)) for n in numbers
                if n < 0 and (direction != "≥" or column == "目标数值")]
    if negative:
        column, number = negative[0]
        problems.append(error("wrong-type", row.where(column),
                              f"完成率按“{direction}”计算时{column}不能为负数，实际为 {number}"))
        return ()
    return tuple((t, a, direction) for t, a in zip(targets, actuals))


# ---- grades and scoring parameters -----------------------------------------------------

def _bands(record: Record, name: str, problems: list[Problem]) -> Bands | None:
    """Return the bands written in field `name`, DEFAULT_BANDS (等级标准) or None (一级等级标准) when blank."""
    text = record[name]
    if not text:
        return DEFAULT_BANDS if name == "等级标准" else None
    try:
        return parse_bands(text)
    except BandsError as exc:
        problems.append(problem("bands-syntax", record.where(name),
                                f"{name}“{text}”：{exc}；应写成“优秀:90;良好:80;合格:60;不合格”"))
        return DEFAULT_BANDS if name == "等级标准" else None


def _check_project_grades(rows: tuple[Record, ...], bands: Bands, problems: list[Problem]) -> None:
    """Every typed 实际绩效等级 must be one of the workbook's grades."""
    for row in rows:
        typed = row["实际绩效等级"]
        if typed is not None and typed not in bands.names:
            problems.append(problem("unknown-grade", row.where("实际绩效等级"),
                                    f"应为以下之一：{'、'.join(bands.names)}（基本信息“等级标准”中的等级），"
                                    f"实际为“{typed}”"))


def _scores_on_goals(indicator: Indicator) -> bool:
    spec = indicator.spec
    return spec is not None and any(getattr(p.scorer, "expr", None) is not None
                                    and p.scorer.expr.figure == "目标完成率" for p in spec.parts)


def _with_specs(indicators: tuple[Indicator, ...], bands: Bands, problems: list[Problem]) -> tuple[Indicator, ...]:
    """Return the indicators with their scoring parameters read; each one not understood is an error at its cell."""
    kinds = figure_kinds()
    out = []
    for indicator in indicators:
        typed = indicator.record["评分参数"] or ""
        where = indicator.record.where("评分参数")
        if indicator.rule == MANUAL:
            if typed.strip():
                problems.append(problem("parameter-not-for-rule", where,
                                        f"{indicator.label} 的评分方式为“手工”，不读评分参数：请删去评分参数，"
                                        f"或把评分方式改为“{GENERIC}”或预设规则"))
            out.append(indicator)
            continue
        default = RULES[indicator.rule].default_for(bands)
        if not default and indicator.rule != GENERIC and not typed.strip():
            column = where != indicator.record.sheet  # without the column: at the 评分方式 cell, saying to add it
            problems.append(problem("parameter-conflict", where if column else indicator.record.where("评分方式"),
                                    f"{indicator.label}：等级标准有 {len(bands.names)} 个等级（{'、'.join(bands.names)}），"
                                    f"“{indicator.rule}”没有默认的等级赋分：请在评分参数中写出各等级的得分，"
                                    f"如“{bands.names[0]}得满分；{bands.names[1]}得分值×75%；…；{bands.lowest}0分”"
                                    + ("" if column else "（请在表头添加“评分参数”列）")))
            out.append(indicator)
            continue
        try:
            spec = spec_for(indicator.rule, typed, indicator.weight, kinds, bands.names, default)
        except ParamError as exc:
            problems.append(problem(exc.code, where if typed.strip() else indicator.record.where("评分方式"),
                                    f"{indicator.label} 的评分参数：{exc}"))
            out.append(indicator)
            continue
        out.append(replace(indicator, spec=spec))
    return tuple(out)


def _split_totals(workbook: Workbook, sheet: str, columns: tuple[str, ...],
                  problems: list[Problem]) -> tuple[tuple[Record, ...], tuple[Record, ...]]:
    """Return a table's data rows and its typed 合计 rows (named so in a Sheet.totals column), warning where a
    total differs from the sum of the data rows."""
    rows, labels = workbook.tables[sheet], SHEET[sheet].totals
    is_total = [any(TOTAL_LABEL.match((r[label] or "").replace(" ", "")) for label in labels) for r in rows]
    data = tuple(r for r, total in zip(rows, is_total) if not total)
    totals = tuple(r for r, total in zip(rows, is_total) if total)
    for total in totals:
        for column in columns:
            summed = sum((r[column] or Decimal(0) for r in data), Decimal(0))
            if total[column] is not None and total[column] != summed:
                problems.append(warning("total-mismatch", total.where(column),
                                        f"合计行填写 {amount(total[column])}，各行之和为 {amount(summed)}，报告按各行之和打印"))
    return data, totals


def _check_texts(workbook: Workbook, indicators: tuple[Indicator, ...], problems: list[Problem]) -> None:
    level1 = {i.level1 for i in indicators}
    for row in workbook.tables[TEXTS]:
        if row["章节"] == "指标分析小结" and row["标题"] not in level1:
            problems.append(error("unknown-indicator", row.where("标题"),
                                  f"指标分析小结的标题应为一级指标名称（{'、'.join(sorted(level1))}），"
                                  f"实际为“{row['标题'] or ''}”"))


def _check_plain_texts(workbook: Workbook, problems: list[Problem]) -> None:
    """A `{名称}`, `[表:…]` or `[表号:…]` typed in a field that is not prose would print as typed: an error there."""
    plain = {sheet.name: [f.name for f in sheet.fields if f.kind is Kind.TEXT and not (f.prose or f.syntax)]
             for sheet in SHEETS}
    marked: dict[str, bool] = {}  # text -> has_marker(text): a column repeats its texts
    for sheet, names in plain.items():
        rows = (workbook.records[sheet],) if sheet in workbook.records else workbook.tables[sheet]
        for row in rows:
            values = row.values  # the names are the sheet's fields: row[name] without its check
            for name in names:
                text = values.get(name)
                if not isinstance(text, str):
                    continue
                found = marked.get(text)
                if found is None:
                    found = marked[text] = has_marker(text)
                if found:
                    problems.append(error("marker-in-plain-field", row.where(name),
                                          f"“{name}”不是正文字段，其中的占位符 {{…}}、[表:…]、[表号:…] 不会被替换，"
                                          f"实际为“{text[:40]}”：请直接写出文字（可用占位符的正文字段见 README）"))


def _qr_image(record: Record, images: Path, problems: list[Problem]) -> Path | None:
    """Return the checked picture of 基本信息 二维码图片 (relative to `images`, and inside it), None when blank or unusable."""
    typed = record["二维码图片"]
    if not typed:
        return None
    from .image import ImageProblem, checked_image

    try:
        return checked_image(typed, images, images)
    except ImageProblem as exc:
        problems.append(error(exc.code, record.where("二维码图片"), str(exc)))
        return None


def validate(workbook: Workbook, images: Path = Path(".")) -> tuple[Checked, list[Problem]]:
    """Return the workbook's structures and the problems found across its sheets.

    `images` is the folder pictures the workbook names are found in (and must lie in): the workbook's own.
    """
    problems: list[Problem] = []
    tables = dict(workbook.tables)
    tables["固定资产"], _ = _split_totals(workbook, "固定资产", ("原值", "累计折旧", "净值"), problems)
    tables["复评项目"], _ = _split_totals(workbook, "复评项目", ("预算", "执行"), problems)
    tables[FRAMEWORK], typed_totals = _split_totals(workbook, FRAMEWORK, ("分值",), problems)  # 得分: once scored
    workbook = replace(workbook, tables=MappingProxyType(tables))
    rows = workbook.tables[FRAMEWORK]
    before = len(problems)
    bands = _bands(workbook.records["基本信息"], "等级标准", problems)
    bands_read = len(problems) == before  # else the defaults stand in, and grades typed for the bands meant would fail
    level1_bands = _bands(workbook.records["基本信息"], "一级等级标准", problems)
    indicators = _with_specs(_indicators(rows, problems), bands, problems)
    _check_framework(indicators, rows, problems)
    goals = _goals(workbook.tables[GOALS], indicators, problems)
    questions = survey_questions(workbook.tables[SURVEY], problems)
    if bands_read:
        _check_project_grades(workbook.tables["复评项目"], bands, problems)
    _check_texts(workbook, indicators, problems)
    _check_plain_texts(workbook, problems)
    qr = _qr_image(workbook.records["基本信息"], images, problems)
    return Checked(workbook, indicators, goals, questions, bands, level1_bands, qr, typed_totals), problems
