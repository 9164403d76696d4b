"""Report-wide names composed from the data, usable as {名称} like the figures (README lists them)."""
from __future__ import annotations

from decimal import Decimal

from ..fmt import amount, cn_count, join_cn
from .chapter2 import stage_names
from .draft import Draft


def _bands(d: Draft) -> str:
    """等级划分: 90（含）—100分为“优”、… 60分以下为“差”."""
    parts, upper = [], "100"
    for grade, bound in d.checked.bands:
        parts.append(d.phrase("等级区间", 下限=amount(bound), 上限=upper, 等级=grade))
        upper = amount(bound)
    parts.append(d.phrase("等级最低", 上限=upper, 等级=d.checked.bands.lowest))
    return "、".join(parts)


def _duties(d: Draft) -> list[str]:
    seen: list[str] = []
    for goal in d.checked.goals:
        duty = goal.record["部门职责"]
        if duty and duty not in seen:
            seen.append(duty)
    return seen


def report_names(d: Draft) -> dict[str, str]:
    """Return the names (name -> printed text) every text of the report may use."""
    framework = d.scores.level1
    level1 = [g.name for g in framework]
    history = [str(row["年度"]) for row, *_ in d.scores.derived["history"]["收入"]]
    year = d.names["评价年度"]
    stages = stage_names(d)
    names = {
        "报告标题": d.phrase("报告标题"),
        "一级指标列表": "、".join(level1), "一级指标并列": join_cn(level1), "一级指标数": str(len(level1)),
        "一级指标维度数": cn_count(len(level1)) if level1 else "",
        "二级指标数": str(sum(len(g.members) for g in framework)), "三级指标数": str(len(d.scores.indicators)),
        "总分值": amount(sum((g.weight for g in framework), Decimal(0))),
        "各一级分值": "，".join(d.phrase("一级分值", 一级指标=g.name, 分值=amount(g.weight)) for g in framework),
        "等级档数": d.checked.bands.count_cn, "等级划分": _bands(d),
        "年份跨度": f"{history[0]}-{history[-1]}" if history else year,
        "年份范围": (d.phrase("年份范围", 年数=cn_count(len(history))) if len(history) > 1
                 else d.phrase("年份范围_一年")),
        "部门职责列表": "、".join(_duties(d)),
        "阶段列表": "、".join(stages), "阶段数": cn_count(len(stages)) if stages else "",
        "满意度指标": next((i.indicator.name for i in d.scores.indicators if i.indicator.rule == "满意度"), ""),
    }
    clash = set(names) & set(d.names)
    assert not clash, f"report-wide names hide figures: {clash}"
    return names
