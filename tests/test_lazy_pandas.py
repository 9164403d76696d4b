"""Heavy libraries load only for what needs them.

`build` and `check` of the sample never import pandas (the summary's), openpyxl, python-docx or
docxtpl (they prepare a template, once), Pillow (a picture the workbook names), lxml, the edits merge
and review (a rebuild over an edited report, `perfreport edits`), or subprocess (sink.py's child, for a large
body); `check` no rendering library either.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = {"pandas", "numpy", "openpyxl", "docx", "docxtpl", "PIL", "perfreport.edits.merge", "perfreport.edits.review",
         "subprocess"}
RENDERING = {"jinja2", "markupsafe", "lxml", "perfreport.render", "perfreport.edits"}


# the command as `perfreport` runs it, then every module in sys.modules as it exits (-X importtime leaves out
# a submodule imported by `from package import name`)
COMMAND = ("import atexit, sys\n"
           "atexit.register(lambda: sys.stderr.write('MODULES ' + ' '.join(sys.modules)))\n"
           "sys.argv = ['perfreport', *sys.argv[1:]]\n"
           "from perfreport.__main__ import run\n"
           "run()")


def _imported(*args: object) -> set[str]:
    """Return the full name of every module `perfreport ARGS` has imported when it exits."""
    done = subprocess.run([sys.executable, "-c", COMMAND, *map(str, args)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0 and "MODULES " in done.stderr, done.stderr[-2000:]
    return set(done.stderr.rsplit("MODULES ", 1)[1].split())


@pytest.mark.parametrize("command", ["check", "build"])
def test_build_and_check_import_no_heavy_module(command, sample, tmp_path, run_cli):
    args = [command, sample]
    if command == "build":
        assert run_cli("build", sample, "-o", tmp_path / "准备模板.docx").code == 0  # the template prepared
        args += ["-o", tmp_path / "报告.docx"]
    modules = _imported(*args)
    assert "perfreport.pipeline" in modules
    assert not HEAVY & modules, sorted(HEAVY & modules)
    if command == "check":
        assert not RENDERING & modules, sorted(RENDERING & modules)
    assert "lxml" not in modules  # a build streams the body and writes its key store as text


def test_the_summary_imports_pandas(sample, tmp_path):
    assert "pandas" in _imported("summary", sample, "-o", tmp_path / "汇总.xlsx")
