"""Scoring rules: generic blocks whose parameters come from the workbook, and presets of them.

- presets.py   the one registry: every 评分方式, its default 评分参数 and documentation
- syntax.py    reads 评分参数 phrases strictly; params.py resolves them into a Spec (spec.py)
- blocks.py    evaluates a Spec over plain inputs: score, arithmetic, notes (pure functions)
- inputs.py    what rules read, and the figures a rule computes from tables
- figures.py   the derived figures rules score on, with formulas
- standard.py  the 评价标准 a Spec says; numbers a typed standard quotes that it does not
- grades.py    grade bands with any names; catalogue.py the problem codes of scoring
"""
from __future__ import annotations

from .blocks import Outcome, evaluate
from .inputs import GoalRow, Inputs, Project, Question, Value, completion, question_satisfaction
from .catalogue import CODES, RuleFailure, problem
from .grades import DEFAULT_BANDS, Bands, BandsError, grade, parse_bands
from .params import spec_for
from .presets import GENERIC, MANUAL, RULE_NAMES, RULES
from .spec import Spec
from .standard import standard_text, unmatched_numbers
from .syntax import ParamError

__all__ = [
    "Bands", "BandsError", "CODES", "DEFAULT_BANDS", "GENERIC", "GoalRow", "Inputs", "MANUAL", "Outcome", "ParamError",
    "Project", "Question", "RULES", "RULE_NAMES", "RuleFailure", "Spec", "Value", "completion", "evaluate", "grade",
    "parse_bands", "problem", "question_satisfaction", "spec_for", "standard_text", "unmatched_numbers",
]
