"""What `build --force` and `perfreport edits` do with an edited report, as problems and lines for the CLI.

`carry_over` is called by the pipeline when --force replaces an existing
report: it merges the editor's changes into the new build and reports every
conflict, deletion and dropped edit as a warning placed under its heading.
The pipeline then writes the result through output.py, which keeps the old
file as NAME.bak.docx as always.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import Problem, error, warning
from .merge import Merged, NotMergeable, merge
from .package import PackageError
from .store import StoreError
from .review import describe, inline, list_edits, shorten

CODES = {  # Note.code -> the problem's stable code
    "conflict": "edit-conflict",
    "deleted-changed": "edit-deleted-data-changed",
    "removed-edited": "edit-removed-by-data",
    "unplaced": "edit-not-carried",
    "pending": "edit-pending-revisions",
    "format-dropped": "edit-format-not-carried",
}


def _problems(merged: Merged, old: Path) -> list[Problem]:
    problems = []
    for note in merged.notes:
        if note.code == "conflict":
            detail = inline(note.before, note.after)
        elif note.code == "removed-edited":
            detail = "编辑的文字：" + shorten(note.edited)
        elif note.code in ("deleted-changed", "pending", "format-dropped"):  # shows what the data changed
            detail = inline(note.before, note.after)
        else:
            detail = shorten(note.edited or note.after)
        problems.append(warning(CODES[note.code], note.heading, f"{note.message}：{detail}"))
    if merged.carried:
        conflicts = len(merged.conflicts)
        problems.append(warning("edits-merged", old.name,
                                f"已带入编辑的修改 {merged.carried} 处" + (f"，其中 {conflicts} 处与新数据冲突，已以修订标出，"
                                                                         "请在 Word 中用“审阅→接受/拒绝”逐条处理" if conflicts else "")
                                + f"；合并前的文件保存为 {old.stem}.bak{old.suffix}"))
    return problems


def carry_over(new: bytes, old: Path) -> tuple[bytes | None, list[Problem]]:
    """Return the new build with the edits of the report at `old` carried over, and what to tell the user.

    A report that perfreport did not write (or whose stored part is gone or
    damaged) is not merged: the new build comes back unchanged with a warning saying so.
    The data is None, with an error, when the merge itself failed: then
    nothing may be written.
    """
    try:
        merged = merge(new, old.read_bytes())
    except (NotMergeable, PackageError, StoreError) as exc:  # a damaged store is as good as none
        return new, [warning("edits-not-merged", old.name,
                             f"{exc}：编辑的修改（如有）未带入新报告；原文件保存为 {old.stem}.bak{old.suffix}，"
                             "可对照手工处理")]
    except OSError as exc:
        return None, [error("edits-unreadable", old.name, f"无法读取原报告（{exc.strerror or exc}）：未生成新报告")]
    except Exception as exc:  # noqa: BLE001 - a merge bug must never cost the editor's file
        return None, [error("edits-merge-failed", old.name,
                            f"合并编辑的修改失败（{type(exc).__name__}：{exc}）：原报告保持不变。可加 --discard-edits "
                            "重新生成（原文件仍保存为 .bak.docx），并把原报告和这条消息发给维护者")]
    return merged.data, _problems(merged, old)


def review(path: Path) -> tuple[list[str], bool]:
    """Return the lines `perfreport edits REPORT` prints, and whether the report could be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [f"{path.name}：文件不存在，请检查路径"], False
    except IsADirectoryError:
        return [f"{path.name}：是一个文件夹，请给出报告（.docx）的路径"], False
    except OSError as exc:
        return [f"{path.name}：无法读取（{exc.strerror or exc}）"], False
    try:
        found = list_edits(data)
    except (NotMergeable, PackageError, StoreError) as exc:
        return [f"{path.name}：{exc}"], False
    return describe(found, path.name), True
