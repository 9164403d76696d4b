"""The workbook contract: every sheet, its kind and its columns or fields.

This is the one declaration the loader reads by, `init` writes from and the
README documents. Headers are matched by text, so the order here is only the
order `init` writes them in.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """How a cell is read and what it becomes."""

    TEXT = "文本"
    MONEY = "金额"  # Decimal, not negative
    NUMBER = "数值"  # Decimal, any sign
    COUNT = "整数"  # int, not negative
    PERCENT = "百分比"  # Decimal fraction: 79.25% -> 0.7925
    YEAR = "年份"
    DATE = "日期"
    CHOICE = "选项"


RULES = (
    "手工",
    "目标完成率",
    "预算执行率",
    "预算执行进度",
    "过紧日子",
    "政府采购执行率",
    "固定资产利用",
    "复评差异",
    "项目实际绩效",
    "满意度",
)
GRADES = ("优", "良", "中", "差")
YES_NO = ("是", "否")
DIRECTIONS = ("≥", "≤", "=")
QUESTION_TYPES = ("基本问题", "满意度问题", "开放问题")
TEXT_SECTIONS = (
    "年度工作完成情况",
    "指标分析小结",
    "综合评价结论",
    "主要绩效",
    "存在的问题",
    "相关建议",
    "表注",
    # standard wording the template carries; a row here replaces it
    "评价目的",
    "评价对象",
    "评价范围",
    "评价思路",
    "评价重点",
    "评价方法",
    "呈报函正文",
)


@dataclass(frozen=True)
class Field:
    """A column of a table sheet or a row of a key-value sheet."""

    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    fill_down: bool = False  # blank means "same as the row above" (merged cells)
    prose: bool = False  # may hold {名称} placeholders and [表:名称] markers
    grouped: bool = False  # one value per question, read from its first row
    hint: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    key_value: bool
    fields: tuple[Field, ...]
    hint: str = ""

    def field(self, name: str) -> Field:
        """Return the field called `name`."""
        return next(f for f in self.fields if f.name == name)


def _f(name: str, kind: Kind = Kind.TEXT, **kw) -> Field:
    return Field(name, kind, **kw)


T, M, N, C, P, Y, D, CH = (Kind.TEXT, Kind.MONEY, Kind.NUMBER, Kind.COUNT,
                           Kind.PERCENT, Kind.YEAR, Kind.DATE, Kind.CHOICE)

SHEETS: tuple[Sheet, ...] = (
    Sheet("基本信息", True, (
        _f("被评价单位", required=True, hint="全称，如 XX市XX区XX局"),
        _f("单位简称", required=True, hint="正文中的简称，如 区XX局"),
        _f("评价年度", Y, required=True, hint="如 2023"),
        _f("主管部门", hint="留空则同被评价单位"),
        _f("实施单位", hint="留空则同被评价单位"),
        _f("委托单位", required=True),
        _f("委托单位简称", hint="留空则同委托单位"),
        _f("呈报对象", hint="呈报函抬头，留空则用委托单位简称"),
        _f("评价机构", required=True, hint="第三方机构全称"),
        _f("评价机构简称", hint="留空则为“评价机构”"),
        _f("项目主评人"),
        _f("报告日期", D, required=True, hint="如 2024年12月"),
        _f("呈报文号"),
        _f("呈报日期", D, hint="留空则同报告日期"),
        _f("联系人"),
        _f("联系电话"),
        _f("评价依据", required=True, prose=True, hint="指标体系依据的文件名称"),
        _f("省级简称", hint="政策梳理表的表头，如 山东"),
        _f("市级简称"),
        _f("本级简称"),
        _f("部门战略目标", required=True, prose=True),
        _f("二维码图片", hint="呈报函二维码图片路径，可留空"),
        _f("等级标准", hint="如 优:90;良:80;中:60，留空用默认"),
    ), "报告封面、呈报函和正文用到的基本信息"),
    Sheet("部门概况", True, (
        _f("组织架构及主要职能", required=True, prose=True),
        _f("编制总数", C, required=True),
        _f("编制_行政", C, required=True),
        _f("编制_事业", C, required=True),
        _f("实有总数", C, required=True),
        _f("实有_行政", C, required=True),
        _f("实有_事业", C, required=True),
        _f("总资产", M, required=True),
        _f("流动资产", M, required=True),
        _f("非流动资产", M, required=True),
        _f("固定资产原值", M, hint="留空则取固定资产表合计"),
        _f("累计折旧", M, hint="留空则取固定资产表合计"),
        _f("无形资产原值", M, required=True),
        _f("累计摊销", M, required=True),
        _f("在用固定资产", M, required=True),
        _f("闲置资产", M),
        _f("上年总资产", M),
        _f("上年闲置资产", M),
        _f("待处置资产", M),
    ), "人员和资产，金额单位万元"),
    Sheet("固定资产", False, (
        _f("序号"),
        _f("资产名称", required=True),
        _f("原值", M, required=True),
        _f("累计折旧", M, required=True),
        _f("净值", M, hint="留空则按 原值−累计折旧 计算"),
    ), "固定资产明细，万元"),
    Sheet("预决算", True, (
        _f("年初预算", M, required=True),
        _f("年初_基本支出", M, required=True),
        _f("年初_项目支出", M, required=True),
        _f("调增_转移支付", M),
        _f("调增_其他", M),
        _f("调减", M),
        _f("决算支出", M, required=True),
        _f("执行进度_注", prose=True, hint="表注，不写“注：”"),
        _f("年初项目数", C, required=True),
        _f("年初项目资金", M, required=True),
        _f("重点项目名称"),
        _f("重点项目资金", M),
        _f("五项经费_预算", M, required=True),
        _f("三公经费_预算", M),
        _f("会议费_预算", M),
        _f("培训费_预算", M),
        _f("五项经费_决算", M, required=True),
        _f("五项经费_上年决算", M, required=True),
        _f("政府采购预算", M),
        _f("政府采购合同金额", M),
        _f("自评项目数", C, required=True),
        _f("自评项目资金", M, required=True),
        _f("绩效监控覆盖率", P),
        _f("收入变动说明", prose=True),
        _f("支出变动说明", prose=True),
    ), "预算、决算和经费，万元"),
    Sheet("收入构成", False, (
        _f("项目", required=True),
        _f("金额", M, required=True),
    ), "年初收入预算的来源构成，万元"),
    Sheet("收支决算", False, (
        _f("年度", Y, required=True),
        _f("收入_一般公共预算", M),
        _f("收入_政府性基金", M),
        _f("收入_国有资本经营预算", M),
        _f("收入_年初结转和结余", M),
        _f("支出_基本支出", M),
        _f("支出_项目支出", M),
        _f("支出_年初结转和结余", M),
    ), "近三年收入、支出决算，万元；空格打印为“——”"),
    Sheet("预算执行进度", False, (
        _f("月份", C, required=True, hint="1–12"),
        _f("月度累计执行_元", M, required=True, hint="单位元"),
    ), "按月累计支出，全年执行取12月"),
    Sheet("战略目标", False, (
        _f("序号"),
        _f("指标名称", required=True),
        _f("指标解释"),
        _f("年度指标值"),
    ), "部门整体战略目标表"),
    Sheet("目标对比", False, (
        _f("职责序号", C, fill_down=True),
        _f("部门职责", required=True, fill_down=True),
        _f("职责", fill_down=True),
        _f("职责目标"),
        _f("绩效指标", required=True),
        _f("目标值", required=True, hint="按报告打印的文字，如 ≥3条"),
        _f("实际完成值"),
        _f("目标数值", hint="计算用，多个值用“、”分隔"),
        _f("实际数值", hint="计算用，多个值用“、”分隔"),
        _f("方向", CH, choices=DIRECTIONS),
        _f("数据来源"),
        _f("存在问题"),
        _f("三级指标", hint="如 (19) 或三级指标名称"),
        _f("列入年度目标表", CH, choices=YES_NO),
        _f("考核", CH, choices=YES_NO),
        _f("不考核原因"),
    ), "年度整体目标与实际完成对比"),
    Sheet("指标体系", False, (
        _f("一级指标", required=True, fill_down=True),
        _f("二级指标", required=True, fill_down=True),
        _f("三级指标", required=True, hint="带编号，如 (1) 预算安排与部门职能匹配度"),
        _f("分值", N, required=True),
        _f("指标解释"),
        _f("评价标准"),
        _f("评分方式", CH, choices=RULES),
        _f("得分", N, hint="手工指标必填；规则指标填写即为覆盖"),
        _f("评分依据", prose=True),
        _f("分析", prose=True, hint="第三章正文，留空则用评分依据"),
        _f("依据来源"),
        _f("问题描述", prose=True),
    ), "每行一个三级指标"),
    Sheet("复评项目", False, (
        _f("序号"),
        _f("项目名称", required=True),
        _f("预算", M, required=True),
        _f("执行", M, required=True),
        _f("自评得分", N, required=True),
        _f("复核得分", N, required=True),
        _f("实际绩效等级", CH, required=True, choices=GRADES),
        _f("存在问题"),
    ), "抽查复评的项目，万元"),
    Sheet("问卷", False, (
        _f("题号", C, required=True, fill_down=True),
        _f("题目", required=True, fill_down=True),
        _f("类型", CH, required=True, choices=QUESTION_TYPES, fill_down=True),
        _f("选项"),
        _f("人数", C),
        _f("分值", N, hint="满意度选项的权重，默认 满意100 较满意80 一般60 不满意40"),
        _f("单项满意度", P, grouped=True, hint="填写则覆盖计算值"),
        _f("样本量", C, grouped=True, hint="多选题等人数之和不是样本量时填写"),
    ), "每行一个选项"),
    Sheet("政策梳理", False, (
        _f("序号"),
        _f("省级"),
        _f("市级"),
        _f("本级"),
        _f("结论"),
    ), "政策梳理情况"),
    Sheet("评价工作组", False, (
        _f("姓名", required=True),
        _f("职称职务"),
        _f("任务分工"),
    ), "人员安排及分工"),
    Sheet("实施安排", False, (
        _f("阶段", required=True),
        _f("起止时间"),
        _f("工作内容", prose=True),
    ), "评价组织实施的各阶段"),
    Sheet("文字", False, (
        _f("章节", CH, required=True, choices=TEXT_SECTIONS),
        _f("序号", C),
        _f("标题", prose=True),
        _f("内容", prose=True),
    ), "正文段落：每行一节，内容一行一段"),
)

SHEET = {s.name: s for s in SHEETS}
