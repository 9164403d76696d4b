"""The 评价标准 a Spec says, in the reference's register; and the numbers a typed standard may quote.

`standard_text(spec, weight, kinds)` is printed in 附件1 when the 评价标准 cell is
blank on a rule-scored row. `unmatched_numbers(text, spec, …)` lists the numbers
a typed standard quotes that neither the parameters nor the indicator's inputs
contain, for the `standard-number-unmatched` warning.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Iterable, Mapping

from ..fmt import circled
from . import wording
from .figures import DERIVED, IDLE_CHANGE, IDLE_FORMULA
from .spec import Bands, Deduction, GradeFactors, Linear, Part, Spec

ZERO, HUNDRED = Decimal(0), Decimal(100)
QUOTED = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.]*\s*[年号〕\]])%?")
MULTIPLES = range(1, 21)
STANDARD_DEFINITIONS = {"目标完成率": "目标完成率=（实际完成值/目标值）×100%，各目标取平均",
                        "综合满意度": "综合满意度为所选满意度问题单项满意度的平均值"}


def _definition(name: str) -> str:
    if name in DERIVED and DERIVED[name].denominator:
        return f"{name}={DERIVED[name].formula.replace(' ', '')}×100%"
    if name == IDLE_CHANGE:
        return f"{name}={IDLE_FORMULA.replace(' ', '')}×100%"
    return STANDARD_DEFINITIONS.get(name, "")


def _bands(scorer: Bands, full: Decimal, kinds: Mapping[str, str]) -> str:
    kind = kinds[scorer.expr.figure]
    name = wording.expr_name(scorer.expr, kind)
    pieces = wording.effective(scorer.bands)
    return "；".join(f"{wording.where(p, name, kind)}，{wording.award(b.award, full)}"
                    for b, p in zip(scorer.bands, pieces) if p) + "；不在以上各档的不得分" * (
        all(b.when is not None for b in scorer.bands))


def _deduction(scorer: Deduction, full: Decimal, spec: Spec, kinds: Mapping[str, str]) -> str:
    unit, step, per = scorer.unit, wording.points(scorer.step), wording.points(scorer.per)
    how = {"started": f"（不足{step}{unit}的按{step}{unit}计）", "whole": f"（不足{step}{unit}的不扣分）",
           "proportional": "（按比例扣分）"}[scorer.rounding]
    if scorer.expr is None:
        points = "、".join(f"{m}月底" for m, _ in spec.options.checkpoints)
        targets = "、".join(wording.number(t, "rate") for _, t in spec.options.checkpoints)
        denominator = ("（年初预算+年中调整）" if spec.options.denominator == "调整后预算" else "全年（12月）累计执行数")
        head = (f"预算执行进度=月度累计执行数/{denominator}×100%。{points}考核，每个考核时点预算执行进度分别达到或超过"
                f"{targets}的得满分（{wording.points(full)}分）；每低于{step}{unit}扣{per}分{how}")
    else:
        kind = kinds[scorer.expr.figure]
        name = wording.expr_name(scorer.expr, kind)
        side = "≤" if scorer.over else "≥"
        verb = "超过" if scorer.over else "低于"
        if scorer.unit == "档":
            head = f"自评结果与复评结果按等级标准每差{step}档扣{per}分"
        else:
            head = (f"{name}{side}{wording.number(scorer.threshold, kind)}，得{wording.points(full)}分；"
                    f"每{verb}{step}{unit}扣{per}分{how}")
    tail = []
    if scorer.cutoff is not None:
        tail.append(f"{'超过' if scorer.over else '低于'}基准{wording.points(scorer.cutoff)}{unit}以上不得分")
    if scorer.most is not None:
        tail.append(f"最多扣{wording.points(scorer.most)}分")
    tail.append("扣完为止")
    return head + "；" + "，".join(tail)


def _part(part: Part, spec: Spec, kinds: Mapping[str, str]) -> str:
    scorer, full = part.scorer, part.points
    if isinstance(scorer, Bands):
        return _bands(scorer, full, kinds)
    if isinstance(scorer, Linear):
        return f"得分={scorer.expr.figure}×分值（{wording.points(full)}分），最高不超过分值"
    if isinstance(scorer, Deduction):
        return _deduction(scorer, full, spec, kinds)
    grades = "“" + "”“".join(g for g, _ in scorer.awards) + "”"
    shares = "、".join(wording.number(a.value(Decimal(1)), "rate") for _, a in scorer.awards)
    source = "按复核得分对应的等级" if spec.options.grade_source == "复核得分" else "根据评价等级"
    return f"抽查的项目平均分配分值，{source}{grades}分别赋分，得分为该项目满分分值的{shares}，该项得分为各个项目得分之和"


def _names(spec: Spec) -> list[str]:
    names = []
    for part in spec.parts:
        expr = getattr(part.scorer, "expr", None)
        if expr is not None and expr.figure not in names:
            names.append(expr.figure)
    return names


def standard_text(spec: Spec, kinds: Mapping[str, str]) -> str:
    """Return the 评价标准 the parameters say, one line per definition and per part."""
    lines = [d for d in (_definition(n) for n in _names(spec)) if d]
    if "综合满意度" in _names(spec):
        o = spec.options
        scope = (f"第{o.questions[0]}—{o.questions[-1]}题" if len(o.questions) > 1 else f"第{o.questions[0]}题") \
            if o.questions else f"问题组“{o.group}”的满意度问题" if o.group else "全部满意度问题"
        lines[lines.index(_definition("综合满意度"))] = f"综合满意度为问卷{scope}单项满意度的平均值"
    if "目标完成率" in _names(spec):
        lines.append("单项完成率超过100%的按100%计" if spec.options.capped else "单项完成率不封顶")
    parts = [_part(p, spec, kinds) for p in spec.parts]
    if len(parts) == 1:
        lines.append(parts[0])
    else:
        lines += [f"{circled(i)}{text}（{wording.points(p.points)}分）" for i, (p, text)
                  in enumerate(zip(spec.parts, parts), 1)]
    if spec.options.missing:
        lines.append(f"无相关数据的{'不予考核，' if spec.options.missing == '不予考核' else ''}按满分计")
    return "\n".join(line if line[-1] in "。；" else line + "。" for line in lines)


def _quoted(spec: Spec, weight: Decimal) -> set[Decimal]:
    """Every number the parameters say or imply, as a standard would write it (rates in %)."""
    found: set[Decimal] = {weight, HUNDRED, ZERO}
    for month, target in spec.options.checkpoints:
        found |= {Decimal(month), target * HUNDRED}
    found |= {Decimal(n) for n in spec.options.questions}
    for part in spec.parts:
        found.add(part.points)
        found |= _scorer_numbers(part.scorer, part.points)
    return found


def _scorer_numbers(scorer, full: Decimal) -> set[Decimal]:
    found: set[Decimal] = set()
    if isinstance(scorer, (Bands, Deduction, Linear)) and scorer.expr is not None and scorer.expr.centre is not None:
        found.add(scorer.expr.centre * HUNDRED)
    if isinstance(scorer, Bands):
        for band in scorer.bands:
            if band.when is not None:
                for bound in (band.when.low, band.when.high):
                    if bound is not None:
                        found |= {bound, bound * HUNDRED}
            found.add(band.award.value(full))
            if band.award.factor is not None:
                found.add(band.award.factor * HUNDRED)
    if isinstance(scorer, Deduction):
        if scorer.threshold is not None:
            found |= {scorer.threshold, scorer.threshold * HUNDRED}
        found |= {scorer.step * k for k in MULTIPLES} | {scorer.per * k for k in MULTIPLES}
        found |= {n for n in (scorer.cutoff, scorer.most) if n is not None}
    if isinstance(scorer, GradeFactors):
        found |= {a.value(Decimal(1)) * HUNDRED for _, a in scorer.awards}
    return found


def unmatched_numbers(text: str, spec: Spec, weight: Decimal, also: Iterable[Decimal] = ()) -> list[str]:
    """Return the numbers `text` quotes that the parameters (or `also`, e.g. goal targets) do not contain."""
    allowed = _quoted(spec, weight) | set(also)
    out = []
    for match in QUOTED.finditer(text or ""):
        try:
            value = Decimal(match.group(0).rstrip("%"))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            continue
        if value not in allowed and match.group(0) not in out:
            out.append(match.group(0))
    return out
