"""The cover letter (呈报函) that goes with the report."""
from __future__ import annotations

from .draft import Draft


def letter(d: Draft) -> dict:
    info = d.wb.records["基本信息"]
    qr = d.checked.qr_image  # validate checked it: inside the allowed folder, small, decodable
    return {"number": info["呈报文号"] or "", "to": info["呈报对象"] or info["委托单位简称"] or info["委托单位"],
            "contact": info["联系人"] or "", "phone": info["联系电话"] or "", "qr": str(qr) if qr else "",
            "date": str(info["呈报日期"] or info["报告日期"])}


def texts(d: Draft) -> None:
    d.text("呈报函正文", d.say("呈报函正文"))
