"""Grade bands: any number of named grades with lower bounds, and the name below them all.

`等级标准` is written `优秀:90;良好:80;合格:60;不合格`: each grade with the
lowest score it needs, highest first, and optionally the name of the grade
below every bound (差 when it is not written).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..fmt import amount, cn_count

DEFAULT_LOWEST = "差"
ITEM = re.compile(r"^(?P<name>[^:：\d]+?)\s*(?:[:：]\s*(?P<bound>\d+(?:\.\d+)?))?$")
SEPARATOR = re.compile(r"[;；,，、\s]+")


class BandsError(ValueError):
    """The 等级标准 text cannot be read; the message, in Chinese, quotes what was not understood."""


@dataclass(frozen=True)
class Bands:
    """Grades highest first, each with the lowest score it needs, and the grade below them all.

    Iterating yields (name, bound) for the bounded grades, as the older tuple form did.
    """

    levels: tuple[tuple[str, Decimal], ...]
    lowest: str = DEFAULT_LOWEST

    def __iter__(self):
        return iter(self.levels)

    def __len__(self) -> int:
        return len(self.levels)

    @property
    def names(self) -> tuple[str, ...]:
        """Every grade name, highest first, the lowest last."""
        return tuple(name for name, _ in self.levels) + (self.lowest,)

    def grade(self, score: Decimal) -> str:
        """Return the first grade (highest first) whose bound `score` reaches, else the lowest."""
        return next((name for name, bound in self.levels if score >= bound), self.lowest)

    def rank(self, name: str) -> int:
        """Return 0 for the highest grade, 1 for the next …; ValueError for an unknown name."""
        return self.names.index(name)

    def sentence(self, unit: str = "分") -> str:
        """Return the bands as the report words them: `90（含）—100分为“优”、…、60分以下为“差”`."""
        parts, upper = [], "100"
        for name, bound in self.levels:
            parts.append(f"{amount(bound)}（含）—{upper}{unit}为“{name}”")
            upper = amount(bound)
        parts.append(f"{upper}{unit}以下为“{self.lowest}”")
        return "、".join(parts)

    @property
    def count_cn(self) -> str:
        """The number of grades in Chinese (四), as in 等级划分为四档."""
        return cn_count(len(self.names))

    def text(self) -> str:
        """Return the bands in the 等级标准 syntax: `优:90;良:80;中:60;差`."""
        return ";".join([f"{name}:{amount(bound)}" for name, bound in self.levels] + [self.lowest])


DEFAULT_BANDS = Bands((("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60))))


def parse_bands(text: str) -> Bands:
    """Return the Bands written in `text`; raise BandsError quoting the part not understood."""
    levels: list[tuple[str, Decimal]] = []
    lowest = None
    items = [item for item in SEPARATOR.split(text.strip()) if item]
    for position, item in enumerate(items):
        match = ITEM.match(item)
        if not match:
            raise BandsError(f"“{item}”读不懂：每个等级写成“名称:最低分”，如“优秀:90”，最低一档可只写名称")
        name, bound = match.group("name"), match.group("bound")
        if bound is None:
            if position != len(items) - 1:
                raise BandsError(f"“{item}”没有最低分：只有最后一档（最低的等级）可以只写名称")
            lowest = name
            continue
        try:
            value = Decimal(bound)
        except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
            raise BandsError(f"“{item}”的分数读不懂") from None
        if not 0 < value <= 100:
            raise BandsError(f"“{item}”的最低分应在 0 到 100 之间")
        levels.append((name, value))
    if not levels:
        raise BandsError(f"“{text}”中没有带分数的等级：应写成“优:90;良:80;中:60;差”")
    names = [name for name, _ in levels] + ([lowest] if lowest else [])
    repeated = next((n for n in names if names.count(n) > 1), None)
    if repeated:
        raise BandsError(f"等级“{repeated}”写了两次")
    bounds = [bound for _, bound in levels]
    if len(set(bounds)) != len(bounds):
        raise BandsError(f"两个等级的最低分相同（{amount(next(b for b in bounds if bounds.count(b) > 1))}）")
    levels.sort(key=lambda level: -level[1])
    return Bands(tuple(levels), lowest or DEFAULT_LOWEST)


def grade(score: Decimal, bands: Bands | tuple = DEFAULT_BANDS) -> str:
    """Return the grade of `score` under `bands` (a Bands, or (name, bound) pairs with 差 below)."""
    if not isinstance(bands, Bands):
        bands = Bands(tuple(bands))
    return bands.grade(score)
