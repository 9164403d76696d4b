"""Command line: parse options, call the library, map outcomes to exit codes.

Exit status: 0 success (warnings allowed), 1 a workbook has errors or a report
could not be written, 2 usage error (click's own), 130 interrupted (Ctrl-C or
SIGTERM: one Chinese line, nothing half-written left behind).
"""
from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import click

from . import __version__
from .cli_workbooks import check_summary_target, edits, init, next_year, summary, summary_written, template
from .contract import SHEETS
from .errors import OutputError, Problem, Severity
from .models import Result
from .pipeline import build as build_report
from .pipeline import check as check_workbook

OK, FAILED, INTERRUPTED = 0, 1, 130
INTERRUPTED_LINE = "已中断：未完成的报告没有写入，也没有留下临时文件"
SHOWN_PER_CODE = 50  # problems of one kind printed per sheet; --json lists them all
WORKBOOK_GROUP = "工作簿"  # problems about the file itself (a missing sheet, an unreadable file)


def _echo_problems(result: Result) -> None:
    for problem in result.errors + result.warnings:
        click.echo(f"  {problem}", err=bool(problem in result.errors))


def _summary(result: Result) -> str:
    return f"{result.source}：{len(result.errors)} 个错误，{len(result.warnings)} 个警告"


def _sheet_of(problem: Problem) -> str:
    sheet = problem.location.split("!", 1)[0]
    return sheet if any(s.name == sheet for s in SHEETS) else WORKBOOK_GROUP


def _counts(problems: list[Problem]) -> str:
    """Return “1 个错误，2 个警告，3 个提示”, leaving out the kinds there are none of."""
    words = ((Severity.ERROR, "错误"), (Severity.WARNING, "警告"), (Severity.HINT, "提示"))
    counted = ((sum(p.severity is severity for p in problems), word) for severity, word in words)
    return "，".join(f"{n} 个{word}" for n, word in counted if n)


def _echo_by_sheet(result: Result) -> None:
    """Print the problems on stdout under their sheet, in workbook order, then the checks that could not run."""
    groups: dict[str, list[Problem]] = {}
    for problem in result.problems:  # the pipeline returns them in workbook order
        groups.setdefault(_sheet_of(problem), []).append(problem)
    for sheet in [WORKBOOK_GROUP] + [s.name for s in SHEETS]:
        problems = groups.get(sheet, [])
        if not problems:
            continue
        click.echo(f"  【{sheet}】{_counts(problems)}")
        shown: dict[str, int] = {}
        for problem in problems:
            shown[problem.code] = shown.get(problem.code, 0) + 1
            if shown[problem.code] <= SHOWN_PER_CODE:
                click.echo(f"    {problem}")
        for code, count in shown.items():
            if count > SHOWN_PER_CODE:
                click.echo(f"    ……另有 {count - SHOWN_PER_CODE} 个同类问题 [{code}]（check --json 列出全部）")
    if result.skipped:
        click.echo("  尚未进行的检查：")
        for line in result.skipped:
            click.echo(f"    {line}")


def _terminated(signum, frame) -> None:
    raise KeyboardInterrupt  # unwinds like Ctrl-C: temporary files are removed on the way out


def _interrupted() -> None:
    click.echo(INTERRUPTED_LINE, err=True)
    sys.exit(INTERRUPTED)  # SystemExit passes click's own handling, which would print "Aborted!"


class _Commands(click.Group):
    """click's group, where an interruption (Ctrl-C, SIGTERM) is one Chinese line and exit 130, not "Aborted!"."""

    def main(self, *args, **kwargs):
        previous = signal.signal(signal.SIGTERM, _terminated)
        try:
            return super().main(*args, **kwargs)
        finally:
            signal.signal(signal.SIGTERM, previous)

    def make_context(self, *args, **kwargs) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            _interrupted()

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _interrupted()


IMAGE_DIR = click.option(
    "--image-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="工作簿引用的图片（二维码图片）所在的文件夹；默认为工作簿所在文件夹，图片须在其中")


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfreport")
def main() -> None:
    """perfreport：由评价工作簿生成部门整体绩效评价报告（.docx）。"""


def _echo_explanations(result: Result) -> None:
    """Print how every indicator's score came about (`check --explain`)."""
    click.echo("  【评分过程】")
    for item in result.scores.indicators:
        if item.explanation is not None:
            for line in item.explanation.text():
                click.echo(f"    {line}")
    for name, grade in result.scores.level1_grades.items():
        click.echo(f"    一级指标“{name}”得分率 {item_rate(result, name)}，等级：{grade}")


def item_rate(result: Result, name: str) -> str:
    from .fmt import rate

    return rate(next(g.rate for g in result.scores.level1 if g.name == name))


@main.command()
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="每个工作簿输出一行 JSON")
@click.option("--explain", is_flag=True,
              help="列出每个指标得分的由来：输入及其单元格、评分参数、算式、舍入、填写得分的覆盖及差额")
@click.option("--quality", is_flag=True,
              help="在内存中生成报告，按报告质量评分表中可机器核对的各项自评（封面和报告要素、散总一致、评分与等级、"
                   "表号、问题与建议、问题清单、提纲），逐项列出通过与否及位置；有未通过项时退出码仍为 0")
@click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="--quality 自评时使用的报告模板（同 build --template）")
@IMAGE_DIR
def check(workbooks: tuple[Path, ...], as_json: bool, explain: bool, quality: bool, template: Path | None,
          image_dir: Path | None) -> None:
    """校验并计算得分，不生成报告；按工作表列出全部错误、警告和提示（标准输出）。"""
    if template and not quality:
        raise click.UsageError("--template 只用于 --quality（check 本身不生成报告）")
    if quality:
        _check_quality(workbooks, as_json, template, image_dir)
        return
    results = [check_workbook(path, images=image_dir) for path in workbooks]
    for result in results:
        if as_json:
            click.echo(json.dumps(result.as_dict(explain=explain), ensure_ascii=False))
            continue
        hints = f"，{len(result.hints)} 个提示" if result.hints else ""
        click.echo(_summary(result) + hints)
        _echo_by_sheet(result)
        if result.ok and result.scores:
            if explain:
                _echo_explanations(result)
            click.echo(f"  绩效评价得分：{result.scores.total} 分，评价结果等级：{result.scores.grade}")
        elif not result.ok:
            click.echo("  请按以上位置补充或更正后再次运行 check。")
    sys.exit(OK if all(r.ok for r in results) else FAILED)


def _check_quality(workbooks: tuple[Path, ...], as_json: bool, template: Path | None, image_dir: Path | None) -> None:
    """`check --quality`: each workbook's assessment; failing items are no errors, the workbook's and template's are."""
    from .quality import assess

    outcomes = [assess(path, template=template, images=image_dir) for path in workbooks]
    for result, assessment in outcomes:
        if as_json:
            click.echo(json.dumps({**result.as_dict(), "quality": assessment.as_dict() if assessment else None},
                                  ensure_ascii=False))
            continue
        click.echo(_summary(result) + (f"，{len(result.hints)} 个提示" if result.hints else "")
                   + ("（问题清单见 perfreport check）" if result.ok and result.problems else ""))
        if assessment is None:
            _echo_by_sheet(result)
            click.echo("  报告无法生成，不能自评：请按以上位置更正后再次运行 check --quality。")
            continue
        for problem in result.errors:
            click.echo(f"  {problem}")
        for line in assessment.lines():
            click.echo(f"  {line}")
    sys.exit(OK if all(result.ok for result, _ in outcomes) else FAILED)


def _outputs(workbooks: tuple[Path, ...], output: Path | None) -> list[Path | None]:
    """Return each workbook's report path: with one workbook -o names the file, with several a folder."""
    if output is None:
        return [None] * len(workbooks)
    if len(workbooks) == 1:
        if output.suffix.lower() != ".docx":
            raise click.UsageError(f"-o {output}：报告应保存为 .docx 文件（一个工作簿时 -o 是报告的文件名）")
        return [output]
    if output.exists() and not output.is_dir():
        raise click.UsageError(f"多个工作簿时 -o 应为文件夹，{output} 是一个文件")
    if not output.exists() and output.suffix.lower() == ".docx":
        raise click.UsageError("多个工作簿时 -o 应为文件夹")
    return [output / path.with_suffix(".docx").name for path in workbooks]


def _build_single(path: Path, target: Path | None, force: bool, template: Path | None, pdf: bool,
                  images: Path | None = None, summary: Path | None = None, discard_edits: bool = False,
                  toc_pages: bool = False) -> None:
    """One workbook without --jobs: the plain output, as it has always been."""
    try:
        result = build_report(path, target, force=force, template=template, pdf=pdf, images=images,
                              discard_edits=discard_edits, toc_pages=toc_pages)
    except OutputError as exc:
        click.echo(f"{path.name}：未生成报告：{exc}", err=True)
        summary_written(summary, [path], {str(path): None}, force)
        sys.exit(FAILED)
    click.echo(_summary(result))
    _echo_problems(result)
    if result.output:
        click.echo(f"  已生成 {result.output}")
        if result.pdf:
            click.echo(f"  已生成 {result.pdf}")
        sys.exit(OK if summary_written(summary, [path], {str(path): result.output}, force) else FAILED)
    click.echo("  有错误，未生成报告", err=True)
    summary_written(summary, [path], {str(path): None}, force)
    sys.exit(FAILED)


def _interactive() -> bool:
    """Whether progress can be a single updating line (stdout is a terminal)."""
    return sys.stdout.isatty()


def _finished_line(done: int, total: int, outcome) -> str:
    """Return the line a finished workbook prints, and under it what merging its editors' changes found."""
    name = outcome.source
    if outcome.ok:
        notes = f"（{outcome.warnings} 个警告）" if outcome.warnings else ""
        written = f"{outcome.output}、{outcome.pdf}" if outcome.pdf else outcome.output
        return "\n".join([f"[{done}/{total}] {name}：已生成 {written}{notes}"] + [f"    {e}" for e in outcome.edits])
    return f"[{done}/{total}] {name}：失败：{outcome.first_error}"


def _build_batch(items: list[tuple[Path, Path | None]], jobs: int | None, force: bool,
                 template: Path | None, pdf: bool, images: Path | None = None, summary: Path | None = None,
                 discard_edits: bool = False, toc_pages: bool = False) -> None:
    """Several workbooks (or --jobs): parallel builds, progress, then a summary."""
    from .batch import build_many, workers

    total = len(items)
    outcomes = []
    stream = build_many(items, jobs=workers(1 if jobs is None else jobs), force=force, template=template, pdf=pdf,
                        images=images, discard_edits=discard_edits, toc_pages=toc_pages)
    if _interactive():
        with click.progressbar(length=total, label="生成报告", show_pos=True, show_eta=True,
                               item_show_func=lambda o: Path(o.source).name if o else "") as bar:
            for outcome in stream:
                outcomes.append(outcome)
                bar.update(1, outcome)
        for outcome in [o for o in outcomes if o.edits]:  # the bar showed no lines: the editors' conflicts now
            click.echo(outcome.source)
            for line in outcome.edits:
                click.echo(f"  {line}")
    else:
        for outcome in stream:
            outcomes.append(outcome)
            click.echo(_finished_line(len(outcomes), total, outcome))
    failed = [o for o in outcomes if not o.ok]
    click.echo(f"完成：共 {total} 个工作簿，{total - len(failed)} 个已生成，{len(failed)} 个失败")
    if failed:
        order = {str(path): n for n, (path, _) in enumerate(items)}
        click.echo("失败的工作簿：", err=True)
        for outcome in sorted(failed, key=lambda o: order.get(o.source, 0)):
            more = f"（共 {outcome.errors} 个错误）" if outcome.errors > 1 else ""
            click.echo(f"  {outcome.source}：{outcome.first_error}{more}", err=True)
        click.echo("  运行 perfreport check 工作簿.xlsx 可查看全部错误和警告。", err=True)
    written = summary_written(summary, [path for path, _ in items], {o.source: o.output for o in outcomes}, force)
    sys.exit(OK if not failed and written else FAILED)


@main.command()
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="报告路径（一个工作簿）或文件夹（多个工作簿）；默认与工作簿同名 .docx")
@click.option("--force", is_flag=True, help="替换已有报告，带入编辑在其中的修改（冲突以修订标出），旧文件保存为 NAME.bak.docx")
@click.option("--discard-edits", is_flag=True, help="替换已有报告、不带入编辑的修改（旧文件仍保存为 NAME.bak.docx）")
@click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="使用自定义 Word 模板")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=None,
              help="并行生成的进程数（默认 1；0 表示每个 CPU 核一个）；显示进度并在最后汇总")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF，并填入目录页码（未安装时跳过并提示）")
@click.option("--toc-pages", is_flag=True,
              help="用 LibreOffice 排版一次，填入目录页码（不生成 PDF；Word 打开时不再提示更新域）；未安装时跳过并提示")
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path),
              help="另写一个汇总表（.xlsx）：每个工作簿一行，附三级指标得分、问题清单和校验问题")
@IMAGE_DIR
def build(workbooks: tuple[Path, ...], output: Path | None, force: bool, template: Path | None,
          jobs: int | None, pdf: bool, summary: Path | None, discard_edits: bool, image_dir: Path | None,
          toc_pages: bool) -> None:
    """校验、计算并生成报告；多个工作簿时逐个汇报进度，某个失败不影响其他。"""
    targets = _outputs(workbooks, output)
    if len(workbooks) == 1 and jobs is None:
        check_summary_target(summary, force)
        _build_single(workbooks[0], targets[0], force, template, pdf, image_dir, summary, discard_edits, toc_pages)
    seen: dict[Path, Path] = {}
    for path, target in zip(workbooks, targets):
        final = (target or path.with_suffix(".docx")).resolve()
        if final in seen:
            raise click.UsageError(f"{seen[final]} 和 {path} 的报告都将写到 {final}：请分别生成或改名")
        seen[final] = path
    if output is not None and targets[0] is not None and targets[0].parent == output:
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise click.UsageError(f"无法创建输出文件夹 {output}：{exc.strerror or exc}") from None
    check_summary_target(summary, force)
    _build_batch(list(zip(workbooks, targets)), jobs, force, template, pdf, image_dir, summary, discard_edits,
                 toc_pages)


for command in (init, summary, next_year, edits, template):
    main.add_command(command)
