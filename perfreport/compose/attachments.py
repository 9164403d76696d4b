"""The attachments: 指标体系, 得分表, 目标完成情况, 问卷调查 and 问题清单 (each only when it has rows)."""
from __future__ import annotations

from decimal import Decimal

from ..fmt import DASH, cn_number, table_amount, table_rate
from ..models import IndicatorScore
from ..rules.explain import unsaid
from .chapter3 import total_row
from .draft import CELL_BREAK, Draft, cell_text


def tables(d: Draft) -> None:
    indicators = [(group, sub, item) for group in d.scores.level1 for sub in group.members for item in sub.members]
    d.attachment("指标体系", [
        {"key": item.indicator.name, "c0": group.name, "c1": table_amount(group.weight), "c2": sub.name,
         "c3": table_amount(sub.weight), "c4": item.indicator.label, "c5": table_amount(item.indicator.weight),
         "c6": cell_text(item.indicator.text("指标解释")), "c7": cell_text(item.indicator.text("评价标准") or item.standard)}
        for group, sub, item in indicators])
    d.attachment("得分表", [
        {"key": item.indicator.name, "c0": group.name, "c1": sub.name, "c2": item.indicator.label,
         "c3": table_amount(item.indicator.weight), "c4": table_amount(item.score), "c5": table_rate(item.rate),
         "c6": _basis(d, item), "c7": cell_text(item.indicator.text("依据来源"))}
        for group, sub, item in indicators], total=total_row(d), grade=d.scores.grade)
    d.attachment("目标完成情况", [_goal_row(g) for g in d.checked.goals])
    sections = _survey(d)
    name = next((i.indicator.name for i in d.scores.indicators if i.indicator.rule == "满意度"), "")
    d.attachment("问卷调查", sections, subtitle=d.phrase("问卷副标题", 满意度指标=name))
    d.attachment("问题清单", _problems(d))


def _basis(d: Draft, item: IndicatorScore) -> str:
    """The 评分依据 of 得分表, and what the rule says when it gave full marks without data."""
    notes = unsaid(item.indicator.text("评分依据"), item.notes)
    if not notes:
        return d.cell(item.indicator.record, "评分依据")
    return CELL_BREAK.join(d.lines(item.indicator.record, "评分依据") + notes)


def _goal_row(goal) -> dict:
    r = goal.record
    reason = r["不考核原因"] if not goal.assessed else ""
    return {"key": r["绩效指标"], "c0": str(r["职责序号"] or ""), "c1": r["部门职责"], "c2": r["职责"] or "",
            "c3": r["职责目标"] or "", "c4": r["绩效指标"], "c5": (r["目标值"] or DASH).replace("\n", CELL_BREAK),
            "c6": (r["实际完成值"] or DASH).replace("\n", CELL_BREAK),
            "c7": r["数据来源"] or reason or DASH, "c8": r["存在问题"] or reason or DASH}


def _survey(d: Draft) -> list[dict]:
    """The questions grouped by kind and 问题组 (each group of respondents apart), each a titled section of rows."""
    satisfaction = d.scores.derived.get("satisfaction", {})
    sections: list[dict] = []
    for q in d.checked.questions:
        if not sections or (sections[-1]["kind"], sections[-1]["group"]) != (q.kind, q.group):
            sections.append({"key": f"{q.kind}（{q.group}）" if q.group else q.kind, "kind": q.kind,
                             "group": q.group, "title": "", "rows": []})
        title = f"{q.number}.{q.title}"
        if q.kind == "开放问题":
            rows = [{"key": f"{q.number}.{text}", "c0": text, "c1": "", "c2": "", "c3": "", "c4": DASH, "c5": ""}
                    for text in [title] + [o.text for o in q.options]]
        else:
            level = table_rate(satisfaction.get(q.number)) if q.kind == "满意度问题" else q.kind
            rows = [{"key": f"{q.number}.{o.text}", "c0": title, "c1": o.text,
                     "c2": str(o.count if o.count is not None else ""),
                     "c3": table_rate(Decimal(o.count or 0) / q.sample) if q.sample else DASH,
                     "c4": str(q.sample), "c5": level} for o in q.options]
        sections[-1]["rows"] += rows
    for i, section in enumerate(sections, 1):
        group = f"（{section['group']}）" if section["group"] else ""
        section["title"] = f"{cn_number(i)}、{d.phrase('问卷分组_' + section['kind'])}{group}"
    return sections


def _problems(d: Draft) -> list[dict]:
    short = d.names["单位简称"]
    rows = []
    for group in d.scores.level1:
        items = [i for sub in group.members for i in sub.members if i.indicator.text("问题描述")]
        for k, item in enumerate(items, 1):
            rows.append({"key": item.indicator.name, "c0": d.phrase("问题分类", 一级指标=group.name), "c1": str(k),
                         "c2": short, "c3": d.cell(item.indicator.record, "问题描述")})
    return rows
