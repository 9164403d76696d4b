"""How one indicator's score came about: the object `check --explain` prints and `--json` carries."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..fmt import round2
from . import wording


@dataclass(frozen=True)
class Explanation:
    """Inputs with their cells, parameters, arithmetic, rounding, and the override with its difference."""

    id: str
    name: str
    weight: Decimal
    rule: str
    parameters: str = ""  # the parameters in effect
    parameters_source: str = ""  # 默认 | 填写 | 填写（其余默认）
    standard: str = ""  # the typed 评价标准, or the one generated from the parameters
    standard_source: str = ""  # 填写 | 按评分参数生成
    inputs: tuple[tuple[str, str, str], ...] = ()  # (what, value, sheet!cell)
    lines: tuple[str, ...] = ()
    unrounded: Decimal | None = None
    rule_score: Decimal | None = None  # rounded half up to two decimals
    entered: Decimal | None = None  # the 得分 typed on the row (an override for a rule-scored row)
    entered_at: str = ""
    score: Decimal = Decimal(0)  # the score printed and summed
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def difference(self) -> Decimal | None:
        if self.rule_score is None or self.entered is None:
            return None
        return self.score - self.rule_score

    def as_dict(self) -> dict:
        """Return the explanation as `check --json --explain` prints it (numbers as strings)."""
        def two(value: Decimal | None) -> str | None:  # half up, as scores are used: not format's half even
            return None if value is None else f"{round2(value):.2f}"
        return {
            "parameters": self.parameters, "parameters_source": self.parameters_source,
            "standard": self.standard, "standard_source": self.standard_source,
            "inputs": [{"name": n, "value": v, "cell": c} for n, v, c in self.inputs],
            "arithmetic": list(self.lines),
            "unrounded": None if self.unrounded is None else wording.points(self.unrounded),
            "rule_score": two(self.rule_score),
            "override": None if self.rule_score is None or self.entered is None else
            {"entered": two(self.entered), "cell": self.entered_at, "difference": f"{self.difference:+.2f}"},
            "score": two(self.score), "notes": list(self.notes),
        }

    def _typed(self) -> str:
        """Return the typed 得分 with its cell, `2.00（指标体系!H15）`, and its rounding when it has more than two
        decimals: `1.985（指标体系!H15）→ 四舍五入保留两位小数 = 1.99，` (the comma leads on to what follows)."""
        entered = self.score if self.entered is None else self.entered
        rounded = round2(entered)
        if rounded == entered:
            return f"{rounded:.2f}（{self.entered_at}）"
        return f"{wording.points(entered)}（{self.entered_at}）→ 四舍五入保留两位小数 = {rounded:.2f}，"

    def text(self) -> list[str]:
        """Return the explanation as lines of `check --explain`, the first naming the indicator."""
        head = f"{self.id} {self.name}（分值 {wording.points(self.weight)}，{self.rule}）"
        if self.rule_score is None:
            return [head, f"    手工评分：得分 {self._typed().rstrip('，')}"]
        out = [head]
        if self.parameters:
            out.append(f"    评分参数（{self.parameters_source}）：{self.parameters}")
        if self.standard:
            shown = self.standard.replace("\n", " ")
            out.append(f"    评价标准（{self.standard_source}）：{shown}")
        if self.inputs:
            out.append("    输入：" + "；".join(f"{n}{' = ' + v if v else ''}{'（' + c + '）' if c else ''}"
                                              for n, v, c in self.inputs))
        out += [f"    {line}" for line in self.lines]
        rounded = f"{self.rule_score:.2f}"
        out.append(f"    规则得分 = {wording.points(self.unrounded)} → 四舍五入保留两位小数 = {rounded}")
        if self.entered is not None:
            if round2(self.entered) == self.rule_score:
                out.append(f"    填写得分 {self._typed()}与规则得分相同")
            else:
                out.append(f"    填写得分 {self._typed()}覆盖规则得分 {rounded}，"
                           f"相差 {self.difference:+.2f}；采用 {self.score:.2f}")
        else:
            out.append(f"    采用 {self.score:.2f}")
        return out


def unsaid(text: str, notes: tuple[str, ...]) -> list[str]:
    """Return the notes (e.g. 所列目标均不予考核，按满分计) a 评分依据 `text` does not already say."""
    return [note for note in notes if note not in (text or "")]
