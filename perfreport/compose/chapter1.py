"""Chapter 一, 部门基本情况: the department, its people and assets, budget, goals and the year's work."""
from __future__ import annotations

from ..fmt import DASH, amount, table_amount, table_rate
from .draft import CELL_BREAK, Draft, closed, heading
from .keys import ident


def tables(d: Draft) -> None:
    """固定资产, 收入决算, 支出决算, 战略目标, 年度目标 and 政策梳理."""
    rows = [{"key": r["资产名称"], "c0": r["序号"] or str(i), "c1": r["资产名称"], "c2": table_amount(o),
             "c3": table_amount(dep), "c4": table_amount(n)}
            for i, (r, o, dep, n) in enumerate(d.scores.derived["assets"], 1)]
    original, depreciation = d.scores.derived["asset_totals"]
    d.table("固定资产", rows, unit="万元", total={"c2": table_amount(original), "c3": table_amount(depreciation),
                                             "c4": table_amount(original - depreciation)})
    for side in ("收入", "支出"):
        lines = d.scores.derived["history"][side]
        d.table(f"{side}决算", [{"key": row["年度"], "year": str(row["年度"]),
                               "cells": [table_amount(v) for v in values],
                               "total": table_amount(total), "growth": table_rate(growth)}
                              for row, values, total, growth in lines], unit="万元")
    d.table("战略目标", [{"key": r["指标名称"], "c0": r["序号"] or str(i), "c1": r["指标名称"],
                      "c2": r["指标解释"] or DASH, "c3": (r["年度指标值"] or DASH).replace("\n", CELL_BREAK)}
                     for i, r in enumerate(d.wb.tables["战略目标"], 1)])
    d.table("年度目标", [{"key": g.record["绩效指标"], "c0": str(g.record["职责序号"] or ""),
                      "c1": g.record["部门职责"], "c2": g.record["职责"] or "", "c3": g.record["职责目标"] or "",
                      "c4": g.record["绩效指标"], "c5": (g.record["目标值"] or "").replace("\n", CELL_BREAK)}
                     for g in annual_goals(d)])
    info = d.wb.records["基本信息"]
    d.table("政策梳理", [{"key": r["省级"] or r["市级"] or r["本级"] or r["序号"], "c0": r["序号"] or str(i),
                      "c1": r["省级"] or DASH, "c2": r["市级"] or DASH,
                      "c3": r["本级"] or DASH, "c4": r["结论"] or DASH}
                     for i, r in enumerate(d.wb.tables["政策梳理"], 1)],
            heads=[info["省级简称"] or "省级", info["市级简称"] or "市级", info["本级简称"] or "本级"],
            lead="政策梳理引言")


def annual_goals(d: Draft) -> list:
    """The 目标对比 rows of the 年度整体绩效目标表 (列入年度目标表 not 否)."""
    return [g for g in d.checked.goals if g.record["列入年度目标表"] != "否"]


def texts(d: Draft) -> None:
    profile, budget, info = (d.wb.records[s] for s in ("部门概况", "预决算", "基本信息"))
    d.text("组织架构及主要职能", d.flow(profile, "组织架构及主要职能"), workbook=True)
    d.text("人员构成", d.say("人员构成"))
    d.text("资产情况", d.say("资产情况", **{k: DASH for k in ("流动资产占比", "非流动资产占比") if k not in d.names}))
    d.text("收入预决算", d.say("收入预决算", 收入来源=_income_sources(d), 收入决算=_income_outturn(d),
                                  收入调整明细=_changes(d, (("调减", "收入调减"), ("调增_转移支付", "收入调增_转移支付"),
                                                      ("调增_其他", "收入调增_其他")))))
    d.text("收入变动说明", d.flow(budget, "收入变动说明"), workbook=True)
    d.text("支出预决算", d.say("支出预决算", 支出调整明细=_changes(d, (("调增预算", "支出调增"), ("调减", "支出调减")))))
    d.text("支出变动说明", d.flow(budget, "支出变动说明"), workbook=True)
    strategy = d.flow(info, "部门战略目标")
    texts_only = [b for b in strategy if b["kind"] == "p"]
    if texts_only:
        texts_only[-1]["text"] = closed(texts_only[-1]["text"]) + d.phrase("战略目标引用")
    d.text("部门战略目标", strategy, workbook=True)
    d.text("年度目标引言", d.say("年度目标引言"))
    work = d.section("年度工作完成情况")
    blocks = [b for row in work if not row["标题"] for b in d.flow(row, "内容", key="引言")]
    for row in (r for r in work if r["标题"]):
        title = ident(row["标题"])
        blocks += [heading(d.expand(row["标题"], row.where("标题")), title)] + d.flow(row, "内容", sections=True,
                                                                                     key=title)
    d.text("年度工作完成情况", blocks, workbook=True)


def _income_sources(d: Draft) -> str:
    return "，".join(d.phrase("收入来源", 项目=r["项目"], 金额=amount(r["金额"])) for r in d.wb.tables["收入构成"])


def _income_outturn(d: Draft) -> str:
    """收支决算's 评价年度 income total, as 表2 prints it ("" when 收支决算 has no row for that year).

    The income sentence states income: 决算支出 is the expenditure outturn.
    """
    return d.names.get(f"收入合计_{d.names['评价年度']}", "")


def _changes(d: Draft, parts: tuple[tuple[str, str], ...]) -> str:
    """The adjustments that are not 0, each in its wording, joined with “，”."""
    return "，".join(d.phrase(wording) for figure, wording in parts if d.scores.figures[figure].value)
