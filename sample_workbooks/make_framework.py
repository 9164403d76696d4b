"""Write perfreport/framework.json, the indicator framework `perfreport init` pre-fills.

The framework is the standard 30-indicator 部门整体绩效评价 framework of the
sample workbook's 指标体系 sheet: 一级/二级/三级 names, 分值, 指标解释, 评价标准
and 评分方式 — never 得分, 评分依据, 分析, 依据来源 or 问题描述, which belong to one
department's evaluation — and, per 一级指标, the 考察重点 that chapter 二's 评价重点
prints (FOCUS below; other 一级指标 get the generic wording of perfreport/wording.py).

Two kinds of text are department-specific and are made generic here:
- the indicators scored by 目标完成率 (the sample's (19)–(26)) are the evaluated
  department's own duties, with its targets (“民营企业发展政策出台条数是否达到3条
  以上”). They keep their numbers, 分值 and 评分方式 (the framework still adds up
  to 100) and get slot texts a consultant replaces with the department's duties;
- any text naming the sample's place or department is refused (the check below).

Usage:
    .venv/bin/python sample_workbooks/make_framework.py           # write
    .venv/bin/python sample_workbooks/make_framework.py --check   # compare only
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

from perfreport.load import load

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "shizhong_gxj_2023.xlsx"
OUTPUT = HERE.parent / "perfreport" / "framework.json"
COLUMNS = ("一级指标", "二级指标", "三级指标", "分值", "指标解释", "评价标准", "评分方式")
# Words that name the sample's department or place; none may reach the package.
SPECIFIC = ("枣庄", "市中区", "工信局", "工业和信息化", "山东鑫泰", "康力", "心诚", "三维众智", "2023", "2024")
DIGITS = "一二三四五六七八九十"
# 评分参数 where the framework's own 评价标准 differs from the preset's default: (3)'s standard divides
# by 年初预算 + 年中调整 (the preset keeps the December row, so existing workbooks score the same).
PARAMETERS = {"预算执行进度": "分母：调整后预算"}
GOAL_EXPLANATION = "部门{duty}实际工作与计划工作的比率，用以反映和考核部门履职及工作任务、目标的实现程度"
GOAL_STANDARD = ("①××（绩效指标，见目标对比表）是否达到××（目标值）；\n"
                 "②××（绩效指标）是否达到××（目标值）；\n"
                 "目标完成率=（实际完成工作数/计划工作数）×100%\n"
                 "得分=目标完成率*权重分")


# 评价重点 of chapter 二 for each 一级指标 of the standard framework (what the evaluation looks at);
# a workbook with other 一级指标 gets the generic wording 考察重点_通用 (perfreport/wording.py)
FOCUS = {
    "财政资源配置": "重点考察预算安排与部门职能的匹配度、运行成本及“三公经费”等支出的变动情况，了解部门预算配置是否合理，"
              "重点项目是否保障到位，各项经费控制是否有力。",
    "预算管理": "重点对预算执行进度、预决算信息公开、预算管理一体化应用、财会管理、政府采购、资产管理及转移支付资金管理等"
            "进行评价，了解部门预算执行是否高效，项目库管理是否规范，各项制度是否健全，资金使用和制度执行是否合规，"
            "政府采购政策是否落实，资产是否有效利用等。",
    "绩效管理": "重点考察绩效目标管理、绩效主体责任落实及绩效评价结果应用，了解部门绩效管理工作是否达到全覆盖，"
            "是否形成有效的绩效管理闭环。",
    "部门履职效能": "重点考察年度整体目标、政策和项目绩效的完成情况，了解部门是否高效履职，各项核心职能和重点工作是否达到"
              "预期成效。",
    "社会效应": "重点考察高质量发展综合绩效、服务对象满意度情况，了解政府部门和服务企业对部门履职是否满意。",
}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def framework(sample: Path = SAMPLE) -> list[dict]:
    """Return the framework rows read from the sample workbook, made generic."""
    workbook, problems = load(sample)
    errors = [p for p in problems if p.severity.value == "error"]
    if errors:
        raise SystemExit(f"{sample}: {errors[0]}")
    rows = []
    duty = 0
    for record in workbook.tables["指标体系"]:
        row = {name: record[name] for name in COLUMNS}
        row["分值"] = _number(row["分值"])
        row["评分方式"] = row["评分方式"] or "手工"
        if row["评分方式"] in PARAMETERS:
            row["评分参数"] = PARAMETERS[row["评分方式"]]
        if row["评分方式"] == "目标完成率":
            duty += 1
            number = re.match(r"^\s*\((\d+)\)", row["三级指标"]).group(1)
            name = f"部门职责{DIGITS[duty - 1] if duty <= 10 else duty}工作完成情况"
            row["三级指标"] = f"({number}) {name}"
            row["指标解释"] = GOAL_EXPLANATION.format(duty=f"职责{DIGITS[duty - 1] if duty <= 10 else duty}")
            row["评价标准"] = GOAL_STANDARD
        rows.append(row)
    for row in rows:
        for name, value in row.items():
            found = [word for word in SPECIFIC if word in str(value)]
            if found:
                raise SystemExit(f"{row['三级指标']} {name} names the sample's department: {found}")
    return rows


def render(rows: list[dict]) -> str:
    data = {
        "说明": "perfreport init 预填的标准指标体系（30 个三级指标）；由 sample_workbooks/make_framework.py 生成",
        "columns": list(COLUMNS),
        "indicators": rows,
        "考察重点": FOCUS,
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file, write nothing")
    args = parser.parse_args(argv)
    text = render(framework())
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        print(f"{OUTPUT}: {'up to date' if same else 'differs'}")
        return 0 if same else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(json.loads(text)['indicators'])} indicators)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
