"""What `next-year` does with every field of the contract: declared once, as data.

Every sheet and field of contract.SHEETS has a policy here (a test fails when
one has none, so a field added later cannot be carried or cleared by
accident):

- KEEP: the value stays (the framework, weights, 评价标准, duties, team, firm);
- FILL: a value of this year only; cleared and highlighted, and `check` lists
  the cell until it is filled again (when it held a value this year);
- OPTIONAL: a value of this year only; cleared and highlighted, filled only
  where it applies next year (an override, a note, a problem found);
- NEXT: the year itself, plus one;
- previous(FIELD): a 上年 value, which next year is this year's FIELD;
- SHIFT: a history by year: the oldest row dropped, an empty row added for
  the new year.

Where the same column means different things on different rows, ByRow picks
the policy by another field of the row (得分 by 评分方式, 文字 by 章节).
Columns and sheets outside the contract are kept as they are.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .wording import WORDING


@dataclass(frozen=True)
class Policy:
    action: str  # keep | clear | next | previous | shift
    fill: bool = False  # a cleared value needed again: `check` lists its cell until it is filled
    source: str = ""  # previous: the field (same sheet) whose value this year becomes this one's


@dataclass(frozen=True)
class ByRow:
    """A policy chosen by the value of another field of the same row."""

    field: str
    cases: Mapping[str | None, Policy]  # value of `field` (None: blank) -> policy
    default: Policy | None = None  # for values not listed; None: every value must be listed

    def pick(self, value: str | None) -> Policy:
        """Return the policy for a row whose `field` holds `value`.

        A value not listed, on a list without default, can only be one `check`
        rejects (a blank or unknown 章节): the row is kept as it is.
        """
        return self.cases.get(value, self.default or KEEP)


KEEP = Policy("keep")
FILL = Policy("clear", fill=True)
OPTIONAL = Policy("clear")
NEXT = Policy("next")
SHIFT = Policy("shift")


def previous(source: str) -> Policy:
    """Return the policy of a 上年 field that next year holds this year's `source`."""
    return Policy("previous", source=source)


def _texts(title: Policy, content: Policy) -> dict[str, Policy]:
    return {"标题": title, "内容": content}


# 文字 by 章节: the firm's wording (every named sentence a row replaces) stays, each year's own text is
# written again.
TEXT_POLICY: dict[str, dict[str, Policy]] = {
    "摘要": _texts(KEEP, FILL),  # 标题: the heading
    "年度工作完成情况": _texts(KEEP, FILL),  # 标题: the duty, which stays
    "指标分析小结": _texts(KEEP, FILL),  # 标题: the 一级 indicator
    "综合评价结论": _texts(OPTIONAL, FILL),
    "主要绩效": _texts(FILL, FILL),
    "存在的问题": _texts(FILL, FILL),
    "相关建议": _texts(FILL, FILL),
    "增加章节": _texts(KEEP, FILL),  # 标题: the chapter, which the commissioning authority's outline keeps
    "表题": _texts(KEEP, KEEP),
    "表注": _texts(KEEP, FILL),  # 标题: the table
    "附件标题": _texts(KEEP, KEEP),
    **{wording.name: _texts(KEEP, KEEP) for wording in WORDING},
}


def _by_section(part: str) -> ByRow:
    return ByRow("章节", {section: parts[part] for section, parts in TEXT_POLICY.items()})


POLICY: dict[str, dict[str, Policy | ByRow]] = {
    "基本信息": {
        "被评价单位": KEEP, "单位简称": KEEP, "评价年度": NEXT, "主管部门": KEEP, "实施单位": KEEP,
        "委托单位": KEEP, "委托单位简称": KEEP, "呈报对象": KEEP, "评价机构": KEEP, "评价机构简称": KEEP,
        "项目主评人": KEEP, "报告日期": FILL, "呈报文号": FILL, "呈报日期": OPTIONAL, "联系人": KEEP,
        "联系电话": KEEP, "评价依据": KEEP, "省级简称": KEEP, "市级简称": KEEP, "本级简称": KEEP,
        "部门战略目标": KEEP, "二维码图片": KEEP, "等级标准": KEEP, "一级等级标准": KEEP,
    },
    "部门概况": {
        "组织架构及主要职能": KEEP, "编制总数": KEEP, "编制_行政": KEEP, "编制_事业": KEEP,
        "实有总数": FILL, "实有_行政": FILL, "实有_事业": FILL,
        "总资产": FILL, "流动资产": FILL, "非流动资产": FILL,
        "固定资产原值": OPTIONAL, "累计折旧": OPTIONAL,  # blank: the 固定资产 sums
        "无形资产原值": FILL, "累计摊销": FILL, "在用固定资产": FILL, "闲置资产": FILL,
        "上年总资产": previous("总资产"), "上年闲置资产": previous("闲置资产"), "待处置资产": FILL,
    },
    "固定资产": {"序号": KEEP, "资产名称": KEEP, "原值": FILL, "累计折旧": FILL, "净值": OPTIONAL},
    "预决算": {
        "年初预算": FILL, "年初_基本支出": FILL, "年初_项目支出": FILL, "调增_转移支付": FILL, "调增_其他": FILL,
        "调减": FILL, "决算支出": FILL, "执行进度_注": OPTIONAL, "年初项目数": FILL, "年初项目资金": FILL,
        "重点项目名称": FILL, "重点项目资金": FILL, "五项经费_预算": FILL, "三公经费_预算": FILL,
        "会议费_预算": FILL, "培训费_预算": FILL, "五项经费_决算": FILL,
        "五项经费_上年决算": previous("五项经费_决算"), "政府采购预算": FILL, "政府采购合同金额": FILL,
        "自评项目数": FILL, "自评项目资金": FILL, "绩效监控覆盖率": FILL, "收入变动说明": FILL,
        "支出变动说明": FILL, "三公经费_决算": OPTIONAL, "三公经费_上年决算": previous("三公经费_决算"),
        "公用经费_预算": OPTIONAL, "公用经费_决算": OPTIONAL, "年末结转结余": OPTIONAL,
    },
    "收入构成": {"项目": KEEP, "金额": FILL},
    "收支决算": {name: SHIFT for name in (
        "年度", "收入_一般公共预算", "收入_政府性基金", "收入_国有资本经营预算", "收入_年初结转和结余",
        "支出_基本支出", "支出_项目支出", "支出_年初结转和结余")},
    "预算执行进度": {"月份": KEEP, "月度累计执行_元": FILL},
    "战略目标": {"序号": KEEP, "指标名称": KEEP, "指标解释": KEEP, "年度指标值": FILL},
    "目标对比": {
        "职责序号": KEEP, "部门职责": KEEP, "职责": KEEP, "职责目标": KEEP, "绩效指标": KEEP,
        "目标值": FILL, "实际完成值": FILL, "目标数值": OPTIONAL, "实际数值": OPTIONAL,  # blank: from the texts
        "方向": KEEP, "数据来源": KEEP, "存在问题": OPTIONAL, "三级指标": KEEP, "列入年度目标表": KEEP,
        "考核": OPTIONAL, "不考核原因": OPTIONAL,
    },
    "指标体系": {
        "一级指标": KEEP, "二级指标": KEEP, "三级指标": KEEP, "分值": KEEP, "指标解释": KEEP, "评价标准": KEEP,
        "评分方式": KEEP,
        # a 手工 score is the consultant's; on a rule-scored row a typed score is an override
        "得分": ByRow("评分方式", {"手工": FILL, None: FILL}, default=OPTIONAL),
        "评分依据": FILL, "分析": FILL, "依据来源": KEEP, "问题描述": OPTIONAL, "评分参数": KEEP,
    },
    "复评项目": {"序号": FILL, "项目名称": FILL, "预算": FILL, "执行": FILL, "自评得分": FILL, "复核得分": FILL,
             "实际绩效等级": FILL, "存在问题": OPTIONAL},
    "问卷": {
        "题号": KEEP, "题目": KEEP, "类型": KEEP,
        "选项": ByRow("类型", {"基本问题": KEEP, "满意度问题": KEEP, "开放问题": OPTIONAL, None: KEEP}),  # 开放: answers
        "人数": FILL, "分值": KEEP, "单项满意度": OPTIONAL, "样本量": FILL, "问题组": KEEP,
    },
    "政策梳理": {"序号": KEEP, "省级": KEEP, "市级": KEEP, "本级": KEEP, "结论": FILL},
    "评价工作组": {"姓名": KEEP, "职称职务": KEEP, "任务分工": KEEP},
    "实施安排": {"阶段": KEEP, "起止时间": FILL, "工作内容": KEEP},
    "文字": {"章节": KEEP, "序号": KEEP, "标题": _by_section("标题"), "内容": _by_section("内容")},
}

