"""Workbooks of other evaluation frameworks, written from scratch (tests/test_frameworks.py).

Each family's framework is the published one (its indicators, 分值 and scoring
constants, as 评分参数); the department around it is other_workbook's 云岭县
农业农村局, with the numbers a family's indicators need changed.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

import other_workbook as base


def write(path: Path, framework: list[dict], *, info: dict | None = None, profile: dict | None = None,
          budget: dict | None = None, goals: list[dict] | None = None, projects: list[dict] | None = None,
          questions: list[tuple] | None = None, months: dict | None = None, texts: list[tuple] | None = None) -> Path:
    """Write a workbook whose 指标体系 is `framework` (dicts by column) and whose data is base's, changed."""
    book = Workbook()
    book.remove(book.active)
    base._sheet(book, "基本信息", [{**base.INFO, **(info or {})}])
    base._sheet(book, "部门概况", [{**base.PROFILE, **(profile or {})}])
    base._sheet(book, "固定资产", [{"序号": "1", "资产名称": "办公设备", "原值": 120.5, "累计折旧": 40.1}])
    base._sheet(book, "预决算", [{**base.BUDGET, "收入变动说明": None, **(budget or {})}])
    base._sheet(book, "收入构成", [{"项目": "一般公共预算", "金额": (budget or {}).get("年初预算", base.BUDGET["年初预算"])}])
    base._sheet(book, "收支决算", [{"年度": base.INFO["评价年度"], "收入_一般公共预算": 2000, "支出_基本支出": 600}])
    base._sheet(book, "预算执行进度", [{"月份": m, "月度累计执行_元": v} for m, v in ({12: 23012500} if months is None else months).items()])
    base._sheet(book, "战略目标", [{"序号": "1", "指标名称": "年度重点工作", "年度指标值": "按期完成"}])
    base._sheet(book, "目标对比", goals or [{"职责序号": 1, "部门职责": "日常运转", "绩效指标": "保障运转", "目标值": "正常",
                                      "实际完成值": "正常"}])
    base._sheet(book, "指标体系", [{"评分依据": f"{row['三级指标'][4:]}的评分依据。", "依据来源": "部门资料", **row}
                               for row in framework])
    base._sheet(book, "复评项目", projects or [{"序号": "1", "项目名称": "农田建设", "预算": 100, "执行": 95, "自评得分": 95,
                                       "复核得分": 91, "实际绩效等级": "优"}])
    base._sheet(book, "问卷", [{"题号": n, "题目": t, "类型": "满意度问题", "选项": o, "人数": c, "问题组": g}
                             for n, t, g, options in (questions or []) for o, c in options]
                or [{"题号": 1, "题目": "您对本部门是否满意？", "类型": "满意度问题", "选项": "A.满意", "人数": 10}])
    base._sheet(book, "评价工作组", [{"姓名": "周一鸣", "职称职务": "高级经济师", "任务分工": "项目负责人"}])
    base._sheet(book, "实施安排", [{"阶段": "准备阶段", "工作内容": "组建评价组。\n[表:工作组]"}])
    base._sheet(book, "政策梳理", [{"序号": "1", "省级": "省级政策", "结论": "有效"}])
    rows = texts or [("主要绩效", 1, "运转平稳", "一是运转平稳。"), ("存在的问题", 1, "管理待加强", "一是管理待加强。"),
                     ("相关建议", 1, "加强管理", "一是加强管理。")]
    base._sheet(book, "文字", [dict(zip(("章节", "序号", "标题", "内容"), t)) for t in rows])
    book.save(path)
    return path


def indicator(level1: str, level2: str, label: str, weight, rule: str = "手工", score=None, parameters=None,
              standard=None) -> dict:
    """One 指标体系 row."""
    return {"一级指标": level1, "二级指标": level2, "三级指标": label, "分值": weight, "评分方式": rule, "得分": score,
            "评分参数": parameters, "评价标准": standard}
