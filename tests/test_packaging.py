"""An installed copy holds every subpackage: the tests import the working tree, so they would not notice."""
from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_installed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "perfreport").rglob("__init__.py")}
    assert found | {"perfreport.templates"} == set(config["packages"])
