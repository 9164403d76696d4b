"""Cross-checks: every value the workbook states twice, compared.

`CHECKS` is the one table of them. Most compare two values read from the
workbook: a typed field, the sum of a table column, a sum of fields, the
评价年度's row of 收支决算; a difference is a warning that names both places,
both values and the difference. The others test rows (a 方向 against the sign
in its 目标值, a survey question's sample). A check runs only on what is
there: it is skipped when a value it reads is blank or a cell it reads already
has an error, so a missing value never becomes a false alarm. `evaluate` says
for each check whether it passed, failed or could not run.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from typing import Callable, Iterable, Iterator

from .contract import SHEET
from .errors import Problem, warning
from .fmt import amount
from .models import KEY_VALUE_FIELDS, Checked, Question, Record
from .validate import NUMBER

ZERO = Decimal(0)
PRINTED_PARTS = re.compile(r"[、，；;\n]")  # how a 目标值 text lists several targets


@dataclass(frozen=True)
class Value:
    """A number read from the workbook, with every cell it came from."""

    number: Decimal
    label: str  # how a message names it: 固定资产原值, 固定资产表“原值”合计
    cells: tuple[str, ...]  # every cell read, blank ones included
    where: str  # how a message locates it: a cell, a range, cells joined by 、


@dataclass(frozen=True)
class Scope:
    """What a check reads from: the validated workbook, and the row a per-row check is at."""

    checked: Checked
    row: Record | None = None  # the table row a per-row check is looking at


class Get:
    """Reads a Value (None: blank or absent) from a Scope; `+`, `-` combine, `|` falls back."""

    def __init__(self, label: str, read: Callable[[Scope], Value | None]):
        self.label, self.read = label, read

    def __call__(self, scope: Scope) -> Value | None:
        return self.read(scope)

    def __add__(self, other: Get) -> Get:
        return Get(f"{self.label}+{other.label}", lambda s: _combine(self(s), other(s), 1))

    def __sub__(self, other: Get) -> Get:
        return Get(f"{self.label}−{other.label}", lambda s: _combine(self(s), other(s), -1))

    def __or__(self, other: Get) -> Get:
        return Get(self.label, lambda s: self(s) or other(s))

    def named(self, label: str) -> Get:
        """The same value under another name (固定资产净值 for 固定资产原值−累计折旧)."""
        def read(scope: Scope) -> Value | None:
            value = self(scope)
            return value and replace(value, label=label)
        return Get(label, read)


def _combine(a: Value | None, b: Value | None, sign: int) -> Value | None:
    if a is None or b is None:
        return None
    where = a.where if a.where == b.where else f"{a.where}、{b.where}"
    return Value(a.number + sign * b.number, f"{a.label}{'+' if sign > 0 else '−'}{b.label}",
                 a.cells + b.cells, where)


def _number(value) -> Decimal | None:
    return Decimal(value) if isinstance(value, (Decimal, int)) else None


def field(name: str) -> Get:
    """A key-value field as typed (blank: None)."""
    def read(scope: Scope) -> Value | None:
        record = scope.checked.workbook.records[KEY_VALUE_FIELDS[name]]
        number = _number(record[name])
        return None if number is None else Value(number, name, (record.where(name),), record.where(name))
    return Get(name, read)


def parts(*names: str) -> Get:
    """The sum of key-value fields, a blank one counting 0 (None when all are blank)."""
    label = "+".join(names)

    def read(scope: Scope) -> Value | None:
        record = scope.checked.workbook.records[KEY_VALUE_FIELDS[names[0]]]
        numbers = [_number(record[n]) for n in names]
        if all(n is None for n in numbers):
            return None
        cells = tuple(record.where(n) for n in names)
        return Value(sum((n for n in numbers if n is not None), ZERO), label, cells, "、".join(cells))
    return Get(label, read)


def _span(sheet: str, rows: tuple[Record, ...], name: str) -> str:
    first, last = rows[0].cells[name], rows[-1].cells[name]
    return f"{sheet}!{first}" if first == last else f"{sheet}!{first}:{last}"


def column(sheet: str, name: str) -> Get:
    """The sum of a table column, blanks counting 0 (None when the table is empty or lacks the column)."""
    label = f"{sheet}表“{name}”合计"

    def read(scope: Scope) -> Value | None:
        rows = scope.checked.workbook.tables[sheet]
        if not rows or any(name not in r.cells for r in rows):
            return None
        number = sum((n for n in (_number(r[name]) for r in rows) if n is not None), ZERO)
        return Value(number, label, tuple(r.where(name) for r in rows), _span(sheet, rows, name))
    return Get(label, read)


def count(sheet: str) -> Get:
    """The number of rows of a table (None when it is empty)."""
    label = f"{sheet}表的行数"

    def read(scope: Scope) -> Value | None:
        rows = scope.checked.workbook.tables[sheet]
        return Value(Decimal(len(rows)), label, (), f"{sheet}表 {len(rows)} 行") if rows else None
    return Get(label, read)


def year_total(prefix: str) -> Get:
    """收支决算's 评价年度 row: the sum of its columns starting with `prefix` (支出_ …), as 表2/表3 print it."""
    side = prefix.rstrip("_")
    label = f"收支决算评价年度{side}合计"

    def read(scope: Scope) -> Value | None:
        workbook = scope.checked.workbook
        year = workbook.info("评价年度")
        rows = [r for r in workbook.tables["收支决算"] if r["年度"] == year]
        columns = [f.name for f in SHEET["收支决算"].fields if f.name.startswith(prefix)]
        if year is None or len(rows) != 1 or all(rows[0][c] is None for c in columns):
            return None
        row = rows[0]
        cells = tuple(row.where(c) for c in columns)
        number = sum((n for n in (_number(row[c]) for c in columns) if n is not None), ZERO)
        return Value(number, f"收支决算 {year} 年{side}合计", cells, "、".join(cells))
    return Get(label, read)


def cell(name: str) -> Get:
    """A cell of the table row a per-row check is looking at."""
    def read(scope: Scope) -> Value | None:
        number = _number(scope.row[name])
        return None if number is None else Value(number, name, (scope.row.where(name),), scope.row.where(name))
    return Get(name, read)


FIXED = field("固定资产原值") | column("固定资产", "原值")  # typed, else the table's sum, as the report prints it
FIXED_NET = (FIXED - (field("累计折旧") | column("固定资产", "累计折旧"))).named("固定资产净值")
INTANGIBLE_NET = (field("无形资产原值") - field("累计摊销")).named("无形资产净值")


@dataclass(frozen=True)
class Compare:
    """Two values that must be equal (`=`), or the first no larger than the second (`≤`)."""

    code: str
    group: str
    left: Get
    relation: str
    right: Get
    rows: str = ""  # a table: compared on each of its rows
    then: str = ""  # what the report prints meanwhile

    @property
    def what(self) -> str:
        each = f"{self.rows}表每行：" if self.rows else ""
        return f"{each}{self.left.label} {self.relation} {self.right.label}"

    def findings(self, checked: Checked) -> Iterator[tuple[tuple[str, str] | None, tuple[str, ...]]]:
        """Yield ((location, message) of a failure, or None for a pass; the cells read); nothing when it cannot run."""
        scopes = [Scope(checked, row) for row in checked.workbook.tables[self.rows]] if self.rows else [Scope(checked)]
        for scope in scopes:
            left, right = self.left(scope), self.right(scope)
            if left is None or right is None:
                continue
            cells = left.cells + right.cells
            gap = left.number - right.number
            passed = gap == 0 if self.relation == "=" else gap <= 0
            if passed:
                yield None, cells
                continue
            place = next((v.where for v in (left, right) if len(v.cells) == 1), left.where)
            verb = f"不一致，相差 {amount(abs(gap))}" if self.relation == "=" else f"，超出 {amount(gap)}"
            joint = "与" if self.relation == "=" else "大于"
            message = (f"{left.label} {amount(left.number)}（{left.where}）{joint}{right.label} "
                       f"{amount(right.number)}（{right.where}）{verb}" + (f"：{self.then}" if self.then else ""))
            yield (place, message), cells


@dataclass(frozen=True)
class Rule:
    """A check that is not a comparison of two numbers: `test` yields (location, message, cells read)."""

    code: str
    group: str
    what: str
    test: Callable[[Checked], Iterable[tuple[str, str, tuple[str, ...]]]]
    applies: Callable[[Checked], bool]  # whether there is anything to test

    def findings(self, checked: Checked) -> Iterator[tuple[tuple[str, str] | None, tuple[str, ...]]]:
        """Yield as Compare.findings does: each failure with its cells, or one pass."""
        if not self.applies(checked):
            return
        failed = False
        for location, message, cells in self.test(checked):
            failed = True
            yield (location, message), cells
        if not failed:
            yield None, ()


# ---- the checks that are not comparisons ------------------------------------

SIGN_WORDS = {
    "≥": ("≥", "≧", ">=", "＞", ">", "不低于", "不少于", "不小于", "以上", "至少"),
    "≤": ("≤", "≦", "<=", "＜", "<", "不高于", "不超过", "不大于", "以内", "以下", "低于", "少于"),
    "=": ("=", "＝"),
}
SIGN = re.compile("|".join(sorted((re.escape(w) for ws in SIGN_WORDS.values() for w in ws), key=len, reverse=True)))
SIGN_OF = {w: sign for sign, words in SIGN_WORDS.items() for w in words}


def _signs(text: str) -> list[str]:
    """Return the directions a 目标值 text states, in order of first appearance."""
    return list(dict.fromkeys(SIGN_OF[m.group(0)] for m in SIGN.finditer(text)))


def _directions(checked: Checked) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """A computed goal's 方向 (typed, or the default) against the signs its 目标值 states."""
    for goal in checked.goals:
        if not goal.parts:
            continue
        row, used = goal.record, goal.parts[0][2]
        text = row["目标值"] or ""
        signs = _signs(text)
        cells = (row.where("方向"), row.where("目标值"))
        shown = text.replace("\n", " ")
        if len(signs) > 1:
            yield (row.where("目标值"), f"目标值“{shown}”含有不同方向（{'、'.join(signs)}），而一行只按一个方向"
                   f"“{used}”计算完成率：请把不同方向的目标分成两行", cells)
        elif signs and signs[0] != used:
            typed = f"方向填写“{used}”" if row["方向"] else f"方向空白，按“{used}”计算"
            yield (row.where("方向"), f"{typed}，而目标值“{shown}”表示“{signs[0]}”：完成率按“{used}”计算，"
                   f"请在方向列填写“{signs[0]}”或更正目标值", cells)


def _splits(checked: Checked) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """A blank 目标数值/实际数值 whose printed text has a part holding several numbers ("≤10/10万")."""
    for goal in checked.goals:
        if not goal.parts:
            continue
        row = goal.record
        for column_name, printed in (("目标数值", "目标值"), ("实际数值", "实际完成值")):
            text = row[printed] or ""
            crowded = [p.strip() for p in PRINTED_PARTS.split(text)
                       if len(NUMBER.findall(p.replace(",", ""))) > 1]
            if row[column_name] is None and crowded:
                numbers = "、".join(NUMBER.findall(text.replace(",", "")))
                yield (row.where(column_name),
                       f"{column_name}空白，{printed}“{text.replace(chr(10), ' ')}”中的数字 {numbers} 被当作 "
                       f"{len(goal.parts)} 个目标分别计算完成率，其中“{crowded[0]}”含有多个数字：若它是一个目标"
                       f"（如比率“10/10万”），请在{column_name}填写计算用的数字",
                       (row.where(column_name), row.where(printed)))


def _percent_fractions(checked: Checked) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """A computed goal whose one side is written in % (90%) and the other as a fraction of 1 (0.85): 0.85/90."""
    for row in (g.record for g in checked.goals if g.parts):
        sides = [(row.where(c if row[c] is not None else t), row[c] if row[c] is not None else row[t] or "")
                 for c, t in (("目标数值", "目标值"), ("实际数值", "实际完成值"))]
        marked = ["%" in unicodedata.normalize("NFKC", text) for _, text in sides]
        (_, pct), (where, bare) = sides if marked[0] else sides[::-1]
        numbers = [Decimal(n) for n in NUMBER.findall(bare)]
        if marked[0] != marked[1] and numbers and max(numbers) <= 1 < max(map(Decimal, NUMBER.findall(pct)), default=0):
            yield (where, f"“{pct}”是百分数，“{bare}”却是 1 以内的小数，完成率按两者的数字相比计算：若“{bare}”"
                          f"是比率，请写成百分数（如 {amount(numbers[0] * 100)}%）", tuple(w for w, _ in sides))


def _counted(checked: Checked) -> list:
    return [q for q in checked.questions if q.kind != "开放问题" and q.sample]


def _samples(checked: Checked) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """Every question answered by as many respondents as the first of its 问题组 (each group has its own)."""
    firsts: dict[str, Question] = {}
    for q in _counted(checked):
        first = firsts.setdefault(q.group, q)
        if q.sample == first.sample:
            continue
        rows = [o.record for o in q.options if o.count is not None] or [q.record]
        typed = next((r for r in (q.record, *rows) if r["样本量"] is not None), None)
        if typed is not None:
            place, how = typed.where("样本量"), "填写的样本量"
        else:
            place, how = _span("问卷", tuple(rows), "人数"), "各选项人数之和"
        yield (place, f"第 {q.number} 题样本量 {q.sample}（{how}）与第 {first.number} 题的 {first.sample} 不一致："
               "各题应来自同一批答卷；多选题请在样本量列填写答卷份数",
               tuple(r.where(name) for r in (q.record, *(o.record for o in q.options)) for name in ("人数", "样本量")))


def _typed_samples(checked: Checked) -> list:
    return [q for q in checked.questions if any(r["样本量"] is not None for r in (q.record, *(o.record for o in q.options)))]


def _options_within_sample(checked: Checked) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """No option of a question with a typed 样本量 chosen by more respondents than answered it."""
    for q in _typed_samples(checked):
        for option in q.options:
            if option.count is not None and option.count > q.sample:
                yield (option.record.where("人数"), f"第 {q.number} 题选项“{option.text}”人数 {option.count} 大于该题"
                       f"样本量 {q.sample}：请核对人数或样本量",
                       tuple(r.where(n) for r in (q.record, option.record) for n in ("人数", "样本量")))


def _year_row(checked: Checked) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """收支决算 has a row for the 评价年度."""
    workbook = checked.workbook
    rows, year = workbook.tables["收支决算"], workbook.info("评价年度")
    if any(r["年度"] == year for r in rows):
        return
    years = "、".join(str(r["年度"]) for r in rows if r["年度"] is not None)
    yield (_span("收支决算", rows, "年度"), f"收支决算没有评价年度 {year} 年的行（只有 {years}）：报告的收入、支出决算表"
           "不含评价年度，决算支出也无法与之核对", tuple(r.where("年度") for r in rows))


CHECKS: tuple[Compare | Rule, ...] = (
    Compare("total-mismatch", "散总一致", field("总资产"), "=", parts("流动资产", "非流动资产")),
    Compare("total-mismatch", "散总一致", field("编制总数"), "=", parts("编制_行政", "编制_事业")),
    Compare("total-mismatch", "散总一致", field("实有总数"), "=", parts("实有_行政", "实有_事业")),
    Compare("total-mismatch", "散总一致", field("固定资产原值"), "=", column("固定资产", "原值"),
            then="正文打印填写值，固定资产明细表合计打印各行之和"),
    Compare("total-mismatch", "散总一致", field("累计折旧"), "=", column("固定资产", "累计折旧"),
            then="正文打印填写值，固定资产明细表合计打印各行之和"),
    Compare("total-mismatch", "散总一致", cell("净值"), "=", cell("原值") - cell("累计折旧"), rows="固定资产",
            then="报告按原值−累计折旧打印"),
    Compare("total-mismatch", "散总一致", field("年初预算"), "=", parts("年初_基本支出", "年初_项目支出")),
    Compare("total-mismatch", "散总一致", field("年初预算"), "=", column("收入构成", "金额")),
    Compare("total-mismatch", "散总一致", field("五项经费_预算"), "=", parts("三公经费_预算", "会议费_预算", "培训费_预算")),
    Compare("value-mismatch", "前后一致", field("决算支出"), "=", year_total("支出_"),
            then="正文打印决算支出，支出决算表打印该行合计"),
    Compare("value-mismatch", "前后一致", field("年初项目资金"), "=", field("年初_项目支出")),
    Compare("value-exceeds", "包含关系", count("复评项目"), "≤", field("自评项目数")),
    Compare("value-exceeds", "包含关系", column("复评项目", "预算"), "≤", field("自评项目资金")),
    Compare("value-exceeds", "包含关系", field("重点项目资金"), "≤", field("年初项目资金")),
    Compare("value-exceeds", "包含关系", field("在用固定资产"), "≤", FIXED),
    Compare("value-exceeds", "包含关系", FIXED_NET + INTANGIBLE_NET, "≤", field("非流动资产")),
    Rule("year-missing", "前后一致", "收支决算有评价年度的行", _year_row,
         lambda c: bool(c.workbook.tables["收支决算"]) and c.workbook.info("评价年度") is not None),
    Rule("sample-mismatch", "前后一致", "问卷每题的样本量（填写的样本量，或各选项人数之和）与同一问题组的第一题相同", _samples,
         lambda c: len(_counted(c)) > 1),
    Rule("option-exceeds-sample", "包含关系", "填写了样本量的问题，每个选项的人数不超过样本量", _options_within_sample,
         lambda c: bool(_typed_samples(c))),
    Rule("direction-mismatch", "填写一致", "目标对比的方向与目标值中的符号（≥、≤、不低于、不超过……）一致",
         _directions, lambda c: any(g.parts for g in c.goals)),
    Rule("goal-split", "填写一致", "目标数值空白时，目标值的每一项只含一个数字（“≤10/10万”不会被拆成两个目标）",
         _splits, lambda c: any(g.parts for g in c.goals)),
    Rule("percent-fraction", "填写一致", "目标与实际一方写作百分数（90%）时，另一方不是 1 以内的小数（0.85）",
         _percent_fractions, lambda c: any(g.parts for g in c.goals)),
)


@dataclass(frozen=True)
class Outcome:
    """What one check found: its failures as problems; `ran` is False when nothing could be compared."""

    check: Compare | Rule
    ran: bool
    problems: tuple[Problem, ...]


def evaluate(checked: Checked, blocked: Callable[[str], bool] = lambda cell: False) -> list[Outcome]:
    """Return the outcome of every check, in table order; a comparison reading a `blocked` cell does not run."""
    outcomes = []
    is_blocked = cache(blocked)  # the checks share cells, and telling one is blocked takes parsing it
    for check in CHECKS:
        ran, problems = False, []
        for failure, cells in check.findings(checked):
            if any(map(is_blocked, cells)):
                continue
            ran = True
            if failure:
                problems.append(warning(check.code, *failure))
        outcomes.append(Outcome(check, ran, tuple(problems)))
    return outcomes


def crosscheck(checked: Checked, blocked: Callable[[str], bool] = lambda cell: False) -> list[Problem]:
    """Return a warning for every cross-check that fails."""
    return [p for outcome in evaluate(checked, blocked) for p in outcome.problems]
