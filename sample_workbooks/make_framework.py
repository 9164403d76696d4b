"""Write perfreport/framework.json, the indicator framework `perfreport init` pre-fills.

The framework is the standard 30-indicator 部门整体绩效评价 framework of the
sample workbook's 指标体系 sheet: 一级/二级/三级 names, 分值, 指标解释, 评价标准
and 评分方式 — never 得分, 评分依据, 分析, 依据来源 or 问题描述, which belong to one
department's evaluation.

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
