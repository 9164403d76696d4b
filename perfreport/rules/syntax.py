"""Read 评分参数, written the way a 评价标准 is, into parts and options; strictly.

The text is split into parts at ①②…, each part into phrases at ；，。 or a
line break. Every phrase must be one of the forms below, whole; anything else
is a ParamError that quotes the phrase. See the README section 评分参数 for the
forms with examples; `read()` returns what the phrases say, `assemble()` in
parts.py turns that into a Spec.

    band       {名称}≥90%得5分 · ≥80%得分值×75% · 90%≤X<100%得0.75分 · 80%(含)-90%计4分 · 其他0分
    deduction  每超过2个百分点扣0.1分 · 扣完为止 · 最多扣3分 · 超过10个百分点不得分 · 不足2个百分点按2个百分点计
    linear     得分={名称}×分值
    grade      优得满分 · 良得分值×75%
    options    分母：调整后预算 · 考核时点：6月50%、9月75% · 问卷：第6-13题 · 问题组：协作部门 ·
               等级：按复核得分 · 单项完成率不封顶 · 无数据按满分计
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .spec import Award, FULL, NOTHING, Interval

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
NUM = r"-?\d+(?:\.\d+)?"
PNUM = NUM + r"%?"
SPLIT = re.compile(r"[;,。\n]+")
UNITS = r"个百分点|百分点|%|个|项|次|人|名|处|家|条|档|元|万元"
OTHER = {"其他", "其余", "其它", "其他情况", "其余情况", "否则", "以上均不满足", "除上述情况外"}
SYMBOL_OPS = {"≥": "≥", ">": ">", "≤": "≤", "<": "<", "=": "="}
WORD_OPS = (("大于等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("达到", "≥"), ("高于", ">"), ("超过", ">"),
            ("大于", ">"), ("多于", ">"), ("小于等于", "≤"), ("不超过", "≤"), ("不高于", "≤"), ("不大于", "≤"),
            ("低于", "<"), ("小于", "<"), ("不足", "<"), ("未达到", "<"), ("少于", "<"), ("等于", "="))
OPS = "|".join(re.escape(op) for op in sorted([*SYMBOL_OPS, *(w for w, _ in WORD_OPS)], key=len, reverse=True))
WEIGHT_WORDS = re.compile(r"指标分值|本项分值|该项分值|权重分|权重|总分值")
REPLACE = (("≧", "≥"), ("≦", "≤"), (">=", "≥"), ("<=", "≤"), ("=<", "≤"), ("=>", "≥"), ("*", "×"), ("✕", "×"),
           ("−", "-"), ("–", "—"), ("~", "—"), ("[", "("), ("]", ")"), ("【", "("), ("】", ")"), ("〔", "("),
           ("〕", ")"), ("“", ""), ("”", ""), ('"', ""), ("’", ""), ("‘", ""))


class ParamError(ValueError):
    """A phrase of 评分参数 that cannot be read; `code` from the catalogue, the message quotes it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Num:
    """A number as written: its value (a % already divided by 100) and whether it had a %."""

    value: Decimal
    percent: bool
    text: str


@dataclass(frozen=True)
class Item:
    """One phrase, read: its kind, what it says, and the phrase as typed."""

    kind: str  # band deduct floor most cutoff rounding linear capnote grade option
    raw: str
    data: dict


def normal(text: str) -> str:
    """Return a phrase as it is matched: NFKC, no spaces, one spelling for each sign."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)  # thousands separators
    for old, new in REPLACE:
        text = text.replace(old, new)
    return WEIGHT_WORDS.sub("分值", text)


def number(text: str) -> Num:
    """Return the Num written as `text` (`90%`, `0.5`, `-10%`)."""
    percent = text.endswith("%")
    value = Decimal(text.rstrip("%"))
    return Num(value / 100 if percent else value, percent, text)


def split_parts(text: str) -> list[tuple[str, str]]:
    """Return (marker, body) for the text before any ① (marker "") and for each ①② part."""
    pieces = re.split(f"([{CIRCLED}])", text)
    out = [("", pieces[0])]
    out += [(pieces[i], pieces[i + 1]) for i in range(1, len(pieces), 2)]
    return [(marker, body) for marker, body in out if marker or body.strip()]


def phrases(body: str) -> list[tuple[str, str]]:
    """Return (as typed, normalised) for every phrase of a part."""
    unified = body.replace("；", ";").replace("，", ",").replace("\r", "\n")
    out = []
    for raw in SPLIT.split(unified):
        raw = raw.strip()
        if raw:
            out.append((raw, normal(raw)))
    return out


def part_points(text: str) -> tuple[Decimal | None, str]:
    """Return the points a part's header states (`(1分)`, `1分:`) and the rest of its text."""
    match = re.match(rf"^\s*[（(]\s*({NUM})\s*分\s*[)）]\s*[:：]?|^\s*({NUM})\s*分\s*[:：]", text)
    if not match:
        return None, text
    return Decimal(match.group(1) or match.group(2)), text[match.end():]


# ---- awards ----------------------------------------------------------------------------

AWARD = re.compile(
    r"(?P<full>得满分|计满分|得分=分值|得分为分值|得全部分值)"
    r"|(?P<zero>不得分|不计分)"
    r"|(?:得|计)?(?P<points>" + NUM + r")分"
    r"|(?:得分=|得分为|得|计|按)?(?:分值|满分)(?:×|的)(?P<factor>" + NUM + r")%(?:计分|计)?"
    r"|(?:得|按)(?P<share>" + NUM + r")%(?:的分值|分值|计分|计)?")


def award(text: str) -> Award | None:
    """Return the award a phrase's tail states, or None when it is not an award."""
    match = AWARD.fullmatch(text)
    if not match:
        return None
    if match.group("full"):
        return FULL
    if match.group("zero"):
        return NOTHING
    if match.group("points") is not None:
        return Award(points=Decimal(match.group("points")))
    return Award(factor=Decimal(match.group("factor") or match.group("share")) / 100)


# ---- conditions ------------------------------------------------------------------------

def _interval(op: str, n: Num) -> Interval:
    op = SYMBOL_OPS.get(op) or dict(WORD_OPS)[op]
    return {"≥": Interval(n.value, True), ">": Interval(n.value, False), "≤": Interval(None, False, n.value, True),
            "<": Interval(None, False, n.value, False), "=": Interval(n.value, True, n.value, True)}[op]


def condition(text: str, raw: str) -> tuple[str, Interval | None, list[Num]] | None:
    """Return (expression as written, interval or None for 其他, numbers) of a condition, or None.

    Raises ParamError for a condition whose meaning is ambiguous (`60%以下`, `70%-90%`).
    """
    text = re.sub(r"^(若|当|如|如果)", "", text)
    text = re.sub(r"(的|时)$", "", text)
    if text in OTHER:
        return "", None, []
    match = re.fullmatch(rf"({PNUM})([<≤])(.+?)([<≤])({PNUM})", text)
    if match:
        low, high = number(match.group(1)), number(match.group(5))
        return match.group(3), Interval(low.value, match.group(2) == "≤", high.value, match.group(4) == "≤"), \
            [low, high]
    match = re.fullmatch(rf"({PNUM})([<≤>≥])(\D.*)", text)
    if match:
        flipped = {"<": ">", "≤": "≥", ">": "<", "≥": "≤"}[match.group(2)]
        n = number(match.group(1))
        return match.group(3), _interval(flipped, n), [n]
    match = re.fullmatch(rf"(.*?)({PNUM})(\(含\))?[-—至]({PNUM})(\(含\))?", text)
    if match and not match.group(1).endswith("|"):
        low, high = number(match.group(2)), number(match.group(4))
        if match.group(4).endswith("%") and not low.percent:
            low = number(match.group(2) + "%")
        if not (match.group(3) or match.group(5)):
            raise ParamError("parameter-syntax", f"“{raw}”的区间端点是否包含不明确：请写成“80%≤X<90%”，"
                                                 "或在包含的一端注明（含），如“80%（含）-90%”")
        return match.group(1), Interval(low.value, bool(match.group(3)), high.value, bool(match.group(5))), [low, high]
    match = re.fullmatch(rf"(.*?)({PNUM})(及|\(含\))?(以上|以下|以内)", text)
    if match:
        n = number(match.group(2))
        if match.group(4) == "以内" or match.group(3):
            return match.group(1), _interval("≥" if match.group(4) == "以上" else "≤", n), [n]
        raise ParamError("parameter-syntax", f"“{raw}”是否包含 {match.group(2)} 不明确：请写“≥{match.group(2)}”"
                                             f"或“>{match.group(2)}”（“以下”写“≤”或“<”），或写“{match.group(2)}（含）以上”")
    match = re.fullmatch(rf"(.*?)({OPS})({PNUM})", text)
    if match:
        n = number(match.group(3))
        return match.group(1), _interval(match.group(2), n), [n]
    return None


# ---- phrases ---------------------------------------------------------------------------

def _option(text: str, raw: str) -> Item | None:
    match = re.fullmatch(r"分母[:为]?(.+)", text)
    if match:
        value = match.group(1)
        if value in ("调整后预算", "调整后预算数", "年初预算+年中调整", "年初预算+调整", "年初预算+年中预算调整",
                     "年初预算批复数+年中预算调整数"):
            return Item("option", raw, {"denominator": "调整后预算"})
        if value in ("12月累计执行", "12月", "全年执行", "12月累计", "全年累计执行", "12月累计执行数"):
            return Item("option", raw, {"denominator": "12月累计执行"})
        raise ParamError("parameter-syntax", f"“{raw}”：分母应为“调整后预算”或“12月累计执行”")
    match = re.fullmatch(r"考核时点[:为]?(.+)", text)
    if match:
        points = []
        for item in re.split(r"[、和及]", match.group(1)):
            found = re.fullmatch(rf"(\d{{1,2}})月(?:底|末)?(?:≥|达到)?({NUM}%)", item)
            if not found or not 1 <= int(found.group(1)) <= 12:
                raise ParamError("parameter-syntax", f"“{raw}”中“{item}”读不懂：考核时点写成“6月50%、9月75%”")
            points.append((int(found.group(1)), number(found.group(2)).value))
        return Item("option", raw, {"checkpoints": tuple(points)})
    match = re.fullmatch(r"问卷[:为]?(.+)", text)
    if match:
        return Item("option", raw, {"questions": _questions(match.group(1), raw)})
    match = re.fullmatch(r"问题组[:为]?(.+)", text)
    if match:
        return Item("option", raw, {"group": match.group(1)})
    match = re.fullmatch(r"等级[:为]?(?:按|取|来自|依据)?(实际绩效等级|复核得分)(?:确定|计|评定)?", text)
    if match:
        return Item("option", raw, {"grade_source": match.group(1)})
    if re.fullmatch(r"(?:单项|各项)?(?:目标)?完成率(?:超过100%(?:的)?)?按100%计(?:算)?", text):
        return Item("option", raw, {"capped": True})
    if re.fullmatch(r"(?:单项|各项)?(?:目标)?完成率不封顶", text):
        return Item("option", raw, {"capped": False})
    match = re.fullmatch(r"(?:无数据|缺少数据|数据缺失|无相关数据)(?:时|的)?(按满分计|不予考核)", text)
    if match:
        return Item("option", raw, {"missing": match.group(1)})
    return None


def _questions(text: str, raw: str) -> tuple[int, ...]:
    if text in ("全部满意度问题", "所有满意度问题", "全部", "全部满意度题"):
        return ()
    match = re.fullmatch(r"第?(\d+)[-—至](\d+)题?", text)
    if match and int(match.group(1)) <= int(match.group(2)):
        return tuple(range(int(match.group(1)), int(match.group(2)) + 1))
    match = re.fullmatch(r"第?(\d+(?:、\d+)*)题?", text)
    if match:
        return tuple(int(n) for n in match.group(1).split("、"))
    raise ParamError("parameter-syntax", f"“{raw}”：题号写成“第6-13题”或“第6、7、9题”")


DEDUCT = re.compile(rf"(?P<e>\{{[^{{}}]+\}}|[A-Za-z])?每(?P<dir>超过|超出|超|高于|多|增加|低于|少于|少|不足|下降|减少|差)"
                    rf"(?P<n>{NUM})(?P<u>{UNITS})?(?:的)?扣(?:减)?(?P<per>{NUM})分")
UNDER = ("低于", "少于", "少", "不足", "下降", "减少")


def _unit(text: str | None) -> str:
    return "个百分点" if text in (None, "个百分点", "百分点", "%") else text


def _deduction(text: str, raw: str) -> Item | None:
    match = DEDUCT.fullmatch(text)
    if match:
        return Item("deduct", raw, {"expr": match.group("e") or "", "over": match.group("dir") not in UNDER,
                                    "step": Decimal(match.group("n")), "unit": _unit(match.group("u")),
                                    "per": Decimal(match.group("per"))})
    if re.fullmatch(r"扣完为止|扣完即止|扣完|扣至0分为止|扣到0分为止|最低0分|最低为0分|最低得0分", text):
        return Item("floor", raw, {})
    match = re.fullmatch(rf"(?:最多|最高|至多)扣(?:减)?({NUM})分|扣分(?:不超过|最多)({NUM})分", text)
    if match:
        return Item("most", raw, {"most": Decimal(match.group(1) or match.group(2))})
    match = re.fullmatch(rf"(?:偏离|相差|差距)?(?:超过|超出|高于|低于|多于|少于)({NUM})({UNITS})(?:的)?(?:以上)?不得分", text)
    if match:
        # `超过10%不得分` is a cutoff in a deduction part (as the reference writes it), a band elsewhere
        band = _band(text, raw) if match.group(2) == "%" else None
        return Item("cutoff", raw, {"cutoff": Decimal(match.group(1)), "unit": _unit(match.group(2)), "band": band})
    if re.fullmatch(rf"不足({NUM})({UNITS})?的?按(?:{NUM})?(?:{UNITS})?计(?:算)?", text):
        return Item("rounding", raw, {"rounding": "started"})
    if re.fullmatch(rf"不足({NUM})({UNITS})?的?(?:部分)?不扣(?:分)?", text):
        return Item("rounding", raw, {"rounding": "whole"})
    if re.fullmatch(r"按(?:实际)?比例(?:扣分|计算|扣减)", text):
        return Item("rounding", raw, {"rounding": "proportional"})
    return None


LINEAR = re.compile(rf"(?:得分=|得分为|按)?(?P<e>.+?)×(?:(?P<w>分值|满分)|(?P<p>{NUM})分)(?:计分|计算|计)?"
                    r"|(?:得分=|得分为)?分值×(?P<e2>.+)")
CAP_NOTES = {"最高不超过分值", "最高得满分", "最高得分值", "不超过分值", "以分值为上限", "得分不超过分值",
             "最高不超过满分", "满分为止", "封顶", "最高不超过满分值"}


def _linear(text: str, raw: str) -> Item | None:
    if text in CAP_NOTES:
        return Item("capnote", raw, {})
    match = LINEAR.fullmatch(text)
    if not match:
        return None
    expr = match.group("e") or match.group("e2")
    if re.fullmatch(PNUM, expr) or AWARD.fullmatch(text):
        return None  # 分值×80% is an award
    points = Decimal(match.group("p")) if match.group("p") else None
    return Item("linear", raw, {"expr": expr, "points": points})


def _grade(text: str, raw: str, grades: tuple[str, ...]) -> Item | None:
    for name in sorted(grades, key=len, reverse=True):
        match = re.fullmatch(rf"(?:等级为|评价等级为)?{re.escape(name)}(?:的)?(?:项目)?[:]?(.+)", text)
        if not match:
            continue
        tail = match.group(1)
        given = award(tail)
        if given is None and re.fullmatch(rf"{NUM}%|0", tail):
            given = Award(factor=number(tail).value) if tail != "0" else NOTHING
        if given is None:
            return None  # not a grade's award: read as another form, or reported as not understood
        return Item("grade", raw, {"grade": name, "award": given})
    return None


def _band(text: str, raw: str) -> Item | None:
    match = re.fullmatch(r"(?P<cond>.*?)[:]?(?P<award>" + AWARD.pattern + ")", text)
    if not match or not match.group("cond"):
        return None
    read = condition(match.group("cond"), raw)
    if read is None:
        return None
    expr, interval, numbers = read
    return Item("band", raw, {"expr": expr, "when": interval, "numbers": numbers,
                              "award": award(match.group("award"))})


def read(text: str, grades: tuple[str, ...]) -> list[tuple[str, Decimal | None, list[Item]]]:
    """Return (marker, stated points, items) for the shared text and each part; raise ParamError.

    Every phrase not understood raises, quoting it; the first such phrase wins.
    """
    out = []
    for marker, body in split_parts(text):
        points, body = part_points(body) if marker else (None, body)
        items = []
        pending = phrases(body)
        while pending:
            raw, norm = pending.pop(0)
            item = _phrase(norm, raw, grades)
            if item is None and pending and AWARD.fullmatch(pending[0][1]):
                # 若X<70%，得1分: a condition and its award split by a comma
                joined = (f"{raw}，{pending[0][0]}", norm + pending[0][1])
                item = _band(joined[1], joined[0])
                if item is not None:
                    pending.pop(0)
            if item is None:
                raise ParamError("parameter-syntax", f"“{raw}”读不懂：{_hint(norm)}")
            items.append(item)
        out.append((marker, points, items))
    return out


def _phrase(norm: str, raw: str, grades: tuple[str, ...]) -> Item | None:
    return (_option(norm, raw) or _deduction(norm, raw) or _grade(norm, raw, grades)
            or _linear(norm, raw) or _band(norm, raw))


def _hint(text: str) -> str:
    """Return a short suggestion for a phrase that matched no form."""
    if "扣" in text and "每" not in text:
        return "扣分写成“每超过1个百分点扣0.5分”或“每低于2个百分点扣0.1分”"
    if "×" in text:
        return "比例计分写成“得分={预算执行率}×分值”"
    if "得" in text or "分" in text:
        return "分档写成“{名称}≥90%得5分”“80%≤X<90%得4分”“其他0分”，条件在前、得分在后"
    return "每句应为一档（如“≥90%得5分”）、一条扣分规则（如“每超过1个百分点扣1分”）或一个选项（如“分母：调整后预算”）"
