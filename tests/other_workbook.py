"""A small workbook of another department and year, written from scratch.

Nothing in it comes from the sample: other names, other numbers, a smaller
framework with other 一级 indicators. Tests build its report to show that
nothing of the sample lives in code or template.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from perfreport import contract

INFO = {
    "被评价单位": "云岭县农业农村局", "单位简称": "县农业局", "评价年度": 2025, "委托单位": "云岭县财政局",
    "委托单位简称": "县财政局", "评价机构": "青禾绩效评估有限公司", "评价机构简称": "评估组",
    "项目主评人": "周一鸣", "报告日期": "2026年3月18日", "呈报文号": "青禾评〔2026〕7号", "联系人": "孙河",
    "联系电话": "0871-5550123", "评价依据": "《云岭县部门整体支出绩效评价办法》",
    "省级简称": "滇", "市级简称": "州", "本级简称": "县",
    "部门战略目标": "巩固粮食生产，推进农村人居环境整治，带动农民持续增收。",
}
PROFILE = {
    "组织架构及主要职能": "县农业局设办公室、农业股、畜牧股3个股室。\n负责全县种植业、畜牧业行业管理。",
    "编制总数": 21, "编制_行政": 9, "编制_事业": 12, "实有总数": 19, "实有_行政": 8, "实有_事业": 11,
    "总资产": 356.4, "流动资产": 211.3, "非流动资产": 145.1, "无形资产原值": 12, "累计摊销": 3.3,
    "在用固定资产": 120.5, "闲置资产": 0, "上年总资产": 340, "上年闲置资产": 0,
}
BUDGET = {
    "年初预算": 2418.6, "年初_基本支出": 618.6, "年初_项目支出": 1800, "调增_转移支付": 120,
    "调增_其他": 0, "调减": 38.6, "决算支出": 2301.25, "年初项目数": 7, "年初项目资金": 1800,
    "重点项目名称": "高标准农田建设", "重点项目资金": 1306, "五项经费_预算": 9.8, "五项经费_决算": 9.1,
    "五项经费_上年决算": 9.4, "政府采购预算": 64, "政府采购合同金额": 58.5, "自评项目数": 7,
    "自评项目资金": 1800, "绩效监控覆盖率": 1,
    "收入变动说明": "近三年收入总体平稳，{评价年度}年较上年变动{收入环比_2025}。",
}
FRAMEWORK = [  # 一级, 二级, 三级, 分值, 评分方式, 得分
    ("投入管理", "预算编制", "(1) 预算编制科学性", 15, "手工", 13),
    ("投入管理", "预算执行", "(2) 预算执行率", 15, "预算执行率", None),
    ("履职产出", "目标完成", "(3) 年度目标完成率", 30, "目标完成率", None),
    ("履职产出", "项目质量", "(4) 复评结果差异", 10, "复评差异", None),
    ("履职产出", "项目质量", "(5) 项目实际成效", 10, "项目实际绩效", None),
    ("满意程度", "群众满意", "(6) 农户满意度", 20, "满意度", None),
]
GOALS = [
    (1, "粮食生产", "稳定播种面积", "完成粮食播种任务", "粮食播种面积", "≥5.2万亩", "5.4万亩", "5.2", "5.4", "(3)"),
    (1, "粮食生产", "推广良种", "提高良种覆盖率", "良种覆盖率", "≥95%", "97%", "95", "97", "(3)"),
    (2, "人居环境", "整治村庄", "开展村庄清洁行动", "整治村庄数量", "≥40个", "31个", "40", "31", "(3)"),
]
PROJECTS = [
    (1, "高标准农田建设", 1306, 1290.4, 95, 91, "优"),
    (2, "农村人居环境整治", 310, 244.8, 92, 78, "中"),
]
QUESTIONS = [
    (1, "您对县农业局技术服务是否满意？", "满意度问题", [("A.满意", 120), ("B.较满意", 40), ("C.一般", 25),
                                              ("D.不满意", 15)]),
    (2, "您还有什么意见建议？", "开放问题", [("希望增加农技培训场次", None)]),
]
TEXTS = [
    ("年度工作完成情况", 0, "", "全年完成粮食播种和人居环境整治任务。"),
    ("年度工作完成情况", 1, "粮食生产", "完成播种面积{完成率_粮食播种面积}。"),
    ("指标分析小结", 1, "投入管理", "预算编制较规范，执行率{预算执行率}。"),
    ("主要绩效", 1, "粮食生产稳定", "一是播种面积稳定。\n二是良种覆盖率提高。"),
    ("存在的问题", 1, "村庄整治进度滞后", "一是整治村庄31个，未达目标。"),
    ("相关建议", 1, "加快整治进度", "一是倒排工期，按月调度。"),
]


def _sheet(book: Workbook, name: str, rows: list[dict], empty: tuple[str, ...] = ()) -> None:
    sheet = contract.SHEET[name]
    rows = [] if name in empty else rows
    ws = book.create_sheet(name)
    if sheet.key_value:
        ws.append(["字段", "值"])
        for key, value in rows[0].items():
            ws.append([key, value])
        return
    ws.append([f.name for f in sheet.fields])
    for row in rows:
        ws.append([row.get(f.name) for f in sheet.fields])


# the framework without the rules that need 复评项目 or 问卷 rows (scored by hand instead)
MANUAL = [(a, b, c, w, "手工", w - 2) if rule in ("复评差异", "项目实际绩效", "满意度") else (a, b, c, w, rule, s)
          for a, b, c, w, rule, s in FRAMEWORK]
STAGES = [
    {"阶段": "准备阶段", "起止时间": "2月1日—2月10日", "工作内容": "组建评价组，见[表号:工作组]。\n[表:工作组]"},
    {"阶段": "实施阶段", "起止时间": "2月11日—3月10日", "工作内容": "现场核查，抽查{复评项目数}个项目。"}]


def write_other_workbook(path: Path, *, texts: list[tuple] = (), empty: tuple[str, ...] = (),
                         framework: list[tuple] | None = None, stages: list[dict] | None = None, **changes) -> Path:
    """Write the workbook to `path`.

    `changes` maps a key-value field to a new value (or `item_text` to the
    first item's 文字 内容); `texts` adds 文字 rows (章节, 序号, 标题, 内容);
    `empty` names table sheets to leave without rows; `framework` replaces the
    指标体系 rows and `stages` the 实施安排 rows.
    """
    info = {**INFO, **{k: v for k, v in changes.items() if k in INFO}}
    budget = {**BUDGET, **{k: v for k, v in changes.items() if k in BUDGET}}
    profile = {**PROFILE, **{k: v for k, v in changes.items() if k in {f.name for f in contract.SHEET["部门概况"].fields}}}
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "基本信息", [info])
    _sheet(book, "部门概况", [profile])
    _sheet(book, "固定资产", [{"序号": "1", "资产名称": "农机具", "原值": 96.2, "累计折旧": 30.1},
                          {"序号": "2", "资产名称": "办公设备", "原值": 28.3, "累计折旧": 11.6}], empty)
    _sheet(book, "预决算", [budget])
    _sheet(book, "收入构成", [{"项目": "一般公共预算", "金额": 2418.6}])
    _sheet(book, "收支决算", [
        {"年度": 2024, "收入_一般公共预算": 2210.5, "支出_基本支出": 600.2, "支出_项目支出": 1610.3},
        {"年度": 2025, "收入_一般公共预算": 2301.25, "支出_基本支出": 612.15, "支出_项目支出": 1689.1}])
    _sheet(book, "预算执行进度", [{"月份": m, "月度累计执行_元": v} for m, v in
                             ((6, 11200000), (9, 17600000), (11, 21000000), (12, 23012500))])
    _sheet(book, "战略目标", [{"序号": "1", "指标名称": "粮食总产量", "指标解释": "反映粮食生产", "年度指标值": "≥3万吨"}])
    _sheet(book, "目标对比", [dict(zip(("职责序号", "部门职责", "职责", "职责目标", "绩效指标", "目标值", "实际完成值",
                                     "目标数值", "实际数值", "三级指标"), g)) for g in GOALS])
    _sheet(book, "指标体系", [{"一级指标": a, "二级指标": b, "三级指标": c, "分值": w, "评分方式": rule, "得分": s,
                           "评分依据": f"{c[4:]}的评分依据。", "依据来源": "部门资料",
                           "问题描述": "整治村庄未达目标" if c.startswith("(3)") else None}
                          for a, b, c, w, rule, s in framework or FRAMEWORK])
    _sheet(book, "复评项目", [dict(zip(("序号", "项目名称", "预算", "执行", "自评得分", "复核得分", "实际绩效等级"), p))
                          for p in PROJECTS], empty)
    _sheet(book, "问卷", [{"题号": n, "题目": t, "类型": k, "选项": o, "人数": c}
                        for n, t, k, options in QUESTIONS for o, c in options], empty)
    _sheet(book, "政策梳理", [{"序号": "1", "省级": "省级农业支持政策", "本级": "县级实施细则", "结论": "有效"}], empty)
    _sheet(book, "评价工作组", [{"姓名": "周一鸣", "职称职务": "高级经济师", "任务分工": "项目负责人"}], empty)
    _sheet(book, "实施安排", STAGES if stages is None else stages)
    rows = [dict(zip(("章节", "序号", "标题", "内容"), t)) for t in TEXTS + list(texts)]
    rows[1]["内容"] = changes.get("item_text", rows[1]["内容"])
    _sheet(book, "文字", rows)
    book.save(path)
    return path
