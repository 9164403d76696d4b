"""PDF through LibreOffice, and what its pages say: each heading's page, where table rows begin a page.

LibreOffice (`soffice`) converts the report; poppler's `pdftotext` reads the
pages back so the 目录's cached page numbers can be filled in (`--pdf`,
`--toc-pages`) and a merged table's names repeated where a page begins. Both
are optional system tools: without them there is no PDF and the 目录 shows
its entries without numbers until Word or WPS refreshes it.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from lxml import etree

from .numbering import SENTINELS

SIGNATURE = 8  # characters that find a row's first line (poppler may join it to the cells beside it)
PAGE_LABEL = re.compile(r"—\s*(\d+)\s*—\s*$")
TIMEOUT = 300


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or it failed to convert; the message says which."""


def office() -> str | None:
    """Return the LibreOffice command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(docx: bytes) -> bytes:
    """Return the PDF LibreOffice makes of a .docx."""
    command = office()
    if command is None:
        raise PdfUnavailable("未安装 LibreOffice（soffice），未生成 PDF：可安装 libreoffice-writer 后重试")
    with tempfile.TemporaryDirectory(prefix="perfreport-") as work:
        source = Path(work) / "report.docx"
        source.write_bytes(docx)
        # A private profile: a running LibreOffice or a locked user profile must not interfere.
        run = subprocess.run([command, "--headless", f"-env:UserInstallation=file://{work}/profile",
                              "--convert-to", "pdf", "--outdir", work, str(source)],
                             capture_output=True, timeout=TIMEOUT)
        target = Path(work) / "report.pdf"
        if run.returncode != 0 or not target.exists():
            raise PdfUnavailable(f"LibreOffice 转换 PDF 失败：{run.stderr.decode(errors='replace').strip()[:200]}")
        return target.read_bytes()


def _pages(pdf: bytes) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="perfreport-") as work:
        path = Path(work) / "report.pdf"
        path.write_bytes(pdf)
        run = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, timeout=TIMEOUT)
    return run.stdout.decode("utf-8", errors="replace").split("\f")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def heading_pages(pdf: bytes, headings: list[str]) -> dict[str, int]:
    """Return heading text -> printed page number, for the headings found on numbered pages.

    Headings are looked for in order, each on or after the page of the one
    before; pages without a `— N —` footer (cover, 目录, letter) are skipped.
    Empty when poppler's pdftotext is not installed.
    """
    if shutil.which("pdftotext") is None:
        return {}
    numbered = []
    for text in _pages(pdf):
        lines = [line for line in text.strip().splitlines() if line.strip()]
        label = PAGE_LABEL.search(lines[-1]) if lines else None
        if label:
            numbered.append((int(label.group(1)), _flat(text)))
    found: dict[str, int] = {}
    start = 0
    for heading in headings:
        flat = _flat(heading)
        for index in range(start, len(numbered)):
            if flat in numbered[index][1]:
                found[heading] = numbered[index][0]
                start = index
                break
    return found


def _page_lines(pdf: bytes) -> list[list[str]]:
    """Return each page's text lines, flattened, top to bottom (a table cell's lines apart from its neighbours')."""
    with tempfile.TemporaryDirectory(prefix="perfreport-") as work:
        path = Path(work) / "report.pdf"
        path.write_bytes(pdf)
        run = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, timeout=TIMEOUT)
    root = etree.fromstring(run.stdout, etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    xhtml = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in root.iter(f"{xhtml}page"):
        lines = sorted(page.iter(f"{xhtml}line"), key=lambda line: float(line.get("yMin")))
        pages.append([_flat("".join(word.text or "" for word in line.iter(f"{xhtml}word"))) for line in lines])
    return pages


def _signatures(rows: list[dict]) -> list[str]:
    """Return what finds each row on the page: the first paragraph, flattened, of its longest cell among those
    not repeating the row before (a repeated cell is merged away, its text printed once for the group)."""
    found, before = [], {}
    for row in rows:
        cells = {key: str(value) for key, value in row.items() if isinstance(value, str)}
        fresh = [value for key, value in cells.items() if before.get(key) != value] or list(cells.values())
        found.append(_flat(re.split("[\a\n]", max(fresh, key=len, default=""))[0]))
        before = cells
    return found


def _holds(line: str, signature: str) -> bool:
    """Return whether a page line is a row's first line: it holds the signature's beginning, or (a narrow
    column) it is the beginning."""
    return signature[:SIGNATURE] in line or (len(line) >= 4 and signature.startswith(line))


def _rows(part: dict) -> list[dict]:
    """Return a table's body rows as the template draws them: a section (问卷) row, then its rows."""
    return [row for item in part["rows"] for row in ([item, *item["rows"]] if isinstance(item.get("rows"), list)
                                                     else [item])]


def page_starts(pdf: bytes, context: dict) -> dict[tuple[str, str], list[int]]:
    """Return (kind, name) -> the body rows of each table and attachment that begin on a later page than the
    row before them.

    A table is looked for from the page holding its caption (an attachment:
    its title); each row at the first line, on or after the page of the row
    before, that begins the row's longest fresh cell (`_signatures`). Rows not
    found end the search.
    Empty when poppler's pdftotext is not installed.
    """
    if shutil.which("pdftotext") is None:
        return {}
    pages = _page_lines(pdf)
    texts = ["".join(lines) for lines in pages]
    found: dict[tuple[str, str], list[int]] = {}
    for kind, anchor_key in (("tables", "caption"), ("attachments", "title")):
        for name, part in context[kind].items():
            if not part:
                continue
            anchor = _flat(re.sub(f"[{SENTINELS}]", "", part[anchor_key]))[-12:]
            holding = [n for n, text in enumerate(texts) if anchor and anchor in text]
            if not holding:
                continue
            # a caption is printed once; an attachment's title is in the 附件 list first
            previous = holding[0] if kind == "tables" else holding[-1]
            starts = []
            for index, signature in enumerate(_signatures(_rows(part))):
                at = next((n for n in range(previous, len(pages)) for line in pages[n] if _holds(line, signature)),
                          None) if signature else previous
                if at is None:
                    break
                if at > previous and index:
                    starts.append(index)
                previous = at
            found[(kind, name)] = starts
    return found


def mark_page_starts(context: dict, pdf: bytes) -> None:
    """Give each table and attachment of the context its `restarts`: the body rows that begin a page, where
    perfreport.render restarts the vertical merges so that the merged names are printed on that page too."""
    for (kind, name), rows in page_starts(pdf, context).items():
        context[kind][name]["restarts"] = ",".join(map(str, rows))
