"""Immutable data passed between the stages.

load -> `Workbook` (typed cells with their places) -> validate -> `Checked`
(the framework, goals and survey as structures) -> score -> `Scores` ->
compose -> the render context. Nothing here reads files or formats numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from .contract import SHEETS
from .errors import Problem, Severity
from .fmt import Figure


_BLANK = object()


@dataclass(frozen=True)
class Record:
    """One row of a table sheet, or all fields of a key-value sheet."""

    sheet: str
    values: Mapping[str, Any]
    cells: Mapping[str, str] = field(default_factory=dict)  # field -> "E7"
    row: int = 0  # Excel row of a table row; 0 for a key-value sheet

    def __getitem__(self, name: str) -> Any:
        """Return the typed value of `name`, None when the cell is blank.

        A name the contract does not declare for this sheet raises KeyError at
        once: a misspelt field would otherwise read as a blank cell.
        """
        value = self.values.get(name, _BLANK)
        if value is _BLANK:  # a blank cell, or a name that is no field at all
            if name not in FIELDS[self.sheet]:
                raise KeyError(f"“{self.sheet}”没有字段“{name}”（contract.py 未声明）")
            return None
        return value

    def where(self, name: str) -> str:
        """Return `sheet!cell` of field `name`, or the sheet when it has no cell."""
        cell = self.cells.get(name)
        return f"{self.sheet}!{cell}" if cell else self.sheet


@dataclass(frozen=True)
class Workbook:
    """Everything the workbook holds, typed, with each value's place."""

    source: str
    records: Mapping[str, Record]  # key-value sheets
    tables: Mapping[str, tuple[Record, ...]]  # table sheets

    def info(self, name: str) -> Any:
        """Return a field of a key-value sheet by name, None when blank."""
        sheet = KEY_VALUE_FIELDS[name]  # a KeyError here is a programming error
        return self.records[sheet][name]


FIELDS = {s.name: frozenset(f.name for f in s.fields) for s in SHEETS}
KEY_VALUE_FIELDS = {f.name: s.name for s in SHEETS if s.key_value for f in s.fields}
INDICATOR_LABEL = re.compile(r"^\s*[(（]\s*(\d+)\s*[)）]\s*(.+?)\s*$")


@dataclass(frozen=True)
class Indicator:
    """A 三级 indicator of the framework, one 指标体系 row."""

    number: int
    name: str
    level1: str
    level2: str
    weight: Decimal
    rule: str
    entered: Decimal | None
    record: Record
    spec: Any = None  # rules.Spec: the parameters in effect; None for 手工

    @property
    def id(self) -> str:
        return f"({self.number})"

    @property
    def label(self) -> str:
        return f"({self.number}) {self.name}"

    def text(self, name: str) -> str:
        """Return a text column (评分依据, 分析 …), empty when blank."""
        return self.record[name] or ""


@dataclass(frozen=True)
class Goal:
    """A 目标对比 row, with its computable parts (target, actual, direction)."""

    record: Record
    indicator: int | None
    parts: tuple[tuple[Decimal, Decimal, str], ...]
    assessed: bool


@dataclass(frozen=True)
class Option:
    """One option of a 问卷 question: its text, 人数, weight and row."""

    text: str
    count: int | None
    weight: Decimal | None
    record: Record


@dataclass(frozen=True)
class Question:
    """One 问卷 question with its options, as the survey sheet lists it."""

    number: int
    title: str
    kind: str  # 基本问题 | 满意度问题 | 开放问题
    options: tuple[Option, ...]
    sample: int
    printed: Decimal | None  # 单项满意度 typed in the workbook
    record: Record  # the first row, for locations
    group: str = ""  # 问题组: the respondents' group, for an indicator scored on it


@dataclass(frozen=True)
class Checked:
    """A workbook that passed validation, with its structures built."""

    workbook: Workbook
    indicators: tuple[Indicator, ...]
    goals: tuple[Goal, ...]
    questions: tuple[Question, ...]
    bands: Any  # rules.Bands: the grades of the total and of 复评项目
    level1_bands: Any = None  # rules.Bands for each 一级's 得分率 × 100, when 一级等级标准 is given
    qr_image: Path | None = None  # 基本信息 二维码图片, checked and resolved
    framework_totals: tuple[Record, ...] = ()  # 合计 rows typed in 指标体系: their 得分 is compared once scored


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator's score: the one printed, the rule's, the figures it read and how it came about."""

    indicator: Indicator
    score: Decimal  # rounded, the one printed and summed
    rule_score: Decimal | None  # rounded rule value; None for 手工
    figures: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # said in the 评分依据 (e.g. 所列目标均不予考核，按满分计)
    explanation: Any = None  # rules.explain.Explanation: how the score came about
    standard: str = ""  # the 评价标准 generated from the parameters, printed when the cell is blank

    @property
    def rate(self) -> Decimal:
        return self.score / self.indicator.weight if self.indicator.weight else Decimal(0)


@dataclass(frozen=True)
class Group:
    """A 一级 or 二级 indicator: its name, summed weight and score, members."""

    name: str
    weight: Decimal
    score: Decimal
    members: tuple[Any, ...]  # Groups (一级) or IndicatorScores (二级)

    @property
    def rate(self) -> Decimal:
        return self.score / self.weight if self.weight else Decimal(0)


@dataclass(frozen=True)
class Scores:
    """Every indicator's score, the 一级 groups, the total and grade, and the figures the report prints."""

    indicators: tuple[IndicatorScore, ...]
    level1: tuple[Group, ...]
    total: Decimal
    grade: str
    figures: Mapping[str, Figure]
    derived: Mapping[str, Any]  # per-row values tables print (completion rates, 单项满意度 …)
    level1_grades: Mapping[str, str] = field(default_factory=dict)  # 一级 name -> grade, with 一级等级标准


@dataclass
class Result:
    """What checking (and building) one workbook produced."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    scores: Scores | None = None
    output: str | None = None  # the report written
    pdf: str | None = None  # its PDF, when --pdf was asked and LibreOffice made it
    skipped: list[str] = field(default_factory=list)  # checks that could not run, each with why

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def hints(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.HINT]

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self, explain: bool = False) -> dict[str, Any]:
        """Return the result as `check --json` prints it: scores as 2-decimal strings, figures in prose.

        With `explain`, each indicator also carries `explain`: how its score came about.
        """
        out: dict[str, Any] = {
            "source": self.source,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
            "hints": [p.as_dict() for p in self.hints],
            "skipped": list(self.skipped),
        }
        if self.scores is not None:
            s = self.scores
            out["indicators"] = [
                {"id": i.indicator.id, "name": i.indicator.name, "weight": f"{i.indicator.weight:.2f}",
                 "rule": i.indicator.rule, "score": f"{i.score:.2f}",
                 "rule_score": None if i.rule_score is None else f"{i.rule_score:.2f}",
                 **({"explain": i.explanation.as_dict()} if explain and i.explanation else {})}
                for i in s.indicators]
            out["total"] = f"{s.total:.2f}"
            out["grade"] = s.grade
            if s.level1_grades:
                out["level1_grades"] = dict(s.level1_grades)
            out["figures"] = {name: figure.prose() for name, figure in s.figures.items()}
        if self.output:
            out["output"] = self.output
        if self.pdf:
            out["pdf"] = self.pdf
        return out
