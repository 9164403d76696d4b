"""Problems found in a workbook, as data.

A problem carries a stable code, a severity, the place (`sheet!cell`, a sheet,
or the file) and a Chinese message saying what was found and what is expected.
Stages collect problems instead of raising, so the user sees all of them at
once; only a file that cannot be opened at all stops the pipeline early.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    location: str  # "复评项目!E7", "复评项目", or the file name
    message: str

    def __str__(self) -> str:
        label = "错误" if self.severity is Severity.ERROR else "警告"
        return f"{label} [{self.code}] {self.location}：{self.message}"

    def as_dict(self) -> dict[str, str]:
        """Return the problem as the JSON object `check --json` prints."""
        return {"code": self.code, "location": self.location, "message": self.message}


def error(code: str, location: str, message: str) -> Problem:
    return Problem(code, Severity.ERROR, location, message)


def warning(code: str, location: str, message: str) -> Problem:
    return Problem(code, Severity.WARNING, location, message)


class WorkbookError(Exception):
    """The workbook cannot be read at all (not an .xlsx, encrypted, damaged …)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class OutputError(Exception):
    """The report cannot be written where asked; the message is for the user."""
