"""What the quality items look at, and what each finds."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models import Checked, Scores
from .document import Report

PASS, FAIL = "通过", "未通过"


@dataclass(frozen=True)
class Finding:
    """One place an item looked at: whether it passed, where it is, what was found."""

    passed: bool
    where: str
    detail: str

    @property
    def status(self) -> str:
        return PASS if self.passed else FAIL

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "where": self.where, "detail": self.detail}


@dataclass(frozen=True)
class Subject:
    """The report as rendered, and the workbook it came from."""

    report: Report
    context: dict
    checked: Checked
    scores: Scores

    @property
    def title(self) -> str:
        return self.context["title"]

    @property
    def unit(self) -> str:
        return self.context["unit"]


@dataclass
class Item:
    """A scoresheet item and its findings; `why` says why it could not be judged when there are none."""

    code: str
    group: str
    what: str
    findings: list[Finding] = field(default_factory=list)
    why: str = ""

    @property
    def status(self) -> str:
        if not self.findings:
            return "未检查"
        return PASS if all(f.passed for f in self.findings) else FAIL

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "group": self.group, "item": self.what, "status": self.status,
                "findings": [f.as_dict() for f in self.findings], **({"why": self.why} if self.why else {})}
