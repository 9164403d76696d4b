"""Check a picture the workbook points at (基本信息 二维码图片) before anything embeds it.

A workbook can come from someone else, so its picture must lie inside the
folder the user allows (the workbook's, or the one given with --image-dir),
symlinks resolved; it must be a regular file of at most 5 MB, decode fully as
a PNG, JPEG, GIF or BMP of sane pixel size (Pillow, imported only when a
picture is named), and start with a header python-docx can embed.
"""
from __future__ import annotations

import stat
import warnings
from pathlib import Path

MAX_BYTES = 5 * 2**20
MAX_PIXELS = 4096 * 4096  # a QR code needs a few hundred; decoding this many takes 64 MB
FORMATS = ("PNG", "JPEG", "GIF", "BMP")
# the headers python-docx embeds (docx.image.SIGNATURES, without TIFF, which Word shows badly): offset, bytes
DOCX_SIGNATURES = ((0, b"\x89PNG\x0d\x0a\x1a\x0a"), (6, b"JFIF"), (6, b"Exif"), (0, b"GIF87a"), (0, b"GIF89a"),
                   (0, b"BM"))


class ImageProblem(ValueError):
    """The picture cannot be used; `code` names the problem, the message says why in Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _too_many_pixels(typed: str, found: str) -> str:
    return f"图片“{typed}”{found}像素过多（上限 {MAX_PIXELS:,} 像素）：二维码图片几百像素见方即可"


def _decoded(path: Path, typed: str) -> None:
    """Decode the whole picture with Pillow, or raise ImageProblem."""
    from PIL import Image  # noqa: PLC0415 - 30 ms, paid only when a picture is named

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # Pillow's own guard: an error here
            with Image.open(path, formats=FORMATS) as picture:
                width, height = picture.size
                if width < 1 or height < 1 or width * height > MAX_PIXELS:
                    raise ImageProblem("image-too-large", _too_many_pixels(typed, f"为 {width}×{height} 像素，"))
                picture.load()
    except ImageProblem:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageProblem("image-too-large", _too_many_pixels(typed, "")) from None
    except Exception as exc:  # noqa: BLE001 - whatever Pillow raises, the file does not decode
        raise ImageProblem("not-an-image", f"“{typed}”不是可以读取的 PNG、JPEG、GIF 或 BMP 图片"
                                           f"（{type(exc).__name__}）：请换成图片文件") from None


def checked_image(typed: str, folder: Path, allowed: Path) -> Path:
    """Return the picture `typed` (relative to `folder`) resolved, once it is safe to embed; else raise ImageProblem."""
    path = Path(typed) if Path(typed).is_absolute() else folder / typed
    resolved, root = path.resolve(), allowed.resolve()
    if not resolved.is_relative_to(root):
        raise ImageProblem("image-outside-folder",
                           f"图片“{typed}”不在 {root} 中：为免把本机的其他文件带进报告，二维码图片须放在工作簿所在的"
                           "文件夹里（或用 --image-dir 指定图片所在的文件夹）")
    try:
        found = resolved.stat()
    except OSError:
        raise ImageProblem("missing-image", f"找不到二维码图片“{typed}”：路径相对于工作簿所在文件夹") from None
    if not stat.S_ISREG(found.st_mode):
        raise ImageProblem("not-an-image", f"“{typed}”不是普通文件，不是图片：请换成 PNG 或 JPEG 图片")
    if found.st_size > MAX_BYTES:
        raise ImageProblem("image-too-large", f"图片“{typed}”过大（{found.st_size / 2**20:,.1f} MB，上限 "
                                              f"{MAX_BYTES // 2**20} MB）：二维码图片通常不到 100 KB")
    with resolved.open("rb") as handle:
        head = handle.read(16)
    if not any(head[offset:offset + len(signature)] == signature for offset, signature in DOCX_SIGNATURES):
        raise ImageProblem("not-an-image", f"“{typed}”不是 PNG、JPEG、GIF 或 BMP 图片：请换成图片文件（或另存为 PNG）")
    _decoded(resolved, typed)
    return resolved
