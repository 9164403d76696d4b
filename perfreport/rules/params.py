"""Turn what the 评分参数 phrases say into a Spec: resolve names, units, thresholds and points.

`spec_for(rule, typed, …)` is the one entry: the rule's preset text gives the
defaults, the workbook's text (when given) replaces the scoring and overrides
the options it writes. Every inconsistency is a ParamError quoting the phrase.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Mapping

from .spec import (Award, Band, Bands, Deduction, Expr, GradeFactors, Interval, Linear, Options, Part, Spec)
from .syntax import Item, Num, ParamError, number, read

ZERO = Decimal(0)
OPTION_KEYS = ("denominator", "checkpoints", "questions", "group", "capped", "grade_source", "missing")


def _figure(name: str, kinds: Mapping[str, str], raw: str) -> Expr:
    if name in kinds:
        return Expr(name)
    import difflib  # for a misspelt name only: check imports it for nothing else

    close = difflib.get_close_matches(name, list(kinds), n=3, cutoff=0.4)
    hint = f"：是否为 {'、'.join('{' + c + '}' for c in close)}？" if close else "（可用名称见 README 的计算值一节）"
    raise ParamError("parameter-unknown-figure", f"“{raw}”中的“{name}”不是计算值的名称{hint}")


def _expr(text: str, kinds: Mapping[str, str], current: Expr | None, raw: str) -> Expr | None:
    """Resolve an expression as written: {名称}, |{名称}-100%|, a letter for the part's figure, or nothing."""
    if not text:
        return current
    match = re.fullmatch(r"\{([^{}]+)\}", text)
    if match:
        return _figure(match.group(1), kinds, raw)
    match = re.fullmatch(r"\|(.+)-(-?\d+(?:\.\d+)?%?)\|", text)
    if match:
        inner = _expr(match.group(1), kinds, current, raw)
        if inner is None:
            raise ParamError("parameter-conflict", f"“{raw}”中的“{match.group(1)}”没有指明计算值：请写 {{名称}}")
        centre = number(match.group(2))
        _unit_ok(inner, centre, kinds, raw)
        return Expr(inner.figure, centre.value)
    if re.fullmatch(r"[A-Za-z]", text):
        if current is None:
            raise ParamError("parameter-conflict", f"“{raw}”中的 {text} 没有指明是哪个计算值：第一次出现时请写"
                                                   "“{计算值名称}”，如 {固定资产利用率}≥100%得满分")
        return current
    if text in kinds:
        return Expr(text)
    return _figure(text.strip("{}"), kinds, raw)


def _unit_ok(expr: Expr, n: Num, kinds: Mapping[str, str], raw: str) -> None:
    """A rate is compared with percentages (or 0), anything else with plain numbers."""
    kind = kinds[expr.figure]
    if kind == "rate" and not n.percent and n.value != 0:
        raise ParamError("parameter-syntax", f"“{raw}”：{expr.figure}是百分比，“{n.text}”应写成“{n.text}%”")
    if kind != "rate" and n.percent:
        raise ParamError("parameter-syntax", f"“{raw}”：{expr.figure}不是百分比，“{n.text}”不应带 %")


def _options(items: list[Item], options: dict) -> None:
    for item in (i for i in items if i.kind == "option"):
        for key, value in item.data.items():
            if key in options and options[key][0] != value:
                raise ParamError("parameter-conflict", f"“{item.raw}”与“{options[key][1]}”矛盾")
            options[key] = (value, item.raw)


def _bands(items: list[Item], kinds: Mapping[str, str]) -> tuple[Expr, tuple[Band, ...]]:
    expr = None
    bands = []
    for item in items:
        if item.kind != "band":
            raise ParamError("parameter-conflict", f"“{item.raw}”不能与分档写在同一部分：另起一部分（②）")
        named = _expr(item.data["expr"], kinds, expr, item.raw)
        if named is None:
            raise ParamError("parameter-conflict", f"“{item.raw}”没有指明按哪个计算值分档：写成“{{名称}}≥90%得5分”")
        if expr is not None and named != expr:
            raise ParamError("parameter-conflict", f"“{item.raw}”按另一个计算值分档：同一部分只能按一个计算值，"
                                                   "另一个请另起一部分（②）")
        expr = named
        for n in item.data["numbers"]:
            _unit_ok(expr, n, kinds, item.raw)
        bands.append(Band(item.data["when"], item.data["award"], item.raw))
    return expr, tuple(bands)


def _deduction(items: list[Item], kinds: Mapping[str, str], checkpoints: bool) -> tuple[Deduction, Award | None]:
    """Return the part's Deduction and the award its threshold phrase states (None: no threshold phrase)."""
    rule = next(i for i in items if i.kind == "deduct")
    extra = [i for i in items if i.kind == "deduct" and i is not rule]
    if extra:
        raise ParamError("parameter-conflict", f"“{extra[0].raw}”：一个部分只能有一条扣分规则，另一条请另起一部分（②）")
    thresholds = [i for i in items if i.kind == "band"]
    if len(thresholds) > 1:
        raise ParamError("parameter-conflict", f"“{thresholds[1].raw}”：扣分规则只能有一个基准（如“{{名称}}≤100%得满分”），"
                                               "“超过…不得分”请写成“超过10个百分点不得分”")
    wrong = next((i for i in items if i.kind in ("linear", "capnote", "grade")), None)
    if wrong:
        raise ParamError("parameter-conflict", f"“{wrong.raw}”不能与扣分规则写在同一部分")
    data = dict(rule.data)
    modifiers = {k: v for i in items if i.kind in ("most", "cutoff", "rounding") for k, v in i.data.items()
                 if k not in ("unit", "band")}
    expr = _expr(data["expr"], kinds, None, rule.raw) if data["expr"] else None
    threshold, given = None, None
    if thresholds:
        band = thresholds[0]
        expr = _expr(band.data["expr"], kinds, expr, band.raw)
        threshold = _threshold(band, data["over"])
        given = band.data["award"]
        if expr is not None:
            for n in band.data["numbers"]:
                _unit_ok(expr, n, kinds, band.raw)
    elif data["unit"] == "档":
        expr, threshold = expr or Expr("差档合计"), ZERO
    elif not (checkpoints and expr is None):
        raise ParamError("parameter-conflict", f"“{rule.raw}”缺少基准：在前面写明达到满分的条件，"
                                               "如“{人员控制率}≤100%得满分，每超过1个百分点扣0.5分”")
    if expr is None and threshold is not None:
        raise ParamError("parameter-conflict", f"“{thresholds[0].raw}”没有指明计算值：写成“{{名称}}≤100%得满分”")
    if expr is not None and data["unit"] == "个百分点" and kinds[expr.figure] != "rate":
        raise ParamError("parameter-syntax", f"“{rule.raw}”：{expr.figure}不是百分比，不能按百分点扣分")
    return Deduction(expr, threshold, data["over"], data["step"], data["per"],
                     modifiers.get("rounding", "started"), modifiers.get("cutoff"), modifiers.get("most"),
                     data["unit"]), given


def _threshold(band: Item, over: bool) -> Decimal:
    when: Interval = band.data["when"]
    if when is None:
        raise ParamError("parameter-conflict", f"“{band.raw}”不能作扣分基准：写成“{{名称}}≤100%得满分”")
    if when.low is not None and when.high is not None and when.low != when.high:
        raise ParamError("parameter-conflict", f"“{band.raw}”是一个区间，扣分基准应为单边条件，如“≤100%得满分”")
    if when.low is not None and when.high is None and over:
        raise ParamError("parameter-conflict", f"“{band.raw}”与“每超过…扣…分”方向相反：达到下限得满分应配“每低于…扣…分”")
    if when.high is not None and when.low is None and not over:
        raise ParamError("parameter-conflict", f"“{band.raw}”与“每低于…扣…分”方向相反：不超过上限得满分应配“每超过…扣…分”")
    return when.low if when.low is not None else when.high


def _scorer(items: list[Item], kinds: Mapping[str, str], grades: tuple[str, ...], checkpoints: bool,
            raw_part: str) -> tuple[object, Decimal | None] | None:
    """Return (scorer, points the phrases state) for a part's scoring phrases, None when it has none."""
    scoring = [i for i in items if i.kind != "option"]
    if not scoring:
        return None
    if not any(i.kind == "deduct" for i in scoring):  # `低于60%不得分` outside a deduction is a band
        scoring = [i.data["band"] if i.kind == "cutoff" and i.data.get("band") else i for i in scoring]
    kinds_present = {i.kind for i in scoring}
    if "grade" in kinds_present:
        return _grade_factors(scoring, grades), None
    if "deduct" in kinds_present:
        deduction, given = _deduction(scoring, kinds, checkpoints)
        return deduction, (given.points if given is not None and given.points is not None else None)
    if "linear" in kinds_present:
        linear = [i for i in scoring if i.kind == "linear"]
        other = next((i for i in scoring if i.kind not in ("linear", "capnote")), None)
        if len(linear) > 1 or other:
            raise ParamError("parameter-conflict", f"“{(other or linear[1]).raw}”不能与比例计分写在同一部分")
        expr = _expr(linear[0].data["expr"], kinds, None, linear[0].raw)
        return Linear(expr), linear[0].data["points"]
    if kinds_present <= {"floor", "most", "cutoff", "rounding", "capnote"}:
        raise ParamError("parameter-conflict", f"“{raw_part}”只有修饰语，没有分档、扣分或比例规则")
    expr, bands = _bands([i for i in scoring if i.kind not in ("floor", "capnote")], kinds)
    return Bands(expr, bands), None


def _grade_factors(items: list[Item], grades: tuple[str, ...]) -> GradeFactors:
    awards = []
    for item in items:
        if item.kind != "grade":
            raise ParamError("parameter-conflict", f"“{item.raw}”不能与等级赋分写在同一部分")
        given: Award = item.data["award"]
        if given.points not in (None, ZERO):
            raise ParamError("parameter-syntax", f"“{item.raw}”：等级赋分写成该项目分值的比例，"
                                                 f"如“{item.data['grade']}得分值×75%”")
        awards.append((item.data["grade"], given))
    named = [g for g, _ in awards]
    missing = [g for g in grades if g not in named]
    if missing:
        raise ParamError("parameter-conflict", f"等级赋分缺少等级“{'、'.join(missing)}”的得分（等级标准有 {'、'.join(grades)}）")
    return GradeFactors(tuple(awards))


def _parts(text: str, kinds, grades, weight: Decimal, checkpoints: bool) -> tuple[list[Part], dict]:
    """Return the parts (points resolved) and the options written in `text`."""
    options: dict = {}
    drafts = []
    sections = read(text, grades)
    for marker, points, items in sections:
        _options(items, options)
        made = _scorer(items, kinds, grades, checkpoints or "checkpoints" in options, marker + "…")
        if made is None:
            if marker:
                raise ParamError("parameter-conflict", f"第{marker}部分没有评分规则")
            continue
        if not marker and any(m for m, _, _ in sections):
            raise ParamError("parameter-conflict", "评分规则应写在①②各部分中，①之前只能写选项（如“分母：调整后预算”）")
        scorer, stated = made
        if points is not None and stated is not None and points != stated:
            raise ParamError("parameter-points", f"第{marker}部分注明 {points} 分，但其中写的是 {stated} 分")
        drafts.append((marker, points if points is not None else stated, scorer))
    return _resolve_points(drafts, weight), options


def _resolve_points(drafts: list, weight: Decimal) -> list[Part]:
    if not drafts:
        return []  # options only: the preset's scoring applies
    stated = sum((p for _, p, _ in drafts if p is not None), ZERO)
    shares = [d for d in drafts if d[1] is None]
    if shares:
        left = weight - stated
        if left <= 0:
            raise ParamError("parameter-points", f"各部分注明的分数合计 {stated} 分，已达到分值 {weight} 分，"
                                                 "其余部分没有分数")
        each = left / len(shares)
    elif stated != weight:
        where = "、".join(f"{m or '本项'}{p}分" for m, p, _ in drafts)
        raise ParamError("parameter-points", f"各部分满分之和 {stated} 分（{where}）与分值 {weight} 分不一致")
    parts = []
    for marker, points, scorer in drafts:
        full = points if points is not None else each
        _check_awards(scorer, full, marker)
        parts.append(Part(full, scorer, points is not None))
    return parts


def _check_awards(scorer, full: Decimal, marker: str) -> None:
    if isinstance(scorer, Bands):
        for band in scorer.bands:
            if band.award.points is not None and band.award.points > full:
                raise ParamError("parameter-points", f"“{band.text}”的得分超过{('第' + marker + '部分') if marker else '本项'}"
                                                     f"满分 {full} 分")
            if band.award.factor is not None and not 0 <= band.award.factor <= 1:
                raise ParamError("parameter-points", f"“{band.text}”的得分比例应在 0 到 100% 之间")


def spec_for(rule: str, typed: str, weight: Decimal, kinds: Mapping[str, str], grades: tuple[str, ...],
             default: str) -> Spec:
    """Return the Spec of an indicator: the preset's `default` text, replaced/overridden by `typed`.

    Raises ParamError for anything in `typed` (or a preset that cannot serve these grades) that
    cannot be read.
    """
    base_parts, base_options = _parts(default, kinds, grades, weight, False) if default else ([], {})
    parts, options = base_parts, {k: v for k, (v, _) in base_options.items()}
    written: set[str] = set()
    if typed.strip():
        typed_parts, typed_options = _parts(typed, kinds, grades, weight, "checkpoints" in options)
        options.update({k: v for k, (v, _) in typed_options.items()})
        written = set(typed_options)
        if typed_parts:
            parts = typed_parts
    if not parts:
        raise ParamError("parameter-conflict", "评分参数只写了选项，没有分档、扣分或比例规则：评分方式为“按评分参数”时须写出评分规则")
    return Spec(rule, tuple(parts), Options(**options, written=frozenset(written)),
                text=_effective(default, typed, bool(typed.strip()) and parts is not base_parts), typed=typed.strip())


def _effective(default: str, typed: str, replaced: bool) -> str:
    if not typed.strip():
        return default
    if replaced or not default:
        return typed.strip()
    return f"{typed.strip()}；其余按默认：{default}"
