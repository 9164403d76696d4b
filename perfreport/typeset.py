"""Chinese typesetting the styles cannot do: the East Asian font hint on runs, balanced title lines.

Word picks one of a run's four fonts per character by its Unicode block
([MS-OI29500] 2.1.88, on ISO 29500-1 §17.3.2.26 rFonts). Quotes, dashes and
ellipses (General Punctuation), ≥ ① × ° and similar are "ambiguous": Word
draws them with the East Asian font only when the run's `w:hint` is
`eastAsia`, otherwise with the Latin (hAnsi) font: narrow Western “ ” and a
thin —— in Chinese text. Word itself writes the hint on every run typed with
a Chinese input method; `mark_east_asian` does the same for the rendered text.
"""
from __future__ import annotations

import re

from .bodyxml import start_before

# The blocks whose characters Word draws with the East Asian font only under the hint:
# Latin-1's exceptions, General Punctuation up to Miscellaneous Symbols and Arrows
# (“ ” ‘ ’ — … ‰ ※ № ℃ Ⅰ → ≥ ≤ ① ─ ■ ○ ★).
AMBIGUOUS = re.compile("[\u00a1\u00a4\u00a7\u00a8\u00aa\u00ad\u00af\u00b0-\u00b4\u00b6-\u00ba\u00bc-\u00bf"
                       "\u00d7\u00f7\u2000-\u2bff]")
# a run's text (w:t) up to its first AMBIGUOUS character: the regex looks only in text, found from `<w:t`
# (possessive: what failed is not tried again shorter)
AMBIGUOUS_TEXT = re.compile(f"<w:t(?: [^>]*+)?+>[^<{AMBIGUOUS.pattern[1:-1]}]*+{AMBIGUOUS.pattern}")
# CJK, full-width forms and CJK punctuation take a full em; everything else about half
FULL_WIDTH = ((0x1100, 0x115F), (0x2E80, 0xA4CF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
              (0xFF00, 0xFF60), (0xFFE0, 0xFFE6), (0x2000, 0x2BFF))
# places where a Chinese organisation's name breaks well: after the administrative level
NAME_BREAK_AFTER = "省市区县州盟旗镇乡"
HARD = 1000  # the penalty of breaking inside a word where nothing suggests it
HINT = ' w:hint="eastAsia"'


def mark_east_asian(xml: str) -> tuple[str, int]:
    """Give every run in `xml` whose text holds an ambiguous character the East Asian font hint.

    The hint only decides which of the run's fonts draws those characters;
    the fonts themselves still come from the styles. Only the runs around
    the characters found are visited (a run holding a text box is not
    marked for the text inside it: that text's own run is). Returns the new
    text and the number of runs marked.
    """
    edits: dict[int, tuple[int, str]] = {}  # position -> (length replaced, new text), one per run
    runs: set[int] = set()
    for match in AMBIGUOUS_TEXT.finditer(xml):
        run = _run_start(xml, match.start())
        if run >= 0 and run not in runs:
            runs.add(run)
            edits.update(_hint(xml, run))
    if not edits:
        return xml, 0
    out, cursor = [], 0
    for position in sorted(edits):
        length, text = edits[position]
        out += [xml[cursor:position], text]
        cursor = position + length
    out.append(xml[cursor:])
    return "".join(out), len(runs)


def _run_start(xml: str, at: int) -> int:
    """Return where the innermost run open at `at` starts (-1: none)."""
    position, depth = at, 0
    while True:
        opening = start_before(xml, "w:r", position)
        if opening < 0:
            return -1
        close = xml.rfind("</w:r>", opening, position)
        if close >= 0:  # a run closed in between (a text box's, inside this one): count back past it
            depth, position = depth + 1, close
        elif depth:
            depth, position = depth - 1, opening
        else:
            return opening


def _hint(xml: str, run: int) -> dict[int, tuple[int, str]]:
    """The edit that sets w:hint on the run's w:rFonts (after w:rStyle), adding w:rPr and w:rFonts as needed."""
    inside = xml.find(">", run) + 1
    if xml.startswith("<w:rPr/>", inside):
        return {inside: (len("<w:rPr/>"), f"<w:rPr><w:rFonts{HINT}/></w:rPr>")}
    if not xml.startswith(("<w:rPr>", "<w:rPr "), inside):
        return {inside: (0, f"<w:rPr><w:rFonts{HINT}/></w:rPr>")}
    start = xml.find(">", inside) + 1
    end = xml.find("</w:rPr>", start)
    change = xml.find("<w:rPrChange", start, end)  # it holds an earlier w:rPr: look before it
    end = change if change >= 0 else end
    fonts = xml.find("<w:rFonts", start, end)
    if fonts >= 0:
        tag = xml[fonts:xml.find(">", fonts) + 1]
        hinted = (re.sub(' w:hint="[^"]*"', HINT, tag) if " w:hint=" in tag
                  else tag[:-2] + HINT + "/>" if tag.endswith("/>") else tag[:-1] + HINT + ">")
        return {fonts: (len(tag), hinted)}
    style = xml.find("<w:rStyle", start, end)
    return {xml.find(">", style) + 1 if style >= 0 else start: (0, f"<w:rFonts{HINT}/>")}


def em_width(text: str) -> float:
    """Return the width of `text` in ems: one for a CJK or full-width character, a half for the rest."""
    return sum(_em(ch) for ch in text)


def _em(ch: str) -> float:
    code = ord(ch)
    return 1.0 if any(low <= code <= high for low, high in FULL_WIDTH) else 0.5


def _breaks(parts: list[str]) -> tuple[str, dict[int, int]]:
    """Return the joined text and its break positions -> penalty.

    Between two parts a break costs nothing; inside a part, after an
    administrative level (市, 区 …) it costs a little, between two CJK
    characters a lot, and never inside a run of Latin letters or digits.
    """
    text, allowed = "", {}
    for part in parts:
        for i in range(1, len(part)):
            before, after = part[i - 1], part[i]
            if not (before.isascii() and after.isascii() and before.isalnum() and after.isalnum()):
                allowed[len(text) + i] = 10 if before in NAME_BREAK_AFTER else HARD
        text += part
        allowed[len(text)] = 0
    allowed.pop(len(text), None)
    return text, allowed


def balance(parts, width: float, most: int = 4) -> str:
    """Return the parts joined, with line breaks (\\n) that balance the lines within `width` ems.

    Jinja filter for titles: `{{ [unit, year ~ "年度部门整体", "绩效评价报告"] | balance(16) }}`.
    Preferred, in this order: no break inside a word where nothing suggests
    one; the fewest lines; breaks between parts over breaks inside them
    (after 市, 区 …); lines of even length (the least sum of squared widths).
    Text that cannot fit in `most` lines is returned unbroken.
    """
    text, allowed = _breaks([str(p) for p in parts if str(p)])
    ems = [0.0]  # ems[i]: the width of text[:i] (halves and wholes: exact in floating point)
    for ch in text:
        ems.append(ems[-1] + _em(ch))
    if ems[-1] > width * most:
        return text
    stops = [0, *sorted(allowed), len(text)]
    # best[k][i]: the cheapest (hard breaks, penalty, sum of squares, previous stop) for text[:stops[i]] in k lines
    best = [{0: (0, 0, 0.0, None)}]
    for _ in range(most):
        row = {}
        for i, (hard, penalty, squares, _prev) in best[-1].items():
            cost = allowed.get(stops[i], 0)
            for j in range(i + 1, len(stops)):
                line = ems[stops[j]] - ems[stops[i]]
                if line > width:
                    break
                key = (hard + (cost == HARD), penalty + cost, squares + line * line, i)
                if j not in row or key[:3] < row[j][:3]:
                    row[j] = key
        best.append(row)
    last = len(stops) - 1
    ends = [(row[last][0], k, row[last][1], row[last][2], k) for k, row in enumerate(best) if last in row]
    if not ends:
        return text
    k = min(ends)[-1]
    lines, i = [], last
    while k:
        previous = best[k][i][3]
        lines.append(text[stops[previous]:stops[i]])
        i, k = previous, k - 1
    return "\n".join(reversed(lines))
