"""Command line, the commands about workbooks and templates rather than one report: init, summary,
next-year, edits, template. cli.py adds them to its group; `build --summary` writes the summary here too.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import OutputError

OK, FAILED = 0, 1


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="替换已有文件，旧文件保存为 NAME.bak.xlsx")
def init(path: Path | None, force: bool) -> None:
    """写出空白的标准工作簿：填写说明、各工作表表头、预填的指标体系、下拉列表和填写提示。

    PATH 默认为当前文件夹下的“部门整体绩效评价工作簿.xlsx”；给出文件夹时写在其中。
    """
    from .init import target, write_blank

    if target(path).suffix.lower() != ".xlsx":
        raise click.UsageError(f"{target(path).name}：工作簿应保存为 .xlsx 文件")
    try:
        written = write_blank(path, force=force)
    except OutputError as exc:
        click.echo(f"未生成工作簿：{exc}", err=True)
        sys.exit(FAILED)
    click.echo(f"已生成 {written}")
    click.echo(f"  先阅读“填写说明”工作表；填写过程中运行 perfreport check {written} 查看还缺少的内容。")



# ---- summary across workbooks ------------------------------------------------

def check_summary_target(summary: Path | None, force: bool) -> None:
    """Refuse, before any work, a summary path that is not .xlsx or cannot be written."""
    if summary is None:
        return
    from .output import check_target

    if summary.suffix.lower() != ".xlsx":
        raise click.UsageError(f"{summary.name}：汇总表应保存为 .xlsx 文件")
    try:
        check_target(summary, force)
    except OutputError as exc:
        click.echo(f"未生成汇总表：{exc}", err=True)
        sys.exit(FAILED)


def summary_written(summary: Path | None, workbooks: list[Path], reports: dict[str, str | None] | None,
                   force: bool) -> bool:
    """Write the summary of `workbooks` to `summary` (nothing when None); return whether it was written."""
    if summary is None:
        return True
    from .summarysheet import write_summary

    try:
        entries, skipped = write_summary(workbooks, summary, force=force, reports=reports)
    except OutputError as exc:
        click.echo(f"未生成汇总表：{exc}", err=True)
        return False
    for path in skipped:
        click.echo(f"  跳过 {path}：这是汇总表本身或 perfreport 生成的其他汇总表")
    failed = [e for e in entries if not e.result.ok]
    notes = f"，其中 {len(failed)} 个有错误（未计分）" if failed else ""
    click.echo(f"已生成汇总表 {summary}：共 {len(entries)} 个工作簿{notes}")
    for entry in failed:
        click.echo(f"  {entry.path}：{len(entry.result.errors)} 个错误", err=True)
    return True


@click.command()
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("汇总.xlsx"),
              show_default=True, help="汇总表路径（.xlsx）")
@click.option("--force", is_flag=True, help="替换已有汇总表，旧文件保存为 NAME.bak.xlsx")
def summary(workbooks: tuple[Path, ...], output: Path, force: bool) -> None:
    """校验各工作簿（不生成报告），写出跨部门的汇总表。

    每个工作簿一行：单位、年度、总分、等级、一级指标得分和得分率、预算执行率、综合满意度、问题数、
    错误和警告数、报告；另有三级指标得分、问题清单和校验问题。有错误的工作簿也列出，带错误数、不计分。
    """
    check_summary_target(output, force)
    sys.exit(OK if summary_written(output, list(workbooks), None, force) else FAILED)


# ---- next year's workbook ----------------------------------------------------

@click.command("next-year")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="新工作簿路径（.xlsx）；默认把文件名中的年度加一，如 2023.xlsx → 2024.xlsx")
@click.option("--force", is_flag=True, help="替换已有文件，旧文件保存为 NAME.bak.xlsx")
def next_year(workbook: Path, output: Path | None, force: bool) -> None:
    """由本年度工作簿生成下一年度的工作簿。

    沿用指标体系、部门职责、工作组等，评价年度加一，收支决算顺延一年，上年数据移入“上年”字段，
    清空并标出本年度数据，首页“填写说明”列出待填写的内容。之后运行 perfreport check 新工作簿.xlsx，
    按工作表列出仍待填写的单元格。
    """
    from .nextyear import NextYearError, make_next_year

    try:
        done = make_next_year(workbook, output, force=force)
    except (NextYearError, OutputError) as exc:
        click.echo(f"未生成下一年度工作簿：{exc}", err=True)
        sys.exit(FAILED)
    click.echo(f"已生成 {done.output}（评价年度 {done.year + 1}）：清空本年度数据 {done.cleared} 个单元格，"
               f"其中 {done.to_fill} 个须填写（浅黄色底）")
    if done.shifted:
        click.echo(f"  收支决算：删除 {done.shifted[0]} 年，新增 {done.shifted[1]} 年一行")
    click.echo(f"  见“{done.year + 1}年度填写说明”工作表；运行 perfreport check {done.output} 查看仍待填写的单元格。")
    sys.exit(OK)


@click.command()
@click.argument("report", type=click.Path(path_type=Path))
def edits(report: Path) -> None:
    """列出编辑在报告中所做的修改（与生成时相比：原文→现文），即 build --force 将带入新报告的内容。"""
    from .edits.command import review

    lines, ok = review(report)
    for line in lines:
        click.echo(line, err=not ok)
    sys.exit(OK if ok else FAILED)



@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="替换已有文件，旧文件保存为 NAME.bak.docx")
def template(path: Path | None, force: bool) -> None:
    """写出可编辑的报告母版模板（.docx）和它的中文说明（可用的块和名称）。

    PATH 默认为当前文件夹下的“部门整体绩效评价报告.docx”；给出文件夹时写在其中。
    在 Word 中修改后用 perfreport build 工作簿.xlsx --template PATH 生成报告。
    """
    from .guide import write_template

    try:
        written, notes = write_template(path or Path("."), force=force)
    except OutputError as exc:
        click.echo(f"未生成模板：{exc}", err=True)
        sys.exit(FAILED)
    click.echo(f"已生成 {written}")
    click.echo(f"  说明见 {notes}：可移动章节、删除附件、改固定文字和样式；编号、目录和附件列表按文中顺序生成。")
    click.echo(f"  使用：perfreport build 工作簿.xlsx --template {written}")
