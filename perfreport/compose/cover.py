"""The cover and the 总览表: the report at a glance."""
from __future__ import annotations

from ..fmt import DASH, cn_number, table_amount, table_rate
from .chapter1 import annual_goals
from .chapter3 import score_row, total_row
from .draft import Draft
from .keys import key_rows


def cover(d: Draft) -> dict:
    info = d.wb.records["基本信息"]
    return {"agency": info["评价机构"], "lead": info["项目主评人"] or "", "date": str(info["报告日期"])}


def _goal_lines(d: Draft) -> list[str]:
    """One line per 部门职责: its annual goals, `；` between lines and `。` at the end."""
    goals: dict[tuple, list[str]] = {}
    for g in annual_goals(d):
        item = d.phrase("总览目标项", 绩效指标=g.record["绩效指标"], 目标值=(g.record["目标值"] or "").replace("\n", ""))
        goals.setdefault((g.record["职责序号"], g.record["部门职责"]), []).append(item)
    lines = [d.phrase("总览目标", 职责序号=no or i, 部门职责=duty, 目标="、".join(items))
             for i, ((no, duty), items) in enumerate(goals.items(), 1)]
    return [line + ("；" if i < len(lines) else "。") for i, line in enumerate(lines, 1)]


def _sections(d: Draft, name: str) -> list[dict]:
    """Chapter 四/五/六's sub-sections as the 总览表 lists them: number, title and paragraphs only, each keyed
    under the section (the 总览表 lays them out a row a paragraph)."""
    sections = [{"number": cn_number(i), "title": d.expand(row["标题"], row.where("标题")), "key": row["标题"],
                 "body": [b for b in d.flow(row, "内容") if b["kind"] == "p"]}
                for i, row in enumerate(d.section(name), 1)]
    key_rows(f"总览表/{name}", sections)
    for section in sections:
        key_rows(section["key"], section["body"])
    return sections


def _lines(prefix: str, lines: list[str]) -> list[dict]:
    """Lines of the 总览表, a row each, keyed by their order (they have no other identity)."""
    rows = [{"text": line, "key": str(n)} for n, line in enumerate(lines, 1)]
    key_rows(prefix, rows)
    return rows


def overview(d: Draft) -> dict:
    info, figures = d.wb.records["基本信息"], d.scores.figures
    scores = [score_row(g) for g in d.scores.level1]
    key_rows("总览表", scores)
    return {
        "authority": info["主管部门"] or info["被评价单位"], "implementer": info["实施单位"] or info["被评价单位"],
        "budget": table_amount(figures["年初预算"].value), "adjusted": table_amount(figures["调整后预算"].value),
        "spent": table_amount(figures["决算支出"].value),
        "rate": table_rate(figures["预算执行率"].value) if "预算执行率" in figures else DASH,
        "strategy": _lines("总览表/战略目标", d.lines(info, "部门战略目标")),
        "goals": _lines("总览表/年度目标", _goal_lines(d)),
        "achievements": _sections(d, "主要绩效"), "issues": _sections(d, "存在的问题"),
        "advice": _sections(d, "相关建议"),
        "scores": scores, "total": total_row(d),
    }
