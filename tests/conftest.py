"""Shared fixtures: the sample workbook, and running the command line in-process or as a real process."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from perfreport import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
# every `python -m perfreport` a test starts runs the working tree, never an installed copy
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


@dataclass(frozen=True)
class Run:
    """What one run of the command line printed and returned."""

    code: int
    stdout: str
    stderr: str
    crashed: BaseException | None = None  # an exception that escaped (in-process runs only)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def traceback(self) -> bool:
        """Whether a Python traceback or an escaped exception reached the user."""
        return self.crashed is not None or "Traceback (most recent call last)" in self.output


@pytest.fixture(scope="session", autouse=True)
def template_cache(tmp_path_factory):
    """Keep the tests' prepared templates out of the user's cache folder."""
    os.environ["PERFREPORT_CACHE"] = str(tmp_path_factory.mktemp("template-cache"))


@pytest.fixture(scope="session")
def sample() -> Path:
    """The sample workbook (read it, never write it: copy it to tmp_path first)."""
    return SAMPLE


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., Run]:
    """Return `run(*args)`: perfreport's command line run in this process through click's CliRunner."""
    def run(*args: object) -> Run:
        result = CliRunner().invoke(cli.main, [str(a) for a in args])
        crashed = result.exception if not isinstance(result.exception, (SystemExit, type(None))) else None
        return Run(result.exit_code, result.stdout, result.stderr, crashed)
    return run


@pytest.fixture(scope="session")
def run_process() -> Callable[..., Run]:
    """Return `run(*args, timeout=60, env={})`: `python -m perfreport ARGS` in a real process, as a user runs it.

    `env` adds to (or overrides) this process's environment.
    """
    def run(*args: object, timeout: float = 60, env: dict[str, str] | None = None) -> Run:
        done = subprocess.run([sys.executable, "-m", "perfreport", *map(str, args)], capture_output=True,
                              text=True, timeout=timeout,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})})
        return Run(done.returncode, done.stdout, done.stderr)
    return run
