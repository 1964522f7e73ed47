"""The grader's guide: for each manually graded item of an assignment, the key points, the model
answer, score bands and common point losses, as one Chinese HTML page that opens beside formgrader.

Why not inside formgrader: nbgrader 0.9's formgrader loads its Jinja templates from one fixed folder
(``FileSystemLoader([handlers.template_path])`` in ``formgrader.py``), with no setting for extra
template paths; overriding it would mean patching nbgrader's package. The guide is therefore a file
(``kefu grading-guide``), written only outside the folders trainees can reach (release/, feedback/,
the exchange, trainee homes).

Sources: ``<keys_dir>/<assignment>.yml`` (``manual``: model answers, key points, rubric criteria;
``scenarios`` of the practical exam; ``grading`` for the autograded ticket points),
``seeds/practical_rubric.yml`` (dimensions, weights, what to look for, common losses) and
``seeds/exam.yml`` (``grading_bands``). With a cohort and a trainee, the practical's 系统操作 line
shows the trainee's ticket points and the running dimension total from the gradebook.
"""
from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .style import PHONE_CSS


class GuideError(Exception):
    """Cannot build or write the guide (Chinese message naming the file)."""


@dataclass
class GuideItem:
    grade_id: str
    title: str
    points: float
    question: str = ""
    model_answer: str = ""
    key_points: list[str] = field(default_factory=list)
    look_for: list[str] = field(default_factory=list)
    common_losses: list[str] = field(default_factory=list)
    note: str = ""  # e.g. how 系统操作 adds up
    bands: list[tuple[str, float, float, str]] = field(default_factory=list)  # label, low, high, meaning


@dataclass
class Guide:
    assignment: str
    title: str
    items: list[GuideItem]
    rules: list[str] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    student: str | None = None
    student_lines: list[str] = field(default_factory=list)


def default_keys_dir() -> Path:
    from kefu.seeds import seeds_dir

    return seeds_dir().parent / "assignments" / "_keys"


def keys_dir_of(course: Path | None) -> Path:
    """The keys folder a cohort grades with (``c.TrustedScore.keys_dir``), else the kit's own."""
    if course is not None:
        from kefu.cohort.config import load_config

        cfg = load_config(course)
        kd = cfg.TrustedScore.get("keys_dir") if "TrustedScore" in cfg else None
        if kd:
            return Path(str(kd))
    return default_keys_dir()


def load_keys(keys_dir: Path, assignment: str) -> dict[str, Any]:
    import yaml

    path = keys_dir / f"{assignment}.yml"
    if not path.is_file():
        known = sorted(p.stem for p in keys_dir.glob("*.yml"))
        raise GuideError(f"{path}: 找不到作业 {assignment} 的答案文件(已有:{'、'.join(known) or '无'})")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise GuideError(f"{path}: 答案文件无法读取({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise GuideError(f"{path}: 答案文件格式不对(应是映射)")
    return data


def _question_texts(keys_dir: Path, assignment: str) -> dict[str, str]:
    """``grade_id`` of each ``<qid>-text`` markdown cell → its text (from the source notebook)."""
    nb_path = keys_dir.parent / assignment / f"{assignment}.ipynb"
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for cell in nb.get("cells", []):
        gid = ((cell.get("metadata") or {}).get("nbgrader") or {}).get("grade_id", "")
        if gid.endswith("-text"):
            src = cell.get("source", "")
            out[gid[: -len("-text")]] = "".join(src) if isinstance(src, list) else src
    return out


def _bands(points: float) -> list[tuple[str, float, float, str]]:
    from kefu.seeds import load

    gb = load("exam.yml").grading_bands
    if gb is None:
        return []
    out = []
    high = points
    for b in gb.bands:
        low = round(b.min_share * points, 1)
        out.append((b.label, low, high, b.meaning))
        high = low
    return out


def _system_operation_note(grading: dict[str, Any], dim_weight: float, manual_points: float) -> str:
    auto = sum(float(e.get("points", 0)) for e in grading.values())
    return (f"本维度共 {dim_weight:g} 分 = 工单自动评分 {auto:g} 分({len(grading)} 张工单,交卷后已评)"
            f" + 培训师评分 {manual_points:g} 分。在 formgrader 里只给这 {manual_points:g} 分。")


def build(assignment: str, keys_dir: Path | None = None, course: Path | None = None,
          student: str | None = None) -> Guide:
    from kefu.seeds import load

    keys_dir = keys_dir or keys_dir_of(course)
    keys = load_keys(keys_dir, assignment)
    manual = keys.get("manual") or {}
    if not manual:
        raise GuideError(f"作业 {assignment} 没有需要人工评分的题目,不需要批改指南")
    texts = _question_texts(keys_dir, assignment)
    exam = load("exam.yml")
    rules: list[str] = []
    items: list[GuideItem] = []
    if keys.get("kind") == "practical":
        rubric = load("practical_rubric.yml")
        title = "实操考核(模拟通话)批改指南"
        rules += [rubric.scale, rubric.pass_rule.rule]
        for d in rubric.dimensions:
            gid = f"rubric-{d.id}"
            entry = manual.get(gid)
            if entry is None:
                continue
            pts = float(entry.get("points", 0))
            item = GuideItem(gid, f"{d.name}(权重 {d.weight:g}%,培训师评分 {pts:g} 分)", pts,
                             question=d.measures, look_for=list(d.look_for),
                             common_losses=[c if isinstance(c, str) else c.text for c in d.common_losses],
                             bands=_bands(pts))
            if abs(pts - d.weight) > 1e-9:
                item.note = _system_operation_note(keys.get("grading") or {}, d.weight, pts)
            items.append(item)
        scenarios = list(keys.get("scenarios") or [])
    else:
        title = f"{assignment} 简答题批改指南"
        gb = exam.grading_bands
        if gb is not None:
            rules.append(gb.short_answer_rule)
        for qid, entry in manual.items():
            pts = float(entry.get("points", 0))
            items.append(GuideItem(qid, f"第 {qid.lstrip('q').lstrip('0')} 题({pts:g} 分)", pts,
                                   question=_strip_md(texts.get(qid, "")),
                                   model_answer=str(entry.get("model_answer", "")),
                                   key_points=[str(k) for k in entry.get("key_points") or []],
                                   bands=_bands(pts)))
        scenarios = []
    guide = Guide(assignment, title, items, rules, scenarios)
    if student is not None:
        if course is None:
            raise GuideError("指定 --student 时也要用 --course 指定培训班文件夹")
        guide.student = student
        guide.student_lines = student_lines(course, assignment, student, keys)
    return guide


def _strip_md(text: str) -> str:
    return text.replace("**", "").strip()


def student_lines(course: Path, assignment: str, student: str, keys: dict[str, Any]) -> list[str]:
    """The trainee's autograded and manual points so far (e.g. 系统操作 = tickets + grader), from the gradebook."""
    from kefu.grading.freshness import notebook_grades

    grades = notebook_grades(course, assignment, student)
    if grades is None:
        raise GuideError(f"学员 {student} 的 {assignment} 还没有自动评分的提交")
    lines = []
    auto_ids = list((keys.get("grading") or {}).keys())
    if keys.get("kind") == "practical":
        auto = sum(grades[g]["score"] or 0 for g in auto_ids if g in grades)
        auto_max = sum(grades[g]["max_score"] for g in auto_ids if g in grades)
        so = grades.get("rubric-system-operation")
        manual = so["manual_score"] if so else None
        total = auto + (manual or 0)
        shown = f"{manual:g}" if manual is not None else "(尚未评分)"
        lines.append(f"系统操作:工单自动评分 {auto:g}/{auto_max:g} + 培训师评分 {shown} = {total:g}/"
                     f"{auto_max + (so['max_score'] if so else 0):g}")
    return lines


# ----------------------------------------------------------------------------- HTML

def _e(text: Any) -> str:
    return html.escape(str(text))


def _ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>" if items else ""


def render(guide: Guide) -> str:
    parts = [f"<h1>{_e(guide.title)}</h1>",
             "<p>仅供阅卷人使用:含参考答案和评分要点,不要发给学员,也不要放进 release、feedback 或交换文件夹。</p>"]
    if guide.student:
        parts.append(f"<h2>学员 {_e(guide.student)}</h2>" + _ul(guide.student_lines))
    if guide.rules:
        parts.append("<h2>评分规则</h2>" + _ul(guide.rules))
    for it in guide.items:
        sec = [f'<section class="guide-item" id="{_e(it.grade_id)}"><h2>{_e(it.title)}</h2>',
               f"<p>formgrader 中的评分格:<code>{_e(it.grade_id)}</code></p>"]
        if it.question:
            sec.append(f"<p><b>题目 / 考察内容:</b>{_e(it.question)}</p>")
        if it.note:
            sec.append(f"<p><b>总分怎么算:</b>{_e(it.note)}</p>")
        if it.key_points:
            share = it.points / len(it.key_points)
            sec.append(f"<p><b>评分要点</b>(每点约 {share:.1f} 分):</p>" + _ul(it.key_points))
        if it.model_answer:
            sec.append(f"<p><b>参考答案:</b>{_e(it.model_answer)}</p>")
        if it.look_for:
            sec.append("<p><b>评分时看什么:</b></p>" + _ul(it.look_for))
        if it.common_losses:
            sec.append("<p><b>常见失分项:</b></p>" + _ul(it.common_losses))
        if it.bands:
            rows = "".join(f"<tr><td>{_e(lbl)}</td><td>{lo:g}–{hi:g}</td><td>{_e(m)}</td></tr>"
                           for lbl, lo, hi, m in it.bands)
            sec.append('<table class="kefu"><tr><th>档次</th><th>分数</th><th>表现</th></tr>' + rows + "</table>")
        sec.append("</section>")
        parts.append("".join(sec))
    if guide.scenarios:
        parts.append("<h2>本卷的来电场景(培训师扮演客户)</h2>")
        for sc in guide.scenarios:
            parts.append(f"<h3>第 {_e(sc.get('call', ''))} 通:{_e(sc.get('title', ''))}</h3>"
                         f"<p>{_e(sc.get('customer', ''))}</p><p><b>客户诉求:</b>{_e(sc.get('goal', ''))}</p>"
                         "<p><b>台词:</b></p>" + _ul([str(x) for x in sc.get("trainer_script") or []])
                         + "<p><b>好的处理:</b></p>" + _ul([str(x) for x in sc.get("good_call") or []]))
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(guide.title)}</title><style>{PHONE_CSS}</style></head><body>"
            + "\n".join(parts) + "</body></html>\n")


# ----------------------------------------------------------------------------- where it may be written

def trainee_reachable(course: Path) -> list[Path]:
    """Folders of a cohort that trainees (or the exchange) can reach: the guide is never written there."""
    from kefu.cohort.config import load_config

    cfg = load_config(course)
    cd = cfg.get("CourseDirectory", {})
    out = [course / cd.get("release_directory", "release"), course / cd.get("feedback_directory", "feedback"),
           course / "trainees", course / "exchange"]
    root = cfg.get("Exchange", {}).get("root")
    if root:
        out.append(Path(str(root)))
    return [p.resolve() for p in out]


def check_output(out: Path, course: Path | None = None) -> Path:
    """``out`` resolved, or GuideError when trainees could reach it or it is not an .html file."""
    out = Path(out).resolve()
    if course is not None:
        for folder in trainee_reachable(Path(course).resolve()):
            if out == folder or folder in out.parents:
                raise GuideError(f"{out}: 批改指南含参考答案,不能写到学员能拿到的文件夹 {folder} 里;请换一个位置")
    if out.suffix.lower() not in (".html", ".htm"):
        raise GuideError(f"{out}: 批改指南是 HTML 文件,请用 .html 结尾的文件名")
    return out


def write(guide: Guide, out: Path, course: Path | None = None) -> Path:
    out = check_output(out, course)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(render(guide), encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        raise GuideError(f"{out}: 无法写入({exc.strerror or exc})") from None
    return out
