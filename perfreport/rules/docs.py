"""The README's scoring tables, rendered from the registry (tests/test_rule_registry.py keeps them equal)."""
from __future__ import annotations

from .catalogue import ERRORS, WARNINGS
from .figures import DERIVED, IDLE_CHANGE, IDLE_FORMULA, LOCAL
from .presets import BLOCKS, RULES


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_table() -> str:
    """Every 评分方式: what it reads, its default 评分参数, what it computes, one worked example."""
    lines = ["| 评分方式 | reads | default 评分参数 (blank cell) | computes | example (分值 · 评分参数 · inputs → rule score) |",
             "|---|---|---|---|---|"]
    for rule in RULES.values():
        weight, typed, inputs, score = rule.example
        example = f"{weight} · {typed or '（默认）'} · {inputs} → {score}"
        lines.append(f"| {rule.name} | {_cell(rule.reads)} | {_cell(rule.default) or '——'} | {_cell(rule.doc)} | "
                     f"{_cell(example)} |")
    return "\n".join(lines)


def blocks_table() -> str:
    """Every phrase form of 评分参数: what it is written as, its parameters, its formula, an example."""
    lines = ["| block | written as | parameters (defaults) | formula | example |", "|---|---|---|---|---|"]
    for block, written, parameters, formula, example, result in BLOCKS:
        lines.append(f"| {block} | {_cell(written)} | {_cell(parameters)} | {_cell(formula)} | "
                     f"{_cell(example)} · {_cell(result)} |")
    return "\n".join(lines)


def figures_list() -> str:
    """The derived figures with their formulas, as the README's figure list gives them."""
    items = [f"{f.name} = {f.formula}" + (f"（{f.doc}）" if f.doc else "") for f in DERIVED.values()]
    items.append(f"{IDLE_CHANGE} = {IDLE_FORMULA}（上年无闲置资产时：本年也无按 0 计，本年有按无穷大计）")
    items += [f"{name}（规则内）：{doc}" for name, (_, doc) in LOCAL.items()]
    return "\n".join(f"- {item}" for item in items)


def codes_table() -> str:
    """The problem codes of scoring, errors then warnings."""
    lines = ["| code | severity | meaning |", "|---|---|---|"]
    lines += [f"| `{code}` | error | {_cell(text)} |" for code, text in ERRORS.items()]
    lines += [f"| `{code}` | warning | {_cell(text)} |" for code, text in WARNINGS.items()]
    return "\n".join(lines)


def markdown() -> str:
    """All the generated scoring documentation, in README order."""
    return "\n\n".join((rules_table(), blocks_table(), figures_list(), codes_table()))
