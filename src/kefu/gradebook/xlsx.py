"""成绩册.xlsx: the gradebook as trainers use it in Excel or WPS.

Every score is a number cell (sorting, SUM and AVERAGE work without conversion); times are date
cells in the cohort's time zone; each table sheet has a frozen header and an autofilter; chapters
carry their names from course/course.yml; the practical exam shows its five rubric dimensions. Text
that came from people (names, teams, grader comments) goes through :mod:`kefu.safe_export`, so a
name such as ``=HYPERLINK(...)`` stays text. Sheets: 总表, 理论考核, 实操考核, 章节进度, 薄弱环节,
阅卷评语, 试题分析, 说明.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .policy import PRACTICAL_LABELS, THEORY_LABELS, overall_label

_RED, _GREEN, _YELLOW = "FFC7CE", "C6EFCE", "FFEB9C"


def _when(iso: str | None) -> dt.datetime | None:
    """An ISO time with offset -> a naive local datetime (Excel has no time zones)."""
    if not iso:
        return None
    return dt.datetime.fromisoformat(iso).replace(tzinfo=None)


def _yes(flag: bool) -> str:
    return "是" if flag else ""


def _weak_text(t: dict) -> str:
    w = t.get("weak_areas") or {}
    parts = [f"{x['topic']} {x['percent']:g}%" for x in w.get("topics", [])]
    parts += [f"{x['chapter']} {x['percent']:g}%" for x in w.get("chapters", [])]
    parts += [f"话术·{x['category']}×{x['count']}" for x in w.get("phrases", [])]
    return ";".join(parts)


def _summary_rows(report: dict) -> tuple[list, list[list]]:
    labels = report["cohort"].get("labels", {})
    head = ["工号", "姓名", "班组", "理论首考", "首考时间", "首考迟交", "理论补考", "补考时间", "理论状态",
            "实操得分", "实操状态", "待阅卷", "章节完成", "迟交作业", "结论", "薄弱环节"]
    rows = []
    for t in report["trainees"]:
        atts = t["theory"]["attempts"]
        a0 = atts[0] if atts else {}
        a1 = atts[1] if len(atts) > 1 else {}
        p = t["practical"]
        pending = any(a.get("needs_manual_grade") for a in atts) or p.get("needs_manual_grade") or any(
            c and c.get("needs_manual_grade") for c in t["chapters"].values())
        done = sum(1 for c in t["chapters"].values() if c)
        rows.append([
            t["id"], t["name"], t.get("team", ""),
            a0.get("score"), _when(a0.get("submitted_at")), _yes(a0.get("late", False)),
            a1.get("score"), _when(a1.get("submitted_at")),
            THEORY_LABELS[t["theory"]["status"]],
            p["score"], PRACTICAL_LABELS[p["status"]], _yes(bool(pending)), done,
            "、".join(labels.get(a, a) for a in t.get("late", [])), overall_label(t["status"]), _weak_text(t),
        ])
    return head, rows


def write_xlsx(report: dict, path: str | Path) -> None:
    """Written in openpyxl's write-only mode (streamed rows): 2,000 trainees in about a second."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from kefu.safe_export import is_formula_like, set_xlsx_value
    from kefu.seeds import load

    rules = load("exam.yml")
    labels = report["cohort"].get("labels", {})
    wb = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    fills = {c: PatternFill("solid", fgColor=c) for c in (_RED, _GREEN, _YELLOW)}
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def styled(ws, value, *, fmt: str | None = None, color: str | None = None, font=None, align=None):
        c = WriteOnlyCell(ws)
        set_xlsx_value(c, value)  # formula-like text stays text (kefu.safe_export)
        if fmt:
            c.number_format = fmt
        if color:
            c.fill = fills[color]
        if font:
            c.font = font
        if align:
            c.alignment = align
        return c

    def table(title: str, head: list, rows: list[list], *, above: list | None = None, freeze_cols: int = 2,
              widths: dict | None = None, color=None):
        """A sheet: optional lines above, a bold header, then the rows; frozen header and id/name
        columns, an autofilter over the table. ``color(row, col, value)`` may return a fill colour."""
        ws = wb.create_sheet(title)
        for i, h in enumerate(head, start=1):
            sample = [h, *[r[i - 1] for r in rows[:200]]]
            width = max(16 if isinstance(v, dt.datetime) else len(str(v)) for v in sample if v is not None)
            width = (widths or {}).get(h, width * 1.7 + 2)
            ws.column_dimensions[get_column_letter(i)].width = min(max(width, 7), 60)
        top = 1 + len(above or [])
        ws.freeze_panes = f"{get_column_letter(freeze_cols + 1)}{top + 1}"
        ws.auto_filter.ref = f"A{top}:{get_column_letter(len(head))}{top + max(len(rows), 1)}"
        for line in above or []:
            ws.append([styled(ws, line, color=_RED, font=Font(bold=True, color="9C0006"))])
        ws.append([styled(ws, h, font=bold, align=center) for h in head])
        formats = ["yyyy-mm-dd hh:mm" if "时间" in str(h) else None for h in head]
        for r_i, row in enumerate(rows):
            out = []
            for c_i, v in enumerate(row):
                col = color(r_i, c_i, v) if color else None
                if col or formats[c_i] or (isinstance(v, str) and is_formula_like(v)):
                    out.append(styled(ws, v, fmt=formats[c_i] if v is not None else None, color=col))
                else:
                    out.append(v)
            ws.append(out)
        return ws

    # 总表
    head, rows = _summary_rows(report)
    status_col = head.index("结论")
    lines = {head.index("理论首考"): rules.theory.pass_score, head.index("理论补考"): rules.theory.pass_score,
             head.index("实操得分"): rules.practical.pass_score}
    status_fill = {"certified": _GREEN, "retrain": _RED, "practical_failed": _YELLOW, "practice_pending": _YELLOW}
    statuses = [t["status"] for t in report["trainees"]]

    def summary_color(r: int, c: int, v):
        if c == status_col:
            return status_fill.get(statuses[r])
        if c in lines and isinstance(v, (int, float)) and v < lines[c]:
            return _RED
        return None

    table("总表", head, rows, widths={"薄弱环节": 50, "迟交作业": 24}, color=summary_color)

    # 理论考核: one row per attempt
    head = ["工号", "姓名", "考试", "得分", "提交时间", "迟交", "待阅卷"]
    rows = [[t["id"], t["name"], labels.get(a["assignment"], a["assignment"]), a["score"],
             _when(a["submitted_at"]), _yes(a.get("late", False)), _yes(a.get("needs_manual_grade", False))]
            for t in report["trainees"] for a in t["theory"]["attempts"]]
    table("理论考核", head, rows, color=lambda r, c, v: _RED if c == 3 and isinstance(v, (int, float))
          and v < rules.theory.pass_score else None)

    # 实操考核: the five dimensions (points; the dimension's maximum in the header)
    dims = report["cohort"].get("dimensions", [])
    maxima: dict[str, float] = {}
    for t in report["trainees"]:
        for name, d in t["practical"].get("dimensions", {}).items():
            maxima[name] = max(maxima.get(name, 0.0), d["max_score"] or 0.0)
    head = ["工号", "姓名", "班组", "实操得分", *[f"{d['name']}({maxima.get(d['name'], 0):g}分)" for d in dims],
            "实操状态", "待阅卷", "迟交"]
    rows = [[t["id"], t["name"], t.get("team", ""), t["practical"]["score"],
             *[(t["practical"].get("dimensions", {}).get(d["name"]) or {}).get("score") for d in dims],
             PRACTICAL_LABELS[t["practical"]["status"]], _yes(t["practical"].get("needs_manual_grade", False)),
             _yes(t["practical"].get("late", False))]
            for t in report["trainees"] if t["practical"]["status"] != "not_taken"]
    table("实操考核", head, rows, color=lambda r, c, v: _RED if c == 3 and isinstance(v, (int, float))
          and v < rules.practical.pass_score else None)

    # 章节进度: chapter names as headers, percent as numbers
    chapters = report["cohort"].get("chapters") or (list(report["trainees"][0]["chapters"]) if report["trainees"] else [])
    head = ["工号", "姓名", *[f"{labels.get(c, c)}(%)" for c in chapters]]
    rows = [[t["id"], t["name"], *[(t["chapters"].get(c) or {}).get("percent") for c in chapters]]
            for t in report["trainees"]]
    table("章节进度", head, rows)

    # 薄弱环节: one row per weak area, so a trainer can filter by topic or category
    head = ["工号", "姓名", "班组", "类别", "薄弱环节", "得分率(%)", "次数"]
    rows = []
    for t in report["trainees"]:
        w = t.get("weak_areas") or {}
        rows += [[t["id"], t["name"], t.get("team", ""), "理论主题", x["topic"], x["percent"], None]
                 for x in w.get("topics", [])]
        rows += [[t["id"], t["name"], t.get("team", ""), "章节练习", x["chapter"], x["percent"], None]
                 for x in w.get("chapters", [])]
        rows += [[t["id"], t["name"], t.get("team", ""), "话术类别", x["category"], None, x["count"]]
                 for x in w.get("phrases", [])]
    table("薄弱环节", head, rows)

    # 阅卷评语
    head = ["工号", "姓名", "作业", "题目", "评语"]
    rows = [[t["id"], t["name"], c["label"], c["question"], c["comment"]]
            for t in report["trainees"] for c in t.get("comments", [])]
    table("阅卷评语", head, rows, widths={"评语": 60})

    # 试题分析: question text and topic; a visible warning above the table when the sample is small
    note = report["cohort"].get("item_sample") or {}
    head = ["题号", "题目", "题型", "主题", "分值", "人数", "难度(得分率)", "区分度(高低组之差)", "点二列相关",
            "需要复查", "原因", "仅供参考(样本不足)"]
    rows = [[it.get("qid", it["question"]), it.get("text") or it["question"], it.get("kind", ""),
             it.get("topic", ""), it["points"], it.get("n"), it["difficulty"], it["discrimination"],
             it["point_biserial"], _yes(it["weak"]), "、".join(it["reasons"]), "、".join(it.get("hints", []))]
            for it in report["items"]]
    table("试题分析", head, rows, above=["⚠ " + note["warning"]] if note.get("warning") else None,
          widths={"题目": 60}, color=lambda r, c, v: _RED if c == 9 and v else None)

    ws = wb.create_sheet("说明")
    ws.column_dimensions["A"].width = 120
    ia = rules.item_analysis
    for line in [
        f"理论考核合格线 {rules.theory.pass_score:g} 分(满分 {rules.theory.total_points:g}),"
        f"{rules.theory.minutes} 分钟;未通过者可在 {rules.theory.retake_min_days} 天后补考 "
        f"{rules.theory.retakes_allowed} 次;{rules.theory.failed_retake_means}。迟交的考试记 0 分。",
        f"实操考核合格线 {rules.practical.pass_score:g} 分,五个维度按评分标准打分。"
        f"理论与实操都通过 = {rules.certification.label}。",
        "所有分数都是数字单元格,可直接排序、筛选、求和、求平均;每张表第一行可筛选。",
        "章节进度为各章练习得分率(%),空白表示未提交。",
        f"薄弱环节:理论考试(补考者看补考)某一主题或某章练习得分率低于 {100 * ia.weak_area_ratio:g}%;"
        "话术类别为学员作答中出现的禁用语类别。",
        f"试题分析:难度 = 平均得分率;区分度 = 高分组(前 {100 * ia.group_share:g}%)与低分组(后 "
        f"{100 * ia.group_share:g}%)得分率之差,低于 {ia.min_discrimination:g} 建议复查;首考人数少于 "
        f"{ia.min_candidates} 人时不标记任何题目(样本量不足)。",
    ]:
        ws.append([line])
    wb.save(path)
