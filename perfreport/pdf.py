"""PDF through LibreOffice, and the page of every heading for the cached TOC.

LibreOffice (`soffice`) converts the report; poppler's `pdftotext` reads the
pages back so the 目录's cached page numbers can be filled in. Both are
optional system tools: without them there is no PDF and the 目录 shows its
entries without numbers until Word or WPS refreshes it.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

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
