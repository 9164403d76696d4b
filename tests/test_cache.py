"""The prepared template is kept between runs, by content, and is only ever an optimisation."""
from __future__ import annotations

from pathlib import Path

import pytest
from docxtpl import DocxTemplate

from perfreport import prepare
from perfreport.pipeline import build

SAMPLE = Path(__file__).resolve().parent.parent / "sample_workbooks" / "shizhong_gxj_2023.xlsx"


@pytest.fixture
def preparations(monkeypatch):
    """Count docxtpl's template preparations (patch_xml calls), in a process that has prepared nothing yet."""
    monkeypatch.setattr(prepare, "MEMORY", {})
    calls = []
    real = DocxTemplate.patch_xml
    monkeypatch.setattr(DocxTemplate, "patch_xml", lambda self, xml: (calls.append(1), real(self, xml))[1])
    return calls


def test_the_second_build_reuses_the_prepared_template(tmp_path, monkeypatch, preparations):
    monkeypatch.setenv("PERFREPORT_CACHE", str(tmp_path / "cache"))
    build(SAMPLE, tmp_path / "first.docx")
    first = len(preparations)
    build(SAMPLE, tmp_path / "second.docx")
    assert first > 0 and len(preparations) == first  # nothing prepared again
    assert any(p.name.startswith("__jinja2_") for p in (tmp_path / "cache").iterdir())
    assert (tmp_path / "first.docx").read_bytes() == (tmp_path / "second.docx").read_bytes()


def test_a_changed_template_is_never_served_stale(tmp_path, monkeypatch):
    from docx import Document

    from perfreport.render import template_path
    monkeypatch.setenv("PERFREPORT_CACHE", str(tmp_path / "cache"))
    build(SAMPLE, tmp_path / "before.docx")
    custom = Document(str(template_path()))
    custom.paragraphs[-1].add_run("（本所定制模板）")
    custom.save(tmp_path / "custom.docx")
    build(SAMPLE, tmp_path / "after.docx", template=tmp_path / "custom.docx")
    assert "本所定制模板" in "".join(p.text for p in Document(str(tmp_path / "after.docx")).paragraphs)


@pytest.mark.parametrize("setting", ["off", "/proc/no-such-folder/cache"])
def test_without_a_usable_cache_the_report_is_the_same(tmp_path, monkeypatch, setting):
    monkeypatch.setenv("PERFREPORT_CACHE", str(tmp_path / "cache"))
    build(SAMPLE, tmp_path / "cached.docx")
    monkeypatch.setenv("PERFREPORT_CACHE", setting)
    result = build(SAMPLE, tmp_path / "plain.docx")
    assert result.ok
    assert (tmp_path / "cached.docx").read_bytes() == (tmp_path / "plain.docx").read_bytes()
