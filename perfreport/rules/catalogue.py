"""The problem codes of scoring: one catalogue, each code stable, with what it means.

Every problem the rules, the 评分参数 parser and the grade checks report uses
a code from here; `problem()` refuses any other, and the README lists them all
(tests/test_rule_registry.py checks both).
"""
from __future__ import annotations

from ..errors import Problem, error, warning

ERRORS = {
    "parameter-syntax": "评分参数中有读不懂的部分（错误信息引用该部分）",
    "parameter-unknown-figure": "评分参数引用了没有的计算值",
    "parameter-conflict": "评分参数前后矛盾或不完整（如扣分方向与基准相反、同一部分按两个计算值分档、缺少基准）",
    "parameter-points": "各部分满分之和与分值不一致，或某档得分超过该部分满分",
    "parameter-not-for-rule": "评分参数用于不适用的评分方式（如给“手工”指标填写评分参数）",
    "bands-syntax": "等级标准写法有误",
    "unknown-grade": "实际绩效等级不是等级标准中的等级",
    "rule-zero-denominator": "规则要用的计算值分母为 0",
    "rule-blank-input": "规则要用的字段（或计算值的某项输入）为空",
    "rule-no-goals": "目标完成率指标没有关联的目标对比行",
    "rule-goal-value": "目标值、实际值或方向无法计算完成率",
    "rule-no-questions": "满意度指标所选的问卷题目中没有满意度问题",
    "rule-no-projects": "复评项目表为空，无法计算复评差异或项目实际绩效",
    "rule-no-grade": "按实际绩效等级计分时，复评项目缺少实际绩效等级",
    "rule-no-year-end": "预算执行进度以 12 月累计执行为分母，但缺少 12 月或其为 0",
    "rule-no-checkpoint": "预算执行进度的考核时点月份都没有累计执行数",
}
WARNINGS = {
    "standard-number-unmatched": "填写的评价标准中有评分参数里没有的数字",
    "grade-contradicts-score": "填写的实际绩效等级与复核得分按等级标准所得的等级不同",
}
CODES = {**ERRORS, **WARNINGS}


def problem(code: str, location: str, message: str) -> Problem:
    """Return the problem `code` (an error or a warning, as catalogued) at `location`."""
    if code in ERRORS:
        return error(code, location, message)
    if code in WARNINGS:
        return warning(code, location, message)
    raise KeyError(f"problem code {code!r} is not in the scoring catalogue")


class RuleFailure(ValueError):
    """A rule cannot score with these inputs; `code` is from the catalogue, the message is Chinese."""

    def __init__(self, code: str, message: str):
        if code not in ERRORS:
            raise KeyError(f"problem code {code!r} is not in the scoring catalogue")
        super().__init__(message)
        self.code = code
