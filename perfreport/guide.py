"""The firm's template: `perfreport template PATH` writes the master template and its Chinese guide.

The guide is written from the declarations (perfreport.outline, perfreport.wording),
so it lists exactly the blocks and names a template can use.
"""
from __future__ import annotations

from pathlib import Path

from .outline import ATTACHMENTS, TABLES, TEXTS
from .output import check_target, write_atomically
from .wording import WORDING

INTRO = """\
perfreport 报告模板说明

这个 .docx 是 perfreport 的母版模板。在 Word 中修改它（或它的副本），然后用
    perfreport build 工作簿.xlsx --template 模板.docx
生成报告。报告的结构（章节、表格、附件的先后）由模板决定，编号由生成后的文中顺序决定。

一、模板由什么组成
1. 开头几页是宏：表格样式（“固定资产表”“收入决算表”……）和块标记的定义，生成报告时不输出。
   可以改其中表格的字体、边框、列宽和表头文字；不要改 {% … %} 标记。
2. 正文由固定文字和块标记组成。每个块标记单独占一段：
   {{p 文字("名称") }}      一段文字：生成的句子，或工作簿中的文字（可含小标题和用 [表:…] 放置的表格）
   {{p 文字("名称", 3) }}   同上，其中的小标题从“标题 3”开始（不写则用下表的默认级别）
   {{p 表格("名称") }}      一张编号的表格（表N）的默认位置；工作簿中用 [表:名称] 把它移到别处时，这里不出现
   {{p 附件("名称") }}      一个附件：“附件N”、附件标题和附件表格；工作簿中没有数据的附件不出现
   〔目录〕                 在这一段写目录（一、二级标题和不编号标题）
   〔附件列表〕             在这一段写“附件：”和各附件的标题，按附件在文中的顺序编号
3. 标题用样式“标题 1”至“标题 5”（Heading 1–5），不写编号：perfreport 按文中顺序编为
   一、 （一） 1. （1） ①；手工写的编号会被换成正确的编号。样式“不编号标题”不编号，列入目录（如“摘要”）。
4. 表格编号（表N）、正文中的 [表号:名称] 和 [附件号:名称]、附件编号，都按生成后的文中顺序给出。
5. 其他可用的名称：{{ title }} 报告标题，{{ unit }} 被评价单位，{{ short }} 单位简称，{{ year }} 评价年度，
   {{ agency }} 评价机构，{{ f.名称 }} 任一计算值或报告名称（见 README 的 Figures 和 Named sentences），
   cover.* 封面，overview.* 总览表，letter.* 呈报函（见默认模板中的用法）。

二、可以怎样改
- 移动章节：把一章（标题 1 段落和它下面直到下一个标题 1 的内容）整体剪切、粘贴到别处。
- 删除附件：删掉那一段 {{p 附件("名称") }}；附件列表和附件编号随之改变。
- 改固定文字（标题、封面、呈报函中的固定句子）：直接改。生成的句子在工作簿“文字”表中替换（章节 = 句子名称）。
- 增加章节或小节：加一个标题段落，在它下面写文字或放块标记。
- 改版式：修改样式（正文、标题 1……、表题、表格文字……）。
- 不要拆开或改动块标记中的字，不要只删 {%p if … %} 或 {%p endif %} 中的一个。出错时 perfreport 会说明是哪个块、在哪个标题之下。
- 模板的每一段、每个单元格里有一个隐藏书签（插入 → 书签 → 勾选“隐藏书签”可见，名称以 _prk 开头），报告靠它把
  编辑的修改带入重新生成的报告：改文字时保留它，不要删除或改名。新加的段落没有书签，按其文字识别。
- 每张有数据的表格都必须在报告中出现一次：删掉了它的 {{p 表格("…") }}，又没有在工作簿中用 [表:…] 放置，生成时会报错并指出这张表。
"""


def guide() -> str:
    """Return the guide: how the template works, and every name its blocks can use."""
    lines = [INTRO, "三、文字(…) 可用的名称（默认小标题级别，内容来源）"]
    lines += [f"   {t.name}{f'（小标题 {t.level} 级）' if t.level else ''}：{t.source}" for t in TEXTS]
    lines += ["", "四、表格(…) 可用的名称（默认位置，数据来源）"]
    lines += [f"   {t.name}：{t.place}；{t.source}" for t in TABLES]
    lines += ["", "五、附件(…) 可用的名称（数据来源）"]
    lines += [f"   {a.name}：{a.source}" for a in ATTACHMENTS]
    lines += ["", "六、生成的句子（工作簿“文字”表中章节为该名称的行替换它；{名称} 为计算值）"]
    lines += [f"   {w.name}：{w.default}" for w in WORDING]
    return "\n".join(lines) + "\n"


def guide_path(template: Path) -> Path:
    """Where the guide goes: beside the template, NAME.说明.txt."""
    return template.with_name(template.stem + ".说明.txt")


def write_template(path: Path | str, *, force: bool = False) -> tuple[Path, Path]:
    """Write the master template to `path` and its guide beside it; return both paths.

    Never overwrites an existing file unless `force` (the old one is kept as
    NAME.bak.docx); raises OutputError with a message for the user.
    """
    from .errors import OutputError
    from .render import template_path

    target = Path(path)
    if target.is_dir():
        target = target / template_path().name
    if target.suffix.lower() != ".docx":
        raise OutputError(f"{target.name}：模板应保存为 .docx 文件")
    notes = guide_path(target)
    check_target(target, force)
    check_target(notes, force)
    write_atomically(template_path().read_bytes(), target, force)
    write_atomically(guide().encode("utf-8"), notes, force)
    return target, notes
