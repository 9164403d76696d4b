"""The report's parts while they are being composed, and the text machinery they share.

Workbook text and named wording (perfreport.wording) are expanded here:
`{名称}` becomes a figure or a name of the sentence, a line `[表:名称]` places
a table, `[节:标题]` starts a sub-section, `[表号:名称]` / `[附件号:名称]`
become markers that perfreport.numbering turns into 表N / 附件N from the
rendered document's order, and `[[…]]` is left out when a name in it is
empty or the part it refers to is not in the report.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .. import numbering
from ..errors import Problem, error
from ..fmt import DASH
from ..markers import NUMBER, OPTIONAL, PLACEHOLDER, SECTION_LINE, TABLE_LINE
from ..models import Checked, Record, Scores
from ..outline import ATTACHMENT_NAMES, TABLE_NAMES, TEXT_NAMES, Catalogue
from ..wording import ATTACHMENT_TITLES, BY_NAME, TABLE_NOTES, TABLE_TITLES
from .keys import ident, join, key_blocks, key_rows

NO_SENTINELS = dict.fromkeys(map(ord, numbering.SENTINELS))  # a typed marker character would confuse the numbering
CLOSING = "。！？；：…"
CELL_BREAK = "\a"  # docxtpl: a new paragraph inside the same cell


def paragraphs(text: str | None) -> list[str]:
    """Return the non-blank lines of a text cell, stripped."""
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def closed(text: str) -> str:
    """Return text ending as a sentence does (a cell may omit the full stop)."""
    return text if not text or text[-1] in CLOSING else text + "。"


def para(text: str, key: str) -> dict:
    """A paragraph; `key` says what it is within its text part (compose/keys.py)."""
    return {"kind": "p", "text": text, "key": key}


def heading(text: str, key: str, depth: int = 0) -> dict:
    """A heading `depth` levels below its text's top level; numbered from the document's order."""
    return {"kind": "h", "depth": depth, "text": text, "key": key}


def cell_text(text: str | None) -> str:
    """Return a plain text cell for a table: its paragraphs as paragraphs of one cell."""
    return CELL_BREAK.join(paragraphs(text)) or DASH


class _Named(dict):
    """A line's own names, then the report's: what str.format_map looks a {name} up in (a ChainMap, faster)."""

    __slots__ = ("report",)

    def __missing__(self, name: str) -> str:
        return self.report[name]


class _Empty(Exception):
    """A `[[…]]` part refers to something empty: leave it out."""


class Draft:
    """The parts composed so far, by name, and the problems found in workbook text.

    Tables and attachments are made first (every part of the report can then
    refer to any of them), texts second.
    """

    def __init__(self, checked: Checked, scores: Scores, base: Path):
        self.checked, self.scores, self.base = checked, scores, base
        self.wb = checked.workbook
        self.problems: list[Problem] = []
        self.names: dict[str, str] = {name: figure.prose().translate(NO_SENTINELS)
                                      for name, figure in scores.figures.items()}
        self.rows = self._rows_by_section()
        self.texts = Catalogue("文字")
        self.tables = Catalogue("表格")
        self.attachments = Catalogue("附件")
        self.refs: dict[str, dict[str, list[str]]] = {"表格": {}, "附件": {}}  # [表号:…] seen, with their cells

    def _rows_by_section(self) -> dict[str, list[Record]]:
        sections: dict[str, list[Record]] = {}
        rows = sorted(self.wb.tables["文字"], key=lambda r: (r["序号"] is None, r["序号"] or 0, r.row))
        for row in rows:
            sections.setdefault(row["章节"], []).append(row)
        return sections

    def section(self, name: str) -> list[Record]:
        """Return the 文字 rows of section `name`, in 序号 order."""
        return self.rows.get(name, [])

    # ---- expansion -------------------------------------------------------
    def expand(self, text: str | None, where: str, names: dict[str, str] | None = None,
               known: tuple[str, ...] = ()) -> str:
        """Return text with its names, numbers and optional parts resolved; problems reported at `where`.

        `names` are the sentence's own names (they hide figures of the same
        name); `known` lists them for the message about an unknown name.
        """
        text = (text or "").translate(NO_SENTINELS)
        if "[[" in text:
            text = re.sub(OPTIONAL, lambda m: self._optional(m.group(1), where, names, known), text)
        return self._resolve(text, where, names, known, strict=False)

    def _optional(self, text: str, where: str, names, known) -> str:
        try:
            return self._resolve(text, where, names, known, strict=True)
        except _Empty:
            return ""

    def _resolve(self, text: str, where: str, names, known, *, strict: bool) -> str:
        local = names or {}

        def name(match: re.Match) -> str:
            key = match.group(1)
            value = local[key] if key in local else self.names.get(key)
            if value is None:
                also = f"；本句还可用：{'、'.join(known)}" if known else ""
                self.problems.append(error("unknown-placeholder", where,
                                           f"没有名为“{key}”的计算值：请核对占位符 {{{key}}}（可用名称见 README{also}）"))
                return match.group(0)
            if strict and value == "":
                raise _Empty
            return value

        text = PLACEHOLDER.sub(name, text)
        return NUMBER.sub(lambda m: self._number(m.group(1), m.group(2), where, strict), text)

    def _number(self, kind: str, name: str, where: str, strict: bool) -> str:
        catalogue, mark = ((self.tables, numbering.table_ref) if kind == "表号"
                           else (self.attachments, numbering.attachment_ref))
        if name not in catalogue:
            self.problems.append(error("unknown-table", where, f"没有名为“{name}”的{catalogue.kind}：可用 "
                                       + "、".join(catalogue)))
            return ""
        if catalogue[name] is None:
            if strict:
                raise _Empty
            self.problems.append(error("unknown-table", where, f"引用了{catalogue.kind}“{name}”，但工作簿没有它的数据，"
                                       "报告中没有它：请删去这个引用"))
            return ""
        self.refs[catalogue.kind].setdefault(name, []).append(where)
        return mark(name)

    # ---- workbook text ----------------------------------------------------
    def flow(self, record: Record, field: str, *, names: dict[str, str] | None = None, known: tuple[str, ...] = (),
             close: bool = False, sections: bool = False, key: str | None = None) -> list[dict]:
        """Return the blocks of a multi-line text cell: paragraphs, placed tables and (`sections`) sub-headings.

        A `[节:标题]` line is a heading one level below the section the cell belongs to.
        Line N's key is `KEY/N`, KEY the record and field (by default the field's name).
        """
        blocks: list[dict] = []
        where = record.where(field)
        prefix = field if key is None else key
        for n, line in enumerate(paragraphs(record[field]), 1):
            table = TABLE_LINE.match(line)
            if table:
                blocks += self.place(table.group(1), where)
                continue
            section = re.match(SECTION_LINE, line) if "节" in line else None
            if section and sections:
                blocks.append(heading(self.expand(section.group(1), where, names, known), join(prefix, n), 1))
                continue
            if section:
                self.problems.append(error("misplaced-section", where, "[节:…] 只能写在分小节的文字中（主要绩效、存在的问题、"
                                           "相关建议、增加章节、年度工作完成情况、摘要和实施安排的工作内容）"))
                continue
            blocks.append(para(self.expand(line, where, names, known), join(prefix, n)))
        texts = [b for b in blocks if b["kind"] == "p"]
        if close and texts:
            texts[-1]["text"] = closed(texts[-1]["text"])
        return blocks

    def lines(self, record: Record, field: str) -> list[str]:
        """Return the paragraphs of a text cell, names resolved, table lines left out."""
        return [b["text"] for b in self.flow(record, field) if b["kind"] == "p"]

    def cell(self, record: Record, field: str) -> str:
        """Return a text cell for a table, names resolved: paragraphs of one cell."""
        return CELL_BREAK.join(self.lines(record, field)) or DASH

    def place(self, name: str, where: str) -> list[dict]:
        """Return the block of a table a `[表:名称]` line moves here (nothing when it has no data)."""
        if name not in self.tables:
            self.problems.append(error("unknown-table", where, f"“{name}”不能用 [表:…] 放置：可放置的表有 "
                                       + "、".join(self.tables)))
            return []
        table = self.tables[name]
        if table is None:
            return []
        if table["moved"]:
            self.problems.append(error("table-placed-twice", where, f"表“{name}”已在 {table['moved']} 放置过一次"))
            return []
        table["moved"] = where
        return [{"kind": "table", "table": table, "default": False}]

    # ---- named wording ----------------------------------------------------
    def say(self, name: str, key: str | None = None, **names: Any) -> list[dict]:
        """Return the blocks of named wording: the 文字 rows of that 章节, else the default.

        Their keys are KEY/N (KEY by default the wording's name; a row's 标题 follows it).
        """
        wording = BY_NAME[name]
        values = {k: str(v).translate(NO_SENTINELS) for k, v in names.items()}
        rows = self.section(name)
        prefix = name if key is None else key
        if rows:
            return [b for row in rows for b in self.flow(row, "内容", names=values, known=wording.names,
                                                         key=join(prefix, row["标题"] and ident(row["标题"])))]
        return [para(self._default(name, line, values), join(prefix, n))
                for n, line in enumerate(wording.default.split("\n"), 1)]

    def _default(self, name: str, line: str, values: dict[str, str]) -> str:
        """Expand a line of default wording; one without markers or optional parts by str.format_map."""
        if "[" not in line:
            try:
                named = _Named(values)
                named.report = self.names
                return line.format_map(named)
            except (KeyError, ValueError, IndexError):
                pass  # an unknown name: the full expansion reports it
        return self.expand(line, f"句子“{name}”", values)

    def say_each(self, name: str, items: list[dict[str, Any]], by: str) -> list[dict]:
        """Return the 文字 rows of that 章节, else the default wording once per item (its names), keyed by item[by]."""
        if self.section(name):
            return self.say(name)
        default = BY_NAME[name].default
        return [para(self._default(name, default, {k: str(v).translate(NO_SENTINELS) for k, v in item.items()}),
                     join(name, ident(item[by])))
                for item in items]

    def phrase(self, name: str, **names: Any) -> str:
        """Return named wording as one phrase (a row's paragraphs joined)."""
        return "".join(b["text"] for b in self.say(name, **names) if b["kind"] == "p")

    def text(self, name: str, blocks: list[dict], *, workbook: bool = False) -> None:
        """Supply text part `name` (perfreport.outline.TEXTS); `workbook`: its content is the workbook's own."""
        key_blocks(name, blocks)
        self.texts[name] = {"name": name, "blocks": blocks, "level": TEXT_NAMES[name].level, "workbook": workbook}

    # ---- tables -----------------------------------------------------------
    def table(self, name: str, rows: list, *, design: str | None = None, title: dict[str, str] | None = None,
              unit: str = "", note: str = "", lead: str = "", **extra) -> None:
        """Supply numbered table `name`; none when it has no rows.

        Its title and note come from perfreport.wording, or a 文字 row 表题 / 表注
        whose 标题 is the name; `lead` is the wording printed before it at its
        default place. Each row's `key` names its data (a project's name, a
        year); it becomes the row's full key, `表:NAME/…`.
        """
        if not rows:
            self.tables[name] = None
            return
        design_name = design or name
        spec = TABLE_NAMES[design_name]
        caption = self._override("表题", name)
        if caption is None:
            caption = self.expand(TABLE_TITLES[design_name], f"表题“{name}”", title)
        note_text = self._override("表注", name)
        if note_text is None:
            note_text = note or self.expand(TABLE_NOTES.get(design_name, ""), f"表注“{name}”", title)
        key = f"表:{name}"
        key_rows(key, rows)
        table = self.tables[name] = {
            "name": name, "key": key, "design": spec.design, "caption": numbering.table_caption(name) + caption,
            "unit": f"单位：{unit}" if unit else "", "note": f"注：{note_text}" if note_text else "",
            "rows": rows, "moved": "", "lead": [], "drop": _empty_columns(rows, spec.optional_columns), **extra}
        if lead:  # after the table is known, so that the lead can refer to it
            table["lead"] = [b for b in self.say(lead, key="引言") if b["kind"] == "p"]
            key_blocks(key, table["lead"])

    def attachment(self, name: str, rows: Any, **extra) -> None:
        """Supply attachment `name`; none when `rows` is empty. Rows are keyed as a table's (`附件:NAME/…`)."""
        if not rows:
            self.attachments[name] = None
            return
        spec = ATTACHMENT_NAMES[name]
        title = self._override("附件标题", name)
        if title is None:
            title = self.expand(ATTACHMENT_TITLES[name], f"附件标题“{name}”")
        key = f"附件:{name}"
        key_rows(key, rows)
        self.attachments[name] = {"name": name, "key": key, "design": spec.design,
                                  "number": numbering.attachment_number(name),
                                  "title": title, "rows": rows,
                                  "drop": _empty_columns(rows, spec.optional_columns), **extra}

    def _override(self, section: str, name: str) -> str | None:
        """Return the text of the first 文字 row of `section` whose 标题 is `name`, None when there is none."""
        row = next((r for r in self.section(section) if r["标题"] == name), None)
        return None if row is None else "".join(self.lines(row, "内容"))

    def check_titled_rows(self) -> None:
        """文字 rows of 表题 / 表注 / 附件标题 must name a table or attachment of the report."""
        for section, catalogue in (("表题", self.tables), ("表注", self.tables), ("附件标题", self.attachments)):
            for row in self.section(section):
                if row["标题"] not in catalogue:
                    self.problems.append(error("unknown-table", row.where("标题"),
                                               f"{section}的标题应为{catalogue.kind}名称（{'、'.join(catalogue)}），"
                                               f"实际为“{row['标题'] or ''}”"))


def _empty_columns(rows: list[dict], optional: tuple[int, ...]) -> str:
    """Return the optional columns empty in every row, as the template's `drop:` list (`7` or `6,7`)."""
    empty = [c for c in optional if all(row.get(f"c{c}") in ("", DASH, None) for row in rows)]
    return ",".join(map(str, empty))

