"""What warmstart serves from the cache is what Python would have compiled: the same patterns, the same methods."""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys

from perfreport import warmstart

PATTERNS = [(r"(?P<number>\d+(?:\.\d+)?)(?P<unit>个|%)?", 0), (r"<w:p[ >].*?</w:p>", re.S), (rb"\\(.)", 0),
            (r"[\u3400-\u9fff]+|(?i:abc)", re.M | re.X), ("[¡¤§¨ª\xad¯°-´¶-º¼-¿×÷\u2000-\u2bff]", 0)]


def test_a_pattern_from_the_cache_is_the_one_re_compiles(tmp_path):
    first = warmstart._Compiled(tmp_path / "c.bin")
    made = [first.pattern(p, f) for p, f in PATTERNS]
    first.save()
    again = warmstart._Compiled(tmp_path / "c.bin")
    assert again.patterns.keys() == first.patterns.keys()
    for (pattern, flags), one, other in zip(PATTERNS, made, [again.pattern(p, f) for p, f in PATTERNS]):
        reference = re._compiler.compile(pattern, flags)  # Pattern equality compares the matching code too
        assert one == other == reference
        assert (other.groupindex, other.groups) == (reference.groupindex, reference.groups)


def test_a_dataclass_made_through_the_cache_has_the_methods_dataclasses_makes(tmp_path, monkeypatch):
    def make():
        @dataclasses.dataclass(frozen=True)
        class Point:
            x: int
            y: list = dataclasses.field(default_factory=list)
        return Point

    reference = make()
    for _ in range(2):  # compiled, then read back from the file
        compiled = warmstart._Compiled(tmp_path / "c.bin")
        monkeypatch.setattr(dataclasses, "exec", compiled.exec, raising=False)
        made = make()
        compiled.save()
        for method in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__"):
            assert getattr(made, method).__code__ == getattr(reference, method).__code__, method
        assert made(1) == made(1, []) and repr(made(2)) == "test_a_dataclass_made_through_the_cache_has_the_" \
            "methods_dataclasses_makes.<locals>.make.<locals>.Point(x=2, y=[])"
    assert compiled.code


def test_a_damaged_file_is_compiled_anew(tmp_path):
    path = tmp_path / "c.bin"
    first = warmstart._Compiled(path)
    first.pattern("a+b", 0)
    first.save()
    path.write_bytes(path.read_bytes()[:-5] + b"xxxxx")
    assert warmstart._Compiled(path).patterns == {}


def test_the_command_line_writes_the_file_once_and_builds_the_same(sample, tmp_path):
    env = {**os.environ, "PERFREPORT_CACHE": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    outputs = []
    for n in range(2):
        outputs.append(tmp_path / f"{n}.docx")
        subprocess.run([sys.executable, "-m", "perfreport", "build", sample, "-o", outputs[-1]], env=env,
                       check=True, capture_output=True, cwd=tmp_path)
        if n == 0:
            written = (tmp_path / "cache" / warmstart.NAME).stat().st_mtime_ns
    assert (tmp_path / "cache" / warmstart.NAME).stat().st_mtime_ns == written  # nothing new the second time
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    served = warmstart._Compiled(tmp_path / "cache" / warmstart.NAME)
    assert len(served.patterns) > 100 and len(served.code) > 200
    for pattern, flags in list(served.patterns):
        assert served.pattern(pattern, flags) == warmstart._compile_pattern(pattern, flags), pattern
    for source, code in served.code.items():
        assert code == compile(source, "<string>", "exec", dont_inherit=True), source


def test_another_interpreter_compiles_as_ever(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFREPORT_CACHE", str(tmp_path))
    monkeypatch.setattr(warmstart, "VERIFIED", ("cpython", (3, 99)))
    compiler = re._compiler.compile
    warmstart.install()
    assert re._compiler.compile is compiler and "exec" not in vars(dataclasses)
