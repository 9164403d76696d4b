"""The presets against the reference report (附件2) and the edges of their 评价标准, table-driven.

Each preset is evaluated as the engine does it: its default 评分参数 parsed
into a Spec, then the generic blocks over plain inputs (no workbook).
"""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfreport.fmt import round2, round_rate
from perfreport.rule_inputs import derive_values
from perfreport.rules import (DEFAULT_BANDS, RULE_NAMES, RULES, Bands, GoalRow, Inputs, Project, Question,
                              RuleFailure, evaluate, grade, question_satisfaction, spec_for)
from perfreport.rules.figures import kinds

D = Decimal
KINDS = kinds()


def ge(target, actual):
    """A part with a ≥ target."""
    return (D(target), D(actual), "≥")


def run(name, weight, typed="", bands=DEFAULT_BANDS, **inputs):
    """Evaluate rule `name` (its defaults, overridden by `typed`) with `inputs`."""
    spec = spec_for(name, typed, D(weight), KINDS, bands.names, RULES[name].default_for(bands))
    return evaluate(spec, D(weight), Inputs(bands=bands, **inputs))


def fields(**values):
    """Rule values computed from workbook fields given as numbers (None: blank)."""
    typed = {name: None if v is None else D(v) for name, v in values.items()}
    return derive_values(typed, {name: f"预决算!B{n}" for n, name in enumerate(typed, 2)},
                         {name: KINDS.get(name, "amount") for name in typed})


def goals(*rows, assessed=True):
    return tuple(GoalRow(f"目标{n}", tuple(row), assessed, f"目标对比!H{n}") for n, row in enumerate(rows, 2))


def test_registry_holds_the_presets_manual_and_generic():
    assert set(RULE_NAMES) == {
        "目标完成率", "预算执行率", "预算执行进度", "过紧日子", "政府采购执行率",
        "固定资产利用", "复评差异", "项目实际绩效", "满意度", "手工", "按评分参数",
    }


# ---- helpers ---------------------------------------------------------------

@pytest.mark.parametrize("x, two, rate", [
    (D("1.3333333"), D("1.33"), D("1.3333")),
    (D("0.005"), D("0.01"), D("0.0050")),
    (D("3.47875"), D("3.48"), D("3.4788")),  # (22) 27.83 / 8 prints 347.88%
    (D("89.995"), D("90.00"), D("89.9950")),
    (D("0.88371250"), D("0.88"), D("0.8837")),
])
def test_rounding_is_half_up(x, two, rate):
    assert round2(x) == two and round_rate(x) == rate


@pytest.mark.parametrize("score, expected", [
    (D(100), "优"), (D(90), "优"), (D("89.995"), "良"), (D(80), "良"),
    (D("79.99"), "中"), (D(60), "中"), (D("59.99"), "差"), (D(0), "差"),
    (D("70.43"), "中"),  # the reference's total
])
def test_grade_bands_include_their_lower_bound(score, expected):
    assert grade(score) == expected


def test_grade_of_the_printed_score_may_differ_from_the_unrounded():
    assert grade(D("89.995")) == "良"
    assert grade(round2(D("89.995"))) == "优"


def test_grade_with_custom_bands():
    bands = (("优", D(85)), ("良", D(75)), ("中", D(60)))
    assert [grade(D(s), bands) for s in (85, 84, 75, 59)] == ["优", "良", "良", "差"]


@pytest.mark.parametrize("counts, printed", [
    ((38, 12, 10, 1), D("0.8852")),  # 附件4 question 11's total; question 6 prints 88.53%
    ((37, 13, 10, 1), D("0.8820")),  # question 8
    ((38, 11, 11, 1), D("0.8820")),  # question 9's counts (it prints 89.58%)
    ((61, 0, 0, 0), D("1.0000")),
    ((0, 0, 0, 61), D("0.4000")),
])
def test_question_satisfaction(counts, printed):
    weights = (D(100), D(80), D(60), D(40))
    assert round_rate(question_satisfaction(list(zip(counts, weights)), 61)) == printed


def test_question_satisfaction_needs_a_sample():
    with pytest.raises(RuleFailure, match="样本量") as caught:
        question_satisfaction([], 0)
    assert caught.value.code == "rule-no-questions"


# ---- 目标完成率 ---------------------------------------------------------------

@pytest.mark.parametrize("indicator, weight, rows, score, rates", [
    ("(19)", 2, [[ge(3, 0)], [ge(6, 11)], [ge(7, 10)]], "1.33", [["0"], ["1.8333"], ["1.4286"]]),
    ("(20)", 2, [[ge(8, 11)], [ge(118, 147)], [ge(35, 42), ge(30, 38)]], "2.00",
     [["1.375"], ["1.2458"], ["1.2", "1.2667"]]),
    ("(21)", 1, [[ge(30, "57.65")]], "1.00", [["1.9217"]]),
    ("(22)", 2, [[ge(10, 10)], [ge("14.227", "23.2"), ge(8, "27.83")], [ge(10, 17)]], "2.00",
     [["1"], ["1.6307", "3.4788"], ["1.7"]]),
    ("(23)", 3, [[ge(1, 3)], [ge(6, 10)], [ge(1, 2)], [ge(6, 6)], [ge(1, 2)]], "3.00",
     [["3"], ["1.6667"], ["2"], ["1"], ["2"]]),
    ("(24)", 2, [[ge(200, 228)]], "2.00", [["1.14"]]),  # the 龙头骨干 row is 不予考核
    ("(25)", 1, [[ge(1, 1)]], "1.00", [["1"]]),
    ("(26)", 2, [[ge(40, 63)], [ge(1, 0)]], "1.00", [["1.575"], ["0"]]),
    # edges
    ("≤ met", 2, [[(D(5), D(4), "≤")]], "2.00", [["1.25"]]),
    ("≤ missed", 2, [[(D(4), D(5), "≤")]], "1.60", [["0.8"]]),
    ("≤ actual 0", 2, [[(D(3), D(0), "≤")]], "2.00", [["1"]]),
    ("= equal", 2, [[(D(7), D(7), "=")]], "2.00", [["1"]]),
    ("= above", 2, [[(D(4), D(5), "=")]], "1.60", [["0.8"]]),
    ("= below", 2, [[(D(5), D(4), "=")]], "1.60", [["0.8"]]),
    ("= both 0", 2, [[(D(0), D(0), "=")]], "2.00", [["1"]]),
    ("negative actual", 2, [[ge(8, -3)], [ge(1, 1)]], "1.00", [["-0.375"], ["1"]]),
    ("rows averaged, not parts", 3, [[ge(1, 0), ge(1, 1), ge(1, 1)], [ge(1, 1)]], "2.50",
     [["0", "1", "1"], ["1"]]),
])
def test_target_completion(indicator, weight, rows, score, rates):
    outcome = run("目标完成率", weight, goals=goals(*rows))
    assert round2(outcome.score) == D(score), indicator
    printed = [[round_rate(r) for r in row] for row in outcome.figures["完成率"]]
    assert printed == [[D(r) for r in row] for row in rates], indicator


def test_target_completion_uncapped_lets_one_goal_make_up_for_another():
    rows = goals([ge(3, 0)], [ge(6, 11)], [ge(7, 10)])  # (19): 0%, 183.33%, 142.86% → mean 108.73%
    assert round2(run("目标完成率", 2, "单项完成率不封顶", goals=rows).score) == D("2.00")
    assert round2(run("目标完成率", 2, goals=rows).score) == D("1.33")


def test_target_completion_every_row_not_assessed_is_full_and_says_so():
    outcome = run("目标完成率", 2, goals=goals([ge(6, 1)], assessed=False))
    assert outcome.score == D(2)
    assert outcome.notes == ("所列目标均不予考核，按满分计",)


def test_target_completion_without_a_linked_row_is_an_error_not_full_marks():
    with pytest.raises(RuleFailure, match="没有关联的目标对比行") as caught:
        run("目标完成率", 2, goals=())
    assert caught.value.code == "rule-no-goals"


def test_target_completion_without_a_row_scores_full_only_when_the_row_says_so():
    outcome = run("目标完成率", 2, "无数据按满分计", goals=())
    assert outcome.score == D(2) and "按满分计" in outcome.notes[0]
    outcome = run("目标完成率", 2, "无数据不予考核", goals=())
    assert "不予考核，按满分计" in outcome.notes[0]


@pytest.mark.parametrize("rows, message", [
    ([[ge(0, 5)]], "目标值为 0"),
    ([[ge(-1, 5)]], "大于 0"),
    ([[(D(-1), D(5), "≤")]], "不能为负数"),
    ([[(D(1), D(5), ">")]], "无法识别"),
    ([[ge(1, 1)], []], "没有目标值和实际值"),
])
def test_target_completion_errors(rows, message):
    with pytest.raises(RuleFailure, match=message) as caught:
        run("目标完成率", 2, goals=goals(*rows))
    assert caught.value.code == "rule-goal-value"


# ---- 预算执行率 ---------------------------------------------------------------

@pytest.mark.parametrize("initial, increase, decrease, actual, rate, score", [
    ("12779.84", "245.15", "63.47", "10271.96", "0.7925", "0.00"),  # (4)
    ("100", "0", "0", "95", "0.95", "2.00"),
    ("100", "0", "0", "105", "1.05", "2.00"),
    ("100", "0", "0", "94.99", "0.9499", "1.50"),
    ("100", "0", "0", "90", "0.90", "1.50"),
    ("100", "0", "0", "110", "1.10", "1.50"),
    ("100", "0", "0", "89.99", "0.8999", "1.00"),
    ("100", "0", "0", "85", "0.85", "1.00"),
    ("100", "0", "0", "115", "1.15", "1.00"),
    ("100", "0", "0", "84.99", "0.8499", "0.00"),
    ("100", "0", "0", "115.01", "1.1501", "0.00"),
])
def test_budget_execution(initial, increase, decrease, actual, rate, score):
    values = fields(年初预算=initial, 调增_转移支付=increase, 调增_其他=0, 调减=decrease, 决算支出=actual)
    assert round_rate(values["预算执行率"].value) == D(rate)
    assert round2(run("预算执行率", 2, values=values).score) == D(score)


def test_budget_execution_reports_the_adjusted_budget():
    values = fields(年初预算="12779.84", 调增_转移支付="245.15", 调增_其他=0, 调减="63.47", 决算支出="10271.96")
    assert values["调整后预算"].value == D("12961.52")
    assert "12,961.52" in values["预算执行率"].shown


def test_budget_execution_needs_a_budget():
    values = fields(年初预算=10, 调增_转移支付=0, 调增_其他=0, 调减=10, 决算支出=1)
    with pytest.raises(RuleFailure, match="调整后预算") as caught:
        run("预算执行率", 2, values=values)
    assert caught.value.code == "rule-zero-denominator"


def test_linear_execution_as_chongqing_scores_it():  # 重庆: 执行率 76% × 权重 10 = 7.6
    values = fields(年初预算=100, 调增_转移支付=0, 调增_其他=0, 调减=0, 决算支出=76)
    assert run("预算执行率", 10, "得分={预算执行率}×分值", values=values).score == D("7.6")


# ---- 预算执行进度 -------------------------------------------------------------

REFERENCE_MONTHS = {
    7: D("89739891.15"), 8: D("95407659.61"), 9: D("102245089.87"),
    10: D("106732165.98"), 11: D("108993393.69"), 12: D("112234472.39"),
}


def months(values):
    return {m: (v, f"预算执行进度!B{m}") for m, v in values.items()}


def test_budget_progress_reference():  # (3), 表10
    outcome = run("预算执行进度", 2, months=months(REFERENCE_MONTHS))
    progress = {m: round_rate(p) for m, p in outcome.figures["执行进度"].items()}
    assert progress == {7: D("0.7996"), 8: D("0.8501"), 9: D("0.9110"),
                        10: D("0.9510"), 11: D("0.9711"), 12: D("1.0000")}
    timing = {m: round_rate(p) for m, p in outcome.figures["序时进度"].items()}
    assert timing == {7: D("0.5833"), 8: D("0.6667"), 9: D("0.7500"),
                      10: D("0.8333"), 11: D("0.9167"), 12: D("1.0000")}
    assert round2(outcome.score) == D("2.00")
    assert "6月：缺少累计执行数，该考核时点不考核" in outcome.lines


def test_budget_progress_over_the_adjusted_budget_as_the_standard_says():
    """(3)'s 评价标准 divides by 年初预算 + 调整: November 84.09%, 7.91 points short → 0.4 → 1.60."""
    values = fields(年初预算="12779.84", 调增_转移支付="245.15", 调增_其他=0, 调减="63.47")
    outcome = run("预算执行进度", 2, "分母：调整后预算", values=values, months=months(REFERENCE_MONTHS))
    assert round_rate(outcome.figures["执行进度"][11]) == D("0.8409")
    assert round2(outcome.score) == D("1.60")


@pytest.mark.parametrize("values, score", [
    ({6: "50", 9: "75", 11: "92"}, "2.00"),    # exactly on every checkpoint
    ({6: "48", 9: "75", 11: "92"}, "1.90"),    # 2 points short: 0.1
    ({6: "47.99", 9: "75", 11: "92"}, "1.80"),  # just over 2 points: 0.2
    ({6: "49.99", 9: "75", 11: "92"}, "1.90"),  # just short: 0.1
    ({6: "46", 9: "75", 11: "92"}, "1.80"),    # 4 points: 0.2
    ({6: "45.99", 9: "75", 11: "92"}, "1.70"),
    ({6: "48", 9: "73", 11: "90"}, "1.70"),    # 0.1 at each checkpoint
    ({6: "10", 9: "20", 11: "30"}, "0.00"),    # floor 0
    ({9: "70", 11: "92"}, "1.70"),             # no June: only Sept/Nov apply
    ({11: "80"}, "1.40"),                      # 12 points: 0.6
])
def test_budget_progress_deductions(values, score):
    given = {m: D(v) for m, v in values.items()} | {12: D(100)}
    assert round2(run("预算执行进度", 2, months=months(given)).score) == D(score)


def test_budget_progress_checkpoints_are_parameters():
    given = months({6: D(40), 12: D(100)})
    assert round2(run("预算执行进度", 2, "考核时点：6月45%", months=given).score) == D("1.70")
    assert round2(run("预算执行进度", 2, "每低于1个百分点扣0.1分，扣完为止", months=given).score) == D("1.00")


def test_budget_progress_with_no_checkpoint_month_is_an_error():
    with pytest.raises(RuleFailure, match="都没有累计执行数") as caught:
        run("预算执行进度", 2, months=months({7: D(10), 12: D(100)}))
    assert caught.value.code == "rule-no-checkpoint"


@pytest.mark.parametrize("given", [{6: D(50), 11: D(92)}, {6: D(50), 12: D(0)}, {}])
def test_budget_progress_needs_december(given):
    with pytest.raises(RuleFailure, match="12 月") as caught:
        run("预算执行进度", 2, months=months(given))
    assert caught.value.code == "rule-no-year-end"


# ---- 过紧日子 ----------------------------------------------------------------

@pytest.mark.parametrize("budget, actual, previous, control, change, score", [
    ("5.26", "5.26", "2.79", "1.0000", "0.8853", "1.00"),  # (2)
    ("10", "9", "10", "0.9000", "-0.1000", "2.00"),        # below budget, spending fell
    ("100", "102", "102", "1.0200", "0.0000", "1.90"),     # 2 points over: 0.1
    ("100", "102.01", "102.01", "1.0201", "0.0000", "1.80"),  # just over 2 points: 0.2
    ("100", "110", "110", "1.1000", "0.0000", "1.50"),     # 10 points: 0.5
    ("100", "110.01", "110.01", "1.1001", "0.0000", "1.00"),  # over 10%: nothing
    ("100", "100", "98", "1.0000", "0.0204", "1.80"),      # change 2.04 points: 0.2
    ("100", "100", "100", "1.0000", "0.0000", "2.00"),
])
def test_austerity(budget, actual, previous, control, change, score):
    values = fields(五项经费_预算=budget, 五项经费_决算=actual, 五项经费_上年决算=previous)
    assert round_rate(values["五项经费控制率"].value) == D(control)
    assert round_rate(values["五项经费变动率"].value) == D(change)
    assert round2(run("过紧日子", 2, values=values).score) == D(score)


def test_austerity_half_floors_at_zero():
    values = fields(五项经费_预算=100, 五项经费_决算=110, 五项经费_上年决算=110)
    assert run("过紧日子", "0.6", values=values).score == D("0.3")  # 0.3 − 0.5 floors at 0, plus a full 0.3


@pytest.mark.parametrize("budget, previous, message", [(0, 1, "五项经费_预算"), (1, 0, "五项经费_上年决算")])
def test_austerity_errors(budget, previous, message):
    with pytest.raises(RuleFailure, match=message) as caught:
        run("过紧日子", 2, values=fields(五项经费_预算=budget, 五项经费_决算=1, 五项经费_上年决算=previous))
    assert caught.value.code == "rule-zero-denominator"


# ---- 政府采购执行率 -----------------------------------------------------------

@pytest.mark.parametrize("budget, contracts, score", [(3, 0, "0.00"), (4, 3, "0.75"), (4, 5, "1.00")])
def test_procurement(budget, contracts, score):
    values = fields(政府采购预算=budget, 政府采购合同金额=contracts)
    assert round2(run("政府采购执行率", 1, values=values).score) == D(score)  # (12): 0 of 3


@pytest.mark.parametrize("budget, code", [(None, "rule-blank-input"), (0, "rule-zero-denominator")])
def test_procurement_without_a_budget_is_an_error_unless_the_row_says_full_marks(budget, code):
    values = fields(政府采购预算=budget, 政府采购合同金额=0)
    with pytest.raises(RuleFailure) as caught:
        run("政府采购执行率", 1, values=values)
    assert caught.value.code == code
    outcome = run("政府采购执行率", 1, "无数据按满分计", values=values)
    assert outcome.score == D(1) and outcome.notes and "按满分计" in outcome.notes[0]


# ---- 固定资产利用 -------------------------------------------------------------

@pytest.mark.parametrize("idle, total, previous_idle, previous_total, in_use, original, x, y, score", [
    (0, 500, 0, 500, "201.54", "201.69", "0", "0.9993", "1.75"),  # (14): the report prints 2.00 by override
    (None, None, None, None, 10, 10, "0", "1.0000", "2.00"),
    (7, 100, 10, 100, 10, 10, "0.7000", "1.0000", "1.75"),  # X exactly 70%
    ("6.99", 100, 10, 100, 10, 10, "0.6990", "1.0000", "2.00"),
    (8, 100, 10, 100, 10, 10, "0.8000", "1.0000", "1.50"),
    (9, 100, 10, 100, 10, 10, "0.9000", "1.0000", "1.25"),
    (10, 100, 10, 100, 10, 10, "1.0000", "1.0000", "1.00"),
    (0, 100, 10, 100, 10, 10, "0.0000", "1.0000", "2.00"),
    (5, 100, 0, 100, 10, 10, None, "1.0000", "1.00"),  # idle is new this year: X counts as ∞
    (0, 0, 0, 0, 9, 10, "0", "0.9000", "1.75"),      # Y exactly 90%
    (0, 0, 0, 0, 8, 10, "0", "0.8000", "1.50"),
    (0, 0, 0, 0, 7, 10, "0", "0.7000", "1.25"),
    (0, 0, 0, 0, "6.99", 10, "0", "0.6990", "1.00"),
])
def test_fixed_assets(idle, total, previous_idle, previous_total, in_use, original, x, y, score):
    values = fields(闲置资产=idle, 总资产=total, 上年闲置资产=previous_idle, 上年总资产=previous_total,
                    在用固定资产=in_use, 固定资产原值=original)
    change = values["闲置资产变化率"].value
    assert (round_rate(change) if change.is_finite() else None) == (None if x is None else D(x))
    assert round_rate(values["固定资产利用率"].value) == D(y)
    assert round2(run("固定资产利用", 2, values=values).score) == D(score)


@pytest.mark.parametrize("total, previous_total, original, message, code", [
    (100, 100, 0, "固定资产原值", "rule-zero-denominator"),
    (0, 100, 10, "总资产", "rule-zero-denominator"),
    (100, None, 10, "总资产", "rule-blank-input"),
])
def test_fixed_assets_errors(total, previous_total, original, message, code):
    values = fields(闲置资产=1, 总资产=total, 上年闲置资产=1, 上年总资产=previous_total, 在用固定资产=10,
                    固定资产原值=original)
    with pytest.raises(RuleFailure, match=message) as caught:
        run("固定资产利用", 2, values=values)
    assert caught.value.code == code


# ---- 复评差异 ----------------------------------------------------------------

def projects(*pairs, grades=None):
    grades = grades or [None] * len(pairs)
    return tuple(Project(f"项目{n}", D(own), D(review), g, f"复评项目!G{n}")
                 for n, ((own, review), g) in enumerate(zip(pairs, grades), 2))


REFERENCE_PAIRS = [(100, 90), (100, 90), ("93.4", "81.4"), (93, "68.9"), (94, "80.19"), ("97.5", "82.5")]
B85 = Bands((("优", D(85)), ("良", D(75)), ("中", D(60))))


@pytest.mark.parametrize("pairs, bands, gaps, score", [
    (REFERENCE_PAIRS, DEFAULT_BANDS, [0, 0, 1, 2, 1, 1], "5.00"),  # (27)
    ([(95, 50)] * 4, DEFAULT_BANDS, [3, 3, 3, 3], "0.00"),  # floor 0
    ([(50, 95)], DEFAULT_BANDS, [3], "7.00"),  # a gap either way
    ([(90, "89.99")], DEFAULT_BANDS, [1], "9.00"),
    ([(86, 84)], B85, [1], "9.00"),
])
def test_review_gap(pairs, bands, gaps, score):
    outcome = run("复评差异", 10, bands=bands, projects=projects(*pairs))
    assert outcome.figures["差档"] == gaps
    assert round2(outcome.score) == D(score)


def test_review_gap_needs_projects():
    with pytest.raises(RuleFailure, match="复评项目") as caught:
        run("复评差异", 10, projects=())
    assert caught.value.code == "rule-no-projects"


# ---- 项目实际绩效 -------------------------------------------------------------

@pytest.mark.parametrize("grades, score", [
    (["优", "优", "中", "中", "中", "良"], "7.08"),  # (28): the report prints 7.10 by override
    (["优"] * 6, "10.00"),
    (["差", "差"], "0.00"),
    (["良"], "7.50"),
    (["优", "良", "中"], "7.50"),
])
def test_project_performance(grades, score):
    outcome = run("项目实际绩效", 10, projects=projects(*[(90, 90)] * len(grades), grades=grades))
    assert round2(outcome.score) == D(score)


def test_project_performance_all_excellent_is_exactly_the_weight():
    assert run("项目实际绩效", 10, projects=projects(*[(90, 90)] * 3, grades=["优"] * 3)).score == D(10)


def test_project_performance_needs_projects_and_their_grades():
    with pytest.raises(RuleFailure) as caught:
        run("项目实际绩效", 10, projects=())
    assert caught.value.code == "rule-no-projects"
    with pytest.raises(RuleFailure, match="缺少实际绩效等级") as caught:
        run("项目实际绩效", 10, projects=projects((90, 90)))
    assert caught.value.code == "rule-no-grade"


def test_project_grades_by_review_score_warn_where_the_typed_grade_differs():
    """The reference grades 81.40 and 80.19 中 though the bands make them 良 (see (27))."""
    typed = ["优", "优", "中", "中", "中", "良"]
    outcome = run("项目实际绩效", 10, "等级：按复核得分", projects=projects(*REFERENCE_PAIRS, grades=typed))
    assert round2(outcome.score) == D("7.92")  # 10 × (1 + 1 + .75 + .5 + .75 + .75) / 6
    assert [(code, cell) for code, cell, _ in outcome.warnings] == [
        ("grade-contradicts-score", "复评项目!G4"), ("grade-contradicts-score", "复评项目!G6")]


def test_project_grades_with_four_other_names_use_the_default_shares():
    bands = Bands((("优秀", D(90)), ("良好", D(80)), ("合格", D(60))), "不合格")
    outcome = run("项目实际绩效", 10, bands=bands, projects=projects((90, 90), (80, 80), grades=["优秀", "合格"]))
    assert outcome.score == D("7.5")


# ---- 满意度 ------------------------------------------------------------------

REFERENCE_SATISFACTIONS = ["88.53", "88.86", "88.20", "89.58", "87.53", "88.52", "88.20", "87.55"]


def survey(*percents, group=""):
    return tuple(Question(n, group, D(p) / 100, f"问卷!G{n}") for n, p in enumerate(percents, 6))


@pytest.mark.parametrize("percents, overall, score", [
    (REFERENCE_SATISFACTIONS, "0.8837", "2.40"),  # (30)
    (["95"], "0.9500", "4.00"),
    (["94.99"], "0.9499", "3.20"),
    (["90"], "0.9000", "3.20"),
    (["89.99"], "0.8999", "2.40"),
    (["80"], "0.8000", "2.40"),
    (["79.99"], "0.7999", "1.60"),
    (["60"], "0.6000", "1.60"),
    (["59.99"], "0.5999", "0.00"),
    (["100", "90"], "0.9500", "4.00"),
])
def test_satisfaction(percents, overall, score):
    outcome = run("满意度", 4, questions=survey(*percents))
    assert round_rate(next(v for v in outcome.inputs if v.name == "综合满意度").value) == D(overall)
    assert round2(outcome.score) == D(score)


def test_satisfaction_needs_questions():
    with pytest.raises(RuleFailure, match="满意度问题") as caught:
        run("满意度", 4, questions=())
    assert caught.value.code == "rule-no-questions"


def test_satisfaction_over_chosen_questions():
    questions = survey("100", "50", "90")  # questions 6, 7, 8
    assert run("满意度", 4, "问卷：第6、8题", questions=questions).score == D(4)  # 95%
    with pytest.raises(RuleFailure, match="第 9 题"):
        run("满意度", 4, "问卷：第8-9题", questions=questions)


# ---- every preset stays within [0, weight] -------------------------------------

weights = st.decimals(min_value=D("0.5"), max_value=20, places=2)
money = st.decimals(min_value=0, max_value=10**6, places=2)
positive = st.decimals(min_value=D("0.01"), max_value=10**6, places=2)
fraction = st.decimals(min_value=0, max_value=1, places=4)
score_st = st.decimals(min_value=0, max_value=100, places=2)


@st.composite
def part(draw):
    direction = draw(st.sampled_from(["≥", "≤", "="]))
    target = draw(positive if direction == "≥" else money)
    return (target, draw(money), direction)


@st.composite
def month_values(draw):
    present = draw(st.sets(st.integers(1, 11))) | {draw(st.sampled_from([6, 9, 11]))}
    return months({m: draw(money) for m in present} | {12: draw(positive)})


RULE_INPUTS = {
    "目标完成率": st.builds(lambda rows: {"goals": goals(*rows)},
                       st.lists(st.lists(part(), min_size=1, max_size=3), min_size=1, max_size=6)),
    "预算执行率": st.builds(lambda i, a: {"values": fields(年初预算=i, 调增_转移支付=0, 调增_其他=0, 调减=0, 决算支出=a)},
                       positive, money),
    "预算执行进度": st.builds(lambda m: {"months": m}, month_values()),
    "过紧日子": st.builds(lambda b, a, p: {"values": fields(五项经费_预算=b, 五项经费_决算=a, 五项经费_上年决算=p)},
                      positive, money, positive),
    "政府采购执行率": st.builds(lambda b, c: {"values": fields(政府采购预算=b, 政府采购合同金额=c)}, positive, money),
    "固定资产利用": st.builds(lambda i, t, pi, pt, u, o: {"values": fields(
        闲置资产=i, 总资产=t, 上年闲置资产=pi, 上年总资产=pt, 在用固定资产=u, 固定资产原值=o)},
        money, positive, money, positive, money, positive),
    "复评差异": st.builds(lambda pairs: {"projects": projects(*pairs)},
                      st.lists(st.tuples(score_st, score_st), min_size=1, max_size=8)),
    "项目实际绩效": st.builds(lambda g: {"projects": projects(*[(90, 90)] * len(g), grades=g)},
                        st.lists(st.sampled_from(["优", "良", "中", "差"]), min_size=1, max_size=12)),
    "满意度": st.builds(lambda s: {"questions": tuple(Question(n, "", v, "") for n, v in enumerate(s, 1))},
                     st.lists(fraction, min_size=1, max_size=15)),
}


@pytest.mark.parametrize("name", sorted(RULE_INPUTS))
def test_every_preset_scores_within_its_weight(name):
    @given(weight=weights, inputs=RULE_INPUTS[name])
    def check(weight, inputs):
        outcome = run(name, weight, **inputs)
        assert D(0) <= outcome.score <= weight

    check()


def test_property_covers_every_preset():
    assert set(RULE_INPUTS) == set(RULE_NAMES) - {"手工", "按评分参数"}


def test_an_infinite_idle_change_can_only_be_banded():
    values = fields(闲置资产=5, 总资产=100, 上年闲置资产=0, 上年总资产=100, 在用固定资产=10, 固定资产原值=10)
    with pytest.raises(RuleFailure, match="只能分档计分"):
        run("按评分参数", 2, "{闲置资产变化率}≤70%得满分，每超过1个百分点扣0.1分", values=values)
