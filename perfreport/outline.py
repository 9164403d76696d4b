"""The parts the report is made of, by name: texts, tables, attachments.

The template owns the order: it places each part with a block tag
(`{{p 文字("名称") }}`, `{{p 表格("名称") }}`, `{{p 附件("名称") }}`), and
what depends on order (heading, table and attachment numbers, the 目录, the
附件 list) is resolved from the rendered document (perfreport.numbering).
This module declares what exists, once: compose supplies exactly these parts,
the template may use exactly these names, the 文字 sheet's 章节 choices, the
README and the template's guide are read from here.
"""
from __future__ import annotations

from typing import NamedTuple

from .wording import WORDING


class Text(NamedTuple):
    """A text part: paragraphs, maybe with headings and placed tables."""

    name: str
    source: str  # where its content comes from
    level: int = 0  # heading level of its top headings (0: it has none)


class Table(NamedTuple):
    """A numbered table (表N) of the body."""

    name: str
    design: str  # the template macro that draws it
    source: str
    place: str  # its default place
    optional_columns: tuple[int, ...] = ()  # columns dropped when empty in every row


class Attachment(NamedTuple):
    name: str
    design: str
    source: str
    optional_columns: tuple[int, ...] = ()


# 文字 章节 that hold parts of the report (rather than replace a named wording)
WORKBOOK_SECTIONS = {
    "摘要": "摘要：标题（可空，默认“摘要”）和内容；默认模板放在第一章之前，不编号，列入目录",
    "年度工作完成情况": "一（三）：先写无标题的引言行，再每项一行（标题 = 小标题）",
    "指标分析小结": "三（二）每个一级指标的小结（标题 = 一级指标名称）",
    "综合评价结论": "三（一）得分情况表之后的段落",
    "主要绩效": "四：每行一个小节（标题 = 小节标题）",
    "存在的问题": "五：每行一个小节",
    "相关建议": "六：每行一个小节",
    "增加章节": "默认模板放在第六章之后：每行一章（标题 = 章标题），编号并列入目录",
    "表题": "替换表格标题（标题 = 表格名称）",
    "表注": "表格下方的注（标题 = 表格名称，内容不写“注：”）",
    "附件标题": "替换附件标题（标题 = 附件名称）",
}

TEXTS: tuple[Text, ...] = (
    Text("摘要", "文字 章节“摘要”", level=1),
    Text("组织架构及主要职能", "部门概况!组织架构及主要职能"),
    Text("人员构成", "生成（可替换）"),
    Text("资产情况", "生成（可替换）"),
    Text("收入预决算", "生成（可替换）"),
    Text("收入变动说明", "预决算!收入变动说明"),
    Text("支出预决算", "生成（可替换）"),
    Text("支出变动说明", "预决算!支出变动说明"),
    Text("部门战略目标", "基本信息!部门战略目标，末尾接“战略目标引用”"),
    Text("年度目标引言", "生成（可替换）"),
    Text("年度工作完成情况", "文字 章节“年度工作完成情况”", level=3),
    Text("评价目的", "生成（可替换）"),
    Text("评价对象", "生成（可替换）"),
    Text("评价范围", "生成（可替换）"),
    Text("评价思路", "生成（可替换）"),
    Text("评价重点", "生成（可替换）"),
    Text("评价指标体系", "生成（可替换）"),
    Text("评价标准", "生成（可替换）"),
    Text("实施安排引言", "生成（可替换）"),
    Text("实施安排", "实施安排 工作表：每个阶段一个小标题", level=4),
    Text("评价方法", "生成（可替换）"),
    Text("综合评价得分", "生成（可替换）"),
    Text("综合评价结论", "文字 章节“综合评价结论”"),
    Text("指标分析", "指标体系的分析（或评分依据）、文字“指标分析小结”、各一级指标得分表", level=3),
    Text("主要绩效", "文字 章节“主要绩效”", level=2),
    Text("存在的问题", "文字 章节“存在的问题”", level=2),
    Text("相关建议", "文字 章节“相关建议”", level=2),
    Text("增加章节", "文字 章节“增加章节”", level=1),
    Text("呈报函正文", "生成（可替换）"),
)

TABLES: tuple[Table, ...] = (
    Table("政策梳理", "政策梳理表", "政策梳理", "一（一）1 组织架构及主要职能之后", (1, 2, 3)),
    Table("固定资产", "固定资产表", "固定资产", "一（一）3 资产情况"),
    Table("收入决算", "收入决算表", "收支决算", "一（一）4（1）年度收入预决算"),
    Table("支出决算", "支出决算表", "收支决算", "一（一）4（2）年度支出预决算"),
    Table("战略目标", "战略目标表", "战略目标", "一（二）1 部门战略目标", (2,)),
    Table("年度目标", "年度目标表", "目标对比（列入年度目标表）", "一（二）2 年度整体绩效目标", (3,)),
    Table("工作组", "工作组表", "评价工作组", "二（三）1 评价组织实施", (1,)),
    Table("得分情况", "得分情况表", "指标体系", "三（一）综合评价结论"),
    Table("指标得分", "二级得分表", "指标体系（每个一级指标一张，名称为“一级指标名称+指标得分”，如“预算管理指标得分”）",
          "三（二）该一级指标的小结之后"),
    Table("预算执行进度", "预算执行进度表", "预算执行进度", "三（二）评分方式为“预算执行进度”（否则“预算执行率”）的指标之后"),
    Table("复评项目", "复评项目表", "复评项目", "三（二）评分方式为“复评差异”（否则“项目实际绩效”）的指标之后", (7,)),
)

ATTACHMENTS: tuple[Attachment, ...] = (
    Attachment("指标体系", "指标体系表", "指标体系", (6, 7)),
    Attachment("得分表", "得分表", "指标体系", (7,)),
    Attachment("目标完成情况", "目标完成情况表", "目标对比", (7, 8)),
    Attachment("问卷调查", "问卷调查表", "问卷（无问卷时不出现）"),
    Attachment("问题清单", "问题清单表", "指标体系!问题描述（无问题时不出现）"),
)

TEXT_NAMES = {t.name: t for t in TEXTS}
TABLE_NAMES = {t.name: t for t in TABLES}
ATTACHMENT_NAMES = {a.name: a for a in ATTACHMENTS}
PER_GROUP_TABLE = "指标得分"  # one per 一级指标, named “<一级指标>指标得分”

# the 文字 sheet's 章节: the workbook's own sections, then every named wording (a row replaces it)
TEXT_SECTIONS: tuple[str, ...] = tuple(WORKBOOK_SECTIONS) + tuple(w.name for w in WORDING)


class UnknownName(LookupError):
    """The template asked for a part that does not exist."""


class Catalogue(dict):
    """The parts of one kind by name; calling it with a name the template uses returns the part.

    A name that is not a part of the report raises UnknownName, naming it and
    the names there are. Calls are remembered, so that a part the template
    never asks for can be reported.
    """

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind
        self.used: set[str] = set()

    def __call__(self, name: str):
        if name not in self:
            raise UnknownName(f"模板使用了 {self.kind}(\"{name}\")，但没有名为“{name}”的{self.kind}："
                              f"可用的有 {'、'.join(self)}")
        self.used.add(name)
        return self[name]
