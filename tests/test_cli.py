"""The command line: check output by sheet, single and batch builds, the --pdf hook."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfreport import cli, pipeline
from perfreport.batch import Outcome, build_many
from perfreport.init import write_blank

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
SAMPLE_WARNINGS = 7
BLANK_ERRORS = 32 + 14  # a blank `init` workbook: its required key-value fields and its 手工 scores, all at once


def _invoke(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


@pytest.fixture()
def books(tmp_path) -> dict[str, Path]:
    """Two good workbooks, one that is not a workbook, one with errors."""
    folder = tmp_path / "in"
    folder.mkdir()
    paths = {name: folder / f"{name}.xlsx" for name in ("a", "b", "broken", "blank")}
    shutil.copy(SAMPLE, paths["a"])
    shutil.copy(SAMPLE, paths["b"])
    paths["broken"].write_text("序号,名称\n1,不是工作簿\n", encoding="utf-8")
    write_blank(paths["blank"])
    return paths


# ---- check ----------------------------------------------------------------

def test_check_groups_problems_under_their_sheet():
    result = _invoke("check", SAMPLE)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"{SAMPLE.name}：0 个错误，{SAMPLE_WARNINGS} 个警告"
    assert lines[1] == "  【指标体系】2 个警告"
    assert lines[2].startswith("    警告 [override-differs] 指标体系!H15：")
    assert "  【问卷】5 个警告" in lines
    assert lines[-1] == "  绩效评价得分：70.43 分，评价结果等级：中"


def test_check_json_shape():
    data = json.loads(_invoke("check", "--json", SAMPLE).stdout)
    assert set(data) == {"source", "errors", "warnings", "hints", "skipped", "indicators", "total", "grade", "figures"}
    assert data["total"] == "70.43" and len(data["warnings"]) == SAMPLE_WARNINGS


def test_check_of_a_file_that_is_not_a_workbook(books):
    result = _invoke("check", books["broken"])
    assert result.exit_code == 1
    assert "  【工作簿】1 个错误" in result.output
    assert "错误 [not-xlsx] broken.xlsx：" in result.output
    assert "Traceback" not in result.output


# ---- one workbook: the output as it has always been -------------------------

def test_single_build_output(books, tmp_path):
    target = tmp_path / "报告.docx"
    result = _invoke("build", books["a"], "-o", target)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"a.xlsx：0 个错误，{SAMPLE_WARNINGS} 个警告"
    assert all(line.startswith("  警告 [") for line in lines[1:-1])
    assert lines[-1] == f"  已生成 {target}"
    assert target.exists()

    again = _invoke("build", books["a"], "-o", target)
    assert again.exit_code == 1
    assert again.stderr.startswith("a.xlsx：未生成报告：") and "--force" in again.stderr


def test_single_build_with_errors(books):
    result = _invoke("build", books["blank"])
    assert result.exit_code == 1
    assert result.stdout == f"blank.xlsx：{BLANK_ERRORS} 个错误，0 个警告\n"
    assert result.stderr.endswith("  有错误，未生成报告\n")
    assert not books["blank"].with_suffix(".docx").exists()


# ---- batches ----------------------------------------------------------------

def test_batch_builds_the_others_and_exits_1(books, tmp_path):
    out = tmp_path / "out"  # created by the batch
    result = _invoke("build", books["a"], books["broken"], books["blank"], books["b"], "-o", out, "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "b.docx"]
    finished = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert len(finished) == 4 and {line[:5] for line in finished} == {"[1/4]", "[2/4]", "[3/4]", "[4/4]"}
    assert any(line.endswith(f"a.xlsx：已生成 {out / 'a.docx'}（{SAMPLE_WARNINGS} 个警告）") for line in finished)
    assert "完成：共 4 个工作簿，2 个已生成，2 个失败" in result.stdout
    summary = result.stderr.splitlines()
    assert summary[0] == "失败的工作簿："
    assert summary[1] == f"  {books['broken']}：错误 [not-xlsx] broken.xlsx：不是 Excel 工作簿（.xlsx）：" \
                         "可能是 CSV 或其他文件改了扩展名，请用 Excel 另存为 .xlsx"
    assert summary[2] == f"  {books['blank']}：错误 [missing-value] 基本信息!B2：缺少必填项“被评价单位”（共 {BLANK_ERRORS} 个错误）"
    assert "Traceback" not in result.output


def test_batch_all_good_exits_0_and_writes_beside_the_workbooks(books):
    result = _invoke("build", books["a"], books["b"])
    assert result.exit_code == 0, result.output
    assert books["a"].with_suffix(".docx").exists() and books["b"].with_suffix(".docx").exists()
    assert "完成：共 2 个工作簿，2 个已生成，0 个失败" in result.stdout
    assert result.stderr == ""


def test_an_exception_in_one_workbook_does_not_stop_the_others(books, monkeypatch, tmp_path):
    real = pipeline.build

    def flaky(path, *args, **kwargs):
        if Path(path).name == "b.xlsx":
            raise RuntimeError("模拟的程序错误")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "build", flaky)
    outcomes = list(build_many([(books["b"], tmp_path / "b.docx"), (books["blank"], tmp_path / "c.docx")], jobs=1))
    assert [o.ok for o in outcomes] == [False, False]
    assert outcomes[0].first_error == "内部错误（RuntimeError）：模拟的程序错误"
    assert outcomes[1].first_error.startswith("错误 [missing-value]")


def test_existing_report_fails_only_its_workbook(books, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.docx").write_bytes(b"edited by an editor")
    result = _invoke("build", books["a"], books["blank"], "-o", out)
    assert result.exit_code == 1
    assert (out / "a.docx").read_bytes() == b"edited by an editor"
    assert f"  {books['a']}：未生成报告：" in result.stderr and "--force" in result.stderr


def test_progress_is_one_updating_line_on_a_terminal(books, monkeypatch):
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    result = _invoke("build", books["broken"], books["blank"], "--jobs", "1")
    assert result.exit_code == 1
    assert not any(line.startswith("[1/2]") for line in result.stdout.splitlines())
    assert "完成：共 2 个工作簿，0 个已生成，2 个失败" in result.stdout


def test_jobs_with_one_workbook_uses_the_batch_summary(books, tmp_path):
    result = _invoke("build", books["blank"], "--jobs", "1")
    assert result.exit_code == 1
    assert result.stdout.startswith("[1/1] ")
    assert "完成：共 1 个工作簿，0 个已生成，1 个失败" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--jobs", "-1"], "-1"),
    (["-o", "x.docx"], "-o 应为文件夹"),
])
def test_batch_usage_errors(books, tmp_path, args, message):
    result = _invoke("build", books["a"], books["b"], *[a.replace("x.docx", str(tmp_path / "x.docx")) for a in args])
    assert result.exit_code == 2 and message in result.output


def test_two_workbooks_with_the_same_report_name_is_a_usage_error(books, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(books["a"], other / "a.xlsx")
    result = _invoke("build", books["a"], other / "a.xlsx", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "a.docx" in result.output
    assert not (tmp_path / "out").exists()


def test_outcome_is_ok_only_with_a_report():
    assert Outcome("a.xlsx", "a.docx").ok
    assert not Outcome("a.xlsx", first_error="x").ok


# ---- --pdf ----------------------------------------------------------------------

def test_pdf_is_skipped_cleanly_without_libreoffice(books, tmp_path, monkeypatch):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no soffice, no libreoffice
    target = tmp_path / "r.docx"
    result = _invoke("build", books["a"], "-o", target, "--pdf")
    assert result.exit_code == 0, result.output
    assert target.exists() and not list(tmp_path.glob("*.pdf"))
    assert "警告 [pdf-unavailable]" in result.output and "Traceback" not in result.output
    assert result.stdout.splitlines()[-1] == f"  已生成 {target}"

    out = tmp_path / "out"
    result = _invoke("build", books["b"], books["blank"], "-o", out, "--pdf", "--jobs", "2")
    assert result.exit_code == 1  # blank has errors; b is built, without a PDF
    assert [p.name for p in out.iterdir()] == ["b.docx"]
    assert f"b.xlsx：已生成 {out / 'b.docx'}（{SAMPLE_WARNINGS + 1} 个警告）" in result.stdout


def test_toc_pages_is_skipped_cleanly_without_libreoffice(books, tmp_path, monkeypatch):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    target = tmp_path / "r.docx"
    result = _invoke("build", books["a"], "-o", target, "--toc-pages")
    assert result.exit_code == 0, result.output
    assert target.exists() and not list(tmp_path.glob("*.pdf"))
    assert "警告 [toc-pages-unavailable]" in result.output and "目录页码未填入" in result.output


def test_several_workbooks_without_jobs_build_one_at_a_time(books, monkeypatch):
    import perfreport.batch as batch

    seen = {}

    def fake(items, *, jobs, **kwargs):
        seen["jobs"] = jobs
        return iter([Outcome(str(path), str(path.with_suffix(".docx"))) for path, _ in items])

    monkeypatch.setattr(batch, "build_many", fake)
    result = _invoke("build", books["a"], books["b"])
    assert result.exit_code == 0 and seen["jobs"] == 1
    result = _invoke("build", books["a"], books["b"], "--jobs", "0")
    assert seen["jobs"] == batch.workers(0) >= 1
