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
from docx.oxml.ns import qn
from lxml import etree

# The blocks whose characters Word draws with the East Asian font only under the hint:
# Latin-1's exceptions, General Punctuation up to Miscellaneous Symbols and Arrows
# (“ ” ‘ ’ — … ‰ ※ № ℃ Ⅰ → ≥ ≤ ① ─ ■ ○ ★).
AMBIGUOUS = re.compile("[\u00a1\u00a4\u00a7\u00a8\u00aa\u00ad\u00af\u00b0-\u00b4\u00b6-\u00ba\u00bc-\u00bf"
                       "\u00d7\u00f7\u2000-\u2bff]")
# CJK, full-width forms and CJK punctuation take a full em; everything else about half
FULL_WIDTH = re.compile("[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
                        "\uffe0-\uffe6\u2000-\u2bff]")
# places where a Chinese organisation's name breaks well: after the administrative level
NAME_BREAK_AFTER = "省市区县州盟旗镇乡"
HARD = 1000  # the penalty of breaking inside a word where nothing suggests it


def mark_east_asian(root) -> int:
    """Give every run under `root` that holds an ambiguous character the East Asian font hint.

    The hint only decides which of the run's fonts draws those characters;
    the fonts themselves still come from the styles. Returns the number of
    runs marked.
    """
    marked = 0
    for run in root.iter(qn("w:r")):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if not AMBIGUOUS.search(text):
            continue
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = etree.Element(qn("w:rPr"))
            run.insert(0, rpr)
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = etree.Element(qn("w:rFonts"))
            style = rpr.find(qn("w:rStyle"))  # rFonts follows rStyle in CT_RPr's sequence
            rpr.insert(0 if style is None else rpr.index(style) + 1, fonts)
        fonts.set(qn("w:hint"), "eastAsia")
        marked += 1
    return marked


def em_width(text: str) -> float:
    """Return the width of `text` in ems: one for a CJK or full-width character, a half for the rest."""
    return sum(1.0 if FULL_WIDTH.match(ch) else 0.5 for ch in text)


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
    if em_width(text) > width * most:
        return text
    stops = [0, *sorted(allowed), len(text)]
    # best[k][i]: the cheapest (hard breaks, penalty, sum of squares, previous stop) for text[:stops[i]] in k lines
    best = [{0: (0, 0, 0.0, None)}]
    for _ in range(most):
        row = {}
        for i, (hard, penalty, squares, _prev) in best[-1].items():
            cost = allowed.get(stops[i], 0)
            for j in range(i + 1, len(stops)):
                line = em_width(text[stops[i]:stops[j]])
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
