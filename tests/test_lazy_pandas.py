"""pandas is for the summary only: `build` and `check` never import it (python -X importtime shows every import)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _imported(*args: object) -> set[str]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "perfreport", *map(str, args)],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert done.returncode == 0 and lines, done.stderr[-2000:]
    return {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in lines}


@pytest.mark.parametrize("command", ["check", "build"])
def test_build_and_check_do_not_import_pandas(command, sample, tmp_path):
    args = [command, sample] + (["-o", tmp_path / "报告.docx"] if command == "build" else [])
    modules = _imported(*args)
    assert "perfreport" in modules and "pandas" not in modules and "numpy" not in modules


def test_the_summary_does(sample, tmp_path):
    assert "pandas" in _imported("summary", sample, "-o", tmp_path / "汇总.xlsx")
