"""Command line: parse options, call the library, map outcomes to exit codes.

Exit status: 0 success (warnings allowed), 1 a workbook has errors or a report
could not be written, 2 usage error (click's own).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import OutputError
from .models import Result
from .pipeline import build as build_report
from .pipeline import check as check_workbook

OK, FAILED = 0, 1


def _echo_problems(result: Result) -> None:
    for problem in result.errors + result.warnings:
        click.echo(f"  {problem}", err=bool(problem in result.errors))


def _summary(result: Result) -> str:
    return f"{result.source}：{len(result.errors)} 个错误，{len(result.warnings)} 个警告"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfreport")
def main() -> None:
    """perfreport：由评价工作簿生成部门整体绩效评价报告（.docx）。"""


@main.command()
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="每个工作簿输出一行 JSON")
def check(workbooks: tuple[Path, ...], as_json: bool) -> None:
    """校验并计算得分，不生成报告；列出全部错误和警告。"""
    results = [check_workbook(path) for path in workbooks]
    for result in results:
        if as_json:
            click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
            continue
        click.echo(_summary(result))
        _echo_problems(result)
        if result.ok and result.scores:
            click.echo(f"  绩效评价得分：{result.scores.total} 分，评价结果等级：{result.scores.grade}")
    sys.exit(OK if all(r.ok for r in results) else FAILED)


def _outputs(workbooks: tuple[Path, ...], output: Path | None) -> list[Path | None]:
    if output is None:
        return [None] * len(workbooks)
    if len(workbooks) == 1 and output.suffix.lower() == ".docx":
        return [output]
    if output.exists() and not output.is_dir():
        raise click.UsageError("多个工作簿时 -o 应为文件夹")
    return [output / path.with_suffix(".docx").name for path in workbooks]


@main.command()
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="报告路径（一个工作簿）或文件夹（多个工作簿）；默认与工作簿同名 .docx")
@click.option("--force", is_flag=True, help="替换已有报告，旧文件保存为 NAME.bak.docx")
@click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="使用自定义 Word 模板")
def build(workbooks: tuple[Path, ...], output: Path | None, force: bool, template: Path | None) -> None:
    """校验、计算并生成报告。"""
    failed = 0
    for path, target in zip(workbooks, _outputs(workbooks, output)):
        try:
            result = build_report(path, target, force=force, template=template)
        except OutputError as exc:
            click.echo(f"{path.name}：未生成报告：{exc}", err=True)
            failed += 1
            continue
        click.echo(_summary(result))
        _echo_problems(result)
        if result.output:
            click.echo(f"  已生成 {result.output}")
        else:
            click.echo("  有错误，未生成报告", err=True)
            failed += 1
    sys.exit(OK if not failed else FAILED)
