"""`check --quality`: the report assessed against the mechanically checkable items of the 财政
report-quality scoresheet.

The report is composed and rendered in memory, as `build` would write it (with the same
template), then read back (perfreport.quality.document) and inspected as a reviewer reads
it. ITEMS declares the items once: the README lists them and a test checks. Each item
collects findings, one per place it looked at, each passed or not with where it is; an item
with nothing to look at is 未检查, with why. An assessment, not a gate: failing items are
reported, not errors.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple

from ..models import Result
from . import elements, grades, structure, totals
from .document import read
from .model import FAIL, PASS, Finding, Item, Subject


SHOWN_PASSES = 12  # passing findings printed per item; --json lists them all


class Declared(NamedTuple):
    code: str
    group: str
    what: str
    find: Callable[[Subject], Iterator[Finding]]
    idle: str  # why there may be nothing to look at


ITEMS: tuple[Declared, ...] = (
    Declared("cover-elements", "封面要素", "封面有项目名称、项目单位、主管部门、评价类型、评价日期", elements.cover, ""),
    Declared("report-elements", "报告要素", "报告有标题、被评价单位、评价项目、出具单位、日期", elements.report, ""),
    Declared("table-totals", "散总一致", "每张有合计、小计的表：合计行等于各行之和，合计列等于同行各列之和",
             totals.tables, "报告中没有带合计或小计的表"),
    Declared("sentence-totals", "散总一致", "每句“X，其中A、B…”、预算调整句、净值句：各部分之和等于所述总数",
             totals.sentences, "报告中没有列出总数及其各部分的句子"),
    Declared("workbook-totals", "散总一致", "工作簿中的合计等于其各部分（check 的散总一致交叉核对）",
             totals.workbook, "相关数值空白，交叉核对没有运行"),
    Declared("total-grade", "评分与等级相符", "报告所写的总分是计算的总分，所写的等级是该总分按等级标准所得的等级",
             grades.total_and_grade, ""),
    Declared("review-grades", "评分与等级相符", "复评项目填写的实际绩效等级与复核得分按等级标准所得等级相同，报告所述各等级项目数与复评项目表相符",
             grades.review, "没有复评项目，或未填写实际绩效等级且报告未按等级计数"),
    Declared("numbering", "表格与附件编号", "表、附件依次编号、各用一次，正文引用的表号、附件号都存在，附件列表与附件一致",
             structure.numbers, "报告中没有表格和附件"),
    Declared("issues-advice", "问题与建议对应", "五（存在的问题）每个小节在六（相关建议）有主题相近的建议，小节数相同",
             structure.issues_and_advice, "存在的问题、相关建议没有分小节"),
    Declared("problem-list", "问题清单完整", "每个填写了问题描述的三级指标都列在问题清单附件中",
             structure.problem_list, "没有三级指标填写问题描述"),
    Declared("outline", "提纲完整", "提纲的每个部分（outline.py 声明的文字、表格、附件，有内容时）恰好出现一次，同级标题不重复",
             structure.outline, ""),
)


@dataclass
class Assessment:
    """The items of one report, in ITEMS order."""

    source: str
    items: list[Item] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(item.status == status for item in self.items)

    @property
    def summary(self) -> str:
        return (f"报告质量自评 {len(self.items)} 项：{self.count(PASS)} 项通过，{self.count(FAIL)} 项未通过"
                + (f"，{self.count('未检查')} 项未检查" if self.count("未检查") else ""))

    def lines(self, shown: int = SHOWN_PASSES) -> list[str]:
        """The assessment as `check --quality` prints it: each item with its status, then each finding with where.

        Of an item's passing findings the first `shown` are printed (all failing ones are).
        """
        out = [self.summary]
        for item in self.items:
            out.append(f"  【{item.group}】{item.status}：{item.what}" + (f"（{item.why}）" if item.why else ""))
            passes = 0
            for finding in item.findings:
                passes += finding.passed
                if not finding.passed or passes <= shown:
                    out.append(f"    {finding.status}  {finding.where}：{finding.detail}")
            if passes > shown:
                out.append(f"    ……另有 {passes - shown} 处通过（--json 列出全部）")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"passed": self.count(PASS), "failed": self.count(FAIL), "unchecked": self.count("未检查"),
                "items": [item.as_dict() for item in self.items]}


def assessed(subject: Subject, source: str) -> Assessment:
    """Return every item's findings on the rendered report."""
    assessment = Assessment(source)
    for declared in ITEMS:
        findings = list(declared.find(subject))
        assessment.items.append(Item(declared.code, declared.group, declared.what, findings,
                                     "" if findings else declared.idle))
    return assessment


def assess(path: Path | str, *, template: Path | str | None = None,
           images: Path | str | None = None) -> tuple[Result, Assessment | None]:
    """Check the workbook and, when it has no errors, render its report in memory and assess it.

    Returns the check's Result (with what rendering found, as `build` reports
    it) and the Assessment (None when the workbook has errors, or the template
    cannot be rendered: the Result then says why). Raises nothing for a bad
    workbook or template.
    """
    from ..errors import error
    from ..pipeline import analyse
    from ..render import TemplateError, render

    result, checked, context = analyse(path, images=images)
    if context is None or checked is None or result.scores is None:
        return result, None
    try:
        rendered = render(context, template)
    except TemplateError as exc:
        result.problems.append(error("template-error", Path(template).name if template else "报告模板", str(exc)))
        return result, None
    result.problems += rendered.problems  # parts the template did not place, or placed twice: as build says
    subject = Subject(read(rendered.data, context["title"]), context, checked, result.scores)
    return result, assessed(subject, result.source)
