"""The report's structure: table and attachment numbers, 问题 against 建议, the 问题清单, the outline's parts."""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from .. import numbering
from .document import ATTACHMENT_LABEL, CAPTION, Paragraph, number_of
from .model import Finding, Subject

TABLE_REF = re.compile(r"(?<![附报列图])表([0-9]+|\?)(?![0-9])")
ATTACHMENT_REF = re.compile(r"附件([0-9]+|\?)(?![0-9])")
LIST_LINE = re.compile(r"^(\d+)[.．、](.+)$")
MARKER = re.compile(f"[{numbering.TABLE_REF}{numbering.ATTACHMENT_REF}][^{numbering.END}]*{numbering.END}")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# two-character words every title uses: they say nothing about its topic
STOP = {"加强", "提高", "有待", "不够", "存在", "问题", "建议", "进一", "一步", "确保", "提升", "不足", "较低", "不到",
        "到位", "及时", "有效", "进行"}
BODY = ("正文", "附件", "呈报函")


def _plain(text: str) -> str:
    return re.sub(r"\s", "", text or "")


def _sequence(numbers: list[str], kind: str, where: str) -> Iterator[Finding]:
    """Each number once, 1 to n in order."""
    counts = Counter(numbers)
    for number, n in counts.items():
        if n > 1 or number == "?":
            yield Finding(False, where, f"{kind}{number} " + (f"用了 {n} 次" if n > 1 else "没有编号：它引用的部分不在报告中"))
    if numbers and numbers == [str(i) for i in range(1, len(numbers) + 1)]:
        yield Finding(True, where, f"{kind}1—{kind}{len(numbers)} 依次编号，各用一次")
    elif numbers and all(n == 1 for n in counts.values()) and "?" not in counts:
        yield Finding(False, where, f"{kind}编号不连续：{'、'.join(numbers)}")


def _references(subject: Subject, pattern: re.Pattern, exists: set[str], kind: str,
                skip: set[int]) -> Iterator[Finding]:
    """Every reference `表N` / `附件N` in the text: to a table or attachment the report has."""
    found, wrong = [], []
    exists = exists - {"?"}  # 表? is what numbering prints for a part it could not find
    for i, p in enumerate(subject.report.paragraphs):
        if i in skip or p.zone == "目录":
            continue
        for m in pattern.finditer(p.text):
            (found if m.group(1) in exists else wrong).append((m.group(1), p.where))
    for table in subject.report.tables:
        for cell in dict.fromkeys(c for row in table.rows for c in row):
            for m in pattern.finditer(cell):
                (found if m.group(1) in exists else wrong).append((m.group(1), table.where))
    for number, where in dict.fromkeys(wrong):
        yield Finding(False, where, f"引用了{kind}{number}，但报告中没有{kind}{number}")
    if found:
        numbers = sorted({n for n, _ in found}, key=int)
        yield Finding(True, "正文", f"引用的{kind}{'、'.join(numbers)}（{len(found)} 处）都在报告中")


def numbers(subject: Subject) -> Iterator[Finding]:
    """Tables: captions 表1… once each, in order, every 表N referenced has one; attachments likewise, and the 附件 list."""
    paragraphs = subject.report.paragraphs
    captions = {i: CAPTION.match(_plain(p.text)) for i, p in enumerate(paragraphs) if p.zone == "正文"}
    captions = {i: m for i, m in captions.items() if m}
    yield from _sequence([m.group(1) for m in captions.values()], "表", "正文")
    yield from _references(subject, TABLE_REF, {m.group(1) for m in captions.values()}, "表", set(captions))
    labels = {i: ATTACHMENT_LABEL.match(_plain(p.text)) for i, p in enumerate(paragraphs) if p.zone == "附件"}
    labels = {i: m for i, m in labels.items() if m}
    yield from _sequence([m.group(1) for m in labels.values()], "附件", "附件")
    listed = _attachment_list(subject)
    yield from _references(subject, ATTACHMENT_REF, {m.group(1) for m in labels.values()}, "附件",
                           set(labels) | set(listed))
    titles = [(m.group(1), _plain(paragraphs[i + 1].text) if i + 1 < len(paragraphs) else "")
              for i, m in labels.items()]
    lines = [LIST_LINE.match(_plain(paragraphs[i].text)).groups() for i in listed]
    if titles or lines:
        same = lines == titles
        yield Finding(same, "正文", "正文末尾的附件列表与各附件的编号和标题一致" if same else
                      f"正文末尾的附件列表（{'；'.join('.'.join(x) for x in lines) or '无'}）与附件"
                      f"（{'；'.join('.'.join(x) for x in titles) or '无'}）不一致")


def _attachment_list(subject: Subject) -> list[int]:
    """The indices of the `N.标题` lines under the 附件 list's first line (附件：)."""
    label = _plain(subject.context["numbering"]["attachment_label"])
    paragraphs = subject.report.paragraphs
    start = next((i for i, p in enumerate(paragraphs) if p.zone == "正文" and _plain(p.text) == label), None)
    lines = []
    for i in range(start + 1, len(paragraphs)) if start is not None else ():
        if not _plain(paragraphs[i].text):
            continue
        if not LIST_LINE.match(_plain(paragraphs[i].text)) or paragraphs[i].zone != "正文":
            break
        lines.append(i)
    return lines


# ---- 问题 and 建议 -----------------------------------------------------------
def _subsections(subject: Subject, name: str) -> list[Paragraph]:
    """The headings of text part `name`'s sub-sections as the report prints them."""
    part = subject.context["texts"].get(name)
    titles = [number_of(MARKER.sub("", b["text"]))[1] for b in (part or {}).get("blocks", [])
              if b["kind"] == "h" and b["depth"] == 0]
    headings = [p for p in subject.report.headings if p.zone == "正文"]
    found = []
    for title in titles:
        match = next((h for h in headings if number_of(h.text.strip())[1] == title
                      and all(h is not f for f in found)), None)
        if match is not None:
            found.append(match)
    return found


def _chapter(where: str) -> str:
    """The chapter number a place starts with: `五` of `五（一） 项目设置…`."""
    match = re.match(r"[一二三四五六七八九十]+", where)
    return match.group(0) if match else where


def _words(title: str) -> set[str]:
    return {run[i:i + 2] for run in CJK_RUN.findall(title) for i in range(len(run) - 1)} - STOP


def issues_and_advice(subject: Subject) -> Iterator[Finding]:
    """As many 建议 sub-sections in 六 as 问题 in 五, and for each 问题 a 建议 on its topic (shared words of the titles)."""
    issues, advice = _subsections(subject, "存在的问题"), _subsections(subject, "相关建议")
    if not issues and not advice:
        return
    where = "、".join(_chapter(part[0].where) if part else "" for part in (issues, advice)).strip("、")
    yield Finding(len(issues) == len(advice), where, f"问题 {len(issues)} 个小节，建议 {len(advice)} 个小节")
    for i, issue in enumerate(issues):
        words = _words(number_of(issue.text.strip())[1])
        scored = [(len(words & _words(number_of(a.text.strip())[1])), j == i, j) for j, a in enumerate(advice)]
        shared, _, j = max(scored, default=(0, False, -1))
        if shared:
            common = sorted(words & _words(number_of(advice[j].text.strip())[1]))
            yield Finding(True, issue.where, f"“{issue.text.strip()}”对应建议“{advice[j].text.strip()}”"
                          f"（共同的词：{'、'.join(common)}）")
        else:
            yield Finding(False, issue.where, f"“{issue.text.strip()}”：没有题目与之相近的建议")


# ---- 问题清单 -------------------------------------------------------------------
def _snippet(text: str) -> str:
    """The first run of a text cell's own words (between {名称} and [标记], which print otherwise) of four characters
    or more, else its longest, without spaces, at most 20 characters."""
    runs = [_plain(run) for run in re.split(r"\{[^}]*\}|\[[^\]]*\]|\n", text or "")]
    return next((run for run in runs if len(run) >= 4), max(runs, key=len, default=""))[:20]


def problem_list(subject: Subject) -> Iterator[Finding]:
    """Every 三级 with a 问题描述 is a row of the 问题清单 attachment."""
    with_problems = [i for i in subject.checked.indicators if i.text("问题描述").strip()]
    if not with_problems:
        return
    attachment = subject.context["attachments"].get("问题清单")
    title = _plain(attachment["title"]) if attachment else ""
    label = next((p.where.split()[0] for p in subject.report.zone("附件") if title and _plain(p.text) == title), "")
    rows = [_plain("".join(row)) for t in subject.report.tables if label and t.where == label for row in t.rows]
    for indicator in with_problems:
        cell = indicator.record.where("问题描述")
        if not rows:
            yield Finding(False, cell, f"{indicator.label}有问题描述，但报告中没有问题清单附件")
            continue
        snippet = _snippet(indicator.text("问题描述"))
        found = any(snippet in row for row in rows)
        yield Finding(found, cell, f"{indicator.label}的问题描述“{snippet}…”" + (
            f"在问题清单（{label}）中" if found else f"不在问题清单（{label}）中"))


# ---- the outline's parts -------------------------------------------------------
def _pattern(text: str) -> re.Pattern:
    """A text block as the rendered paragraph reads: its table and attachment references become 表N / 附件N."""
    pieces = [re.escape(_plain(piece)) for piece in MARKER.split(text)]
    return re.compile(r"(?:表|附件)[0-9?]+".join(pieces))


def _placed(subject: Subject, block: dict) -> list[str]:
    """Where the body prints `block`: one place per paragraph that reads as it does."""
    body = [p for p in subject.report.paragraphs if p.zone in BODY]
    if block["kind"] == "p":
        pattern = _pattern(block["text"])
        return [p.where for p in body if pattern.fullmatch(_plain(p.text))]
    title = _plain(number_of(MARKER.sub("", block["text"]).strip())[1])
    return [p.where for p in body if p.level and _plain(number_of(p.text.strip())[1]) == title]


def _once(places: list[str], what: str) -> Finding:
    if len(places) == 1:
        return Finding(True, places[0], f"{what}出现一次")
    if not places:
        return Finding(False, "报告", f"{what}有内容，但没有出现在报告中")
    return Finding(False, "、".join(places), f"{what}出现了 {len(places)} 次")


def outline(subject: Subject) -> Iterator[Finding]:
    """Each part with content (perfreport.outline: texts, tables, attachments) once; no heading twice among siblings."""
    for name, part in subject.context["texts"].items():
        blocks = [b for b in (part or {}).get("blocks", []) if b["kind"] in ("p", "h", "u") and _plain(b["text"])]
        if blocks:
            block = next((b for b in blocks if len(_plain(MARKER.sub("", b["text"]))) >= 6), blocks[0])
            yield _once(_placed(subject, block), f"文字“{name}”")
    captions: dict[str, list[str]] = {}
    for p in subject.report.zone("正文"):
        m = CAPTION.match(_plain(p.text))
        if m:
            captions.setdefault(_plain(m.group(2)), []).append(f"表{m.group(1)}")
    for name, table in subject.context["tables"].items():
        if table:
            title = _plain(table["caption"][len(numbering.table_caption(name)):])
            yield _once(captions.get(title, []), f"表格“{name}”")
    for name, attachment in subject.context["attachments"].items():
        if attachment:
            title = _plain(attachment["title"])
            yield _once([p.where for p in subject.report.zone("附件") if _plain(p.text) == title], f"附件“{name}”")
    yield from _repeated_headings(subject)


def _repeated_headings(subject: Subject) -> Iterator[Finding]:
    path: list[str] = []
    seen: Counter = Counter()
    places: dict = {}
    for p in subject.report.headings:
        if p.zone != "正文":
            continue
        title = number_of(p.text.strip())[1]
        path = path[:p.level - 1]
        key = (tuple(path), p.level, title)
        seen[key] += 1
        places.setdefault(key, p.where)
        path.append(title)
    repeated = {key for key, n in seen.items() if n > 1}
    # a repeated chapter repeats its sections: name only the topmost heading repeated, in document order
    twice = [(key, n) for key, n in seen.items() if key in repeated
             and not any((key[0][:k - 1], k, key[0][k - 1]) in repeated for k in range(1, len(key[0]) + 1))]
    for key, n in twice:
        _, level, title = key
        yield Finding(False, places[key], f"{level} 级标题“{title}”在同一章节下出现了 {n} 次")
    if not twice:
        yield Finding(True, "正文", f"{sum(seen.values())} 个标题，同级没有重复")
