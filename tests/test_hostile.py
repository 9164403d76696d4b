"""Hostile files: refused quickly, in little memory, with a clear message.

Each file is checked by `python -m perfreport check` in a child of a small
measuring process, so that the time includes starting Python and the peak
memory (ru_maxrss of the children) is that one run's. The bounds are the
issue's: under 2 seconds and under 200 MB. Time is asserted as the child's CPU
time (user + system), which a busy CI machine does not inflate; the wall time
is printed and only bounded loosely, to catch a hang.
"""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bad_workbooks.generate import _sample_parts, _write_parts, by_name, make

from perfreport import pipeline

MAX_SECONDS = 2.0
MAX_WALL_SECONDS = 10.0  # a hang, not a slow machine
MAX_MEGABYTES = 200
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = usage.ru_maxrss / 2**20 if sys.platform == "darwin" else usage.ru_maxrss / 2**10
print(json.dumps({"code": done.returncode, "seconds": elapsed, "cpu": usage.ru_utime + usage.ru_stime,
                  "megabytes": peak,
                  "output": (done.stdout + done.stderr).decode("utf-8", "replace")}))
"""
HOSTILE = ["xml_entity_bomb", "xml_entity_bomb_hidden", "zip_bomb", "fifty_mb", "huge_merged_area",
           "stray_cell_at_xfd1048576"]


def measure(*args: object) -> dict:
    """Return exit code, wall and CPU seconds, peak megabytes and output of `python -m perfreport ARGS`."""
    done = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "perfreport", *map(str, args)],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    return {name: make(by_name(name), folder) for name in HOSTILE}


@pytest.mark.parametrize("name", HOSTILE)
def test_refused_quickly_in_little_memory(files, name):
    path, where = files[name]
    case = by_name(name)
    run = measure("check", path)
    # the numbers, for the note: pytest -s prints them
    print(f"\n{name}: {path.stat().st_size / 2**20:.1f} MB file, {run['seconds']:.2f} s wall, "
          f"{run['cpu']:.2f} s CPU, {run['megabytes']:.0f} MB peak")
    assert "Traceback" not in run["output"]
    if case.outcome == "ok":
        assert run["code"] == 0, run["output"]
    else:
        assert run["code"] == 1
        assert f"[{case.code}] {where}：" in run["output"] and case.says in run["output"], run["output"]
    assert run["cpu"] < MAX_SECONDS and run["seconds"] < MAX_WALL_SECONDS
    assert run["megabytes"] < MAX_MEGABYTES


def test_the_zip_bomb_is_real_and_never_unpacked(files, monkeypatch):
    path, _ = files["zip_bomb"]
    with zipfile.ZipFile(path) as archive:
        sheet = max(archive.infolist(), key=lambda i: i.file_size)
        assert sheet.file_size >= 2 * 2**30 and path.stat().st_size < 4 * 2**20
        with archive.open(sheet) as part:
            head = part.read(2**20)
        assert head.lstrip().startswith(b"<") and head.endswith(b" " * 1024)
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: (
        opened.append(getattr(name, "filename", name)), real_open(self, name, *a, **k))[1])
    assert [p.code for p in pipeline.check(path).errors] == ["zip-bomb"]
    assert opened == []  # sizes come from the zip directory, nothing is inflated


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                                  "xl/worksheets/sheet1.xml"])
def test_a_doctype_in_any_part_read_stops_the_parser(tmp_path, part):
    """The reader's parser refuses a DOCTYPE in whichever part it reads, before any entity is defined."""
    parts = _sample_parts()
    parts[part] = b'<!DOCTYPE x [<!ENTITY a "b">]>' + parts[part].split(b"?>", 1)[-1]
    bomb = tmp_path / "bomb.xlsx"
    _write_parts(bomb, parts)
    assert [(p.code, p.location) for p in pipeline.check(bomb).errors] == [("xml-bomb", "bomb.xlsx")]
    assert f"{part} 含有 XML 实体定义（DOCTYPE）" in pipeline.check(bomb).errors[0].message


def test_the_entity_bomb_is_a_real_one(files):
    path, _ = files["xml_entity_bomb"]
    with zipfile.ZipFile(path) as archive:
        xml = next(archive.read(n) for n in archive.namelist() if b"<!DOCTYPE" in archive.read(n))
    assert xml.count(b"<!ENTITY") == 10 and b"&lol9;" in xml
