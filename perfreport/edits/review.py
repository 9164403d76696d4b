"""What the editors changed in a report, against what perfreport generated: `perfreport edits REPORT`."""
from __future__ import annotations

from dataclasses import dataclass

from . import carrier, match, moves, store
from .diff3 import changes, tokens
from .merge import NotMergeable, heading_text
from .ooxml import digest, q
from .package import Package

CONTEXT = 12  # characters of unchanged text shown around a change
LONGEST = 160  # characters of a whole paragraph shown


@dataclass(frozen=True)
class Edit:
    kind: str  # changed | formatted | inserted | deleted | moved
    heading: str
    before: str  # the generated text ("" for an insertion)
    after: str  # the text now ("" for a deletion)


@dataclass(frozen=True)
class Review:
    workbook: str  # the fingerprint of the workbook the report was built from
    edits: tuple[Edit, ...]

    def count(self, kind: str) -> int:
        return sum(e.kind == kind for e in self.edits)


def list_edits(data: bytes) -> Review:
    """Return what an editor changed in a perfreport report, in document order.

    Raises NotMergeable when the report has no store, PackageError when it is no .docx.
    """
    package = Package.read(data)
    stored = store.find(package)
    if stored is None:
        raise NotMergeable("报告中没有 perfreport 保存的生成内容（不是 perfreport 生成的报告，或该部分已被删除）")
    blocks = carrier.read(package.xml(package.main()).find(q("body")), stored.names())
    match.recover(blocks, stored)
    generated, order = stored.by_key(), {b.key: i for i, b in enumerate(stored.blocks)}
    present = {b.key for b in blocks if b.key}
    moved = moves.moved(blocks, order)
    edits: list[Edit] = []
    shown, rows, previous = 0, set(), ""  # stored blocks up to `shown` are placed; rows listed; the last heading
    for block in blocks:
        if block.key is None:
            cells = [b for b in blocks if b.row is block.row] if block.kind == "cell" else []
            if block.kind == "p" and block.text.strip():
                edits.append(Edit("inserted", heading_text(block), "", block.text))
            elif cells and id(block.row) not in rows and not any(c.key for c in cells) \
                    and any(c.text.strip() for c in cells):
                rows.add(id(block.row))
                edits.append(Edit("inserted", heading_text(block), "", " | ".join(c.text for c in cells)))
            continue
        for was in stored.blocks[shown: order[block.key]]:  # deleted before this block, listed here
            if was.key not in present and was.text.strip():
                edits.append(Edit("deleted", previous or heading_text(block), was.text, ""))
        shown, previous = max(shown, order[block.key] + 1), heading_text(block)
        was = generated[block.key]
        if block.key in moved:
            edits.append(Edit("moved", heading_text(block), was.text, block.text))
        if block.text != was.text:
            edits.append(Edit("changed", heading_text(block), was.text, block.text))
        elif digest(block.elements) != was.digest:
            edits.append(Edit("formatted", heading_text(block), was.text, block.text))
    edits += [Edit("deleted", previous, b.text, "") for b in stored.blocks[shown:] if b.key not in present and b.text.strip()]
    return Review(stored.workbook, tuple(edits))


def _head(text: str, size: int) -> str:
    """Return the first whole tokens of `text` holding about `size` characters."""
    out = ""
    for token in tokens(text):
        if len(out) >= size:
            return out + "…"
        out += token
    return out


def _tail(text: str, size: int) -> str:
    out = ""
    for token in reversed(tokens(text)):
        if len(out) >= size:
            return "…" + out
        out = token + out
    return out


def shorten(text: str, limit: int = LONGEST) -> str:
    text = text.replace("\n", "↵").replace("\v", "↵").replace("\t", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def inline(before: str, after: str) -> str:
    """Return `after` with each change from `before` shown as 【old→new】, with a little context around it."""
    pieces, last = [], 0
    for o0, o1, n0, n1 in changes(before, after):
        gap = after[last:n0]
        if last == 0:
            gap = _tail(gap, CONTEXT)
        elif len(gap) > 2 * CONTEXT:
            gap = _head(gap, CONTEXT) + _tail(gap, CONTEXT)[1:]
        pieces += [gap, f"【{before[o0:o1]}→{after[n0:n1]}】"]
        last = n1
    pieces.append(_head(after[last:], CONTEXT))
    return shorten("".join(pieces), 4 * LONGEST)


LABELS = {"changed": "修改", "inserted": "新增", "deleted": "删除", "moved": "移动", "formatted": "格式"}


def describe(review: Review, name: str) -> list[str]:
    """Return the lines `perfreport edits` prints."""
    counts = [(review.count(k), w) for k, w in (("changed", "处修改"), ("inserted", "段新增"), ("deleted", "处删除"),
                                                 ("moved", "处移动"))]
    summary = "，".join(f"{n} {w}" for n, w in counts if n) or "没有文字修改"
    formatted = review.count("formatted")
    lines = [f"{name}：{summary}" + (f"（另有 {formatted} 处只改了格式）" if formatted else "")]
    for edit in review.edits:
        if edit.kind == "formatted":
            continue
        lines.append(f"  {LABELS[edit.kind]}  {edit.heading}" if edit.heading else f"  {LABELS[edit.kind]}")
        if edit.kind == "changed":
            lines.append(f"        {inline(edit.before, edit.after)}")
        else:
            lines.append(f"        {shorten(edit.after or edit.before)}")
    return lines
