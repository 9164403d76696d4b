"""Say which block of a template broke, and where, in words an editor of the .docx can follow.

A firm edits its template in Word; a deleted `{%p endif %}`, a misspelt block
name or a tag broken by an edit surfaces as a jinja2 error with a line of the
prepared XML (one paragraph per line, see prepare._source).
This module turns that into the block's text and the heading it sits under.
"""
from __future__ import annotations

import html
import re

import jinja2

from .outline import UnknownName

TAGS = re.compile(r"<[^>]+>")
HEADING = re.compile(r'<w:pStyle w:val="Heading[1-5]"/>')
PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
BLOCK = re.compile(r"\{%-?\s*(if|for|macro|endif|endfor|endmacro)\b")
OPENS = {"if": "endif", "for": "endfor", "macro": "endmacro"}


def _text(line: str) -> str:
    return html.unescape(TAGS.sub("", line)).strip()


def _line_of(exc: BaseException) -> int | None:
    """The template line the error belongs to: the syntax error's, else the outermost template frame's."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.lineno
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>" and line is None:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _unclosed(lines: list[str]) -> tuple[int, str] | None:
    """The line (1-based) and tag of the first block (if/for/macro) that is never closed or never opened."""
    stack: list[tuple[str, int, str]] = []
    for number, line in enumerate(lines, 1):
        for match in BLOCK.finditer(line):
            word, tag = match.group(1), JINJA.match(line, match.start())
            tag = tag.group(0) if tag else match.group(0)
            if word in OPENS:
                stack.append((word, number, tag))
            elif stack and OPENS[stack[-1][0]] == word:
                stack.pop()
            else:
                return number, tag  # a closing tag without its opening
    return stack[0][1:] if stack else None


def _paragraph_text(line: str, tags: bool = False) -> str:
    """The text of the first paragraph on a line, without template tags unless `tags`."""
    paragraph = PARAGRAPH.search(line)
    text = _text(paragraph.group(0)) if paragraph else ""
    return text if tags else JINJA.sub("", text).strip()


def _where(lines: list[str], number: int, tag: str = "", name: str = "") -> str:
    """The failing block (`tag`, else the line's tag naming `name`, else its first), its heading and the paragraph before."""
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    tags = [m.group(0) for m in JINJA.finditer(_text(line))]
    block = (tag or next((t for t in tags if name and name in t), tags[0] if tags else _text(line)))[:80]
    above = next((_paragraph_text(lines[i]) for i in range(number - 1, -1, -1) if HEADING.search(lines[i])), "")
    before = next((t for i in range(number - 1, -1, -1)
                   if (t := _paragraph_text(lines[i], tags=True)) and block not in t), "")
    place = f"标题“{above}”之下" if above else "第一个标题之前（宏定义部分或封面）"
    if before and before != above:
        place += f"、“{before[:30]}”一段之后"
    return f"{place}的 {block}" if block else place


def _what(exc: BaseException) -> str:
    if isinstance(exc, UnknownName):
        return str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        return f"使用了没有的名称（{exc.message}）：请核对拼写，可用名称见模板说明"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        if "Unexpected end of template" in exc.message or "unknown tag" in exc.message.lower():
            return f"块标记不成对（{exc.message}）：{{%p if %}}、{{%p for %}} 须有对应的 {{%p endif %}}、{{%p endfor %}}"
        return f"标记写法有误（{exc.message}）：标记须在同一段内、不被改动或拆开"
    return (f"{type(exc).__name__}：{exc}：请检查模板，以及工作簿引用的图片（基本信息“二维码图片”）"
            "是否为 PNG/JPEG 图片")


def describe(exc: BaseException, source: str) -> str:
    """Return the message for a template that failed to render: what broke, in which block, where."""
    lines = source.splitlines()
    number, tag = _line_of(exc), ""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        number, tag = _unclosed(lines) or (number, "")
    name = re.search(r"“([^”]+)”", str(exc))
    where = f"，位置：{_where(lines, number, tag, name.group(1) if name else '')}" if number and lines else ""
    return f"模板渲染失败：{_what(exc)}{where}"
