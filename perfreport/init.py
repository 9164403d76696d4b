"""Write the blank standard workbook a consultant starts from (`perfreport init`).

Everything comes from the contract (contract.SHEETS: sheets, columns, kinds,
choices, hints, examples) and from the standard indicator framework shipped
as framework.json; nothing here knows a department. The workbook has:

- a first sheet 填写说明 explaining the rules, then every sheet and column with
  its type, whether it is required, a hint and an example;
- every contract sheet with its header row (required headers highlighted,
  a comment on each header), frozen, with readable column widths;
- key-value sheets as 字段 / 值 / 说明 rows, one per field;
- drop-down lists on every choice column, an input message on every data
  cell (shown when the cell is selected), number formats for money,
  percentages and counts, and text format where Excel would otherwise turn
  `(19)` into -19 or `2025年3月` into a date;
- 指标体系 pre-filled with the framework (names, 分值, 指标解释, 评价标准,
  评分方式): 得分 and the texts are the consultant's.
"""
from __future__ import annotations

import io
import json
import unicodedata
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .contract import SHEETS, Field, Kind, Sheet
from .init_rules import KIND_WORDS as RULE_KIND_WORDS
from .init_rules import open_list, write_guide

DEFAULT_NAME = "部门整体绩效评价工作簿.xlsx"
GUIDE = "填写说明"
CHOICES = "选项"  # hidden sheet holding drop-down lists too long for Excel's 255-character list formula
LIST_LIMIT = 255
FRAMEWORK_SHEET = "指标体系"
KEY, VALUE, NOTE = "字段", "值", "说明"
LAST_ROW = 1048576  # Excel's last row: drop-downs and hints cover the whole column

KIND_WORDS = {
    Kind.TEXT: "文字",
    Kind.MONEY: "金额（万元）",
    Kind.NUMBER: "数字",
    Kind.COUNT: "整数",
    Kind.PERCENT: "百分比",
    Kind.YEAR: "年份",
    Kind.DATE: "日期",
    Kind.CHOICE: "选项",
}
NUMBER_FORMATS = {
    Kind.MONEY: "#,##0.00",
    Kind.PERCENT: "0.00%",
    Kind.COUNT: "0",
    Kind.YEAR: "0",
    Kind.NUMBER: "General",
    # Typed as text, so that Excel keeps what is typed: `(19)` stays `(19)`, not -19;
    # `2025年3月` stays a month, not 2025-03-01.
    Kind.TEXT: "@",
    Kind.DATE: "@",
    Kind.CHOICE: "@",
}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
SECTION_FILL = PatternFill("solid", fgColor="E2EFDA")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(vertical="center", wrap_text=True)

RULES_TEXT = (
    "本工作簿是 perfreport 生成部门整体绩效评价报告的数据来源。每个工作表对应报告的一块数据；"
    "工作表名称和第 1 行的表头是约定，请勿改名或删除。列的顺序可以调整，多余的列和工作表会被忽略。",
    "表格类工作表：第 1 行为表头，从第 2 行起每行一条记录，空行会被跳过。请勿跨行合并单元格；"
    "说明中写有“可留空表示同上一行”的列（如 一级指标、二级指标、部门职责、题号）可以只在第一行填写。",
    "字段类工作表（基本信息、部门概况、预决算）：每行一个字段，只在“值”列填写，“说明”列是填写提示。",
    "金额单位为万元（列名以“_元”结尾的为元），可带千分位逗号；百分比填 79.25% 或 79.25 均可；"
    "金额不能为负数。",
    "表头或字段名为橙色底的是必填项。有下拉箭头的单元格请从列表中选择；选中单元格时会显示填写提示，"
    "表头的批注说明该列的含义。",
    "文字中可用 {名称} 引用计算结果（如 {预算执行率}、{调整后预算}、{综合满意度}），单独一行写 "
    "[表:名称] 在该处插入表格（复评项目、预算执行进度、政策梳理、工作组），[表号:名称] 打印该表的表号。"
    "一个单元格内多段文字用换行（Alt+Enter）分段。",
    "指标体系已预填标准的 30 个三级指标（名称、分值、指标解释、评价标准、评分方式）。评分方式为“手工”的"
    "须填写得分；按规则计算的指标，得分留空即按规则计算，填写则覆盖计算值。评分方式为“目标完成率”的"
    "“部门职责×工作完成情况”指标，请按被评价部门的职责改写名称和评价标准，并在目标对比表的“三级指标”列"
    "填写其编号（如 (19)）。分值可按实际调整，三级指标分值合计须为 100。"
    "按规则计分的指标可在“评分参数”列按评价标准的写法改写规则的参数（见本表末尾“评分参数的写法”）；"
    "评价标准留空时，报告按评分参数生成评价标准。",
    "填写过程中可随时运行  perfreport check 工作簿.xlsx  查看缺少或有误的内容（按工作表列出，并给出单元格位置）；"
    "没有错误后运行  perfreport build 工作簿.xlsx  生成报告。",
)
GUIDE_COLUMNS = (("工作表", 14), ("列 / 字段", 22), ("类型", 18), ("必填", 6), ("说明", 60), ("示例", 36))


def _width(text: str) -> int:
    """Return the display width of the longest line (CJK characters count twice)."""
    return max((sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
                for line in str(text).split("\n")), default=0)


@lru_cache(maxsize=1)
def framework() -> tuple[dict[str, Any], ...]:
    """Return the standard indicator framework: one dict per 三级 indicator."""
    text = (files("perfreport") / "framework.json").read_text(encoding="utf-8")
    return tuple(json.loads(text)["indicators"])


def kind_words(field: Field) -> str:
    """Return the field's type in words, as 填写说明 prints it."""
    if field.kind is Kind.MONEY and field.name.endswith("元") and not field.name.endswith("万元"):
        return "金额（元）"
    if field.kind is Kind.CHOICE:
        return "选项：" + "/".join(field.choices)
    return RULE_KIND_WORDS.get(field.name) or KIND_WORDS[field.kind]


def describe(field: Field) -> str:
    """Return everything a consultant needs to know about a field, in one sentence or two."""
    parts = [field.hint] if field.hint else []
    if field.fill_down:
        parts.append("可留空表示同上一行")
    if field.grouped:
        parts.append("每题只需填在该题的一行")
    if field.prose:
        parts.append("可含 {名称} 占位符")
    if field.kind is Kind.PERCENT:
        parts.append("填 79.25% 或 79.25")
    return "；".join(parts)


def _prompt(field: Field) -> tuple[str, str]:
    """Return the input message (title, text) shown when a cell of the field is selected."""
    title = f"{field.name}（必填）" if field.required else field.name
    lines = [kind_words(field)]
    if describe(field):
        lines.append(describe(field))
    if field.example:
        lines.append(f"示例：{field.example}")
    return title[:32], "\n".join(lines)[:255]


def _choices(wb: Workbook, field: Field) -> str:
    """Return a drop-down's list: written in the formula, or a range of the hidden sheet 选项 when too long.

    Excel refuses a list formula longer than 255 characters (the 文字 sheet's 章节 has more).
    """
    inline = '"' + ",".join(field.choices) + '"'
    if len(inline) <= LIST_LIMIT:
        return inline
    ws = wb[CHOICES] if CHOICES in wb.sheetnames else wb.create_sheet(CHOICES)
    ws.sheet_state = "hidden"
    column = get_column_letter(1 + sum(1 for c in ws[1] if c.value is not None))
    for row, choice in enumerate(field.choices, start=1):
        ws[f"{column}{row}"] = choice
    return f"'{CHOICES}'!${column}$1:${column}${len(field.choices)}"


def _validation(field: Field, sqref: str, wb: Workbook | None = None) -> DataValidation:
    title, prompt = _prompt(field)
    if field.kind is Kind.CHOICE:
        return DataValidation(
            type="list", formula1=_choices(wb, field), allow_blank=True,
            showInputMessage=True, promptTitle=title, prompt=prompt,
            showErrorMessage=True, errorStyle="stop", errorTitle=f"{field.name}"[:32],
            error=("请从下拉列表中选择：" + "、".join(field.choices))[:225], sqref=sqref)
    if open_list(field.name):  # suggestions: other values are allowed after a notice
        formula, message = open_list(field.name)
        return DataValidation(type="list", formula1=formula, allow_blank=True, showInputMessage=True,
                              promptTitle=title, prompt=prompt, showErrorMessage=True, errorStyle="information",
                              errorTitle=field.name[:32], error=message[:225], sqref=sqref)
    return DataValidation(allow_blank=True, showInputMessage=True, promptTitle=title, prompt=prompt,
                          sqref=sqref)


def _header(ws, column: int, text: str, required: bool, comment: str = "") -> None:
    cell = ws.cell(row=1, column=column, value=text)
    cell.font = BOLD
    cell.fill = REQUIRED_FILL if required else HEADER_FILL
    cell.alignment = CENTER
    if comment:
        cell.comment = Comment(comment, "perfreport", height=160, width=300)


def _put(ws, row: int, column: int, value: Any, kind: Kind = Kind.TEXT):
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, even when it starts with "="
    cell.number_format = NUMBER_FORMATS[kind]
    cell.alignment = WRAP
    return cell


def _guide(wb: Workbook) -> None:
    ws = wb.create_sheet(GUIDE)
    ws.sheet_properties.tabColor = "70AD47"
    span = len(GUIDE_COLUMNS)
    ws.cell(row=1, column=1, value="部门整体绩效评价工作簿 · 填写说明").font = TITLE
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=span)
    row = 2
    for n, text in enumerate(RULES_TEXT, start=1):
        cell = ws.cell(row=row, column=1, value=f"{n}. {text}")
        cell.alignment = WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        ws.row_dimensions[row].height = 16 * (1 + _width(text) // 150)
        row += 1
    row += 1
    for column, (name, width) in enumerate(GUIDE_COLUMNS, start=1):
        cell = ws.cell(row=row, column=column, value=name)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTER
        ws.column_dimensions[get_column_letter(column)].width = width
    header_row = row
    for sheet in SHEETS:
        row += 1
        kind = "字段类：每行一个字段，填在“值”列" if sheet.key_value else "表格类：每行一条记录"
        cell = ws.cell(row=row, column=1, value=f"{sheet.name}　{sheet.hint}（{kind}）")
        cell.font, cell.fill = BOLD, SECTION_FILL
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        for field in sheet.fields:
            row += 1
            values = (sheet.name, field.name, kind_words(field), "是" if field.required else "",
                      describe(field), field.example)
            for column, value in enumerate(values, start=1):
                cell = _put(ws, row, column, value or None)
                if column == 2 and field.required:
                    cell.fill = REQUIRED_FILL
    write_guide(wb, ws, row + 1, span)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def _key_value_sheet(wb: Workbook, sheet: Sheet) -> None:
    ws = wb.create_sheet(sheet.name)
    _header(ws, 1, KEY, True, "字段名称，请勿修改")
    _header(ws, 2, VALUE, True, f"{sheet.hint}：在本列填写各字段的值")
    _header(ws, 3, NOTE, False, "填写提示，生成报告时不读取")
    widths = [_width(KEY), 40, _width(NOTE)]
    for row, field in enumerate(sheet.fields, start=2):
        name = _put(ws, row, 1, field.name)
        if field.required:
            name.fill = REQUIRED_FILL
        _put(ws, row, 2, None, field.kind)
        note = "；".join(p for p in (("必填" if field.required else ""), kind_words(field), describe(field),
                                     f"示例：{field.example}" if field.example else "") if p)
        _put(ws, row, 3, note)
        ws.add_data_validation(_validation(field, f"B{row}", wb))
        widths[0] = max(widths[0], _width(field.name))
        widths[2] = max(widths[2], _width(note))
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = min(max(width, 8), 70) + 2
    ws.freeze_panes = "B2"


def _table_sheet(wb: Workbook, sheet: Sheet) -> None:
    ws = wb.create_sheet(sheet.name)
    for column, field in enumerate(sheet.fields, start=1):
        title, prompt = _prompt(field)
        _header(ws, column, field.name, field.required, f"{title}\n{prompt}")
        letter = get_column_letter(column)
        dimension = ws.column_dimensions[letter]
        dimension.number_format = NUMBER_FORMATS[field.kind]  # a column style: new cells take it
        dimension.width = min(max(_width(field.name) + 4, _width(field.example) + 2, 10), 40)
        ws.add_data_validation(_validation(field, f"{letter}2:{letter}{LAST_ROW}", wb))
    ws.freeze_panes = "A2"


def _prefill_framework(wb: Workbook) -> None:
    ws = wb[FRAMEWORK_SHEET]
    sheet = next(s for s in SHEETS if s.name == FRAMEWORK_SHEET)
    columns = {field.name: (n, field.kind) for n, field in enumerate(sheet.fields, start=1)}
    for row, indicator in enumerate(framework(), start=2):
        for name, value in indicator.items():
            column, kind = columns[name]
            _put(ws, row, column, value, kind)
    widths = {"一级指标": 14, "二级指标": 18, "三级指标": 30, "指标解释": 50, "评价标准": 60, "评分方式": 14}
    for name, width in widths.items():
        ws.column_dimensions[get_column_letter(columns[name][0])].width = width
    ws.freeze_panes = "D2"


def blank_workbook() -> Workbook:
    """Return the blank standard workbook."""
    wb = Workbook()
    wb.remove(wb.active)
    _guide(wb)
    for sheet in SHEETS:
        (_key_value_sheet if sheet.key_value else _table_sheet)(wb, sheet)
    _prefill_framework(wb)
    wb.active = 0
    props = wb.properties
    props.title = "部门整体绩效评价工作簿"
    props.creator = props.lastModifiedBy = "perfreport init"
    return wb


def blank_bytes() -> bytes:
    """Return the blank standard workbook as .xlsx bytes."""
    buffer = io.BytesIO()
    blank_workbook().save(buffer)
    return buffer.getvalue()


def target(path: Path | str | None) -> Path:
    """Return where `init` writes: PATH, PATH/DEFAULT_NAME for a folder, DEFAULT_NAME when none."""
    if path is None:
        return Path(DEFAULT_NAME)
    path = Path(path)
    if path.is_dir():
        return path / DEFAULT_NAME
    return path if path.suffix else path.with_suffix(".xlsx")


def write_blank(path: Path | str | None = None, *, force: bool = False) -> Path:
    """Write the blank standard workbook and return its path.

    Never overwrites an existing file unless `force` (then the old one is kept
    as NAME.bak.xlsx); raises OutputError with a message for the user.
    """
    from .errors import OutputError
    from .output import write_atomically

    output = target(path)
    if output.suffix.lower() != ".xlsx":
        raise OutputError(f"{output.name}：工作簿应保存为 .xlsx 文件")
    write_atomically(blank_bytes(), output, force)
    return output
