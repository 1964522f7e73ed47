"""Simulated trainees and grader for ``kefu demo`` and the tests.

Submissions are built from released notebooks by replacing answer cells with the variants in
``assignments/_keys/<id>.yml`` (correct / partial / wrong / rude), or leaving them blank. When an exam
has not been written yet, :func:`placeholder_exam` makes a small, clearly labelled stand-in.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Level:
    """How an answer cell is answered: probabilities of correct, partial, wrong, rude, blank."""

    correct: float
    partial: float = 0.0
    wrong: float = 0.0
    rude: float = 0.0
    blank: float = 0.0
    manual: float = 0.0  # share of a manually graded cell's points the simulated grader gives

    def pick(self, rng: random.Random, available: set[str]) -> str:
        opts = [(k, getattr(self, k)) for k in ("correct", "partial", "wrong", "rude", "blank")]
        opts = [(k, w) for k, w in opts if w > 0 and (k == "blank" or k in available)]
        if not opts:
            return "correct" if "correct" in available else "blank"
        r = rng.random() * sum(w for _, w in opts)
        for k, w in opts:
            r -= w
            if r <= 0:
                return k
        return opts[-1][0]


PASS = Level(correct=1.0, manual=0.9)
GOOD = Level(correct=0.8, partial=0.15, rude=0.05, manual=0.85)
FAIR = Level(correct=0.55, partial=0.2, wrong=0.1, rude=0.1, blank=0.05, manual=0.7)
FAIL = Level(correct=0.25, partial=0.25, wrong=0.25, rude=0.1, blank=0.15, manual=0.35)
PRACTICAL_FAIL = Level(correct=0.5, partial=0.25, wrong=0.25, manual=0.55)


def load_keys(assignments_dir: Path, assignment: str) -> dict:
    p = Path(assignments_dir) / "_keys" / f"{assignment}.yml"
    if not p.is_file():
        return {}
    return yaml.safe_load(p.read_text(encoding="utf-8")) or {}


def answer_notebook(nb_path: Path, keys: dict, level: Level, rng: random.Random) -> dict[str, str]:
    """Fill a fetched notebook in place; returns {grade_id: variant used}."""
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    answers = keys.get("answers") or {}
    manual = keys.get("manual") or {}
    used: dict[str, str] = {}
    for cell in nb.cells:
        gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
        if gid in answers:
            variants = answers[gid] or {}
            choice = level.pick(rng, set(variants))
            used[gid] = choice
            if choice != "blank":
                cell.source = variants[choice]
        elif gid in manual:
            m = manual[gid] or {}
            if level.manual >= 0.6 and m.get("model_answer"):
                cell.source = str(m["model_answer"])
                used[gid] = "model"
            elif m.get("key_points"):
                cell.source = str(m["key_points"][0])
                used[gid] = "weak"
            else:
                cell.source = "(只写了一句话)"
                used[gid] = "weak"
    nbformat.write(nb, nb_path)
    return used


def grade_manually(course_dir: Path, assignment: str, student: str, ratio: float, rng: random.Random) -> int:
    """The simulated grader: give every cell that needs a manual grade about ``ratio`` of its points
    (whole points, like a person would). Returns the number of cells scored."""
    from nbgrader.api import Gradebook, MissingEntry

    from .config import load_config

    cfg = load_config(course_dir)
    n = 0
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return 0
        for nb in sub.notebooks:
            for g in nb.grades:
                if not g.needs_manual_grade:
                    continue
                mx = float(g.max_score or 0.0)
                jitter = rng.uniform(-0.05, 0.05)
                g.manual_score = float(max(0.0, min(mx, round(mx * (ratio + jitter)))))
                g.needs_manual_grade = False  # as formgrader does when a grader saves a score
                n += 1
        gb.db.commit()
    return n


def placeholder_exam(root: Path, assignment: str, kind: str) -> None:
    """A small stand-in exam (labelled as such) with its key file, for when the real one is missing.

    Theory: ten single-choice questions and one short answer; practical: a ticket record and one
    manually scored call. Points add up to the exam total in seeds/exam.yml.
    """
    from kefu.authoring import cells as C
    from kefu.seeds import load

    exam = load("exam.yml")
    total = exam.theory.total_points if kind != "practical" else 100.0
    cells = [C.locked_markdown(f"# 【示例试卷·占位】{assignment}\n\n正式试卷尚未编写,本试卷仅用于演示流程。",
                               "title")]
    answers: dict = {}
    manual: dict = {}
    letters = "ABCD"
    if kind == "practical":
        auto_n, manual_pts = 2, total * 0.8
    else:
        auto_n, manual_pts = 10, total * 0.3
    each = (total - manual_pts) / auto_n
    for i in range(1, auto_n + 1):
        gid = f"q{i:02d}"
        right = letters[(i * 7 + len(assignment)) % 4]
        wrongs = [x for x in letters if x != right]
        cells.append(C.locked_markdown(f"**第 {i} 题**:请选择正确选项(A/B/C/D)。", f"{gid}-text"))
        cells.append(C.answer_code(gid, f'{gid} = "{right}"', before="# 在引号里填写选项字母"))
        cells.append(C.test_code(f"{gid}-test", f"assert isinstance({gid}, str)",
                                 f'assert {gid}.strip().upper() == "{right}", "答案不正确"', points=each))
        answers[gid] = {
            "correct": f'# 在引号里填写选项字母\n{gid} = "{right}"',
            "partial": f'# 在引号里填写选项字母\n{gid} = "{wrongs[0]}"',
            "wrong": f'# 在引号里填写选项字母\n{gid} = "{wrongs[1]}"',
            "rude": f'# 在引号里填写选项字母\n{gid} = "不知道"',
        }
    gid = "call" if kind == "practical" else "short1"
    prompt = "模拟通话表现(阅卷人评分)" if kind == "practical" else "简答:如何处理客户的投诉?"
    cells.append(C.locked_markdown(f"**{prompt}**", f"{gid}-text"))
    cells.append(C.manual_markdown(gid, "先倾听、表示理解并道歉,再给出解决方案并跟进。", points=manual_pts))
    manual[gid] = {"points": manual_pts, "model_answer": "先耐心倾听客户诉求,表示理解并致歉,提出解决方案,最后回访确认。",
                   "key_points": ["倾听", "道歉"]}
    C.write(C.notebook(cells, title=assignment), root / assignment / f"{assignment}.ipynb")
    keys_dir = root / "_keys"
    keys_dir.mkdir(parents=True, exist_ok=True)
    (keys_dir / f"{assignment}.yml").write_text(
        yaml.safe_dump({"assignment_id": assignment, "placeholder": True, "answers": answers, "manual": manual},
                       allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
