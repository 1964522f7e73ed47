"""Views of the gradebook report: JSON (the issue's exact shape), a Chinese table, CSV, XLSX."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .policy import PRACTICAL_LABELS, THEORY_LABELS, overall_label


def json_view(report: dict) -> dict:
    """``{"trainees": [{"id", "name", "theory": {"attempts", "status"}, "practical": {"score", "status"},
    "chapters", "status"}]}`` — nothing more."""
    return {"trainees": [
        {
            "id": t["id"],
            "name": t["name"],
            "theory": {
                "attempts": [{k: a[k] for k in ("assignment", "score", "submitted_at")} for a in t["theory"]["attempts"]],
                "status": t["theory"]["status"],
            },
            "practical": {"score": t["practical"]["score"], "status": t["practical"]["status"]},
            "chapters": t["chapters"],
            "status": t["status"],
        }
        for t in report["trainees"]
    ]}


def to_json(report: dict) -> str:
    return json.dumps(json_view(report), ensure_ascii=False, indent=1)


def _fmt(x) -> str:
    return "" if x is None else f"{x:g}" if isinstance(x, (int, float)) else str(x)


def _attempt_cell(t: dict, i: int) -> str:
    atts = t["theory"]["attempts"]
    if len(atts) <= i:
        return ""
    a = atts[i]
    mark = "(待阅卷)" if a.get("needs_manual_grade") else ""
    if a.get("late"):
        mark += "(迟交)"
    return f"{_fmt(a['score'])}{mark}"


def summary_rows(report: dict) -> list[list[str]]:
    """The main sheet: one row per trainee, Chinese headers."""
    chapters = list(report["trainees"][0]["chapters"]) if report["trainees"] else []
    head = ["工号", "姓名", "班组", "理论首考", "首考时间", "理论补考", "补考时间", "理论状态",
            "实操得分", "实操状态", "章节完成", "结论"]
    rows = [head]
    for t in report["trainees"]:
        atts = t["theory"]["attempts"]
        done = sum(1 for c in t["chapters"].values() if c)
        rows.append([
            t["id"], t["name"], t.get("team", ""),
            _attempt_cell(t, 0), (atts[0]["submitted_at"] or "")[:16].replace("T", " ") if atts else "",
            _attempt_cell(t, 1), (atts[1]["submitted_at"] or "")[:16].replace("T", " ") if len(atts) > 1 else "",
            THEORY_LABELS[t["theory"]["status"]],
            _fmt(t["practical"]["score"]), PRACTICAL_LABELS[t["practical"]["status"]],
            f"{done}/{len(chapters)}", overall_label(t["status"]),
        ])
    return rows


def chapter_rows(report: dict) -> list[list[str]]:
    chapters = list(report["trainees"][0]["chapters"]) if report["trainees"] else []
    rows = [["工号", "姓名", *chapters]]
    for t in report["trainees"]:
        rows.append([t["id"], t["name"], *[
            "" if t["chapters"][c] is None else _fmt(t["chapters"][c]["percent"]) for c in chapters]])
    return rows


def item_rows(report: dict) -> list[list[str]]:
    rows = [["题目(评分单元)", "分值", "难度(得分率)", "区分度(高低 27%)", "点二列相关", "需要复查", "原因"]]
    for it in report["items"]:
        rows.append([it["question"], _fmt(it["points"]), _fmt(it["difficulty"]), _fmt(it["discrimination"]),
                     _fmt(it["point_biserial"]), "是" if it["weak"] else "", "、".join(it["reasons"])])
    return rows


# Columns a narrow terminal drops first (the rest: 工号, 姓名, 理论状态, 实操状态, 结论 always stay).
NAME_CELLS = 12  # a longer name is cut with … in the terminal (the files keep it whole)
DROP_FIRST = ["补考时间", "首考时间", "班组", "章节完成", "理论补考", "理论首考", "实操得分"]


def fit_columns(rows: list[list[str]], width: int) -> list[int]:
    """Indexes of the columns that fit in ``width`` terminal cells (CJK characters count double)."""
    from rich.cells import cell_len

    head = rows[0]
    need = [min(max(cell_len(str(r[i])) for r in rows), NAME_CELLS if i == 1 else 99) + 3
            for i in range(len(head))]  # + padding and border
    keep = list(range(len(head)))
    for name in DROP_FIRST:
        if sum(need[i] for i in keep) + 1 <= width:
            break
        if name in head:
            keep.remove(head.index(name))
    return keep


def table(report: dict, width: int | None = None) -> str:
    """A Chinese table that fits the terminal (``width`` cells; the terminal's own width by default):
    less important columns are left out on narrow screens, never wrapped into unreadable cells."""
    import shutil

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    width = width or shutil.get_terminal_size((120, 24)).columns
    rows = summary_rows(report)
    keep = fit_columns(rows, width)
    tab = Table(title=f"成绩册 · {report['cohort']['course_id']}", caption=None)
    for i in keep:
        if i == 1:
            tab.add_column(rows[0][i], no_wrap=True, max_width=NAME_CELLS, overflow="ellipsis")
        else:
            tab.add_column(rows[0][i], no_wrap=i == 0)
    for r in rows[1:]:
        tab.add_row(*[Text(str(r[i])) for i in keep])  # names are user text, never rich markup ("[/]")
    if len(keep) < len(rows[0]):
        dropped = [rows[0][i] for i in range(len(rows[0])) if i not in keep]
        tab.caption = f"终端较窄,未显示:{'、'.join(dropped)}(加宽窗口,或用 -f xlsx 查看全部)"
    buf = io.StringIO()
    Console(file=buf, width=width, force_terminal=False, no_color=True).print(tab)
    return buf.getvalue()


def to_csv(report: dict) -> str:
    from kefu.safe_export import csv_safe_rows

    buf = io.StringIO()
    csv.writer(buf).writerows(csv_safe_rows(summary_rows(report)))
    return buf.getvalue()


def write_csv(report: dict, path: Path) -> None:
    # utf-8-sig so Excel opens the Chinese text correctly
    path.write_text(to_csv(report), encoding="utf-8-sig")


def write_xlsx(report: dict, path: Path) -> None:
    """The Excel gradebook (:mod:`kefu.gradebook.xlsx`): numbers as numbers, filters, chapter names."""
    from .xlsx import write_xlsx as write

    write(report, path)
