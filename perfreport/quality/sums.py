"""Sentences that state a total and its parts, read back from the report's text and added up.

Three forms, as the report (and a consultant) writes them:
- 其中: `总资产921.54万元，其中流动资产797.6万元，…非流动资产123.94万元` — the total is the
  quantity right before `，其中` / `（其中`, the parts the phrases after it that end with a
  quantity of the same unit, up to the first phrase that does not, the end of the clause (`；`,
  `。`, the closing bracket) or the next total with its own `其中`; a part followed by `占…%`
  carries the clause over `；` to the next share, and the shares then add up to 100%. A single
  part is a subset (`其中过亿元项目31个`), not a breakdown: not checked.
- 调整: `批复12,779.84万元…；年中核减预算63.47万元，增加…245.15万元，调整后…为12,961.52万元` — the
  first amount, plus each amount between `年中` and `调整后` (minus where its phrase says 减),
  is the amount after `调整后`.
- 净值: `原值201.69万元，累计折旧118.99万元，净值82.7万元` — 原值 − 累计折旧/摊销 = 净值.
A reader adds the printed numbers, so the check does too, exactly; a difference within what
rounding the printed numbers to two decimals can cause is said so, and still a difference.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..fmt import amount

UNITS = ("万元", "亿元", "元", "个百分点", "名", "人", "个", "项", "家", "条", "次", "份", "分", "%")
QUANTITY = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(" + "|".join(map(re.escape, UNITS)) + ")")
WHEREOF = re.compile(r"[，,（(]其中[：:，,]?")
CLAUSE_END = "；;。"
SHARE = re.compile(r"^[，,]\s*占[^，,；;。%]{0,12}?(\d+(?:\.\d+)?)%")
ENDS_WITH_SHARE = re.compile(r"占[^，,；;。%]{0,12}?\d+(?:\.\d+)?%\s*$")
MINUS = re.compile("减")
NET = re.compile(r"原值\s*" + QUANTITY.pattern + r"[^。；;]{0,6}?累计(?:折旧|摊销)\s*" + QUANTITY.pattern
                 + r"[^。；;]{0,6}?净值\s*" + QUANTITY.pattern)
HALF_CENT = Decimal("0.005")


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str
    start: int
    end: int
    printed: str


@dataclass(frozen=True)
class Sum:
    """A total and its signed parts as one sentence prints them."""

    form: str  # 其中, 占比, 调整, 净值
    sentence: str
    total: Quantity
    parts: tuple[tuple[int, Quantity], ...]  # (+1 or −1, part)

    @property
    def difference(self) -> Decimal:
        return sum((sign * q.value for sign, q in self.parts), Decimal(0)) - self.total.value

    @property
    def ok(self) -> bool:
        return self.difference == 0

    @property
    def rounding(self) -> bool:
        """Whether the difference is no more than rounding each printed number to two decimals can make."""
        return abs(self.difference) <= HALF_CENT * (len(self.parts) + 1)

    @property
    def arithmetic(self) -> str:
        """`797.6 + 123.94 = 921.54万元` as the reader adds it; `≠` and the difference when it does not add up."""
        terms = " ".join(f"{'−' if sign < 0 else '+'} {q.printed}" for sign, q in self.parts).lstrip("+ ")
        if self.ok:
            return f"{terms} = {self.total.printed}{self.total.unit}"
        gap = amount(abs(self.difference))
        why = "，在四舍五入误差之内" if self.rounding else ""
        return f"{terms} ≠ {self.total.printed}{self.total.unit}（相差 {gap}{why}）"


def _quantities(text: str) -> list[Quantity]:
    found = []
    for m in QUANTITY.finditer(text):
        if m.start() and (text[m.start() - 1].isdigit() or text[m.start() - 1] in ".,"):
            continue
        found.append(Quantity(Decimal(m.group(1).replace(",", "")), m.group(2), m.start(), m.end(), m.group(1)))
    return found


def _bracketed(text: str) -> list[tuple[int, int]]:
    """The spans of text inside brackets （…） / (…), outermost only."""
    spans, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "（(":
            if depth == 0:
                start = i
            depth += 1
        elif c in "）)" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < position < b for a, b in spans)


def sentences(text: str) -> list[str]:
    """The sentences of a text: up to and with each 。！？ (a line break ends one too)."""
    return [s for s in re.split(r"(?<=[。！？\n])", text) if s.strip()]


def _separates(sentence: str, i: int) -> bool:
    """Whether the character at `i` separates phrases: `，、；`, or a `,` that is no thousands separator."""
    c = sentence[i]
    if c == ",":
        return not (0 < i < len(sentence) - 1 and sentence[i - 1].isdigit() and sentence[i + 1].isdigit())
    return c in "，、；;"


def _segments(sentence: str, begin: int, end: int) -> list[tuple[int, int]]:
    """The phrases between `，` `、` `；` of sentence[begin:end], brackets kept whole."""
    spans, depth, start = [], 0, begin
    for i in range(begin, end):
        c = sentence[i]
        depth += c in "（("
        depth -= c in "）)" and depth > 0
        if depth == 0 and _separates(sentence, i):
            spans.append((start, i))
            start = i + 1
    return spans + [(start, end)]


def _whereof(sentence: str, quantities: list[Quantity]) -> list[Sum]:
    """The 其中 breakdowns: the parts are the phrases after 其中 ending with a quantity of the total's unit
    (`行政12名`; a remark in brackets may follow, and a share phrase `占…%` goes with it); any other phrase
    ends the breakdown."""
    totals = []
    for m in WHEREOF.finditer(sentence):
        total = next((q for q in reversed(quantities) if q.end <= m.start()), None)
        if total is not None and sentence[total.end:m.start()].strip() == "":
            totals.append((total, m.end(), sentence[m.start()] in "（("))
    starts = [t.start for t, _, _ in totals]
    found = []
    for total, begin, bracketed in totals:
        end = min([_breakdown_end(sentence, begin, bracketed, total.unit)] + [s for s in starts if s > begin])
        parts, shares = [], []
        for a, b in _segments(sentence, begin, end):
            if parts and SHARE.match(sentence[a - 1:b]):
                continue
            ends = a + len(re.sub(r"\s*([（(][^）)]*[）)])?\s*$", "", sentence[a:b]))
            named = next((q for q in quantities if q.end == ends and q.start >= a and q.unit == total.unit), None)
            if named is None:
                break
            parts.append((1, named))
            share = SHARE.match(sentence[named.end:])
            if share:
                shares.append(share.group(1))
        if len(parts) < 2:
            continue
        found.append(Sum("其中", sentence, total, tuple(parts)))
        if len(shares) == len(parts):
            hundred = Quantity(Decimal(100), "%", total.start, total.end, "100")
            found.append(Sum("占比", sentence, hundred, tuple((1, Quantity(Decimal(v), "%", 0, 0, v)) for v in shares)))
    return found


def _clause_end(sentence: str, begin: int, bracketed: bool) -> int:
    """Where the clause from `begin` ends: its closing bracket, or the next `；` / `。`."""
    if bracketed:
        depth = 1
        for i in range(begin, len(sentence)):
            depth += sentence[i] in "（("
            depth -= sentence[i] in "）)"
            if depth == 0:
                return i
        return len(sentence)
    return next((i for i in range(begin, len(sentence)) if sentence[i] in CLAUSE_END), len(sentence))


def _breakdown_end(sentence: str, begin: int, bracketed: bool, unit: str) -> int:
    """The clause's end; past `；` while the clause ends with a share (`占资产总额86.55%`) and the next is one too."""
    end = _clause_end(sentence, begin, bracketed)
    while not bracketed and end < len(sentence) and sentence[end] in "；;" and ENDS_WITH_SHARE.search(
            sentence[begin:end]):
        following = _clause_end(sentence, end + 1, False)
        clause = sentence[end + 1:following]
        first = QUANTITY.search(clause)
        if not (first and first.group(2) == unit and SHARE.match(clause[first.end():])):
            break
        end = following
    return end


def _adjustments(sentence: str, quantities: list[Quantity]) -> list[Sum]:
    """The budget before, the adjustments (the amounts between 年中 and 调整后, outside brackets and breakdowns,
    each minus when its phrase says 减), and the budget after."""
    after = sentence.find("调整后")
    if after < 0:
        return []
    base = next((q for q in quantities if q.unit in ("万元", "元", "亿元") and q.end <= after), None)
    result = next((q for q in quantities if q.start > after and q.unit == (base.unit if base else "")), None)
    if base is None or result is None or re.search(r"[。；;]", sentence[after:result.start]):
        return []
    mid = sentence.find("年中", base.end, after)
    start = mid if mid >= 0 else base.end
    skip = _bracketed(sentence)
    whereof = [(m.start(), _clause_end(sentence, m.end(), sentence[m.start()] in "（(")) for m in
               WHEREOF.finditer(sentence, base.end, after)]
    parts = []
    for q in quantities:
        if not (start <= q.start < after) or q.unit != base.unit or _inside(q.start, skip):
            continue
        if any(a <= q.start < b for a, b in whereof):
            continue
        phrase_start = max([start] + [i for i in range(start, q.start) if _separates(sentence, i)])
        parts.append((-1 if MINUS.search(sentence[phrase_start:q.start]) else 1, q))
    if mid < 0 and not parts:
        return []  # `年初X万元，调整后Y万元` states no adjustment to add
    return [Sum("调整", sentence, result, ((1, base), *parts))]


def _net(sentence: str) -> list[Sum]:
    """原值 − 累计折旧 (or 累计摊销) = 净值."""
    found = []
    for m in NET.finditer(sentence):
        values = [Quantity(Decimal(m.group(i).replace(",", "")), m.group(i + 1), m.start(i), m.end(i + 1), m.group(i))
                  for i in (1, 3, 5)]
        if len({q.unit for q in values}) == 1:
            found.append(Sum("净值", sentence, values[2], ((1, values[0]), (-1, values[1]))))
    return found


def sums(text: str) -> list[Sum]:
    """Return every total-and-parts statement of `text`, sentence by sentence, in order."""
    found = []
    for sentence in sentences(text):
        quantities = _quantities(sentence)
        if len(quantities) < 3:
            continue
        found += _whereof(sentence, quantities) + _adjustments(sentence, quantities) + _net(sentence)
    return found
