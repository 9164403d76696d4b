"""The README documents the whole workbook contract and every figure name."""
from __future__ import annotations

import re
from pathlib import Path

from perfreport import contract
from perfreport.pipeline import check

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    commands = re.search(r"```sh\n(.*?)```", README, re.S).group(1).strip().splitlines()
    assert len(commands) == 2
    assert "perfreport build sample_workbooks/shizhong_gxj_2023.xlsx" in commands[0]
    assert commands[1].endswith("pytest")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_lists_every_sheet_and_field():
    for sheet in contract.SHEETS:
        row = next(line for line in README.splitlines() if line.startswith(f"| {sheet.name} |"))
        assert all(f.name in row for f in sheet.fields), sheet.name


def test_readme_names_every_figure():
    names = check(ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx").scores.figures
    undocumented = []
    for name in names:
        stem = name.split("_")[0] + "_{" if re.search(r"_(\d+|[^_]*[\u4e00-\u9fff（“][^_]*)$", name) else name
        if name not in README and stem not in README:
            undocumented.append(name)
    assert undocumented == []
