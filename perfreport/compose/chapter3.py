"""Chapter 三, 评价结论及分析: the overall score and the analysis of every indicator."""
from __future__ import annotations

from decimal import Decimal

from ..fmt import amount, rate, table_amount, table_rate
from ..models import Group, IndicatorScore
from ..rules.explain import unsaid
from .draft import CELL_BREAK, Draft, heading, para, paragraphs
from .keys import ident, join

# tables whose default place follows the analysis of the first indicator scored by one of these rules
# (or, for parameters typed in the workbook, on the figure of that name)
PLACED_AFTER_RULE = {"预算执行进度": ("预算执行进度", "预算执行率"), "复评项目": ("复评差异", "项目实际绩效")}


def score_row(group: Group) -> dict:
    return {"key": group.name, "name": group.name, "weight": table_amount(group.weight),
            "score": table_amount(group.score), "rate": table_rate(group.rate)}


def total_row(d: Draft) -> dict:
    s = d.scores
    return {"weight": table_amount(sum((g.weight for g in s.level1), Decimal(0))), "score": table_amount(s.total),
            "rate": table_rate(s.total / 100)}


def group_table(group: Group) -> str:
    """The name of a 一级指标's table of 二级 scores."""
    return f"{group.name}指标得分"


def tables(d: Draft) -> None:
    """得分情况, one 指标得分 table per 一级指标, 预算执行进度 and 复评项目."""
    s = d.scores
    d.table("得分情况", [score_row(g) for g in s.level1], total=total_row(d), grade=s.grade)
    for group in s.level1:
        d.table(group_table(group), [score_row(g) for g in group.members], design="指标得分",
                title={"一级指标": group.name},
                total={"weight": table_amount(group.weight), "score": table_amount(group.score),
                       "rate": table_rate(group.rate)})
    budget = d.wb.records["预决算"]
    d.table("预算执行进度", [{"key": f"{month}月", "c0": f"{month}月", "c1": table_amount(spent),
                          "c2": table_amount(year), "c3": table_rate(progress), "c4": table_rate(schedule),
                          "c5": "是" if progress >= schedule else "否"}
                         for month, spent, year, progress, schedule in s.derived.get("months", [])],
            unit="元", note="".join(d.lines(budget, "执行进度_注")), lead="预算执行进度引言")
    planned, spent, execution = s.derived.get("project_totals", (None, None, None))
    d.table("复评项目", [{"key": p["项目名称"], "c0": p["序号"] or str(i), "c1": p["项目名称"],
                      "c2": table_amount(p["预算"]), "c3": table_amount(p["执行"]), "c4": table_rate(rate_),
                      "c5": table_amount(p["自评得分"]),
                      "c6": table_amount(p["复核得分"]), "c7": CELL_BREAK.join(paragraphs(p["存在问题"])) or "——"}
                     for i, (p, rate_) in enumerate(s.derived.get("projects", []), 1)],
            unit="万元", lead="复评项目引言",
            total={"c2": table_amount(planned), "c3": table_amount(spent), "c4": table_rate(execution)})


def texts(d: Draft) -> None:
    d.text("综合评价得分", d.say("综合评价得分"))
    d.text("综合评价结论", [b for row in d.section("综合评价结论")
                          for b in d.flow(row, "内容", key=ident(row["标题"] or "内容"))], workbook=True)
    summaries = {r["标题"]: r for r in d.section("指标分析小结")}
    defaults = _default_places(d)
    blocks: list[dict] = []
    for group in d.scores.level1:
        blocks += _level1(d, group, summaries.get(group.name), defaults)
    d.text("指标分析", blocks, workbook=True)


def _default_places(d: Draft) -> dict[int, list[str]]:
    """Indicator number -> the tables placed after its analysis by default."""
    places: dict[int, list[str]] = {}
    for table, rules in PLACED_AFTER_RULE.items():
        for rule in rules:
            item = next((i for i in d.scores.indicators if i.indicator.rule == rule
                         or (i.indicator.spec is not None and rule in i.indicator.spec.figures)), None)
            if item:
                places.setdefault(item.indicator.number, []).append(table)
                break
    return places


def _level1(d: Draft, group: Group, summary, defaults: dict[int, list[str]]) -> list[dict]:
    name = ident(group.name)
    blocks = [heading(group.name, name),
              *d.say("一级指标得分", key=join(name, "一级指标得分"), 一级指标=group.name, 分值=amount(group.weight),
                     得分=amount(group.score), 得分率=rate(group.rate))]
    text = d.flow(summary, "内容", close=True, key=join(name, "小结")) if summary else []
    reference = d.phrase("二级指标得分引用", 一级指标=group.name)
    if text and text[-1]["kind"] == "p":
        text[-1]["text"] += reference
    elif reference:
        text.append(para(reference, join(name, "二级指标得分引用")))
    blocks += text + _placed(d, group_table(group))

    def item_blocks(item: IndicatorScore, title: str, depth: int) -> list[dict]:
        field = "分析" if item.indicator.text("分析") else "评分依据"
        placed = [b for table in defaults.get(item.indicator.number, []) for b in _placed(d, table)]
        key = ident(item.indicator.name)
        said = [para(note, join(key, "说明", n)) for n, note in enumerate(unsaid(item.indicator.text(field),
                                                                                 item.notes), 1)]
        return ([heading(title, key, depth)] + d.flow(item.indicator.record, field, close=True, key=join(key, field))
                + said + placed)

    if len(group.members) == 1:
        for item in group.members[0].members:
            blocks += item_blocks(item, item.indicator.name, 1)
        return blocks
    for sub in group.members:
        if len(sub.members) == 1:
            item = sub.members[0]
            title = sub.name if item.indicator.name == sub.name else d.phrase(
                "指标标题", 二级指标=sub.name, 三级指标=item.indicator.name)
            blocks += item_blocks(item, title, 1)
            continue
        blocks.append(heading(sub.name, join(name, ident(sub.name)), 1))
        for item in sub.members:
            blocks += item_blocks(item, item.indicator.name, 2)
    return blocks


def _placed(d: Draft, name: str) -> list[dict]:
    """A table at its default place (the template skips it when a [表:…] line moved it)."""
    table = d.tables.get(name)
    return [{"kind": "table", "table": table, "default": True}] if table else []
