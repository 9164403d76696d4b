"""One workbook per framework family, every quantitative indicator scored by rule, scores worked out by hand.

- 岳阳 (湖南): the 部门整体支出绩效评价评分表 published by 岳阳市审计局 (2018): 财政供养人员控制率,
  “三公经费”变动率 and 控制率 by per-point deductions, 重点支出安排率 and 预算调整率 by bands.
- 重庆: the 部门整体绩效自评表: 执行率 76% × 权重 10 = 7.6, and the indicators scored by their
  得分系数 (人员控制率 92%, 预算调整率 0, 结转结余率 0, 公用经费控制率 97%, 固定资产利用率 100%).
- 达州 (四川): 满意度 10 分 split over three groups of respondents, 协作部门 3, 管理对象 3, 社会公众 4,
  each the mean of its own questions; 预算执行进度 at its checkpoints.
- 决策/过程/产出/效益 (财预〔2020〕10号 style) with grades 优秀/良好/合格/不合格 and a grade per 一级.

The published tables give the constants and (岳阳, 重庆) the scores; the department's numbers are
chosen here, and each expected score below is worked out by hand in its comment.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from framework_workbooks import indicator, write
from report_text import report_text

from perfreport.pipeline import build, check
from perfreport.rules import CODES

D = Decimal


def _scores(result) -> dict[str, str]:
    assert result.errors == [], result.errors
    return {i.indicator.id: f"{i.score:.2f}" for i in result.scores.indicators}


def _rule_scored(result) -> set[str]:
    return {i.indicator.id for i in result.scores.indicators if i.rule_score is not None}


def _manual_filler(level1: str, level2: str, first: int, weights: list[int], scores: list) -> list[dict]:
    """The qualitative indicators (手工 by nature: document review) that make the framework add up to 100."""
    return [indicator(level1, level2, f"({n}) 定性指标{n}", w, "手工", s)
            for n, w, s in zip(range(first, first + len(weights)), weights, scores)]


# ---- 岳阳 ------------------------------------------------------------------------------------

YUEYANG = [
    indicator("投入", "预算配置", "(1) 财政供养人员控制率", 5, "按评分参数",
              parameters="{人员控制率}≤100%得满分，每超过1个百分点扣0.5分，扣完为止",
              standard="以100%为标准。在职人员控制率100%，计5分；每超过一个百分点扣0.5分，扣完为止。"),
    indicator("投入", "预算配置", "(2) “三公经费”变动率", 5, "按评分参数",
              parameters="{三公经费变动率}≤0得满分，每超过1个百分点扣0.5分，扣完为止",
              standard="“三公经费”变动率0，计5分；“三公经费”>0，每超过一个百分点扣0.5分，扣完为止。"),
    indicator("投入", "预算配置", "(3) 重点支出安排率", 5, "按评分参数",
              parameters="{重点项目保障率}≥90%计5分；80%（含）-90%计4分；70%（含）-80%计3分；60%（含）-70%计2分；低于60%不得分",
              standard="重点支出安排率≥90%，计5分；80%（含）-90%，计4分；70%（含）-80%，计3分；60%（含）-70%，计2分；"
                       "低于60%不得分。"),
    indicator("过程", "预算执行", "(4) 预算调整率", 3, "按评分参数",
              parameters="{预算调整率}=0计3分；0-10%（含）计2分；10-20%（含）计1分；20-30%（含）计0.5分；大于30%不得分",
              standard="预算调整率=0，计3分；0-10%（含），计2分；10-20%（含），计1分；20-30%（含），计0.5分；大于30%不得分。"),
    indicator("过程", "预算执行", "(5) “三公经费”控制率", 6, "按评分参数",
              parameters="{三公经费控制率}≤100%得满分，每超过1个百分点扣1分，扣完为止",
              standard="以100%为标准。三公经费控制率100%，计6分；每超过一个百分点扣1分，扣完为止。"),
] + _manual_filler("过程", "预算管理", 6, [25, 25, 26], [20, 21, 22])

YUEYANG_DATA = {
    # 实有 22 of 编制 21: 104.76%, 4.76 points over → 5 started points × 0.5 = 2.5 → 5 − 2.5
    "profile": {"编制总数": 21, "编制_行政": 9, "编制_事业": 12, "实有总数": 22, "实有_行政": 10, "实有_事业": 12},
    "budget": {"三公经费_上年决算": "10.00", "三公经费_决算": "10.35", "三公经费_预算": "10.20",
               "调增_其他": "203.26"},
}


def test_yueyang(tmp_path):
    result = check(write(tmp_path / "岳阳.xlsx", YUEYANG, **YUEYANG_DATA))
    scores = _scores(result)
    assert _rule_scored(result) == {"(1)", "(2)", "(3)", "(4)", "(5)"}
    assert scores["(1)"] == "2.50"  # 22/21 = 104.76%: ⌈4.76⌉ = 5 points × 0.5 = 2.5; 5 − 2.5
    assert scores["(2)"] == "3.00"  # (10.35 − 10)/10 = 3.5%: ⌈3.5⌉ = 4 × 0.5 = 2; 5 − 2
    assert scores["(3)"] == "3.00"  # 重点项目资金 1,306 / 年初项目资金 1,800 = 72.56%: 70%（含）-80% → 3
    assert scores["(4)"] == "2.00"  # (调增_其他 203.26 + 调减 38.6) / 年初预算 2,418.6 = 10% exactly: 0-10%（含） → 2
    assert scores["(5)"] == "4.00"  # 10.35/10.2 = 101.47%: ⌈1.47⌉ = 2 × 1 = 2; 6 − 2
    # the published standards quote only numbers the parameters hold: no scoring warning
    assert [w for w in result.warnings if w.code in CODES] == []
    assert f"{result.scores.total:.2f}" == "77.50"  # 2.5 + 3 + 3 + 2 + 4 + 20 + 21 + 22


# ---- 重庆 ------------------------------------------------------------------------------------

CHONGQING = [
    indicator("预算执行", "预算执行", "(1) 预算执行率", 10, "预算执行率", parameters="得分={预算执行率}×分值"),
    indicator("预算管理", "预算管理", "(2) 财政供养人员控制率", 2, "按评分参数",
              parameters="{人员控制率}≤100%得满分；其他0分"),
    indicator("预算管理", "预算管理", "(3) 预算调整率", 2, "按评分参数", parameters="{预算调整率}≤3%得满分；其他0分"),
    indicator("预算管理", "预算管理", "(4) 结转结余率", 2, "按评分参数", parameters="{结转结余率}≤2%得满分；其他0分"),
    indicator("预算管理", "预算管理", "(5) 公用经费控制率", 2, "按评分参数", parameters="{公用经费控制率}≤100%得满分；其他0分"),
    indicator("预算管理", "资产管理", "(6) 固定资产利用率", 2, "按评分参数", parameters="{固定资产利用率}≥90%得满分；其他0分"),
] + _manual_filler("履职效能", "履职效能", 7, [40, 40], [38, 39])

CHONGQING_DATA = {
    "profile": {"编制总数": 25, "编制_行政": 10, "编制_事业": 15, "实有总数": 23, "实有_行政": 9, "实有_事业": 14},
    "budget": {"年初预算": 1000, "年初_基本支出": 400, "年初_项目支出": 600, "调增_转移支付": 0, "调增_其他": 0,
               "调减": 0, "决算支出": 760, "年末结转结余": 0, "公用经费_预算": 100, "公用经费_决算": 97},
}


def test_chongqing(tmp_path):
    result = check(write(tmp_path / "重庆.xlsx", CHONGQING, **CHONGQING_DATA))
    scores = _scores(result)
    assert _rule_scored(result) == {"(1)", "(2)", "(3)", "(4)", "(5)", "(6)"}
    assert scores["(1)"] == "7.60"  # 760 / 1,000 = 76% × 10 = 7.6, as the published 自评表
    assert scores["(2)"] == "2.00"  # 23 / 25 = 92% ≤ 100%
    assert scores["(3)"] == "2.00"  # no adjustment: 0 ≤ 3%
    assert scores["(4)"] == "2.00"  # 年末结转结余 0 / 1,000 = 0 ≤ 2%
    assert scores["(5)"] == "2.00"  # 97 / 100 = 97% ≤ 100%
    assert scores["(6)"] == "2.00"  # 在用 120.5 / 原值 120.5 = 100% ≥ 90%
    explain = next(i.explanation for i in result.scores.indicators if i.indicator.id == "(1)")
    assert "预算执行率 × 分值 = 76% × 10 = 7.6" in explain.lines


def test_a_figure_without_its_inputs_is_an_error_at_the_row(tmp_path):
    data = {**CHONGQING_DATA, "budget": {**CHONGQING_DATA["budget"], "公用经费_决算": None}}
    result = check(write(tmp_path / "重庆.xlsx", CHONGQING, **data))
    assert [(p.code, p.location) for p in result.errors] == [("rule-blank-input", "指标体系!G6")]
    assert "公用经费_决算 为空" in result.errors[0].message


# ---- 达州 ------------------------------------------------------------------------------------

DAZHOU = [
    indicator("综合管理", "绩效监控", "(1) 预算执行进度监控", 2, "预算执行进度"),
    indicator("部门绩效情况", "满意度", "(2) 协作部门满意度", 3, "满意度", parameters="问题组：协作部门；得分={综合满意度}×分值"),
    indicator("部门绩效情况", "满意度", "(3) 管理对象满意度", 3, "满意度", parameters="问题组：管理对象；得分={综合满意度}×分值"),
    indicator("部门绩效情况", "满意度", "(4) 社会公众满意度", 4, "满意度", parameters="问题组：社会公众"),
] + _manual_filler("部门决策", "目标任务", 5, [25, 28, 35], [22, 25, 30])


def _options(a, b, c, d):
    return [("A.满意", a), ("B.较满意", b), ("C.一般", c), ("D.不满意", d)]


DAZHOU_QUESTIONS = [
    (1, "对业务协同是否满意？", "协作部门", _options(18, 2, 0, 0)),   # 1,960 / 2,000 = 98%
    (2, "对信息共享是否满意？", "协作部门", _options(15, 4, 1, 0)),   # 1,880 / 2,000 = 94%
    (3, "对监管服务是否满意？", "管理对象", _options(30, 10, 8, 2)),  # 4,360 / 5,000 = 87.2%
    (4, "对办事效率是否满意？", "管理对象", _options(35, 10, 5, 0)),  # 4,600 / 5,000 = 92%
    (5, "对政策宣传是否满意？", "社会公众", _options(60, 25, 10, 5)),  # 8,800 / 10,000 = 88%
    (6, "对服务态度是否满意？", "社会公众", _options(70, 20, 8, 2)),   # 9,160 / 10,000 = 91.6%
]


def test_dazhou(tmp_path):
    months = {6: 11200000, 9: 17600000, 11: 21000000, 12: 23012500}
    result = check(write(tmp_path / "达州.xlsx", DAZHOU, questions=DAZHOU_QUESTIONS, months=months))
    scores = _scores(result)
    assert _rule_scored(result) == {"(1)", "(2)", "(3)", "(4)"}
    # 6月 48.67%: 1.33 points short → 0.1; 9月 76.48% ≥ 75%; 11月 91.25%: 0.75 short → 0.1; 2 − 0.2
    assert scores["(1)"] == "1.80"
    assert scores["(2)"] == "2.88"  # (98% + 94%) / 2 = 96% × 3
    assert scores["(3)"] == "2.69"  # (87.2% + 92%) / 2 = 89.6% × 3 = 2.688
    assert scores["(4)"] == "2.40"  # (88% + 91.6%) / 2 = 89.8%: 80%≤X<90% → 4 × 60%
    assert scores["(5)"] == "22.00"


def test_dazhou_survey_attachment_has_a_section_per_question_group(tmp_path):
    """Three groups of respondents are three titled sections of 附件4, not one 满意度问题 section."""
    from perfreport.compose import compose
    from perfreport.load import load
    from perfreport.score import score
    from perfreport.validate import validate

    checked, _ = validate(load(write(tmp_path / "达州.xlsx", DAZHOU, questions=DAZHOU_QUESTIONS))[0])
    context, _ = compose(checked, score(checked)[0], tmp_path)
    sections = context["attachments"]["问卷调查"]["rows"]
    assert [s["title"] for s in sections] == ["一、满意度问题（协作部门）", "二、满意度问题（管理对象）",
                                             "三、满意度问题（社会公众）"]
    assert [len(s["rows"]) for s in sections] == [8, 8, 8]


# ---- 决策 / 过程 / 产出 / 效益, 优秀/良好/合格/不合格 ------------------------------------------------

def _goal(number, name, target, actual, indicator_id):
    return {"职责序号": number, "部门职责": "农业生产", "职责目标": name, "绩效指标": name, "目标值": f"≥{target}",
            "实际完成值": str(actual), "目标数值": str(target), "实际数值": str(actual), "三级指标": indicator_id}


DECISION = [
    indicator("决策", "项目立项", "(1) 立项依据充分性", 5, "手工", 5),
    indicator("决策", "项目立项", "(2) 绩效目标合理性", 5, "手工", 5),
    indicator("决策", "资金投入", "(3) 预算编制科学性", 5, "手工", 4),
    indicator("决策", "资金投入", "(4) 资金分配合理性", 5, "手工", 5),
    indicator("过程", "资金管理", "(5) 预算执行率", 5, "按评分参数", parameters="得分={预算执行率}×分值"),
    indicator("过程", "资金管理", "(6) 资金使用合规性", 5, "手工", 4),
    indicator("过程", "组织实施", "(7) 管理制度健全性", 5, "手工", 4),
    indicator("过程", "组织实施", "(8) 制度执行有效性", 5, "手工", 5),
    indicator("产出", "产出", "(9) 产出数量", 10, "目标完成率"),
    indicator("产出", "产出", "(10) 产出质量", 10, "目标完成率"),
    indicator("产出", "产出", "(11) 产出时效", 10, "按评分参数",
              parameters="{目标完成率}≥100%得满分；≥80%得分值×80%；≥60%得分值×60%；其他0分"),
    indicator("效益", "效益", "(12) 社会效益", 10, "目标完成率", parameters="单项完成率不封顶"),
    indicator("效益", "效益", "(13) 项目实际绩效", 10, "项目实际绩效"),
    indicator("效益", "满意度", "(14) 服务对象满意度", 10, "满意度",
              parameters="{综合满意度}≥90%得满分；≥80%得分值×80%；≥60%得分值×60%；其他0分"),
]
DECISION_GOALS = [
    _goal(1, "粮食播种面积", "5.2", "5.4", "(9)"),    # 103.85% → 100%
    _goal(1, "良种覆盖率", "95", "97", "(9)"),        # 102.11% → 100%
    _goal(2, "整治村庄数量", "40", "31", "(10)"),      # 77.5%
    _goal(2, "按期完成项目数", "10", "9", "(11)"),     # 90%
    _goal(3, "带动农户增收", "1200", "1500", "(12)"),  # 125%
    _goal(3, "受益人口", "5000", "4000", "(12)"),     # 80%
]
DECISION_PROJECTS = [{"序号": str(n), "项目名称": name, "预算": 100, "执行": 90, "自评得分": own, "复核得分": review,
                      "实际绩效等级": grade_name}
                     for n, (name, own, review, grade_name) in enumerate(
                         [("农田建设", 95, 92, "优秀"), ("人居环境整治", 90, 85, "良好"), ("良种推广", 85, 70, "合格")], 1)]


def _decision(tmp_path):
    return write(tmp_path / "决策过程产出效益.xlsx", DECISION, goals=DECISION_GOALS, projects=DECISION_PROJECTS,
                 info={"等级标准": "优秀:90;良好:80;合格:60;不合格", "一级等级标准": "A:90;B:75;C:60;D"},
                 questions=[(1, "您对项目实施是否满意？", "", _options(120, 40, 25, 15))])


def test_decision_process_output_outcome(tmp_path):
    result = check(_decision(tmp_path))
    scores = _scores(result)
    assert _rule_scored(result) == {"(5)", "(9)", "(10)", "(11)", "(12)", "(13)", "(14)"}
    assert scores["(5)"] == "4.60"    # 决算 2,301.25 / (2,418.6 + 120 − 38.6 = 2,500) = 92.05% × 5 = 4.6025
    assert scores["(9)"] == "10.00"   # both parts over 100%, each counted 100%
    assert scores["(10)"] == "7.75"   # 31 / 40 = 77.5% × 10
    assert scores["(11)"] == "8.00"   # 9 / 10 = 90%: ≥80% → 10 × 80%
    assert scores["(12)"] == "10.00"  # uncapped: (125% + 80%) / 2 = 102.5% × 10 = 10.25, at most 10
    assert scores["(13)"] == "7.50"   # 优秀 100%, 良好 75%, 合格 50%: 10 × 2.25 / 3
    assert scores["(14)"] == "8.00"   # (12,000 + 3,200 + 1,500 + 600) / 20,000 = 86.5%: ≥80% → 10 × 80%
    # 决策 19, 过程 4.6 + 13 = 17.6, 产出 25.75, 效益 25.5
    assert f"{result.scores.total:.2f}" == "87.85" and result.scores.grade == "良好"
    assert result.scores.level1_grades == {"决策": "A", "过程": "B", "产出": "B", "效益": "B"}


def test_decision_report_prints_the_generated_standard_and_the_workbooks_grade_names(tmp_path):
    path = _decision(tmp_path)
    result = build(path, tmp_path / "report.docx")
    assert result.errors == [] and result.output
    text = report_text(tmp_path / "report.docx")
    assert "等级划分为四档：90（含）—100分为“优秀”、80（含）—90分为“良好”、60（含）—80分为“合格”、60分以下为“不合格”" in text
    assert "得分=预算执行率×分值（5分），最高不超过分值" in text  # (5)'s blank 评价标准, generated
    assert "90%≤综合满意度<100%" not in text and "80%≤综合满意度<90%，得8分" in text
    assert "综合绩效级别为“良好”" in text


def test_a_grade_outside_the_workbooks_bands_is_an_error_at_the_cell(tmp_path):
    projects = [dict(DECISION_PROJECTS[0], 实际绩效等级="优")]
    result = check(write(tmp_path / "w.xlsx", DECISION, goals=DECISION_GOALS, projects=projects,
                         info={"等级标准": "优秀:90;良好:80;合格:60;不合格"}))
    assert [(p.code, p.location) for p in result.errors] == [("unknown-grade", "复评项目!G2")]
    assert "优秀、良好、合格、不合格" in result.errors[0].message


@pytest.mark.parametrize("bands", ["A:90;B:75;C:60;D", "甲:85;乙:70;丙"])
def test_projects_need_their_factors_when_the_bands_are_not_four(tmp_path, bands):
    names = bands.replace(":90", "").replace(":75", "").replace(":85", "").replace(":70", "").replace(":60", "")
    projects = [dict(DECISION_PROJECTS[0], 实际绩效等级=names.split(";")[0])]
    result = check(write(tmp_path / "w.xlsx", DECISION, goals=DECISION_GOALS, projects=projects,
                         info={"等级标准": bands}))
    if len(names.split(";")) == 4:
        assert result.errors == []
        return
    assert [(p.code, p.location) for p in result.errors] == [("parameter-conflict", "指标体系!M14")]
    assert "没有默认的等级赋分" in result.errors[0].message


# ---- full marks only when the row says so, and then the report says why ----------------------------

def test_full_marks_without_data_are_said_in_the_reports_basis(tmp_path):
    framework = [dict(row) for row in DECISION]
    framework[4] = indicator("过程", "资金管理", "(5) 政府采购执行率", 5, "政府采购执行率", parameters="无数据不予考核")
    goals = [dict(g, 考核="否", 不考核原因="该项工作取消") if g["三级指标"] == "(10)" else g for g in DECISION_GOALS]
    path = write(tmp_path / "w.xlsx", framework, goals=goals, projects=DECISION_PROJECTS,
                 budget={"政府采购预算": None, "政府采购合同金额": None},
                 info={"等级标准": "优秀:90;良好:80;合格:60;不合格"},
                 questions=[(1, "您对项目实施是否满意？", "", _options(120, 40, 25, 15))],
                 months={})  # no indicator reads the execution table now, so it has no place in the report
    result = build(path, tmp_path / "report.docx")
    assert result.errors == [], result.errors
    scores = {i.indicator.id: i for i in result.scores.indicators}
    assert (scores["(5)"].score, scores["(10)"].score) == (D(5), D(10))
    text = report_text(tmp_path / "report.docx")
    assert "政府采购执行率：分母 政府采购预算 为空，不予考核，按满分计" in text
    assert "所列目标均不予考核，按满分计" in text


# ---- a row refused for its label is still a row of the framework -------------------------------

@pytest.mark.parametrize("label", ["财政供养人员控制率", "1. 财政供养人员控制率", "一、财政供养人员控制率"])
def test_a_label_without_its_number_is_the_only_error_not_also_the_weights(tmp_path, label):
    framework = [dict(YUEYANG[0], 三级指标=label)] + YUEYANG[1:]  # the weights still add up to 100
    result = check(write(tmp_path / "岳阳.xlsx", framework, **YUEYANG_DATA))
    assert [(p.code, p.location) for p in result.errors] == [("indicator-label", "指标体系!C2")]


@pytest.mark.parametrize("bands", ["不合格;合格:60;良好:80;优秀:90", "优秀≥90;良好≥80;合格≥60;不合格"])
def test_bands_not_understood_are_the_error_not_every_projects_grade_also(tmp_path, bands):
    result = check(write(tmp_path / "w.xlsx", DECISION, goals=DECISION_GOALS, projects=DECISION_PROJECTS,
                         info={"等级标准": bands}))
    assert [p.code for p in result.errors] == ["bands-syntax"]
    assert result.errors[0].location.startswith("基本信息!")


# ---- a project's score is graded as the report prints it (2 decimals) -------------------------------

@pytest.mark.parametrize("review, score", [
    (89.996, "10.00"),  # an Excel formula's 89.996 prints 90.00 in the 复评项目 table: 优秀, 10 × 100%
    (89.994, "7.50"),   # prints 89.99: 良好, 10 × 75%
    (79.995, "7.50"),   # prints 80.00: 良好
    (79.994, "5.00"),   # prints 79.99: 合格, 10 × 50%
])
def test_a_projects_review_score_is_graded_as_printed(tmp_path, review, score):
    framework = [dict(row) for row in DECISION]
    framework[12] = dict(framework[12], 评分参数="等级：按复核得分")
    projects = [dict(DECISION_PROJECTS[0], 复核得分=review, 实际绩效等级=None)]
    result = check(write(tmp_path / "w.xlsx", framework, goals=DECISION_GOALS, projects=projects,
                         info={"等级标准": "优秀:90;良好:80;合格:60;不合格"},
                         questions=[(1, "您对项目实施是否满意？", "", _options(120, 40, 25, 15))]))
    assert _scores(result)["(13)"] == score


@pytest.mark.parametrize("typed", ["人工打分", "执行率"])
def test_a_scoring_method_not_understood_is_the_only_error_not_also_a_missing_manual_score(tmp_path, typed):
    framework = YUEYANG[:5] + [dict(YUEYANG[5], 评分方式=typed, 得分=None)] + YUEYANG[6:]
    result = check(write(tmp_path / "岳阳.xlsx", framework, **YUEYANG_DATA))
    assert [(p.code, p.location) for p in result.errors] == [("wrong-type", "指标体系!G7")]


# ---- a 合计 row typed under the framework, as 附件2 prints one -------------------------------------

@pytest.mark.parametrize("total_row, warned", [
    ({"一级指标": "合计", "三级指标": "", "分值": 100, "得分": "77.5"}, []),
    ({"三级指标": "合计", "分值": 100}, []),
    ({"一级指标": "总计", "三级指标": "", "分值": 100}, []),
    ({"一级指标": "合计", "三级指标": "", "分值": 90}, [("total-mismatch", "指标体系!D10")]),
    ({"一级指标": "合计", "三级指标": "", "分值": 100, "得分": 78}, [("total-mismatch", "指标体系!H10")]),
])
def test_a_typed_total_row_under_the_framework_is_checked_not_read_as_an_indicator(tmp_path, total_row, warned):
    result = check(write(tmp_path / "岳阳.xlsx", YUEYANG + [total_row], **YUEYANG_DATA))
    assert result.errors == [], result.errors
    assert f"{result.scores.total:.2f}" == "77.50" and len(result.scores.indicators) == 8
    assert [(p.code, p.location) for p in result.warnings if p.location.startswith("指标体系")] == warned


def test_a_typed_total_row_under_the_projects_needs_no_scores(tmp_path):
    projects = DECISION_PROJECTS + [{"项目名称": "合计", "预算": 300, "执行": 270}]
    result = check(write(tmp_path / "w.xlsx", DECISION, goals=DECISION_GOALS, projects=projects,
                         info={"等级标准": "优秀:90;良好:80;合格:60;不合格"},
                         questions=[(1, "您对项目实施是否满意？", "", _options(120, 40, 25, 15))]))
    assert _scores(result)["(13)"] == "7.50" and [w for w in result.warnings if w.location.startswith("复评项目")] == []


# ---- a satisfaction option's weight is guessed only from the standard words -------------------------

def test_five_level_options_without_weights_are_errors_not_two_options_worth_100(tmp_path):
    options = [("A.非常满意", 30), ("B.满意", 10), ("C.一般", 5), ("D.不满意", 3), ("E.非常不满意", 2)]
    result = check(write(tmp_path / "达州.xlsx", DAZHOU, questions=[(1, "总体是否满意？", "协作部门", options)] +
                         DAZHOU_QUESTIONS[2:], months={6: 11200000, 9: 17600000, 11: 21000000, 12: 23012500}))
    assert [(p.code, p.location) for p in result.errors] == [("missing-value", "问卷!F2"), ("missing-value", "问卷!F6")]
    assert "“A.非常满意”无法判断满意度分值" in result.errors[0].message
