"""The body's check and deflating on a spare core (perfreport.sink): the child's answer is this process's.

- The deflated part is byte for byte the one deflated here; expat's message
  for XML that is not well-formed is the same words.
- A report built with the child is the report built without it.
- A child that dies midway loses nothing: render renders again in this
  process. A build that stops early ends its child.
- Small parts, and batches whose builds take every core, keep the steps here.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from perfreport import bodyxml, opc, render, sink
from perfreport.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# a body of many paragraphs, some Chinese: several pipe-fulls
BODY = [f'<w:document {W}><w:body>'.encode()] + [
    f"<w:p><w:r><w:t>第 {n} 段：绩效评价 &amp; 得分</w:t></w:r></w:p>".encode() for n in range(60_000)
] + [b"</w:body></w:document>"]


@pytest.fixture
def spare(monkeypatch):
    """Every part goes to a child, whatever the machine's cores."""
    monkeypatch.setattr(sink, "SPARE_FROM", 0)
    monkeypatch.setattr(sink, "_spare_core", lambda: True)


def _through(part: sink.Part, pieces: list[bytes]) -> opc.Compressed:
    spare = part.spare
    part.expect(0)
    assert (part.child is not None) == spare  # the steps went where they were meant to
    for piece in pieces:
        part.feed(piece)
    return part.close()


def test_the_child_deflates_the_part_as_this_process_does(spare):
    here, there = sink.Part(spare=False), sink.Part(spare=True)
    expected = _through(here, BODY)
    got = _through(there, BODY)
    assert (got.data, got.crc, got.size) == (expected.data, expected.crc, expected.size)
    assert got.size == sum(map(len, BODY))


@pytest.mark.parametrize("pieces", [
    [b"<w:body " + W.encode() + b"><w:p>", b"</w:r></w:body>"],  # a tag closed that is not open
    [b"<w:body " + W.encode() + b"><x:y/></w:body>"],  # a prefix no namespace is declared for
    [b"<w:body " + W.encode() + b"><w:p>"],  # the part ends inside an element
    BODY[:-1] + [b"<w:p>&nbsp;</w:p>"] + BODY[-1:],  # an entity XML does not know, far into the part
])
def test_the_child_says_what_expat_says_of_xml_that_is_not_well_formed(spare, pieces):
    with pytest.raises(bodyxml.NotWellFormed) as here:
        _through(sink.Part(spare=False), pieces)
    with pytest.raises(bodyxml.NotWellFormed) as there:
        _through(sink.Part(spare=True), pieces)
    assert str(there.value) == str(here.value)


def test_a_report_built_with_the_child_is_the_report_built_without(spare, tmp_path, monkeypatch):
    assert build(SAMPLE, tmp_path / "with.docx").ok
    monkeypatch.setattr(sink, "_spare_core", lambda: False)
    assert build(SAMPLE, tmp_path / "without.docx").ok
    assert (tmp_path / "with.docx").read_bytes() == (tmp_path / "without.docx").read_bytes()


def test_a_child_lost_midway_raises_lost(spare):
    part = sink.Part(spare=True)
    part.expect(0)
    part.feed(BODY[0])
    part.child.kill()
    part.child.wait()
    with pytest.raises(sink.Lost):
        for piece in BODY[1:]:
            part.feed(piece)
        part.close()


def test_render_renders_again_here_when_the_child_is_lost(spare, tmp_path, monkeypatch):
    assert build(SAMPLE, tmp_path / "expected.docx").ok
    started = []

    def dying():
        child = start()
        started.append(child)
        child.kill()
        return child
    start = sink._start
    monkeypatch.setattr(sink, "_start", dying)
    assert build(SAMPLE, tmp_path / "again.docx").ok
    assert len(started) == 1  # the second render kept the steps here
    assert (tmp_path / "again.docx").read_bytes() == (tmp_path / "expected.docx").read_bytes()


def test_a_build_that_stops_early_ends_its_child(spare, monkeypatch, tmp_path):
    children = []
    start = sink._start
    monkeypatch.setattr(sink, "_start", lambda: children.append(start()) or children[-1])
    monkeypatch.setattr(render.tables.TablePass, "feed", lambda self, xml: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        build(SAMPLE, tmp_path / "never.docx")
    [child] = children
    assert child.returncode is not None  # ended and waited for: no process left behind


def test_small_parts_and_busy_cores_keep_the_steps_here(monkeypatch):
    part = sink.Part(spare=True)
    part.expect(sink.SPARE_FROM - 1)
    assert part.child is None
    monkeypatch.setattr(sink, "BUILDS_AT_ONCE", os.cpu_count() or 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(os.cpu_count() or 1)), raising=False)
    assert not sink._spare_core()
    part.expect(sink.SPARE_FROM)
    assert part.child is None
