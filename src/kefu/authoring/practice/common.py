"""Cell helpers for the practice notebooks: objectives, drills, recap, seed-derived lists."""
from __future__ import annotations

from kefu.authoring import cells


def src(source) -> str:
    if isinstance(source, (list, tuple)):
        return "、".join(f"`{s}`" for s in source)
    return f"`{source}`" if source else ""


def md(key: str, text: str):
    return cells.markdown(text.strip("\n"), grade_id=f"practice:{key}")


def objectives_cell(chapter):
    goals = "\n".join(f"- {o}" for o in chapter.objectives)
    return md(f"{chapter.id}:objectives", f"""
# 第 {chapter.number} 章 {chapter.title}

> 课程安排:{chapter.day}。先运行上面那一格(点它,按 **Shift + Enter**),再从上往下阅读、练习。

## 学完本章,你能够
{goals}
""")


def drill(chapter, key: str, intro: str, code: str):
    """An explanation cell and the code cell that shows the drill."""
    return [
        md(f"{chapter.id}:drill:{key}", f"### 练习:{intro}"),
        cells.code(code, key=f"{chapter.id}:drill:{key}"),
    ]


def recap_cell(chapter, points: list[str]):
    items = "\n".join(f"{i}. {p}" for i, p in enumerate(points, 1))
    return md(f"{chapter.id}:recap", f"""
## 本章小结
{items}

**下一步:** 完成本章作业 `{chapter.assignment_id}`(在作业页面里获取),作业会自动评分并给出解析。
""")


def rules_table(rules, ids: list[str] | None = None) -> str:
    """A markdown table of service rules (seeds/service_rules.yml)."""
    rows = ["| 规范 | 要求 | 来源 |", "|---|---|---|"]
    for r in rules:
        if ids and r.id not in ids:
            continue
        origin = f"本套件规定(参考 {src(r.source)})" if getattr(r, "assumed", False) else src(r.source)
        rows.append(f"| {r.title} | {r.rule} | {origin} |")
    return "\n".join(rows)


def group_table(group_id: str, *, numbered: bool | None = None, examples: bool = True) -> str:
    """A markdown table of one group of seeds/communication.yml, with its source."""
    from kefu.seeds import load

    g = load("communication.yml").group(group_id)
    numbered = g.ordered if numbered is None else numbered
    show_ex = examples and all(i.example for i in g.items)  # a column only when every item has one
    head = ("| 步骤 " if numbered else "") + "| 要点 | 做法 |" + (" 例子 |" if show_ex else "")
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    for n, i in enumerate(g.items, 1):
        detail = i.detail if show_ex or not (examples and i.example) else f"{i.detail}例如:{i.example}"
        row = (f"| {n} " if numbered else "") + f"| **{i.name}** | {detail} |"
        rows.append(row + (f" {i.example} |" if show_ex else ""))
    rows.append("")
    rows.append(f"(来源:{src(g.source)})")
    return "\n".join(rows)


def group_names(group_id: str, sep: str = "、") -> str:
    """The item names of one group of seeds/communication.yml, joined."""
    from kefu.seeds import load

    return sep.join(i.name for i in load("communication.yml").group(group_id).items)


def workplace_section(key: str, heading: str, area: str, intro: str = "") -> "dict":
    """A lesson cell showing every topic of one area of seeds/workplace.yml, with its source."""
    from kefu.seeds import load

    parts = [f"## {heading}", intro.strip()] if intro.strip() else [f"## {heading}"]
    for t in load("workplace.yml").area(area):
        points = "\n".join(f"- {p}" for p in t.points)
        own = "(本套件规定)" if t.assumed else ""
        parts.append(f"**{t.title}**{own}(来源:{src(t.source)})\n\n{points}")
    return md(key, "\n\n".join(parts))
