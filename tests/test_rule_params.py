"""The 评分参数 syntax: every phrase form read as documented, strictly; generated standards; the number check."""
from decimal import Decimal

import pytest

from perfreport.rule_inputs import derive_values
from perfreport.rules import (DEFAULT_BANDS, RULES, Inputs, ParamError, evaluate, spec_for, standard_text,
                              unmatched_numbers)
from perfreport.rules.figures import kinds
from perfreport.rules.presets import PRESETS
from perfreport.rules.spec import Bands, Deduction, Linear

D = Decimal
KINDS = kinds()


def spec(text, weight=5, rule="按评分参数", bands=DEFAULT_BANDS):
    return spec_for(rule, text, D(weight), KINDS, bands.names, RULES[rule].default_for(bands))


def score(text, weight=5, **fields):
    values = derive_values({k: None if v is None else D(str(v)) for k, v in fields.items()}, {}, {})
    return evaluate(spec(text, weight), D(weight), Inputs(values)).score


YUEYANG_ADJUSTMENT = "{预算调整率}=0计3分；0-10%（含）计2分；10-20%（含）计1分；20-30%（含）计0.5分；大于30%不得分"


@pytest.mark.parametrize("other, score_", [
    ("0", "3"), ("1", "2"), ("10", "2"), ("10.01", "1"), ("20", "1"), ("25", "0.5"), ("30", "0.5"), ("30.01", "0"),
])
def test_bands_with_edges_written_as_the_published_sheet(other, score_):
    assert score(YUEYANG_ADJUSTMENT, 3, 年初预算=100, 调增_其他=other, 调减=0) == D(score_)


@pytest.mark.parametrize("text", [
    "{重点项目保障率}≥90%得满分；≥80%得4分；其他0分",
    "{重点项目保障率}达到90%得满分；80%（含）-90%计4分；低于80%不得分",
    "｛重点项目保障率｝≥９０％得满分；≥８０％得４分；其他０分",  # full-width, as an IME types it
    "{重点项目保障率}90%（含）以上得满分；80%≤X<90%得分值×80%；其他情况0分",
    "若{重点项目保障率}≥90%，得满分\n若80%≤{重点项目保障率}<90%，得4分\n否则不得分",
    "90%≤{重点项目保障率}得满分；80%≤{重点项目保障率}<90%：得4分；其他0分",
])
def test_band_spellings_mean_the_same(text):
    assert [score(text, 5, 重点项目资金=r, 年初项目资金=100) for r in (95, 90, 85, 80, 79)] == \
        [D(5), D(5), D(4), D(4), D(0)]


def test_abs_deviation_and_letter_alias():
    text = "|{预算执行率}-100%|≤5%得满分；5%<|X-100%|≤10%得分值×75%；其他0分"
    assert [score(text, 2, 年初预算=100, 决算支出=a) for a in (95, 106, 111)] == [D(2), D("1.5"), D(0)]


@pytest.mark.parametrize("text, expected", [
    ("{人员控制率}≤100%得满分，每超过1个百分点扣0.5分，扣完为止", "3"),   # 3.5 points → 4 started × 0.5
    ("{人员控制率}≤100%得满分，每超过1个百分点扣0.5分，按比例扣分", "3.25"),  # 3.5 × 0.5
    ("{人员控制率}≤100%得满分，每超过1个百分点扣0.5分，不足1个百分点不扣分", "3.5"),  # 3 × 0.5
    ("{人员控制率}≤100%得满分，每超过1个百分点扣0.5分，最多扣1分", "4"),
    ("{人员控制率}≤100%得满分，每超过1个百分点扣0.5分，超过3个百分点不得分", "0"),
    ("{人员控制率}≤100%得满分；每超过2%扣1分", "3"),  # `%` as 个百分点: 3.5 → 2 steps
    ("每超过1个百分点扣0.5分；{人员控制率}≤100%得满分", "3"),  # order of the phrases does not matter
])
def test_deductions(text, expected):
    assert score(text, 5, 编制总数=200, 实有总数=207) == D(expected)  # 人员控制率 103.5%


def test_deduction_below_a_floor_threshold():
    text = "{重点项目保障率}≥90%得满分，每低于1个百分点扣0.2分"
    assert score(text, 5, 重点项目资金="87.5", 年初项目资金=100) == D("4.4")  # 2.5 points → 3 × 0.2


@pytest.mark.parametrize("text", ["得分={预算执行率}×分值", "{预算执行率}*权重分", "按{预算执行率}×分值计分",
                                  "得分=分值×{预算执行率}", "得分={预算执行率}×指标分值，最高不超过分值"])
def test_linear_spellings(text):
    assert score(text, 10, 年初预算=100, 决算支出=76) == D("7.6")
    assert score(text, 10, 年初预算=100, 决算支出=120) == D(10)  # capped at the weight


def test_parts_share_the_weight_unless_they_say_their_points():
    two = spec("①{五项经费控制率}≤100%得满分；其他0分；②{五项经费变动率}≤0得满分；其他0分", 2)
    assert [p.points for p in two.parts] == [D(1), D(1)]
    stated = spec("①（1.5分）{五项经费控制率}≤100%得满分；其他0分；②{五项经费变动率}≤0得满分；其他0分", 2)
    assert [p.points for p in stated.parts] == [D("1.5"), D("0.5")]
    assert isinstance(two.parts[0].scorer, Bands)


def test_options_keep_the_preset_scoring():
    progress = spec("分母：调整后预算", 2, "预算执行进度")
    assert progress.options.denominator == "调整后预算" and isinstance(progress.parts[0].scorer, Deduction)
    assert progress.options.checkpoints == ((6, D("0.5")), (9, D("0.75")), (11, D("0.92")))
    assert progress.text.startswith("分母：调整后预算；其余按默认：考核时点")
    satisfaction = spec("问题组：协作部门；得分={综合满意度}×分值", 3, "满意度")
    assert satisfaction.options.group == "协作部门" and isinstance(satisfaction.parts[0].scorer, Linear)


@pytest.mark.parametrize("text, code, fragment", [
    ("得5分如果达到90%", "parameter-syntax", "“得5分如果达到90%”读不懂"),
    ("{执行率}≥90%得满分；其他0分", "parameter-unknown-figure", "是否为 {预算执行率}"),
    ("{预算执行率}≥90得满分", "parameter-syntax", "“90”应写成“90%”"),
    ("{决算支出}≥90%得满分", "parameter-syntax", "不是百分比"),
    ("{预算执行率}80%-90%得1分", "parameter-syntax", "区间端点是否包含不明确"),
    ("{预算执行率}60%以下不得分", "parameter-syntax", "是否包含 60% 不明确"),
    ("≥90%得满分；其他0分", "parameter-conflict", "没有指明按哪个计算值"),
    ("{预算执行率}≥90%得6分；其他0分", "parameter-points", "超过本项满分 5 分"),
    ("{预算执行率}≥90%得分值×120%", "parameter-points", "0 到 100% 之间"),
    ("①（3分）{预算执行率}≥90%得满分；②（3分）{预算调整率}=0得满分", "parameter-points", "各部分满分之和 6 分"),
    ("{人员控制率}≥100%得满分，每超过1个百分点扣0.5分", "parameter-conflict", "方向相反"),
    ("{人员控制率}≤100%得满分，每低于1个百分点扣0.5分", "parameter-conflict", "方向相反"),
    ("{人员控制率}≤100%得满分，最多扣1分", "parameter-conflict", "不能与分档写在同一部分"),
    ("扣完为止", "parameter-conflict", "只有修饰语"),
    ("{决算支出}≤100得满分，每超过1个百分点扣1分", "parameter-syntax", "不能按百分点扣分"),
    ("得分={预算执行率}×分值；{预算执行率}≥90%得满分", "parameter-conflict", "不能与比例计分写在同一部分"),
    ("分母：调整后预算", "parameter-conflict", "只写了选项"),
    ("问卷：第13-6题", "parameter-syntax", "题号写成"),
    ("考核时点：13月50%", "parameter-syntax", "“13月50%”读不懂"),
])
def test_what_is_not_understood_is_an_error_quoting_it(text, code, fragment):
    with pytest.raises(ParamError) as caught:
        spec(text)
    assert caught.value.code == code and fragment in str(caught.value), str(caught.value)


def test_grade_factors_need_every_grade_of_the_bands():
    with pytest.raises(ParamError, match="缺少等级“差”"):
        spec("优得满分；良得分值×75%；中得分值×50%", 10, "项目实际绩效")
    with pytest.raises(ParamError, match="比例"):
        spec("优得10分；良得分值×75%；中得分值×50%；差0分", 10, "项目实际绩效")


# ---- generated standards ---------------------------------------------------------------

@pytest.mark.parametrize("rule", [r.name for r in PRESETS])
def test_every_preset_words_a_standard_that_quotes_only_its_own_numbers(rule):
    weight = D(2)
    made = spec_for(rule, "", weight, KINDS, DEFAULT_BANDS.names, RULES[rule].default_for(DEFAULT_BANDS))
    text = standard_text(made, KINDS)
    assert text and unmatched_numbers(text, made, weight) == []


def test_generated_standard_in_the_reference_register():
    made = spec("", 2, "预算执行率")
    assert standard_text(made, KINDS) == (
        "预算执行率=决算支出/调整后预算×100%。\n"
        "|预算执行率−100%|≤5%，得2分；5%<|预算执行率−100%|≤10%，得1.5分；10%<|预算执行率−100%|≤15%，得1分；"
        "|预算执行率−100%|>15%，不得分。")
    progress = standard_text(spec("分母：调整后预算", 2, "预算执行进度"), KINDS)
    assert progress.startswith("预算执行进度=月度累计执行数/（年初预算+年中调整）×100%。6月底、9月底、11月底考核")


def test_the_number_check_finds_a_number_the_parameters_do_not_hold():
    made = spec("", 2, "预算执行率")
    assert unmatched_numbers("|支出预算完成率-100%|≤6%，得2分；2023年按此执行", made, D(2)) == ["6%"]
    assert unmatched_numbers("低于2—4个百分点（含）的，扣0.2分", spec("", 2, "预算执行进度"), D(2)) == []


# ---- nothing but a ParamError ever comes out of the parser ------------------------------

TOKENS = ["{预算执行率}", "{人员控制率}", "{不存在}", "X", "|", "-", "—", "%", "≥", "≤", "<", ">", "=", "得", "分", "满分",
          "不得分", "其他", "每超过", "每低于", "个百分点", "扣", "扣完为止", "×", "分值", "；", "，", "①", "②", "（含）",
          "以上", "以下", "0", "1", "2.5", "90", "100", "分母：", "调整后预算", "考核时点：", "6月", "问卷：", "第6-13题",
          "问题组：", "等级：", "按复核得分", "优", "良", "中", "差", "无数据按满分计", "不足", "按比例扣分", "最多扣", "计"]


def test_the_parser_raises_only_param_errors():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=400, deadline=None, derandomize=True)
    @given(st.lists(st.sampled_from(TOKENS), max_size=14).map("".join))
    def parse(text):
        try:
            made = spec(text, 5)
        except ParamError as exc:
            assert str(exc)
            return
        assert sum(p.points for p in made.parts) == D(5)

    parse()
