"""The cover letter (呈报函) that goes with the report."""
from __future__ import annotations

from pathlib import Path

from ..errors import error
from .draft import Draft

IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")


def _qr_image(d: Draft) -> str:
    """Return the QR image's path, or "" (with an error when the file is missing or not an image)."""
    info = d.wb.records["基本信息"]
    qr = info["二维码图片"]
    if not qr:
        return ""
    path = Path(qr) if Path(qr).is_absolute() else d.base / qr
    if not path.is_file():
        d.problems.append(error("missing-image", info.where("二维码图片"),
                                f"找不到二维码图片“{qr}”：路径相对于工作簿所在文件夹"))
        return ""
    if not path.read_bytes()[:8].startswith(IMAGE_SIGNATURES):
        d.problems.append(error("not-an-image", info.where("二维码图片"),
                                f"“{qr}”不是 PNG、JPEG、GIF 或 BMP 图片：请换成图片文件"))
        return ""
    return str(path)


def letter(d: Draft) -> dict:
    info = d.wb.records["基本信息"]
    return {"number": info["呈报文号"] or "", "to": info["呈报对象"] or info["委托单位简称"] or info["委托单位"],
            "contact": info["联系人"] or "", "phone": info["联系电话"] or "", "qr": _qr_image(d),
            "date": str(info["呈报日期"] or info["报告日期"])}


def texts(d: Draft) -> None:
    d.text("呈报函正文", d.say("呈报函正文"))
