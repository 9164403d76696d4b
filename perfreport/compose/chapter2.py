"""Chapter 二, 绩效评价工作开展情况: purpose, approach, framework, grading, organisation and method."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.resources import files

from .draft import Draft, heading
from .keys import ident


def tables(d: Draft) -> None:
    d.table("工作组", [{"key": r["姓名"], "c0": r["姓名"] or "", "c1": r["职称职务"] or "", "c2": r["任务分工"] or ""}
                    for r in d.wb.tables["评价工作组"]], lead="工作组引言")


@lru_cache(maxsize=1)
def standard_focus() -> dict[str, str]:
    """The standard framework's 考察重点 by 一级指标 (perfreport/framework.json)."""
    return json.loads((files("perfreport") / "framework.json").read_text(encoding="utf-8")).get("考察重点", {})


def texts(d: Draft) -> None:
    for name in ("评价目的", "评价对象", "评价范围", "评价思路"):
        d.text(name, d.say(name))
    focus = standard_focus()
    d.text("评价重点", d.say_each("评价重点", [
        {"序号": i, "一级指标": g.name,
         "考察重点": focus.get(g.name) or d.phrase("考察重点_通用", 一级指标=g.name)}
        for i, g in enumerate(d.scores.level1, 1)], by="一级指标"))
    d.text("评价指标体系", d.say("评价指标体系"))
    d.text("评价标准", d.say("评价标准"))
    d.text("实施安排引言", d.say("实施安排引言"))
    blocks = []
    for stage in d.wb.tables["实施安排"]:
        title = d.phrase("阶段标题", 阶段=stage["阶段"], 起止时间=stage["起止时间"] or "")
        name = ident(stage["阶段"])
        blocks += [heading(title, name)] + d.flow(stage, "工作内容", sections=True, key=name)
    d.text("实施安排", blocks, workbook=True)
    d.text("评价方法", d.say("评价方法"))


def stage_names(d: Draft) -> list[str]:
    """The stages of 实施安排 without the word 阶段: 前期准备、评价实施 …"""
    return [re.sub("阶段$", "", s["阶段"]) for s in d.wb.tables["实施安排"]]
