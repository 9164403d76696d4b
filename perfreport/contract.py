"""The workbook contract: every sheet, its kind and its columns or fields.

This is the one declaration the loader reads by, `init` writes from and the
README documents. Headers are matched by text, so the order here is only the
order `init` writes them in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .outline import TEXT_SECTIONS  # the 文字 sheet's 章节: sections of the report and named wording
from .rules.presets import RULE_NAMES


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


RULES = RULE_NAMES  # 评分方式: declared once, with their parameters and documentation, in rules/presets.py
YES_NO = ("是", "否")
DIRECTIONS = ("≥", "≤", "=")
QUESTION_TYPES = ("基本问题", "满意度问题", "开放问题")


@dataclass(frozen=True)
class Field:
    """A column of a table sheet or a row of a key-value sheet."""

    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    fill_down: bool = False  # blank means "same as the row above" (merged cells)
    prose: bool = False  # may hold {名称} placeholders and [表:名称] markers
    syntax: bool = False  # names figures as {名称} in a syntax of its own (评分参数), read by its parser
    grouped: bool = False  # one value per question, read from its first row
    hint: str = ""
    example: str = ""  # a typical value, shown by `init` in 填写说明 and the input hints
    bounds: tuple[int, int] | None = None  # the least and greatest value allowed (a percentage's in points)


TOTAL_LABEL = re.compile(r"^(合计|总计|小计)$")  # a Sheet.totals cell so written marks a typed total row


@dataclass(frozen=True)
class Sheet:
    """A sheet of the standard workbook: its name, whether it is key-value or a table, its fields."""

    name: str
    key_value: bool
    fields: tuple[Field, ...]
    hint: str = ""
    totals: tuple[str, ...] = ()  # columns whose 合计/总计 marks a typed total row: checked against the sums, dropped

    def field(self, name: str) -> Field:
        """Return the field called `name`."""
        return next(f for f in self.fields if f.name == name)


def _f(name: str, kind: Kind = Kind.TEXT, **kw) -> Field:
    return Field(name, kind, **kw)


T, M, N, C, P, Y, D, CH = (Kind.TEXT, Kind.MONEY, Kind.NUMBER, Kind.COUNT,
                           Kind.PERCENT, Kind.YEAR, Kind.DATE, Kind.CHOICE)

SHEETS: tuple[Sheet, ...] = (
    Sheet("基本信息", True, (
        _f("被评价单位", required=True, hint="全称，如 XX市XX区XX局", example="XX市XX区XX局"),
        _f("单位简称", required=True, hint="正文中的简称，如 区XX局", example="区XX局"),
        _f("评价年度", Y, required=True, hint="如 2023", example="2024"),
        _f("主管部门", hint="留空则同被评价单位", example="XX市XX区XX局"),
        _f("实施单位", hint="留空则同被评价单位", example="XX市XX区XX局"),
        _f("委托单位", required=True, example="XX市XX区财政局"),
        _f("委托单位简称", hint="留空则同委托单位", example="区财政局"),
        _f("呈报对象", hint="呈报函抬头，留空则用委托单位简称", example="XX区财政局"),
        _f("评价机构", required=True, hint="第三方机构全称", example="XX管理咨询有限公司"),
        _f("评价机构简称", hint="留空则为“评价机构”", example="评价机构"),
        _f("项目主评人", example="张三"),
        _f("报告日期", D, required=True, hint="如 2024年12月", example="2025年3月"),
        _f("呈报文号", example="XX评字〔2025〕1号"),
        _f("呈报日期", D, hint="留空则同报告日期", example="2025年3月20日"),
        _f("联系人", example="李四"),
        _f("联系电话", example="0000-12345678"),
        _f("评价依据", required=True, prose=True, hint="指标体系依据的文件名称", example="《XX市区级部门整体绩效评价指标体系》"),
        _f("省级简称", hint="政策梳理表的表头，如 山东", example="山东"),
        _f("市级简称", example="XX市"),
        _f("本级简称", example="XX区"),
        _f("部门战略目标", required=True, prose=True, example="围绕区委、区政府确定的年度重点任务，推动……"),
        _f("二维码图片", hint="呈报函二维码图片路径，可留空", example="二维码.png"),
        _f("等级标准", hint="各等级及其最低分，最低一档只写名称，如 优秀:90;良好:80;合格:60;不合格；留空为 优:90;良:80;中:60;差",
           example="优:90;良:80;中:60;差"),
        _f("一级等级标准", hint="可选：按各一级指标得分率（%）评级，如 A:90;B:75;C:60;D", example="A:90;B:75;C:60;D"),
    ), "报告封面、呈报函和正文用到的基本信息"),
    Sheet("部门概况", True, (
        _f("组织架构及主要职能", required=True, prose=True, example="{被评价单位}（以下简称{单位简称}）内设X个科室……主要职能：……"),
        _f("编制总数", C, required=True, example="20"),
        _f("编制_行政", C, required=True, example="15"),
        _f("编制_事业", C, required=True, example="5"),
        _f("实有总数", C, required=True, example="18"),
        _f("实有_行政", C, required=True, example="14"),
        _f("实有_事业", C, required=True, example="4"),
        _f("总资产", M, required=True, example="1,234.56"),
        _f("流动资产", M, required=True, example="1,000.00"),
        _f("非流动资产", M, required=True, example="234.56"),
        _f("固定资产原值", M, hint="留空则取固定资产表合计", example="300.00"),
        _f("累计折旧", M, hint="留空则取固定资产表合计", example="80.00"),
        _f("无形资产原值", M, required=True, example="10.00"),
        _f("累计摊销", M, required=True, example="2.00"),
        _f("在用固定资产", M, required=True, example="300.00"),
        _f("闲置资产", M, example="0"),
        _f("上年总资产", M, example="1,100.00"),
        _f("上年闲置资产", M, example="0"),
        _f("待处置资产", M, example="0"),
    ), "人员和资产，金额单位万元"),
    Sheet("固定资产", False, (
        _f("序号", example="1"),
        _f("资产名称", required=True, example="办公设备"),
        _f("原值", M, required=True, example="12.50"),
        _f("累计折旧", M, required=True, example="3.20"),
        _f("净值", M, hint="留空则按 原值−累计折旧 计算", example="9.30"),
    ), "固定资产明细，万元", totals=("资产名称",)),
    Sheet("预决算", True, (
        _f("年初预算", M, required=True, example="5,000.00"),
        _f("年初_基本支出", M, required=True, example="1,200.00"),
        _f("年初_项目支出", M, required=True, example="3,800.00"),
        _f("调增_转移支付", M, example="300.00"),
        _f("调增_其他", M, example="50.00"),
        _f("调减", M, example="20.00"),
        _f("决算支出", M, required=True, example="4,800.00"),
        _f("执行进度_注", prose=True, hint="表注，不写“注：”", example="1—6月预算执行数据无法获取。"),
        _f("年初项目数", C, required=True, example="12"),
        _f("年初项目资金", M, required=True, example="3,800.00"),
        _f("重点项目名称", example="XX产业发展专项资金"),
        _f("重点项目资金", M, example="2,000.00"),
        _f("五项经费_预算", M, required=True, example="10.50"),
        _f("三公经费_预算", M, example="3.00"),
        _f("会议费_预算", M, example="2.50"),
        _f("培训费_预算", M, example="5.00"),
        _f("五项经费_决算", M, required=True, example="9.80"),
        _f("五项经费_上年决算", M, required=True, example="10.20"),
        _f("政府采购预算", M, example="200.00"),
        _f("政府采购合同金额", M, example="180.00"),
        _f("自评项目数", C, required=True, example="12"),
        _f("自评项目资金", M, required=True, example="3,800.00"),
        _f("绩效监控覆盖率", P, example="100%", bounds=(0, 100)),
        _f("收入变动说明", prose=True, example="收入较上年减少，主要原因是……"),
        _f("支出变动说明", prose=True, example="支出较上年减少，主要原因是……"),
        _f("三公经费_决算", M, hint="三公经费控制率、变动率用", example="2.80"),
        _f("三公经费_上年决算", M, example="3.10"),
        _f("公用经费_预算", M, hint="公用经费控制率用", example="60.00"),
        _f("公用经费_决算", M, example="58.20"),
        _f("年末结转结余", M, hint="结转结余率用", example="120.00"),
    ), "预算、决算和经费，万元"),
    Sheet("收入构成", False, (
        _f("项目", required=True, example="一般公共预算收入"),
        _f("金额", M, required=True, example="4,500.00"),
    ), "年初收入预算的来源构成，万元"),
    Sheet("收支决算", False, (
        _f("年度", Y, required=True, example="2024"),
        _f("收入_一般公共预算", M, example="4,500.00"),
        _f("收入_政府性基金", M, example="300.00"),
        _f("收入_国有资本经营预算", M),
        _f("收入_年初结转和结余", M, example="200.00"),
        _f("支出_基本支出", M, example="1,200.00"),
        _f("支出_项目支出", M, example="3,600.00"),
        _f("支出_年初结转和结余", M, example="200.00"),
    ), "近三年收入、支出决算，万元；空格打印为“——”"),
    Sheet("预算执行进度", False, (
        _f("月份", C, required=True, hint="1–12", example="6"),
        _f("月度累计执行_元", M, required=True, hint="单位元", example="25,000,000.00"),
    ), "按月累计支出，全年执行取12月"),
    Sheet("战略目标", False, (
        _f("序号", example="1"),
        _f("指标名称", required=True, example="XX产业发展"),
        _f("指标解释", example="反映……"),
        _f("年度指标值", example="≥3条"),
    ), "部门整体战略目标表"),
    Sheet("目标对比", False, (
        _f("职责序号", C, fill_down=True, example="1"),
        _f("部门职责", required=True, fill_down=True, example="促进XX产业发展"),
        _f("职责", fill_down=True, example="负责拟订XX产业发展政策……"),
        _f("职责目标", example="出台XX产业发展政策"),
        _f("绩效指标", required=True, example="政策出台条数"),
        _f("目标值", required=True, hint="按报告打印的文字，如 ≥3条", example="≥3条"),
        _f("实际完成值", example="4条"),
        _f("目标数值", hint="计算用，多个值用“、”分隔", example="3"),
        _f("实际数值", hint="计算用，多个值用“、”分隔", example="4"),
        _f("方向", CH, choices=DIRECTIONS, example="≥"),
        _f("数据来源", example="XX文件"),
        _f("存在问题", example="部分目标未完成"),
        _f("三级指标", hint="如 (19) 或三级指标名称", example="(19)"),
        _f("列入年度目标表", CH, choices=YES_NO, example="是"),
        _f("考核", CH, choices=YES_NO, example="是"),
        _f("不考核原因", example="该项工作取消，不予考核"),
    ), "年度整体目标与实际完成对比"),
    Sheet("指标体系", False, (
        _f("一级指标", required=True, fill_down=True, example="预算管理"),
        _f("二级指标", required=True, fill_down=True, example="财会管理"),
        _f("三级指标", required=True, hint="带编号，如 (1) 预算安排与部门职能匹配度", example="(9) 会计核算规范性"),
        _f("分值", N, required=True, example="2", bounds=(0, 100)),
        _f("指标解释", example="（已预填）"),
        _f("评价标准", example="（已预填）"),
        _f("评分方式", CH, choices=RULES, example="手工"),
        _f("得分", N, hint="手工指标必填；规则指标填写即为覆盖", example="1.5", bounds=(0, 100)),
        _f("评分依据", prose=True, example="经查阅会计凭证，发现……，扣0.5分。"),
        _f("分析", prose=True, hint="第三章正文，留空则用评分依据", example="经核查，……详见[表号:复评项目]。"),
        _f("依据来源", example="会计凭证、财务报表"),
        _f("问题描述", prose=True, example="部分会计凭证附件不完整"),
        _f("评分参数", hint="规则的参数，写法同评价标准，如 {预算调整率}=0得满分；≤10%得2分；其他0分；留空用该评分方式的默认",
           example="分母：调整后预算", syntax=True),
    ), "每行一个三级指标", totals=("一级指标", "二级指标", "三级指标")),
    Sheet("复评项目", False, (
        _f("序号", example="1"),
        _f("项目名称", required=True, example="XX专项资金项目"),
        _f("预算", M, required=True, example="100.00"),
        _f("执行", M, required=True, example="95.00"),
        _f("自评得分", N, required=True, example="95", bounds=(0, 100)),
        _f("复核得分", N, required=True, example="85", bounds=(0, 100)),
        _f("实际绩效等级", hint="等级标准中的等级（默认 优/良/中/差）；评分参数写“等级：按复核得分”时可留空", example="良"),
        _f("存在问题", example="1.绩效目标设置不够细化"),
    ), "抽查复评的项目，万元", totals=("项目名称",)),
    Sheet("问卷", False, (
        _f("题号", C, required=True, fill_down=True, example="1"),
        _f("题目", required=True, fill_down=True, example="您对本部门的服务是否满意？"),
        _f("类型", CH, required=True, choices=QUESTION_TYPES, fill_down=True, example="满意度问题"),
        _f("选项", example="A.满意"),
        _f("人数", C, example="30"),
        _f("分值", N, hint="满意度选项的权重，默认 满意100 较满意80 一般60 不满意40", example="100", bounds=(0, 100)),
        _f("单项满意度", P, grouped=True, hint="填写则覆盖计算值", example="95.00%", bounds=(0, 100)),
        _f("样本量", C, grouped=True, hint="多选题等人数之和不是样本量时填写", example="60"),
        _f("问题组", grouped=True, hint="满意度问题所属的组（如 协作部门），评分参数“问题组：协作部门”按组计分",
           example="服务对象"),
    ), "每行一个选项"),
    Sheet("政策梳理", False, (
        _f("序号", example="1"),
        _f("省级", example="《XX省……办法》"),
        _f("市级", example="《XX市……细则》"),
        _f("本级", example="《XX区……方案》"),
        _f("结论", example="有效"),
    ), "政策梳理情况"),
    Sheet("评价工作组", False, (
        _f("姓名", required=True, example="张三"),
        _f("职称职务", example="高级会计师、项目负责人"),
        _f("任务分工", example="统筹协调，报告审核"),
    ), "人员安排及分工"),
    Sheet("实施安排", False, (
        _f("阶段", required=True, example="前期准备阶段"),
        _f("起止时间", example="2025年1月1日—1月10日"),
        _f("工作内容", prose=True, example="{评价机构}与{委托单位}沟通，明确评价目的和范围……"),
    ), "评价组织实施的各阶段"),
    Sheet("文字", False, (
        _f("章节", CH, required=True, choices=TEXT_SECTIONS, example="主要绩效"),
        _f("序号", C, example="1"),
        _f("标题", prose=True, example="预算管理规范有序"),
        _f("内容", prose=True, example="一是……\n二是……"),
    ), "正文段落：每行一节，内容一行一段"),
)

SHEET = {s.name: s for s in SHEETS}
