"""Feedback that teaches: an nbconvert preprocessor for nbgrader's ``GenerateFeedback``.

Placed last in ``GenerateFeedback.preprocessors`` (after GetGrades, HideHiddenTests, SanitizeOutputs and
CSSHTMLHeaderPreprocessor; see :data:`kefu.autograde.pipeline.FEEDBACK`), it adds, in Chinese:

- a summary at the top: total (a late exam counts 0), 通过/未通过 against seeds/exam.yml, for the
  practical each dimension's name, score and grader comment (系统操作 = tickets + grader), weak topics
  and what to do next (chapter to revisit, the retake's date from the gradebook in the cohort's time zone);
- after every graded cell a verdict line: 正确 / 部分得分 / 不正确 with points, the topic and chapter to
  revisit (from seeds/question_bank.yml and course/course.yml), and the grader's comment.
  The "why" of an autograded question is the trusted marking explanation already in the cell's output
  (for a phrase question: the rule that fired and the recommended line).

Nothing here reads an answer: no correct option, key point or model answer is written (the keys file
is read only for the question → question-bank id map). The grades fingerprint
(:mod:`kefu.grading.freshness`) is stamped on the summary so stale feedback can be found.
Every dynamic text is HTML-escaped.
"""
from __future__ import annotations

import datetime as dt
import html
from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_markdown_cell
from traitlets import Bool, Unicode

from .freshness import FINGERPRINT_ATTR, fingerprint_notebook
from .style import PHONE_CSS


def _e(x: Any) -> str:
    return html.escape(str(x))


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


class TeachingFeedback(Preprocessor):  # type: ignore[misc]
    enabled = Bool(True).tag(config=True)
    keys_dir = Unicode("", help="instructor keys folder (default: TrustedScore.keys_dir)").tag(config=True)

    # ----------------------------------------------------------------------------- lookups
    def _keys(self, assignment: str) -> dict[str, Any]:
        import yaml
        from pathlib import Path

        kd = self.keys_dir or self.config.TrustedScore.get("keys_dir", "")
        if not kd:
            from kefu.grading.guide import default_keys_dir

            kd = str(default_keys_dir())
        try:
            data = yaml.safe_load((Path(kd) / f"{assignment}.yml").read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _chapter_of_entries(entries: list[str]) -> str:
        from kefu.course import load_course

        for ch in load_course().chapters:
            if set(entries) & set(ch.teaches):
                return f"第 {ch.number} 章 {ch.title}"
        return ""

    def _tz(self):
        from zoneinfo import ZoneInfo

        name = self.config.NbGraderAPI.get("timezone", "") or "Asia/Shanghai"
        try:
            return ZoneInfo(str(name))
        except Exception:  # noqa: BLE001
            return ZoneInfo("Asia/Shanghai")

    # ----------------------------------------------------------------------------- main
    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        from nbgrader.api import Gradebook, MissingEntry

        from kefu.seeds import load

        info = resources.get("nbgrader", {})
        assignment, student, notebook = info.get("assignment"), info.get("student"), info.get("notebook")
        with Gradebook(info["db_url"]) as gb:
            try:
                sub_nb = gb.find_submission_notebook(notebook, assignment, student)
            except MissingEntry:
                return nb, resources
            fp = fingerprint_notebook(sub_nb)
            grades = {g.name: g for g in sub_nb.grades}
            comments = {c.name: c.comment for c in sub_nb.comments}
            late = (sub_nb.assignment.total_seconds_late or 0) > 0
            retake_due = None
            exam = load("exam.yml")
            try:
                retake_due = gb.find_assignment(exam.theory.retake_assignment_id).duedate
            except MissingEntry:
                pass
            attempts_before = 0
            if assignment == exam.theory.retake_assignment_id:
                attempts_before = 1
            rows = self._rows(nb, grades, comments, assignment)
        keys = self._keys(assignment)
        summary = self._summary(assignment, keys, grades, comments, rows, late, retake_due, attempts_before)
        # summary cell first (after a title cell if any), verdict lines after each graded cell
        new_cells = []
        for cell in nb.cells:
            new_cells.append(cell)
            gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
            if gid in rows and rows[gid]["line"]:
                new_cells.append(new_markdown_cell(rows[gid]["line"]))
        nb.cells = [new_markdown_cell(f'<div class="kefu-summary {summary[1]}" {FINGERPRINT_ATTR}="{fp}">'
                                      + summary[0] + "</div>"), *new_cells]
        resources.setdefault("inlining", {}).setdefault("css", []).append(PHONE_CSS)
        return nb, resources

    def _rows(self, nb: Any, grades: dict[str, Any], comments: dict[str, Any], assignment: str) -> dict[str, Any]:
        keys = self._keys(assignment)
        test_to_q = {t: q for q, t in (keys.get("tests") or {}).items()}
        qbank = {}
        if keys.get("questions"):
            from kefu.seeds import load

            qbank = {q.id: q for q in load("question_bank.yml").questions}
        rows: dict[str, Any] = {}
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader") or {}
            gid = meta.get("grade_id")
            if gid not in grades:
                continue
            g = grades[gid]
            qid = test_to_q.get(gid, gid)
            bank = qbank.get((keys.get("questions") or {}).get(qid, ""))
            score, pts = g.score, g.max_score
            pending = g.needs_manual_grade
            if pending:
                verdict, cls = "待评分", "kefu-part"
            elif pts and score >= pts - 1e-9:
                verdict, cls = "正确" if not meta.get("task") else "满分", "kefu-ok"
            elif score and score > 0:
                verdict, cls = "部分得分", "kefu-part"
            else:
                verdict, cls = "不正确" if not meta.get("task") else "未得分", "kefu-bad"
            title = f"第 {int(qid[1:])} 题" if qid[:1] == "q" and qid[1:].isdigit() else ""
            if qid.startswith("ticket") and qid[6:].isdigit():
                title = f"第 {int(qid[6:])} 通工单"
            bits = [f'<span class="{cls}"><b>{_e(title or "本题")}:{verdict}</b>'
                    f"({_fmt(None if pending else score)}/{_fmt(pts)} 分)</span>"]
            topic = chapter = ""
            if bank is not None:
                topic = bank.topic
                chapter = self._chapter_of_entries(list(bank.examines))
                if verdict not in ("正确",):
                    bits.append(f"考点:{_e(topic)}" + (f";复习:{_e(chapter)}" if chapter else ""))
            comment = comments.get(gid)
            if comment:
                bits.append(f"阅卷人评语:{_e(comment)}")
            rows[gid] = {"score": None if pending else score, "points": pts, "topic": topic,
                         "chapter": chapter, "task": bool(meta.get("task")), "comment": comment,
                         "line": "" if meta.get("task") else '<p class="kefu-why">' + " · ".join(bits) + "</p>"}
        return rows

    def _summary(self, assignment: str, keys: dict[str, Any], grades: dict[str, Any], comments: dict[str, Any],
                 rows: dict[str, Any], late: bool, retake_due: Any, attempts_before: int) -> tuple[str, str]:
        from kefu.seeds import load

        exam = load("exam.yml")
        pending = any(r["score"] is None for r in rows.values())
        total = sum(r["score"] or 0 for r in rows.values())
        max_total = sum(r["points"] or 0 for r in rows.values())
        shown_total = 0.0 if late else total
        parts = []
        kind = keys.get("kind")
        is_theory = assignment in (exam.theory.assignment_id, exam.theory.retake_assignment_id)
        is_practical = assignment == exam.practical.assignment_id
        pass_score = exam.theory.pass_score if is_theory else exam.practical.pass_score if is_practical else None
        if pending:
            verdict, cls = "成绩待定:还有题目在人工评分中", "kefu-part"
        elif pass_score is None:
            verdict, cls = f"得分 {shown_total:g}/{max_total:g}", "kefu-pass"
        elif shown_total >= pass_score:
            verdict, cls = "通过", "kefu-pass"
        else:
            verdict, cls = "未通过", "kefu-fail"
        parts.append(f'<p class="kefu-verdict">{_e(verdict)}</p>')
        line = f"总分 {shown_total:g}/{max_total:g}"
        if pass_score is not None:
            line += f",合格线 {pass_score:g} 分"
        parts.append(f"<p>{_e(line)}</p>")
        if late:
            parts.append(f"<p class=\"kefu-bad\">超过截止时间提交,按考试规则记 0 分(原始得分 {total:g})。</p>")
        if kind == "practical" or is_practical:
            parts.append(self._dimension_table(keys, grades, comments, rows))
        weak = self._weak(rows, exam.item_analysis.weak_area_ratio)
        if weak:
            parts.append("<p><b>需要加强:</b></p><ul>" + "".join(f"<li>{_e(w)}</li>" for w in weak) + "</ul>")
        nxt = self._next_step(verdict, is_theory, is_practical, attempts_before, retake_due, weak, exam)
        if nxt:
            parts.append(f"<p><b>下一步:</b>{_e(nxt)}</p>")
        return "".join(parts), cls

    def _dimension_table(self, keys: dict[str, Any], grades: dict[str, Any], comments: dict[str, Any],
                         rows: dict[str, Any]) -> str:
        from kefu.seeds import load

        auto_ids = list((keys.get("grading") or {}).keys())
        auto = sum(rows[g]["score"] or 0 for g in auto_ids if g in rows)
        auto_max = sum(rows[g]["points"] or 0 for g in auto_ids if g in rows)
        out = ['<table class="kefu"><tr><th>维度</th><th>得分</th><th>阅卷人评语</th></tr>']
        for d in load("practical_rubric.yml").dimensions:
            gid = f"rubric-{d.id}"
            r = rows.get(gid)
            if r is None:
                continue
            score, pts = r["score"], r["points"] or 0
            note = ""
            if abs(pts - d.weight) > 1e-9:  # 系统操作: the grader's part plus the autograded tickets
                score = None if score is None else round(score + auto, 2)
                pts = pts + auto_max
                note = f"(含工单 {round(auto, 2):g}/{auto_max:g})"
            out.append(f"<tr><td>{_e(d.name)}</td><td>{_fmt(score)}/{pts:g}{_e(note)}</td>"
                       f"<td>{_e(r['comment'] or '')}</td></tr>")
        out.append("</table>")
        return "".join(out)

    @staticmethod
    def _weak(rows: dict[str, Any], ratio: float) -> list[str]:
        """Topics scored below ``ratio``, each with the chapters of the questions lost in it."""
        by: dict[str, list[Any]] = {}
        for r in rows.values():
            if r["topic"] and r["score"] is not None and r["points"]:
                s = by.setdefault(r["topic"], [0.0, 0.0, []])
                s[0] += r["score"]
                s[1] += r["points"]
                if r["score"] < r["points"] and r["chapter"] and r["chapter"] not in s[2]:
                    s[2].append(r["chapter"])
        out = []
        for topic, (s, p, chapters) in sorted(by.items()):
            if p and s / p < ratio:
                chapters = sorted(chapters, key=lambda c: int(c.split()[1]) if c.split()[1].isdigit() else 0)
                out.append(f"{topic}:得分 {s:g}/{p:g}({s / p:.0%})" + (f",复习{'、'.join(chapters)}" if chapters else ""))
        return out

    def _next_step(self, verdict: str, is_theory: bool, is_practical: bool, attempts_before: int,
                   retake_due: Any, weak: list[str], exam: Any) -> str:
        if verdict != "未通过":
            return "" if verdict.startswith("成绩待定") else "继续保持;按培训计划进入下一环节。"
        if is_theory:
            if attempts_before >= exam.theory.retakes_allowed:
                return exam.theory.failed_retake_means + "。"
            when = ""
            if retake_due is not None:
                start = retake_due - dt.timedelta(minutes=exam.theory.minutes)
                local = start.replace(tzinfo=dt.timezone.utc).astimezone(self._tz())
                when = f"补考时间:{local:%Y-%m-%d %H:%M}({local.tzname() or ''},{exam.theory.minutes} 分钟)。"
            else:
                when = f"补考在首次考试 {exam.theory.retake_min_days} 天后进行,时间由培训师通知。"
            return "先复习上面列出的章节," + when + f"补考只有 {exam.theory.retakes_allowed} 次。"
        if is_practical:
            # the manuals give no practical retake rule: the kit's wording
            return "按上表得分低的维度和阅卷人评语练习,与培训师约定重考时间。"
        return "复习得分低的题目所在章节。"
