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


def table(report: dict) -> str:
    """A plain Chinese table for the terminal (rich, if available)."""
    rows = summary_rows(report)
    try:
        from rich.console import Console
        from rich.table import Table

        tab = Table(title=f"成绩册 · {report['cohort']['course_id']}")
        for h in rows[0]:
            tab.add_column(h)
        for r in rows[1:]:
            tab.add_row(*r)
        buf = io.StringIO()
        Console(file=buf, width=200, force_terminal=False).print(tab)
        return buf.getvalue()
    except ImportError:  # pragma: no cover
        return "\n".join("\t".join(r) for r in rows) + "\n"


def to_csv(report: dict) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(summary_rows(report))
    return buf.getvalue()


def write_csv(report: dict, path: Path) -> None:
    # utf-8-sig so Excel opens the Chinese text correctly
    path.write_text(to_csv(report), encoding="utf-8-sig")


def write_xlsx(report: dict, path: Path) -> None:
    """An Excel workbook with a sheet per view: 总表, 理论考核, 章节进度, 试题分析, 说明."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    from kefu.seeds import load

    rules = load("exam.yml")
    wb = openpyxl.Workbook()
    bold = Font(bold=True)
    fills = {"certified": "C6EFCE", "retrain": "FFC7CE", "practical_failed": "FFEB9C"}

    def sheet(ws, rows, widths=None):
        for r in rows:
            ws.append(r)
        for c in ws[1]:
            c.font = bold
            c.alignment = Alignment(horizontal="center")
        ws.freeze_panes = "C2" if len(rows[0]) > 2 else "A2"
        for i, col in enumerate(ws.columns, start=1):
            width = max(len(str(c.value or "")) for c in col) * 1.8 + 2
            ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = min(max(width, 8), 40)

    ws = wb.active
    ws.title = "总表"
    sheet(ws, summary_rows(report))
    for row, t in zip(ws.iter_rows(min_row=2), report["trainees"]):
        color = fills.get(t["status"])
        if color:
            row[-1].fill = PatternFill("solid", fgColor=color)

    ws = wb.create_sheet("理论考核")
    rows = [["工号", "姓名", "考试", "得分", "提交时间", "待阅卷"]]
    for t in report["trainees"]:
        for a in t["theory"]["attempts"]:
            rows.append([t["id"], t["name"], a["assignment"], a["score"],
                         (a["submitted_at"] or "")[:16].replace("T", " "), "是" if a.get("needs_manual_grade") else ""])
    sheet(ws, rows)
    for r in ws.iter_rows(min_row=2):
        if isinstance(r[3].value, (int, float)) and r[3].value < rules.theory.pass_score:
            r[3].fill = PatternFill("solid", fgColor="FFC7CE")

    sheet(wb.create_sheet("章节进度"), chapter_rows(report))
    sheet(wb.create_sheet("试题分析"), item_rows(report))
    ws = wb.create_sheet("说明")
    for line in [
        [f"理论考核合格线 {rules.theory.pass_score:g} 分(满分 {rules.theory.total_points:g}),"
         f"{rules.theory.minutes} 分钟;未通过者可在 {rules.theory.retake_min_days} 天后补考 "
         f"{rules.theory.retakes_allowed} 次;{rules.theory.failed_retake_means}。"],
        [f"实操考核合格线 {rules.practical.pass_score:g} 分。理论与实操都通过 = {rules.certification.label}。"],
        ["章节进度为各章练习得分率(%);空白表示未提交。"],
        ["试题分析:难度 = 平均得分率;区分度 = 高分组(前 27%)与低分组(后 27%)得分率之差,低于 0.2 建议复查题目。"],
    ]:
        ws.append(line)
    ws.column_dimensions["A"].width = 110
    wb.save(path)
