"""Compose the report's content: every text, table and heading, as strings.

The result is the render context: plain dicts, lists and strings in document
order, numbers already formatted (perfreport.fmt). Workbook text is expanded
here: `{名称}` placeholders become figures, a line `[表:名称]` places a table,
`[表号:名称]` prints its number. Tables are numbered in the order they are
composed, which is the order the template lays them out.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from .contract import TEXT_SECTIONS
from .errors import Problem, error, warning
from .fmt import DASH, amount, circled, cn_count, cn_number, join_cn, rate, table_amount, table_rate
from .models import Checked, Group, IndicatorScore, Record, Scores

PLACEHOLDER = re.compile(r"(?<!\{)\{(?![{%#])([^{}\s]+)\}(?!\})")
TABLE_LINE = re.compile(r"^\s*[\[［【]\s*表\s*[:：]\s*(.+?)\s*[\]］】]\s*$")
TABLE_NUMBER = re.compile(r"[\[［【]\s*表号\s*[:：]\s*(.+?)\s*[\]］】]")
REF = "\x00"  # brackets a table reference until every table has its number
CLOSING = "。！？；：…"
CELL_BREAK = "\a"  # docxtpl: a new paragraph inside the same cell
PLACEABLE = {"工作组": "评价工作组", "预算执行进度": "预算执行进度", "政策梳理": "政策梳理", "复评项目": "复评项目"}  # -> sheet
STANDARD_SECTIONS = ("评价目的", "评价对象", "评价范围", "评价思路", "评价重点", "评价方法", "呈报函正文")
OPEN_SECTION = {"基本问题": "基本问题", "满意度问题": "满意度问题", "开放问题": "相关建议"}


def _paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def _closed(text: str) -> str:
    """Return text ending as a sentence does (an attachment cell may omit the full stop)."""
    return text if not text or text[-1] in CLOSING else text + "。"


def _para(text: str) -> dict:
    return {"kind": "p", "text": text}


def _heading(level: int, text: str) -> dict:
    return {"kind": f"h{level}", "text": text}


class Composer:
    """Builds the context; collects problems in workbook text as it goes."""

    def __init__(self, checked: Checked, scores: Scores, base: Path):
        self.checked, self.scores, self.base = checked, scores, base
        self.wb = checked.workbook
        self.problems: list[Problem] = []
        self.figures = {name: figure.prose() for name, figure in scores.figures.items()}
        self.numbers: dict[str, int] = {}  # table key -> 表N
        self.placed: set[str] = set()
        self.references: list[tuple[str, str]] = []  # [表号:名称] seen, with their cells
        self.texts = self._texts_by_section()

    # ---- workbook text -------------------------------------------------
    def _texts_by_section(self) -> dict[str, list[Record]]:
        sections: dict[str, list[Record]] = {name: [] for name in TEXT_SECTIONS}
        rows = sorted(self.wb.tables["文字"], key=lambda r: (r["序号"] is None, r["序号"] or 0, r.row))
        for row in rows:
            sections[row["章节"]].append(row)
        return sections

    def expand(self, text: str | None, record: Record, field: str) -> str:
        """Return text with placeholders replaced; unknown names are errors at the cell."""
        def figure(match: re.Match) -> str:
            name = match.group(1)
            if name not in self.figures:
                self.problems.append(error("unknown-placeholder", record.where(field),
                                           f"没有名为“{name}”的计算值：请核对占位符 {{{name}}}（可用名称见 README）"))
                return match.group(0)
            return self.figures[name]

        def number(match: re.Match) -> str:
            name = self._table_name(match.group(1), record, field)
            self.references.append((name, record.where(field)))
            return f"{REF}{name}{REF}"

        return TABLE_NUMBER.sub(number, PLACEHOLDER.sub(figure, text or ""))

    def _table_name(self, name: str, record: Record, field: str) -> str:
        if name not in self.TABLE_TITLES:
            self.problems.append(error("unknown-table", record.where(field),
                                       f"没有名为“{name}”的表：可用 {'、'.join(self.TABLE_TITLES)}"))
        return name

    def flow(self, record: Record, field: str, *, tables: bool = True, close: bool = False) -> list[dict]:
        """Return the blocks of a multi-line text cell: paragraphs and placed tables."""
        blocks: list[dict] = []
        for line in _paragraphs(record[field]):
            marker = TABLE_LINE.match(line)
            if marker:
                if tables:
                    blocks.append(self.place(marker.group(1), record, field))
                continue
            blocks.append(_para(self.expand(line, record, field)))
        paragraphs = [b for b in blocks if b["kind"] == "p"]
        if close and paragraphs:
            paragraphs[-1]["text"] = _closed(paragraphs[-1]["text"])
        return blocks

    def lines(self, record: Record, field: str) -> list[str]:
        """Return the paragraphs of a text cell, placeholders expanded, table lines dropped."""
        return [b["text"] for b in self.flow(record, field, tables=False)]

    def cell(self, record: Record, field: str) -> str:
        """Return a text cell for a table: paragraphs joined as paragraphs of one cell."""
        return CELL_BREAK.join(self.lines(record, field)) or DASH

    def place(self, name: str, record: Record, field: str) -> dict:
        """Return the block of a table placed by a `[表:名称]` line."""
        if name not in PLACEABLE:
            self.problems.append(error("unknown-table", record.where(field),
                                       f"“{name}”不能用 [表:…] 放置：可放置的表有 {'、'.join(PLACEABLE)}"))
            return _para("")
        if name in self.placed:
            self.problems.append(error("table-placed-twice", record.where(field), f"表“{name}”已放置过一次"))
            return _para("")
        self.placed.add(name)
        return getattr(self, f"table_{name}")()

    def section_flow(self, section: str, **kw) -> list[dict]:
        """Return the blocks of every 文字 row of a section, in 序号 order."""
        blocks = []
        for row in self.texts[section]:
            blocks += self.flow(row, "内容", **kw)
        return blocks

    # ---- tables --------------------------------------------------------
    TABLE_TITLES = {
        "固定资产": "固定资产明细表", "收入决算": "年度收入决算变动情况表", "支出决算": "年度支出决算变动情况表",
        "战略目标": "年度部门整体战略目标表", "年度目标": "年度整体绩效目标表", "得分情况": "部门整体绩效评价得分情况表",
        "工作组": "人员安排及分工情况表", "预算执行进度": "预算执行进度与序时进度对比表",
        "政策梳理": "政策梳理情况", "复评项目": "抽查项目绩效复评情况表",
    }

    def table(self, key: str, name: str, title: str, rows: list, *, unit: str = "", **extra) -> dict:
        """Return a numbered table block; its note comes from 文字 表注 when given."""
        number = len(self.numbers) + 1
        self.numbers[key] = number
        notes = [r for r in self.texts["表注"] if r["标题"] == key]
        default_note = extra.pop("note", "")
        note = "".join(self.lines(notes[0], "内容")) if notes else default_note
        return {"kind": "table", "name": name, "no": number, "caption": f"表{number}：{title}",
                "unit": f"单位：{unit}" if unit else "", "note": f"注：{note}" if note else "",
                "rows": rows, **extra}

    def table_工作组(self) -> dict:
        rows = [{"c0": r["姓名"] or "", "c1": r["职称职务"] or "", "c2": r["任务分工"] or ""}
                for r in self.wb.tables["评价工作组"]]
        return self.table("工作组", "工作组", self.TABLE_TITLES["工作组"], rows)

    def table_预算执行进度(self) -> dict:
        rows = [{"c0": f"{month}月", "c1": table_amount(spent), "c2": table_amount(year),
                 "c3": table_rate(progress), "c4": table_rate(schedule),
                 "c5": "是" if progress >= schedule else "否"}
                for month, spent, year, progress, schedule in self.scores.derived.get("months", [])]
        budget = self.wb.records["预决算"]
        note = "".join(self.lines(budget, "执行进度_注"))
        return self.table("预算执行进度", "预算执行进度", self.TABLE_TITLES["预算执行进度"], rows,
                          unit="元", note=note)

    def table_政策梳理(self) -> dict:
        info = self.wb.records["基本信息"]
        heads = [info["省级简称"] or "省级", info["市级简称"] or "市级", info["本级简称"] or "本级"]
        rows = [{"c0": r["序号"] or str(i), "c1": r["省级"] or DASH, "c2": r["市级"] or DASH,
                 "c3": r["本级"] or DASH, "c4": r["结论"] or DASH}
                for i, r in enumerate(self.wb.tables["政策梳理"], 1)]
        return self.table("政策梳理", "政策梳理", self.TABLE_TITLES["政策梳理"], rows, heads=heads)

    def table_复评项目(self) -> dict:
        rows = [{"c0": p["序号"] or str(i), "c1": p["项目名称"], "c2": table_amount(p["预算"]),
                 "c3": table_amount(p["执行"]), "c4": table_rate(execution),
                 "c5": table_amount(p["自评得分"]), "c6": table_amount(p["复核得分"]),
                 "c7": CELL_BREAK.join(_paragraphs(p["存在问题"])) or DASH}
                for i, (p, execution) in enumerate(self.scores.derived.get("projects", []), 1)]
        planned, spent, execution = self.scores.derived.get("project_totals", (None, None, None))
        total = {"c2": table_amount(planned), "c3": table_amount(spent), "c4": table_rate(execution)}
        return self.table("复评项目", "复评项目", self.TABLE_TITLES["复评项目"], rows, unit="万元",
                          total=total, note=f"等级划分为{self.band_count}档：{self.bands_text}")

    # ---- shared phrases ------------------------------------------------
    @property
    def bands_text(self) -> str:
        bands = list(self.checked.bands)
        parts, upper = [], "100"
        for name, bound in bands:
            parts.append(f"{amount(bound)}（含）—{upper}分为“{name}”")
            upper = amount(bound)
        parts.append(f"{upper}分以下为“差”")
        return "、".join(parts)

    @property
    def band_count(self) -> str:
        return cn_count(len(self.checked.bands) + 1)

    def _score_row(self, group: Group) -> dict:
        return {"name": group.name, "weight": table_amount(group.weight),
                "score": table_amount(group.score), "rate": table_rate(group.rate)}

    @property
    def total_row(self) -> dict:
        s = self.scores
        return {"weight": table_amount(sum((g.weight for g in s.level1), Decimal(0))),
                "score": table_amount(s.total), "rate": table_rate(s.total / 100)}

    # ---- chapters ------------------------------------------------------
    def cover(self) -> dict:
        info = self.wb.records["基本信息"]
        return {"agency": info["评价机构"], "lead": info["项目主评人"] or "", "date": str(info["报告日期"])}

    def chapter1(self) -> dict:
        """Return chapter 一, composing its parts in document order (tables number as they come)."""
        f, year = self.figures, self.year
        budget = self.wb.records["预决算"]
        org = self.flow(self.wb.records["部门概况"], "组织架构及主要职能")
        staff = (f"核定编制{f['编制总数']}名，其中行政{f['编制_行政']}名，事业{f['编制_事业']}名，"
                 f"截至{year}年底，实际在职{f['实有总数']}名，其中行政{f['实有_行政']}名，事业{f['实有_事业']}名。")
        t_assets = self._assets_table()
        assets = [
            f"截至{year}年12月31日，总资产{f['总资产']}万元，其中流动资产{f['流动资产']}万元，"
            f"占资产总额{f.get('流动资产占比', DASH)}；非流动资产{f['非流动资产']}万元，"
            f"占资产总额{f.get('非流动资产占比', DASH)}。",
            f"固定资产原值{f['固定资产原值']}万元，累计折旧{f['累计折旧']}万元，净值{f['固定资产净值']}万元。"
            f"无形资产原值{f['无形资产原值']}万元，累计摊销{f['累计摊销']}万元，净值{f['无形资产净值']}万元。"
            f"固定资产明细见表{t_assets['no']}。",
        ]
        t_income = self._history_table("收入")
        income_text = self.flow(budget, "收入变动说明")
        t_spending = self._history_table("支出")
        spending_text = self.flow(budget, "支出变动说明")
        strategy = self.lines(self.wb.records["基本信息"], "部门战略目标")
        t_strategy = self._strategy_table()
        if strategy:
            strategy[-1] = _closed(strategy[-1]) + f"战略目标见表{t_strategy['no']}。"
        t_goals = self._goals_table()
        work = self.texts["年度工作完成情况"]
        return {
            "org": org, "staff": staff, "assets": assets, "t_assets": t_assets,
            "income": self._income_sentence(t_income["no"]), "t_income": t_income, "income_text": income_text,
            "spending": self._spending_sentence(t_spending["no"]), "t_spending": t_spending,
            "spending_text": spending_text, "strategy": strategy, "t_strategy": t_strategy,
            "goals_intro": f"部门围绕“{'、'.join(self.duties)}”等核心职能，设置了年度整体绩效目标，"
                           f"详见表{t_goals['no']}。",
            "t_goals": t_goals,
            "work_intro": [b for r in work if not r["标题"] for b in self.flow(r, "内容")],
            "work_items": [{"heading": f"{i}.{self.expand(r['标题'], r, '标题')}", "body": self.flow(r, "内容")}
                           for i, r in enumerate((r for r in work if r["标题"]), 1)],
        }

    @property
    def year(self) -> str:
        return self.figures["评价年度"]

    @property
    def annual_goals(self) -> list:
        """The 目标对比 rows of the 年度整体绩效目标表 (列入年度目标表 not 否)."""
        return [g for g in self.checked.goals if g.record["列入年度目标表"] != "否"]

    @property
    def duties(self) -> list[str]:
        seen: list[str] = []
        for goal in self.checked.goals:
            duty = goal.record["部门职责"]
            if duty and duty not in seen:
                seen.append(duty)
        return seen

    def _income_sentence(self, number: int) -> str:
        f = self.figures
        sources = "，".join(f"{r['项目']}{amount(r['金额'])}万元" for r in self.wb.tables["收入构成"])
        changes = [f"核减预算{f['调减']}万元"] if self.scores.figures["调减"].value else []
        if self.scores.figures["调增_转移支付"].value:
            changes.append(f"增加上级转移支付收入{f['调增_转移支付']}万元")
        if self.scores.figures["调增_其他"].value:
            changes.append(f"增加其他收入{f['调增_其他']}万元")
        detail = f"（其中{'，'.join(changes)}）" if changes else ""
        return (f"年初收入预算批复{f['年初预算']}万元" + (f"，其中{sources}" if sources else "")
                + f"；年中调整收入预算{f['调整预算']}万元{detail}，调整后收入预算为{f['调整后预算']}万元；"
                f"决算{f['决算支出']}万元。{self.years_phrase}变动情况见表{number}。")

    @property
    def years_phrase(self) -> str:
        """`近三年` for the years 收支决算 covers."""
        years = len(self.wb.tables["收支决算"])
        return f"近{cn_count(years)}年" if years > 1 else f"{self.year}年"

    def _spending_sentence(self, number: int) -> str:
        f = self.figures
        changes = []
        if self.scores.figures["调增预算"].value:
            changes.append(f"调增预算{f['调增预算']}万元")
        if self.scores.figures["调减"].value:
            changes.append(f"调减预算{f['调减']}万元")
        detail = f"（{'，'.join(changes)}）" if changes else ""
        return (f"年初支出预算批复{f['年初预算']}万元，其中基本支出{f['年初_基本支出']}万元，"
                f"项目支出{f['年初_项目支出']}万元；年中调整支出预算{f['调整预算']}万元{detail}，"
                f"调整后支出预算为{f['调整后预算']}万元；决算{f['决算支出']}万元。{self.years_phrase}变动情况见表{number}。")

    def _assets_table(self) -> dict:
        rows = [{"c0": r["序号"] or str(i), "c1": r["资产名称"], "c2": table_amount(o), "c3": table_amount(d),
                 "c4": table_amount(n)}
                for i, (r, o, d, n) in enumerate(self.scores.derived["assets"], 1)]
        original, depreciation = self.scores.derived["asset_totals"]
        total = {"c2": table_amount(original), "c3": table_amount(depreciation),
                 "c4": table_amount(original - depreciation)}
        return self.table("固定资产", "固定资产", self.TABLE_TITLES["固定资产"], rows, unit="万元", total=total)

    def _history_table(self, side: str) -> dict:
        lines = self.scores.derived["history"][side]
        years = [str(row["年度"]) for row, *_ in lines]
        span = f"{years[0]}-{years[-1]}" if years else self.year
        rows = [{"year": str(row["年度"]), "cells": [table_amount(v) for v in values],
                 "total": table_amount(total), "growth": table_rate(growth)}
                for row, values, total, growth in lines]
        key = f"{side}决算"
        return self.table(key, key, span + self.TABLE_TITLES[key], rows, unit="万元")

    def _strategy_table(self) -> dict:
        rows = [{"c0": r["序号"] or str(i), "c1": r["指标名称"], "c2": r["指标解释"] or DASH,
                 "c3": (r["年度指标值"] or DASH).replace("\n", CELL_BREAK)}
                for i, r in enumerate(self.wb.tables["战略目标"], 1)]
        return self.table("战略目标", "战略目标", self.year + self.TABLE_TITLES["战略目标"], rows)

    def _goals_table(self) -> dict:
        rows = [{"c0": str(g.record["职责序号"] or ""), "c1": g.record["部门职责"], "c2": g.record["职责"] or "",
                 "c3": g.record["职责目标"] or "", "c4": g.record["绩效指标"],
                 "c5": (g.record["目标值"] or "").replace("\n", CELL_BREAK)}
                for g in self.annual_goals]
        return self.table("年度目标", "年度目标", self.year + self.TABLE_TITLES["年度目标"], rows)

    def chapter2(self) -> dict:
        framework = self.scores.level1
        stages = self.wb.tables["实施安排"]
        names = [re.sub("阶段$", "", s["阶段"]) for s in stages]
        blocks = []
        for i, stage in enumerate(stages, 1):
            when = f"（{stage['起止时间']}）" if stage["起止时间"] else ""
            blocks.append({"heading": f"（{i}）{stage['阶段']}{when}", "body": self.flow(stage, "工作内容")})
        return {
            "level1": [{"name": g.name, "weight": amount(g.weight)} for g in framework],
            "level1_list": "、".join(g.name for g in framework),
            "level1_and": join_cn([g.name for g in framework]),
            "level1_count": str(len(framework)), "level1_count_cn": cn_count(len(framework)) if framework else "",
            "level2_count": str(sum(len(g.members) for g in framework)),
            "level3_count": str(len(self.scores.indicators)),
            "weights": "，".join(f"{g.name}{amount(g.weight)}分" for g in framework),
            "total_weight": amount(sum((g.weight for g in framework), Decimal(0))),
            "bands": self.bands_text, "band_count": self.band_count,
            "stages_intro": f"本次绩效评价包括{'、'.join(names)}{cn_count(len(names)) if names else ''}个阶段。"
                            "具体工作安排如下：",
            "stages": blocks,
        }

    def chapter3(self) -> dict:
        s = self.scores
        t_scores = self.table("得分情况", "得分情况", self.TABLE_TITLES["得分情况"],
                              [self._score_row(g) for g in s.level1], total=self.total_row, grade=s.grade)
        conclusion = (f"{self.year}年度{self.figures['单位简称']}部门整体绩效评价得分{amount(s.total)}分，"
                      f"综合绩效级别为“{s.grade}”。得分情况见表{t_scores['no']}。")
        analysis: list[dict] = []
        summaries = {r["标题"]: r for r in self.texts["指标分析小结"]}
        for i, group in enumerate(s.level1, 1):
            analysis += self._analyse_level1(i, group, summaries.get(group.name))
        return {"conclusion": conclusion, "extra": self.section_flow("综合评价结论"),
                "t_scores": t_scores, "analysis": analysis}

    def _analyse_level1(self, i: int, group: Group, summary: Record | None) -> list[dict]:
        blocks = [_heading(3, f"{i}.{group.name}"),
                  _para(f"该指标分值{amount(group.weight)}分，评价得分{amount(group.score)}分，得分率{rate(group.rate)}。")]
        table = self.table(f"二级得分_{group.name}", "二级得分", f"{group.name}指标得分情况表",
                           [self._score_row(g) for g in group.members], total=self._subtotal(group))
        text = self.flow(summary, "内容", close=True) if summary else []
        reference = f"二级指标得分情况见表{table['no']}。"
        if text and text[-1]["kind"] == "p":
            text[-1]["text"] += reference
        else:
            text.append(_para(reference))
        blocks += text + [table]
        if len(group.members) == 1:
            for k, item in enumerate(group.members[0].members, 1):
                blocks += [_heading(4, f"（{k}）{item.indicator.name}")] + self._indicator_text(item)
            return blocks
        for k, sub in enumerate(group.members, 1):
            if len(sub.members) == 1:
                item = sub.members[0]
                title = sub.name if item.indicator.name == sub.name else f"{sub.name}——{item.indicator.name}"
                blocks += [_heading(4, f"（{k}）{title}")] + self._indicator_text(item)
                continue
            blocks.append(_heading(4, f"（{k}）{sub.name}"))
            for j, item in enumerate(sub.members, 1):
                blocks += [_heading(5, f"{circled(j)}{item.indicator.name}")] + self._indicator_text(item)
        return blocks

    def _subtotal(self, group: Group) -> dict:
        return {"weight": table_amount(group.weight), "score": table_amount(group.score),
                "rate": table_rate(group.rate)}

    def _indicator_text(self, item: IndicatorScore) -> list[dict]:
        field = "分析" if item.indicator.text("分析") else "评分依据"
        return self.flow(item.indicator.record, field, close=True)

    def sections(self, name: str) -> list[dict]:
        """Return chapter 四/五/六 sub-sections: heading `（一）title` and its paragraphs."""
        return [{"title": self.expand(r["标题"], r, "标题"), "number": cn_number(i),
                 "body": self.flow(r, "内容")}
                for i, r in enumerate(self.texts[name], 1)]

    # ---- overview and attachments --------------------------------------
    def overview(self, achievements: list, issues: list, advice: list) -> dict:
        f = self.figures
        info = self.wb.records["基本信息"]
        goals: dict[tuple, list[str]] = {}
        for g in self.annual_goals:
            key = (g.record["职责序号"], g.record["部门职责"])
            goals.setdefault(key, []).append(f"{g.record['绩效指标']}{(g.record['目标值'] or '').replace(chr(10), '')}")
        goal_lines = [f"{no or i}.{duty}：{'、'.join(items)}" for i, ((no, duty), items) in enumerate(goals.items(), 1)]
        goal_lines = [line + ("；" if i < len(goal_lines) else "。") for i, line in enumerate(goal_lines, 1)]

        def text_only(sections: list) -> list:
            return [dict(s, body=[b for b in s["body"] if b["kind"] == "p"]) for s in sections]

        return {
            "authority": info["主管部门"] or info["被评价单位"], "implementer": info["实施单位"] or info["被评价单位"],
            "budget": table_amount(self.scores.figures["年初预算"].value),
            "adjusted": table_amount(self.scores.figures["调整后预算"].value),
            "spent": table_amount(self.scores.figures["决算支出"].value),
            "rate": table_rate(self.scores.figures["预算执行率"].value) if "预算执行率" in f else DASH,
            "strategy": self.lines(info, "部门战略目标"), "goals": goal_lines,
            "achievements": text_only(achievements), "issues": text_only(issues), "advice": text_only(advice),
            "scores": [self._score_row(g) for g in self.scores.level1], "total": self.total_row,
        }

    def attachment1(self) -> list[dict]:
        rows = []
        for group in self.scores.level1:
            for sub in group.members:
                for item in sub.members:
                    ind = item.indicator
                    rows.append({"c0": group.name, "c1": table_amount(group.weight), "c2": sub.name,
                                 "c3": table_amount(sub.weight), "c4": ind.label, "c5": table_amount(ind.weight),
                                 "c6": CELL_BREAK.join(_paragraphs(ind.text("指标解释"))) or DASH,
                                 "c7": CELL_BREAK.join(_paragraphs(ind.text("评价标准"))) or DASH})
        return rows

    def attachment2(self) -> dict:
        rows = []
        for group in self.scores.level1:
            for sub in group.members:
                for item in sub.members:
                    ind = item.indicator
                    rows.append({"c0": group.name, "c1": sub.name, "c2": ind.label, "c3": table_amount(ind.weight),
                                 "c4": table_amount(item.score), "c5": table_rate(item.rate),
                                 "c6": self.cell(ind.record, "评分依据"),
                                 "c7": CELL_BREAK.join(_paragraphs(ind.text("依据来源"))) or DASH})
        return {"rows": rows, "total": self.total_row, "grade": self.scores.grade}

    def attachment3(self) -> list[dict]:
        rows = []
        for g in self.checked.goals:
            r = g.record
            rows.append({"c0": str(r["职责序号"] or ""), "c1": r["部门职责"], "c2": r["职责"] or "",
                         "c3": r["职责目标"] or "", "c4": r["绩效指标"],
                         "c5": (r["目标值"] or DASH).replace("\n", CELL_BREAK),
                         "c6": (r["实际完成值"] or DASH).replace("\n", CELL_BREAK),
                         "c7": (r["数据来源"] or (r["不考核原因"] if not g.assessed else "") or DASH),
                         "c8": r["存在问题"] or (r["不考核原因"] if not g.assessed else "") or DASH})
        return rows

    def attachment4(self) -> dict:
        satisfaction = self.scores.derived.get("satisfaction", {})
        sections: list[dict] = []
        for q in self.checked.questions:
            if not sections or sections[-1]["kind"] != q.kind:
                sections.append({"kind": q.kind, "title": "", "rows": []})
            title = f"{q.number}.{q.title}"
            if q.kind == "开放问题":
                rows = [{"c0": title, "c1": "", "c2": "", "c3": "", "c4": DASH, "c5": ""}]
                rows += [{"c0": o.text, "c1": "", "c2": "", "c3": "", "c4": DASH, "c5": ""} for o in q.options]
            else:
                level = table_rate(satisfaction.get(q.number)) if q.kind == "满意度问题" else q.kind
                rows = [{"c0": title, "c1": o.text, "c2": str(o.count if o.count is not None else ""),
                         "c3": table_rate(Decimal(o.count or 0) / q.sample) if q.sample else DASH,
                         "c4": str(q.sample), "c5": level} for o in q.options]
            sections[-1]["rows"] += rows
        for i, section in enumerate(sections, 1):
            section["title"] = f"{cn_number(i)}、{OPEN_SECTION[section['kind']]}"
        name = next((i.indicator.name for i in self.scores.indicators if i.indicator.rule == "满意度"), "")
        return {"sections": sections, "subtitle": f"（{name}）" if name else ""}

    def attachment5(self) -> list[dict]:
        short = self.figures["单位简称"]
        rows = []
        for group in self.scores.level1:
            items = [i for sub in group.members for i in sub.members if i.indicator.text("问题描述")]
            for k, item in enumerate(items, 1):
                rows.append({"c0": f"{group.name}存在的问题", "c1": str(k), "c2": short,
                             "c3": self.cell(item.indicator.record, "问题描述")})
        return rows

    def letter(self) -> dict:
        info = self.wb.records["基本信息"]
        path = self.checked.qr_image  # validate checked it: inside the allowed folder, small, decodable
        return {
            "number": info["呈报文号"] or "", "to": info["呈报对象"] or info["委托单位简称"] or info["委托单位"],
            "contact": info["联系人"] or "", "phone": info["联系电话"] or "",
            "qr": str(path) if path else "", "date": str(info["呈报日期"] or info["报告日期"]),
        }

    def standard_texts(self) -> dict[str, list[dict]]:
        """Return 文字 rows replacing the template's standard wording, by section (empty: keep it)."""
        return {name: self.section_flow(name) for name in STANDARD_SECTIONS}

    def check_references(self) -> None:
        for name, where in self.references:
            if name not in self.numbers:
                self.problems.append(error("unknown-table", where,
                                           f"引用了表“{name}”的表号，但该表没有出现在报告中：请用 [表:{name}] 放置它"))

    def check_unplaced(self) -> None:
        for name, sheet in PLACEABLE.items():
            if name not in self.placed and self.wb.tables[sheet]:
                self.problems.append(warning("table-not-placed", sheet,
                                             f"“{sheet}”有数据，但正文中没有 [表:{name}] 标记，报告中不会出现该表"))


def _resolve_references(value: Any, numbers: dict[str, int]) -> Any:
    """Replace table references in every string of the context with 表N."""
    if isinstance(value, str):
        if REF not in value:
            return value
        return re.sub(f"{REF}(.*?){REF}", lambda m: f"表{numbers.get(m.group(1), '')}", value)
    if isinstance(value, list):
        return [_resolve_references(v, numbers) for v in value]
    if isinstance(value, dict):
        return {k: _resolve_references(v, numbers) for k, v in value.items()}
    return value


def compose(checked: Checked, scores: Scores, base: Path = Path(".")) -> tuple[dict, list[Problem]]:
    """Return the render context of the report and the problems found in workbook text."""
    c = Composer(checked, scores, base)
    info = checked.workbook.records["基本信息"]
    unit = info["被评价单位"]
    title = f"{unit}{c.year}年度部门整体绩效评价报告"
    body = {"ch1": c.chapter1(), "ch2": c.chapter2(), "ch3": c.chapter3()}
    achievements, issues, advice = c.sections("主要绩效"), c.sections("存在的问题"), c.sections("相关建议")
    context = {
        "title": title, "unit": unit, "short": c.figures["单位简称"], "year": c.year,
        "report_date": (info["报告日期"].year, info["报告日期"].month, info["报告日期"].day),
        "agency": info["评价机构"], "agency_short": info["评价机构简称"] or "评价机构",
        "f": c.figures, "cover": c.cover(), **body,
        "ch4": achievements, "ch5": issues, "ch6": advice,
        "overview": c.overview(achievements, issues, advice),
        "texts": c.standard_texts(),
        "attachments": [f"{unit}{c.year}年度部门整体绩效评价指标体系", f"{unit}{c.year}年度部门整体绩效评价得分表",
                        f"{unit}{c.year}年度部门整体目标完成情况对比表",
                        f"{unit}{c.year}年度部门整体绩效评价问卷调查分析表",
                        f"{unit}{c.year}年度部门整体绩效评价问题清单"],
        "att1": c.attachment1(), "att2": c.attachment2(), "att3": c.attachment3(),
        "att4": c.attachment4(), "att5": c.attachment5(), "letter": c.letter(),
    }
    c.check_references()
    c.check_unplaced()
    context = _resolve_references(context, c.numbers)
    return context, c.problems
