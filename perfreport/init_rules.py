"""The scoring part of `perfreport init`: the 评分参数 guide in 填写说明 and the open drop-downs.

Everything comes from the rule registry (rules/presets.py): the phrase forms,
each 评分方式 with its default 评分参数, the figures a parameter may name.
init.py calls `write_guide` at the end of 填写说明 and asks `open_list` for the
drop-down of a column whose values are suggestions rather than a closed list.
"""
from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName

from .rules import DEFAULT_BANDS
from .rules.figures import DERIVED, IDLE_CHANGE, LOCAL
from .rules.presets import BLOCKS, GENERIC, MANUAL, RULES

EXAMPLES_NAME = "评分参数示例"  # a defined name over the example column of the guide
BOLD = Font(bold=True)
SECTION_FILL = PatternFill("solid", fgColor="E2EFDA")
WRAP = Alignment(wrap_text=True, vertical="top")
INTRO = ("评分参数（指标体系的“评分参数”列）：按规则计分的指标，其参数按评价标准的写法填写，perfreport 严格解读，"
         "读不懂的部分会在 check 中指出并引用原文。留空即用该评分方式的默认参数（下表“默认评分参数”）。"
         "只写选项（如“分母：调整后预算”）则其余仍用默认；写了分档、比例或扣分规则则替换默认的计分方法。"
         "评分方式选“按评分参数”时完全按评分参数计分。{名称} 引用计算值，名称见下表末尾；分多个部分时用 ①②… 分开，"
         "各部分默认平分分值，也可写“①（1分）…”。")


def examples() -> list[str]:
    """The texts the 评分参数 drop-down offers: each preset's default, then each phrase form."""
    return [RULES[name].default_for(DEFAULT_BANDS) for name in RULES if RULES[name].default_for(DEFAULT_BANDS)] \
        + [example for *_, example, _ in BLOCKS]


def write_guide(wb, ws, row: int, span: int) -> int:
    """Write the 评分参数 section into 填写说明 from `row`; return the next free row."""
    def line(text: str, *, bold: bool = False, fill=None) -> None:
        nonlocal row
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = WRAP
        if bold:
            cell.font = BOLD
        if fill:
            cell.fill = fill
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        ws.row_dimensions[row].height = 16 * (1 + len(text) // 75)
        row += 1

    row += 1
    line("评分参数的写法", bold=True, fill=SECTION_FILL)
    line(INTRO)
    first = row
    for name, rule in RULES.items():
        if name in (MANUAL, GENERIC):
            continue
        ws.cell(row=row, column=1, value=f"评分方式：{name}").font = BOLD
        ws.cell(row=row, column=2, value=rule.default_for(DEFAULT_BANDS)).alignment = WRAP
        ws.cell(row=row, column=5, value=f"{rule.doc}；读取：{rule.reads}").alignment = WRAP
        row += 1
    for block, written, parameters, formula, example, result in BLOCKS:
        ws.cell(row=row, column=1, value=f"写法：{block}").font = BOLD
        ws.cell(row=row, column=2, value=example).alignment = WRAP
        ws.cell(row=row, column=5, value=f"写成：{written}；参数：{parameters}；计算：{formula}；例：{result}").alignment = WRAP
        row += 1
    wb.defined_names[EXAMPLES_NAME] = DefinedName(EXAMPLES_NAME, attr_text=f"'{ws.title}'!$B${first}:$B${row - 1}")
    names = sorted(set(DERIVED) | {IDLE_CHANGE} | set(LOCAL))
    line("可在 {名称} 中引用的计算值：" + "、".join(names) + "，以及基本信息、部门概况、预决算中的每个数值字段。")
    return row


# column -> (list formula, what the error box says): suggestions, other values allowed
OPEN_LISTS = {
    "评分参数": (f"={EXAMPLES_NAME}", "评分参数可自由填写，下拉列表是各评分方式的默认参数和写法示例"),
    "实际绩效等级": ('"' + ",".join(DEFAULT_BANDS.names) + '"', "等级须为基本信息“等级标准”中的等级"),
}


KIND_WORDS = {"评分参数": "文字（写法见本表末尾“评分参数的写法”）",
              "实际绩效等级": "等级：" + "/".join(DEFAULT_BANDS.names) + "（或等级标准中的等级）"}


def open_list(name: str) -> tuple[str, str] | None:
    """Return (formula, message) of the open drop-down for column `name`, or None."""
    return OPEN_LISTS.get(name)
