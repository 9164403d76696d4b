"""The sample workbook scores and figures equal what the reference report prints."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from perfreport.compose import compose
from perfreport.load import load
from perfreport.score import score
from perfreport.validate import validate

SAMPLE = Path(__file__).resolve().parent.parent / "sample_workbooks" / "shizhong_gxj_2023.xlsx"


@pytest.fixture(scope="module")
def scored():
    workbook, problems = load(SAMPLE)
    checked, more = validate(workbook)
    scores, warnings = score(checked)
    assert not [p for p in problems + more if p.severity.value == "error"]
    return checked, scores, warnings


# 附件2 of the reference: every 三级 score as printed.
THIRD_LEVEL = {
    1: "7.00", 2: "1.00", 3: "2.00", 4: "0.00", 5: "2.00", 6: "2.00", 7: "3.00", 8: "1.00", 9: "2.00",
    10: "1.40", 11: "0.00", 12: "0.00", 13: "2.40", 14: "2.00", 15: "2.00", 16: "3.00", 17: "2.80",
    18: "3.00", 19: "1.33", 20: "2.00", 21: "1.00", 22: "2.00", 23: "3.00", 24: "2.00", 25: "1.00",
    26: "1.00", 27: "5.00", 28: "7.10", 29: "6.00", 30: "2.40",
}
# The rule values behind them; (14) and (28) are printed as overrides of these.
RULE_VALUES = {2: "1.00", 3: "2.00", 4: "0.00", 12: "0.00", 14: "1.75", 19: "1.33", 20: "2.00", 21: "1.00",
               22: "2.00", 23: "3.00", 24: "2.00", 25: "1.00", 26: "1.00", 27: "5.00", 28: "7.08", 30: "2.40"}
SECOND_LEVEL = {
    "预算安排与部门职能匹配度": ("10.00", "7.00"), "运行成本": ("2.00", "1.00"), "预算执行进度": ("4.00", "2.00"),
    "预决算信息公开": ("2.00", "2.00"), "预算管理一体化和项目库管理情况": ("2.00", "2.00"),
    "财会管理": ("8.00", "6.00"), "政府采购管理": ("4.00", "1.40"), "资产管理": ("5.00", "4.40"),
    "转移支付资金管理": ("3.00", "2.00"), "绩效管理": ("15.00", "8.80"),
    "年度整体目标完成情况": ("15.00", "13.33"), "政策和项目绩效情况": ("20.00", "12.10"), "满意度": ("10.00", "8.40"),
}
FIRST_LEVEL = [("财政资源配置", "12.00", "8.00"), ("预算管理", "28.00", "19.80"), ("绩效管理", "15.00", "8.80"),
               ("部门履职效能", "35.00", "25.43"), ("社会效应", "10.00", "8.40")]


@pytest.mark.parametrize("number,printed", THIRD_LEVEL.items())
def test_third_level_scores(scored, number, printed):
    item = next(i for i in scored[1].indicators if i.indicator.number == number)
    assert f"{item.score:.2f}" == printed
    if number in RULE_VALUES:
        assert f"{item.rule_score:.2f}" == RULE_VALUES[number]


@pytest.mark.parametrize("name,expected", SECOND_LEVEL.items())
def test_second_level_sums(scored, name, expected):
    group = next(sub for g in scored[1].level1 for sub in g.members if sub.name == name)
    assert (f"{group.weight:.2f}", f"{group.score:.2f}") == expected


def test_first_level_total_and_grade(scored):
    scores = scored[1]
    assert [(g.name, f"{g.weight:.2f}", f"{g.score:.2f}") for g in scores.level1] == FIRST_LEVEL
    assert (f"{scores.total:.2f}", scores.grade) == ("70.43", "中")


# Figures in prose form, each as the reference prints it somewhere.
FIGURES = {
    "年初预算": "12,779.84", "调整后预算": "12,961.52", "调整预算": "308.62", "调增预算": "245.15",
    "预算调整额": "63.47", "决算支出": "10,271.96", "预算执行率": "79.25%", "预算调整率": "0.5%",
    "年初项目资金": "11,922.66", "重点项目资金": "450", "重点项目保障率": "3.77%",
    "五项经费_预算": "5.26", "三公经费_预算": "4.2", "会议费_预算": "0", "培训费_预算": "1.06",
    "五项经费_上年决算": "2.79", "五项经费控制率": "100%", "五项经费变动率": "88.53%",
    "政府采购预算": "3", "政府采购执行率": "0%",
    "总资产": "921.54", "流动资产": "797.6", "流动资产占比": "86.55%", "非流动资产": "123.94",
    "非流动资产占比": "13.45%", "固定资产原值": "201.69", "累计折旧": "118.99", "固定资产净值": "82.7",
    "无形资产原值": "49", "累计摊销": "7.76", "无形资产净值": "41.24", "在用固定资产": "201.54",
    "固定资产利用率": "99.93%", "待处置资产": "0.15",
    "全年执行_元": "112,234,472.39", "执行明细与决算差异": "951.49",
    "收入合计_2021": "11,234.89", "收入合计_2022": "13,813.06", "收入合计_2023": "10,271.96",
    "收入环比_2022": "22.95%", "收入环比_2023": "-25.64%", "支出合计_2021": "11,234.89",
    "支出环比_2022": "22.95%", "支出环比_2023": "-25.64%",
    "自评项目数": "19", "自评项目资金": "8,209.93", "复评项目数": "6", "抽样率": "31.58%",
    "复评预算合计": "6,390.5", "复评执行合计": "4,632.37", "复评执行率": "72.49%", "绩效监控覆盖率": "68.12%",
    "问卷样本量": "61", "综合满意度": "88.37%", "单项满意度_6": "88.53%", "单项满意度_7": "88.86%",
    "单项满意度_8": "88.2%", "单项满意度_9": "89.58%", "单项满意度_10": "87.53%", "单项满意度_11": "88.52%",
    "单项满意度_12": "88.2%", "单项满意度_13": "87.55%",
    "总分": "70.43", "等级": "中", "评价年度": "2023", "上年度": "2022", "编制总数": "48", "实有总数": "46",
    "一级得分_财政资源配置": "8", "一级得分率_财政资源配置": "66.67%", "一级得分_预算管理": "19.8",
    "一级得分率_预算管理": "70.71%", "一级得分_绩效管理": "8.8", "一级得分率_绩效管理": "58.67%",
    "一级得分_部门履职效能": "25.43", "一级得分率_部门履职效能": "72.66%", "一级得分_社会效应": "8.4",
    "一级得分率_社会效应": "84%", "二级得分率_年度整体目标完成情况": "88.87%", "三级得分_19": "1.33",
    "三级得分率_19": "66.5%",
    "完成率_企业和公共服务平台调研次数": "183.33%", "完成率_高成长企业培育数量": "142.86%",
    "完成率_规模以上工业增加值增速": "137.5%", "完成率_参评规模以上工业企业数量": "124.58%",
    "完成率_工业企业小升规个数": "120%、126.67%", "完成率_两化融合参与评估企业覆盖率": "192.17%",
    "完成率_高端装备企业督导调研次数": "100%", "完成率_高端装备产业营收及同比增长率": "163.07%、347.88%",
    "完成率_实施高端装备产业重大项目数量": "170%", "完成率_市级以上“一企一技术”中心数量": "300%",
    "完成率_省级技术创新项目数量": "166.67%", "完成率_技术装备和关键核心零部件项目数量": "200%",
    "完成率_企业家培训活动参与人数": "114%", "完成率_企业技改项目备案个数": "157.5%",
}


@pytest.mark.parametrize("name,printed", FIGURES.items())
def test_figures_print_as_the_reference(scored, name, printed):
    assert scored[1].figures[name].prose() == printed


def test_table_forms_as_the_reference(scored):
    checked, scores, _ = scored
    context, problems = compose(checked, scores, SAMPLE.parent)
    assert problems == []
    tables = context["tables"]
    months = [(r["c3"], r["c4"], r["c5"]) for r in tables["预算执行进度"]["rows"]]
    assert months == [("79.96%", "58.33%", "是"), ("85.01%", "66.67%", "是"), ("91.10%", "75.00%", "是"),
                      ("95.10%", "83.33%", "是"), ("97.11%", "91.67%", "是"), ("100.00%", "100.00%", "是")]
    projects = tables["复评项目"]
    assert [r["c4"] for r in projects["rows"]] == ["2.95%", "0.00%", "91.50%", "52.55%", "100.00%", "91.68%"]
    assert projects["total"] == {"c2": "6,390.50", "c3": "4,632.37", "c4": "72.49%"}
    assets = tables["固定资产"]
    assert assets["total"] == {"c2": "201.69", "c3": "118.99", "c4": "82.70"}
    assert [r["total"] for r in tables["收入决算"]["rows"]] == ["11,234.89", "13,813.06", "10,271.96"]
    shares = [r["c3"] for s in context["attachments"]["问卷调查"]["rows"] for r in s["rows"]][:4]
    assert shares == ["16.39%", "78.69%", "4.92%", "0.00%"]


def test_only_the_reference_inconsistencies_are_warned(scored):
    warnings = scored[2]
    assert sorted((w.code, w.location) for w in warnings) == [
        ("override-differs", "指标体系!H15"), ("override-differs", "指标体系!H29"),
        ("satisfaction-differs", "问卷!G25"), ("satisfaction-differs", "问卷!G29"),
        ("satisfaction-differs", "问卷!G37"), ("satisfaction-differs", "问卷!G41"),
        ("satisfaction-differs", "问卷!G53"),
    ]
    gap = next(w for w in warnings if w.location == "问卷!G37")
    assert "相差 1.38 个百分点" in gap.message


def test_money_is_decimal_from_the_cell(scored):
    checked = scored[0]
    assert checked.workbook.info("年初预算") == Decimal("12779.84")
