"""Hostile files: refused quickly, in little memory, with a clear message.

Each file is checked by `python -m perfreport check` in a child of a small
measuring process, under a cap on its address space (250 MB, the issue's
memory bound): a reader that needed more would fail with MemoryError and the
expected message would not come. The peak resident memory (ru_maxrss) is also
asserted under the bound. Time is not asserted (a loaded CI machine would
make that flaky); it is printed (`pytest -s`), and benchmarks/hostile.py
measures it as the median of several runs. A hang is caught by a timeout.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bad_workbooks.generate import CASES, _sample_parts, _write_parts, by_name, make

from perfreport import pipeline

HANG_SECONDS = 120
MAX_MEGABYTES = 250
MEASURE = """
import json, resource, subprocess, sys, time
cap = int(sys.argv[1]) * 2**20
limit = lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], capture_output=True, preexec_fn=limit)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = usage.ru_maxrss / 2**20 if sys.platform == "darwin" else usage.ru_maxrss / 2**10
print(json.dumps({"code": done.returncode, "seconds": elapsed, "cpu": usage.ru_utime + usage.ru_stime,
                  "megabytes": peak,
                  "output": (done.stdout + done.stderr).decode("utf-8", "replace")}))
"""
HOSTILE = [c.name for c in CASES if c.hostile]


def measure(*args: object) -> dict:
    """Return exit code, wall and CPU seconds, peak megabytes and output of `python -m perfreport ARGS`."""
    done = subprocess.run([sys.executable, "-c", MEASURE, str(MAX_MEGABYTES), sys.executable, "-m", "perfreport",
                           *map(str, args)], capture_output=True, text=True, timeout=HANG_SECONDS, check=True)
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


# ---- the picture a workbook names (基本信息 二维码图片) -------------------------------------------

QR_CELL = "基本信息!B23"


def _chunk(kind: bytes, data: bytes) -> bytes:
    import struct
    import zlib

    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR chunk declaring width × height, and nothing after."""
    import struct

    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))


def _png_of(width: int, height: int) -> bytes:
    """A real grey PNG of width × height."""
    import random
    import zlib

    rng = random.Random(1)
    rows = b"".join(b"\0" + bytes(rng.randrange(256) for _ in range(width * 3)) for _ in range(height))
    return _png_header(width, height) + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")


def _pixel_bomb() -> bytes:
    """A well-formed 100,000 × 100,000 PNG of a few hundred bytes (its rows would inflate to 30 GB)."""
    import zlib

    return _png_header(100_000, 100_000) + _chunk(b"IDAT", zlib.compress(b"\0" * 30_001)) + _chunk(b"IEND", b"")


def _sparse(path: Path, head: bytes, size: int) -> Path:
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)  # a hole: no disk used, but a reader that reads it all needs `size` bytes
    return path


@pytest.fixture(scope="module")
def pictures(tmp_path_factory, sample) -> dict[str, Path]:
    """One workbook per hostile picture, each in its own folder beside the picture it names."""
    from test_bad_workbooks import _png, _with_qr

    root = tmp_path_factory.mktemp("pictures")
    secret = root / "id_card.png"
    secret.write_bytes(_png())
    made = {}
    writers = {
        "sparse_3_gb": lambda folder: _sparse(folder / "qr.png", _png_header(300, 300), 3 * 2**30).name,
        "sparse_200_mb": lambda folder: _sparse(folder / "qr.png", _png_header(300, 300), 200 * 2**20).name,
        "signature_then_garbage": lambda folder: (folder / "qr.png").write_bytes(_png_header(8, 8) + b"garbage" * 50)
        and "qr.png",
        "truncated": lambda folder: (folder / "qr.png").write_bytes(_png_of(64, 64)[:-40]) and "qr.png",
        "pixel_bomb": lambda folder: (folder / "qr.png").write_bytes(_pixel_bomb()) and "qr.png",
        "outside_the_folder": lambda folder: "../id_card.png",
        "absolute_outside": lambda folder: str(secret),
        "symlink_outside": lambda folder: ((folder / "qr.png").symlink_to(secret), "qr.png")[1],
        "device": lambda folder: "/dev/zero",
        "fifo_inside": lambda folder: (os.mkfifo(folder / "qr.png"), "qr.png")[1],
    }
    for name, write in writers.items():
        folder = root / name
        folder.mkdir()
        made[name] = _with_qr(sample, folder, write(folder))
    return made


PICTURES = {  # case -> (code, message fragment)
    "sparse_3_gb": ("image-too-large", "上限 5 MB"),
    "sparse_200_mb": ("image-too-large", "上限 5 MB"),
    "signature_then_garbage": ("not-an-image", "不是可以读取的"),
    "truncated": ("not-an-image", "不是可以读取的"),
    "pixel_bomb": ("image-too-large", "像素过多"),
    "outside_the_folder": ("image-outside-folder", "须放在工作簿所在的文件夹里"),
    "absolute_outside": ("image-outside-folder", "须放在工作簿所在的文件夹里"),
    "symlink_outside": ("image-outside-folder", "须放在工作簿所在的文件夹里"),
    "device": ("image-outside-folder", "须放在工作簿所在的文件夹里"),
    "fifo_inside": ("not-an-image", "不是普通文件"),
}


@pytest.mark.parametrize("name", PICTURES)
def test_a_hostile_picture_is_refused_by_check_at_its_cell(pictures, name):
    """Before: read whole (3 GB sparse: 9 GB), embedded at any size, from any folder, or failing only in build."""
    code, says = PICTURES[name]
    run = measure("check", pictures[name])
    print(f"\n{name}: {run['seconds']:.2f} s wall, {run['cpu']:.2f} s CPU, {run['megabytes']:.0f} MB peak")
    assert "Traceback" not in run["output"]
    assert run["code"] == 1 and f"[{code}] {QR_CELL}：" in run["output"] and says in run["output"], run["output"]
    assert run["megabytes"] < MAX_MEGABYTES


def test_a_picture_may_come_from_a_folder_the_user_names(pictures, tmp_path, run_cli):
    """--image-dir names the folder pictures are found in and must lie in."""
    workbook = pictures["absolute_outside"]
    allowed = workbook.parent.parent  # the folder holding id_card.png
    assert run_cli("check", workbook, "--image-dir", allowed).code == 0
    report = tmp_path / "report.docx"
    assert run_cli("build", workbook, "--image-dir", allowed, "-o", report).code == 0
    with zipfile.ZipFile(report) as docx:
        assert any(name.startswith("word/media/") for name in docx.namelist())


def test_the_picture_check_stays_off_the_path_without_a_picture(sample):
    """Pillow is imported only when 二维码图片 names a file."""
    done = subprocess.run([sys.executable, "-c", "import sys; from perfreport import pipeline; "
                           f"pipeline.check({str(sample)!r}); print('PIL' in sys.modules)"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_accepted_headers_are_those_python_docx_embeds():
    from docx.image import SIGNATURES

    from perfreport.image import DOCX_SIGNATURES

    assert set(DOCX_SIGNATURES) == {(offset, signature) for kind, offset, signature in SIGNATURES
                                    if kind.__name__ != "Tiff"}
