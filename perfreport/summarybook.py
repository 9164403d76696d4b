"""The summary across departments: one row per workbook, every 三级 score, every problem.

Each workbook is checked by `pipeline.check`, so every count, score and rate
is the one `check --json` gives; a workbook with errors gets a row with its
error count and no scores, never silently missing. The tables are pandas
DataFrames (pandas is imported by this module only, and this module only
when a summary is asked for); summarysheet.py writes them as a workbook.
Numbers are Decimals rounded as the report prints them: scores to 0.01,
rates to 0.0001 (a percentage with two decimals).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd

from .compose import tables_drafted
from .compose.draft import CELL_BREAK
from .numbering import SENTINELS
from .errors import Severity, WorkbookError
from .fmt import round2, round_rate
from .load import load
from .models import Checked, Result
from .pipeline import check
from .rules.grades import Bands
from .validate import validate

SCORE, RATE, COUNT, YEAR, TEXT = "0.00", "0.00%", "0", "0", "@"
WORKBOOK, UNIT, YEAR_COLUMN, TOTAL, GRADE = "工作簿", "被评价单位", "评价年度", "总分", "等级"
RANK, LEVELS = "等级位次", "等级数"  # 1 = the best grade of the workbook's own bands; how many grades it has
SHEETS = ("汇总", "三级指标得分", "问题清单", "校验问题")


@dataclass(frozen=True)
class Entry:
    """One workbook as the summary sees it."""

    path: Path  # as given
    result: Result  # what `check` found
    checked: Checked | None  # its structures, when it has no errors
    info: Mapping[str, Any]  # 基本信息, as far as it could be read
    report: str | None  # the report built from it, when known

    @property
    def scored(self) -> bool:
        return self.result.ok and self.result.scores is not None and self.checked is not None

    @property
    def unit(self) -> str | None:
        return self.info.get(UNIT)


def collect(paths: Iterable[Path | str], reports: Mapping[str, str | None] | None = None) -> list[Entry]:
    """Return an Entry per workbook, in the order given.

    `reports` maps a workbook path (as given) to the report built from it;
    without it, a report is listed when one exists beside the workbook.
    """
    unique = dict.fromkeys(Path(p) for p in paths)  # a workbook given twice is summarised once
    return [_entry(path, reports) for path in unique]


def _entry(path: Path, reports: Mapping[str, str | None] | None) -> Entry:
    result = check(path)
    try:
        workbook, _ = load(path)
    except WorkbookError:
        return Entry(path, result, None, {}, None)
    checked = validate(workbook)[0] if result.ok else None
    if reports is not None:
        report = reports.get(str(path))
    else:
        beside = path.with_suffix(".docx")
        report = str(beside) if result.ok and beside.is_file() else None
    return Entry(path, result, checked, dict(workbook.records["基本信息"].values), report)


def grade_scale(bands: Bands) -> tuple[str, ...]:
    """Return the grade names of `bands`, best first, the grade below every band included."""
    return bands.names


def _figure(entry: Entry, name: str) -> Any:
    figure = entry.result.scores.figures.get(name)
    return None if figure is None else figure.value


def _rate(value: Any) -> Decimal | None:
    return None if value is None else round_rate(Decimal(value))


def _level1_names(entries: list[Entry]) -> list[str]:
    return list(dict.fromkeys(g.name for e in entries if e.scored for g in e.result.scores.level1))


def overview(entries: list[Entry]) -> pd.DataFrame:
    """Return one row per workbook: unit, year, total, grade, 一级 scores and rates, key rates, counts."""
    level1 = _level1_names(entries)
    rows = []
    for entry in entries:
        row: dict[str, Any] = {WORKBOOK: str(entry.path), UNIT: entry.unit, YEAR_COLUMN: entry.info.get(YEAR_COLUMN),
                               TOTAL: None, GRADE: None}
        for name in level1:
            row[f"{name}得分"] = row[f"{name}得分率"] = None
        row.update({"预算执行率": None, "综合满意度": None, "问题数": None})
        if entry.scored:
            scores = entry.result.scores
            row[TOTAL], row[GRADE] = round2(scores.total), scores.grade
            for group in scores.level1:
                row[f"{group.name}得分"], row[f"{group.name}得分率"] = round2(group.score), _rate(group.rate)
            row["预算执行率"] = _rate(_figure(entry, "预算执行率"))
            row["综合满意度"] = _rate(_figure(entry, "综合满意度"))
            row["问题数"] = len(_problems_of(entry))
        row.update({"错误数": len(entry.result.errors), "警告数": len(entry.result.warnings), "报告": entry.report})
        scale = grade_scale(entry.checked.bands) if entry.scored else ()
        row[RANK] = scale.index(row[GRADE]) + 1 if row[GRADE] in scale else None
        row[LEVELS] = len(scale) or None
        rows.append(row)
    formats = {TOTAL: SCORE, YEAR_COLUMN: YEAR, "预算执行率": RATE, "综合满意度": RATE, "问题数": COUNT,
               "错误数": COUNT, "警告数": COUNT, RANK: COUNT, LEVELS: COUNT}
    for name in level1:
        formats[f"{name}得分"], formats[f"{name}得分率"] = SCORE, RATE
    return _framed(rows, list(rows[0]) if rows else [WORKBOOK], formats)


def _framed(rows: list[dict], columns: list[str], formats: dict[str, str]) -> pd.DataFrame:
    """Return the rows as a DataFrame of Python values, its number formats in `attrs["formats"]`."""
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame = frame.where(frame.notna(), None)  # blanks are None, never NaN
    frame.attrs["formats"] = {c: formats.get(c, TEXT) for c in columns}
    return frame


def _signature(entry: Entry) -> tuple:
    return tuple((i.indicator.level1, i.indicator.level2, i.indicator.label, i.indicator.weight)
                 for i in entry.result.scores.indicators)


def _column_names(entries: list[Entry]) -> dict[str, str]:
    """Return a column title per scored workbook: its unit, or unit（workbook） when two share one."""
    units = [e.unit or e.path.stem for e in entries]
    return {str(e.path): u if units.count(u) == 1 else f"{u}（{e.path}）" for e, u in zip(entries, units)}


def indicator_scores(entries: list[Entry]) -> pd.DataFrame:
    """Return every 三级 score: departments as columns when all frameworks agree, else one long table."""
    scored = [e for e in entries if e.scored]
    keys = ["一级指标", "二级指标", "三级指标", "分值"]
    long = _framed([{WORKBOOK: str(e.path), UNIT: e.unit, **dict(zip(keys, key)), "得分": i.score,
                     "得分率": _rate(i.rate)}
                    for e in scored for key, i in zip(_signature(e), e.result.scores.indicators)],
                   [WORKBOOK, UNIT, *keys, "得分", "得分率"], {"分值": SCORE, "得分": SCORE, "得分率": RATE})
    if not scored or len({_signature(e) for e in scored}) > 1:
        return long
    titles = _column_names(scored)
    order = list(dict.fromkeys(titles.values()))
    long["列"] = long[WORKBOOK].map(titles)
    wide = long.pivot(index=keys[:3], columns="列", values="得分")
    framework = [key[:3] for key in _signature(scored[0])]
    wide = wide.reindex(index=pd.MultiIndex.from_tuples(framework, names=keys[:3]), columns=order).reset_index()
    wide.insert(3, "分值", [key[3] for key in _signature(scored[0])])
    rows = wide.astype(object).to_dict("records")
    return _framed(rows, [*keys, *order], {"分值": SCORE, **{title: SCORE for title in order}})


def _problems_of(entry: Entry) -> list[dict[str, Any]]:
    """Return the workbook's 问题清单 as its report's 附件5 lists it: by 一级, from 问题描述."""
    draft = tables_drafted(entry.checked, entry.result.scores, entry.path.parent)
    unmarked = str.maketrans("", "", SENTINELS)  # a [表号:…] reads as the table's name: numbers come with a layout
    rows = []
    for group in entry.result.scores.level1:
        items = [i for sub in group.members for i in sub.members if i.indicator.text("问题描述")]
        for number, item in enumerate(items, 1):
            text = draft.cell(item.indicator.record, "问题描述").replace(CELL_BREAK, "\n").translate(unmarked)
            rows.append({"一级指标": group.name, "序号": number, "三级指标": item.indicator.label, "问题描述": text})
    return rows


def problem_list(entries: list[Entry]) -> pd.DataFrame:
    """Return every problem the evaluations found (each report's 问题清单), one row each."""
    rows = [{WORKBOOK: str(e.path), UNIT: e.unit, **p} for e in entries if e.scored for p in _problems_of(e)]
    return _framed(rows, [WORKBOOK, UNIT, "一级指标", "序号", "三级指标", "问题描述"], {"序号": COUNT})


def check_list(entries: list[Entry]) -> pd.DataFrame:
    """Return every error and warning `check` found, one row each, errors first per workbook."""
    rows = [{WORKBOOK: str(e.path), UNIT: e.unit, "级别": "错误" if p.severity is Severity.ERROR else "警告",
             "代码": p.code, "位置": p.location, "说明": p.message}
            for e in entries for p in e.result.errors + e.result.warnings]
    return _framed(rows, [WORKBOOK, UNIT, "级别", "代码", "位置", "说明"], {})


def tables(entries: list[Entry]) -> dict[str, pd.DataFrame]:
    """Return the summary's sheets, by sheet name, in workbook order."""
    return dict(zip(SHEETS, (overview(entries), indicator_scores(entries), problem_list(entries),
                             check_list(entries))))


def summary(paths: Iterable[Path | str]) -> pd.DataFrame:
    """Return the summary table of the workbooks at `paths`: one row per workbook."""
    return overview(collect(paths))
