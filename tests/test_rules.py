"""Scoring rules against the reference report (附件2) and the edges of their 评价标准."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfreport.fmt import round2, round_rate
from perfreport.rules import DEFAULT_BANDS, RULES, Outcome, RuleError, grade, question_satisfaction

D = Decimal


def ge(target, actual):
    """A part with a ≥ target."""
    return (D(target), D(actual), "≥")


def run(name, **kwargs):
    """Call the registered rule `name`."""
    return RULES[name](**kwargs)


def test_registry_holds_exactly_the_ten_rules():
    assert set(RULES) == {
        "目标完成率", "预算执行率", "预算执行进度", "过紧日子", "政府采购执行率",
        "固定资产利用", "复评差异", "项目实际绩效", "满意度", "手工",
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
    with pytest.raises(RuleError, match="样本量"):
        question_satisfaction([], 0)


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
    outcome = run("目标完成率", weight=D(weight), rows=rows)
    assert round2(outcome.score) == D(score), indicator
    printed = [[round_rate(r) for r in row] for row in outcome.figures["完成率"]]
    assert printed == [[D(r) for r in row] for row in rates], indicator


def test_target_completion_all_rows_not_assessed_is_full():
    outcome = run("目标完成率", weight=D(2), rows=[])
    assert outcome.score == D(2) and outcome.notes


@pytest.mark.parametrize("rows, message", [
    ([[ge(0, 5)]], "目标值为 0"),
    ([[ge(-1, 5)]], "大于 0"),
    ([[(D(-1), D(5), "≤")]], "不能为负数"),
    ([[(D(1), D(5), ">")]], "无法识别"),
    ([[ge(1, 1)], []], "没有目标值"),
])
def test_target_completion_errors(rows, message):
    with pytest.raises(RuleError, match=message):
        run("目标完成率", weight=D(2), rows=rows)


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
    outcome = run("预算执行率", weight=D(2), initial=D(initial), increase=D(increase),
                  decrease=D(decrease), actual=D(actual))
    assert round_rate(outcome.figures["预算执行率"]) == D(rate)
    assert round2(outcome.score) == D(score)


def test_budget_execution_reports_the_adjusted_budget():
    outcome = run("预算执行率", weight=D(2), initial=D("12779.84"), increase=D("245.15"),
                  decrease=D("63.47"), actual=D("10271.96"))
    assert outcome.figures["调整后预算"] == D("12961.52")


def test_budget_execution_needs_a_budget():
    with pytest.raises(RuleError, match="调整后预算"):
        run("预算执行率", weight=D(2), initial=D(10), increase=D(0), decrease=D(10), actual=D(1))


# ---- 预算执行进度 -------------------------------------------------------------

REFERENCE_MONTHS = {
    7: D("89739891.15"), 8: D("95407659.61"), 9: D("102245089.87"),
    10: D("106732165.98"), 11: D("108993393.69"), 12: D("112234472.39"),
}


def test_budget_progress_reference():  # (3), 表10
    outcome = run("预算执行进度", weight=D(2), months=REFERENCE_MONTHS)
    progress = {m: round_rate(p) for m, p in outcome.figures["执行进度"].items()}
    assert progress == {7: D("0.7996"), 8: D("0.8501"), 9: D("0.9110"),
                        10: D("0.9510"), 11: D("0.9711"), 12: D("1.0000")}
    timing = {m: round_rate(p) for m, p in outcome.figures["序时进度"].items()}
    assert timing == {7: D("0.5833"), 8: D("0.6667"), 9: D("0.7500"),
                      10: D("0.8333"), 11: D("0.9167"), 12: D("1.0000")}
    assert round2(outcome.score) == D("2.00")
    assert outcome.notes == ("缺少 6 月累计执行数，该考核时点不考核",)


@pytest.mark.parametrize("months, score", [
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
    ({7: "10"}, "2.00"),                       # no checkpoint present
])
def test_budget_progress_deductions(months, score):
    values = {m: D(v) for m, v in months.items()} | {12: D(100)}
    assert round2(run("预算执行进度", weight=D(2), months=values).score) == D(score)


@pytest.mark.parametrize("months", [{6: D(50), 11: D(92)}, {6: D(50), 12: D(0)}, {}])
def test_budget_progress_needs_december(months):
    with pytest.raises(RuleError, match="12 月"):
        run("预算执行进度", weight=D(2), months=months)


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
    outcome = run("过紧日子", weight=D(2), budget=D(budget), actual=D(actual), previous=D(previous))
    assert round_rate(outcome.figures["五项经费控制率"]) == D(control)
    assert round_rate(outcome.figures["五项经费变动率"]) == D(change)
    assert round2(outcome.score) == D(score)


def test_austerity_half_floors_at_zero():
    outcome = run("过紧日子", weight=D("0.6"), budget=D(100), actual=D(110), previous=D(110))
    assert outcome.score == D("0.3")  # 0.3 − 0.5 floors at 0, plus a full 0.3


@pytest.mark.parametrize("budget, previous, message", [(0, 1, "五项经费预算"), (1, 0, "上年")])
def test_austerity_errors(budget, previous, message):
    with pytest.raises(RuleError, match=message):
        run("过紧日子", weight=D(2), budget=D(budget), actual=D(1), previous=D(previous))


# ---- 政府采购执行率 -----------------------------------------------------------

@pytest.mark.parametrize("budget, contracts, rate, score, noted", [
    (D(3), D(0), D(0), "0.00", False),  # (12)
    (D(4), D(3), D("0.75"), "0.75", False),
    (D(4), D(5), D("1.25"), "1.00", False),
    (None, D(0), None, "1.00", True),
    (D(0), D(0), None, "1.00", True),
])
def test_procurement(budget, contracts, rate, score, noted):
    outcome = run("政府采购执行率", weight=D(1), budget=budget, contracts=contracts)
    assert outcome.figures["政府采购执行率"] == rate
    assert round2(outcome.score) == D(score)
    assert bool(outcome.notes) == noted


# ---- 固定资产利用 -------------------------------------------------------------

@pytest.mark.parametrize("idle, total, previous_idle, previous_total, in_use, original, x, y, score", [
    # (14): the report prints 2.00 by override
    (D(0), D(500), D(0), D(500), D("201.54"), D("201.69"), None, "0.9993", "1.75"),
    (None, None, None, None, D(10), D(10), None, "1.0000", "2.00"),
    (D(7), D(100), D(10), D(100), D(10), D(10), "0.7000", "1.0000", "1.75"),  # X exactly 70%
    (D("6.99"), D(100), D(10), D(100), D(10), D(10), "0.6990", "1.0000", "2.00"),
    (D(8), D(100), D(10), D(100), D(10), D(10), "0.8000", "1.0000", "1.50"),
    (D(9), D(100), D(10), D(100), D(10), D(10), "0.9000", "1.0000", "1.25"),
    (D(10), D(100), D(10), D(100), D(10), D(10), "1.0000", "1.0000", "1.00"),
    (D(0), D(100), D(10), D(100), D(10), D(10), "0.0000", "1.0000", "2.00"),
    (D(5), D(100), D(0), D(100), D(10), D(10), None, "1.0000", "1.00"),  # idle is new this year
    (D(0), D(0), D(0), D(0), D(9), D(10), None, "0.9000", "1.75"),      # Y exactly 90%
    (D(0), D(0), D(0), D(0), D(8), D(10), None, "0.8000", "1.50"),
    (D(0), D(0), D(0), D(0), D(7), D(10), None, "0.7000", "1.25"),
    (D(0), D(0), D(0), D(0), D("6.99"), D(10), None, "0.6990", "1.00"),
])
def test_fixed_assets(idle, total, previous_idle, previous_total, in_use, original, x, y, score):
    outcome = run("固定资产利用", weight=D(2), idle=idle, total=total, previous_idle=previous_idle,
                  previous_total=previous_total, in_use=in_use, original=original)
    change = outcome.figures["闲置资产变化率"]
    assert (None if change is None else round_rate(change)) == (None if x is None else D(x))
    assert round_rate(outcome.figures["固定资产利用率"]) == D(y)
    assert round2(outcome.score) == D(score)


@pytest.mark.parametrize("total, previous_total, original, message", [
    (D(100), D(100), D(0), "固定资产原值"),
    (D(0), D(100), D(10), "总资产"),
    (D(100), None, D(10), "总资产"),
])
def test_fixed_assets_errors(total, previous_total, original, message):
    with pytest.raises(RuleError, match=message):
        run("固定资产利用", weight=D(2), idle=D(1), total=total, previous_idle=D(1),
            previous_total=previous_total, in_use=D(10), original=original)


# ---- 复评差异 ----------------------------------------------------------------

REFERENCE_PAIRS = [(D(100), D(90)), (D(100), D(90)), (D("93.4"), D("81.4")),
                   (D(93), D("68.9")), (D(94), D("80.19")), (D("97.5"), D("82.5"))]


@pytest.mark.parametrize("pairs, bands, gaps, score", [
    (REFERENCE_PAIRS, DEFAULT_BANDS, [0, 0, 1, 2, 1, 1], "5.00"),  # (27)
    ([(D(95), D(50))] * 4, DEFAULT_BANDS, [3, 3, 3, 3], "0.00"),  # floor 0
    ([(D(50), D(95))], DEFAULT_BANDS, [3], "7.00"),  # a gap either way
    ([(D(90), D("89.99"))], DEFAULT_BANDS, [1], "9.00"),
    ([(D(86), D(84))], (("优", D(85)), ("良", D(75)), ("中", D(60))), [1], "9.00"),
])
def test_review_gap(pairs, bands, gaps, score):
    outcome = run("复评差异", weight=D(10), pairs=pairs, bands=bands)
    assert outcome.figures["差档"] == gaps
    assert round2(outcome.score) == D(score)


def test_review_gap_needs_projects():
    with pytest.raises(RuleError, match="复评项目"):
        run("复评差异", weight=D(10), pairs=[])


# ---- 项目实际绩效 -------------------------------------------------------------

@pytest.mark.parametrize("grades, score", [
    (["优", "优", "中", "中", "中", "良"], "7.08"),  # (28): the report prints 7.10 by override
    (["优"] * 6, "10.00"),
    (["差", "差"], "0.00"),
    (["良"], "7.50"),
    (["优", "良", "中"], "7.50"),
])
def test_project_performance(grades, score):
    assert round2(run("项目实际绩效", weight=D(10), grades=grades).score) == D(score)


def test_project_performance_all_excellent_is_exactly_the_weight():
    assert run("项目实际绩效", weight=D(10), grades=["优"] * 3).score == D(10)


@pytest.mark.parametrize("grades, message", [([], "没有抽查项目"), (["优", "好"], "无法识别")])
def test_project_performance_errors(grades, message):
    with pytest.raises(RuleError, match=message):
        run("项目实际绩效", weight=D(10), grades=grades)


# ---- 满意度 ------------------------------------------------------------------

REFERENCE_SATISFACTIONS = ["88.53", "88.86", "88.20", "89.58", "87.53", "88.52", "88.20", "87.55"]


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
    outcome = run("满意度", weight=D(4), satisfactions=[D(p) / 100 for p in percents])
    assert round_rate(outcome.figures["综合满意度"]) == D(overall)
    assert round2(outcome.score) == D(score)


def test_satisfaction_needs_questions():
    with pytest.raises(RuleError, match="满意度问题"):
        run("满意度", weight=D(4), satisfactions=[])


# ---- 手工 --------------------------------------------------------------------

@pytest.mark.parametrize("entered", [D(0), D("1.4"), D(3)])
def test_manual_returns_the_entered_score(entered):
    assert run("手工", weight=D(3), entered=entered) == Outcome(entered)


# ---- every rule stays within [0, weight] ---------------------------------------

weights = st.decimals(min_value=D("0.5"), max_value=20, places=2)
money = st.decimals(min_value=0, max_value=10**6, places=2)
positive = st.decimals(min_value=D("0.01"), max_value=10**6, places=2)
fraction = st.decimals(min_value=0, max_value=1, places=4)
score = st.decimals(min_value=0, max_value=100, places=2)
optional_money = st.none() | money


@st.composite
def part(draw):
    direction = draw(st.sampled_from(["≥", "≤", "="]))
    target = draw(positive if direction == "≥" else money)
    return (target, draw(money), direction)


@st.composite
def months(draw):
    present = draw(st.sets(st.integers(1, 11)))
    return {m: draw(money) for m in present} | {12: draw(positive)}


RULE_INPUTS = {
    "目标完成率": st.fixed_dictionaries({"rows": st.lists(st.lists(part(), min_size=1, max_size=3), max_size=6)}),
    "预算执行率": st.fixed_dictionaries(
        {"initial": positive, "increase": money, "decrease": st.just(D(0)), "actual": money}),
    "预算执行进度": st.fixed_dictionaries({"months": months()}),
    "过紧日子": st.fixed_dictionaries({"budget": positive, "actual": money, "previous": positive}),
    "政府采购执行率": st.fixed_dictionaries({"budget": optional_money, "contracts": money}),
    "固定资产利用": st.fixed_dictionaries({
        "idle": optional_money, "total": positive, "previous_idle": optional_money,
        "previous_total": positive, "in_use": money, "original": positive}),
    "复评差异": st.fixed_dictionaries({"pairs": st.lists(st.tuples(score, score), min_size=1, max_size=8)}),
    "项目实际绩效": st.fixed_dictionaries(
        {"grades": st.lists(st.sampled_from(["优", "良", "中", "差"]), min_size=1, max_size=12)}),
    "满意度": st.fixed_dictionaries({"satisfactions": st.lists(fraction, min_size=1, max_size=15)}),
}


@pytest.mark.parametrize("name", sorted(RULE_INPUTS))
def test_every_rule_scores_within_its_weight(name):
    @given(weight=weights, inputs=RULE_INPUTS[name])
    def check(weight, inputs):
        outcome = run(name, weight=weight, **inputs)
        assert D(0) <= outcome.score <= weight

    check()


def test_property_covers_every_computed_rule():
    assert set(RULE_INPUTS) == set(RULES) - {"手工"}
