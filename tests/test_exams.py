"""Exams through nbgrader's real pipeline: generate_assignment, autograde (instructor copy, untouched
release, a partly correct submission, a late submission with the kit's late plugin).

One course directory for the whole module; the exams are built fresh from seeds/ into a temporary
checkout so the builder itself is under test.
"""
from __future__ import annotations

import copy
import json
import os
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path

import nbformat
import pytest
import yaml

from kefu.exams import build_exams
from kefu.seeds import load

REPO = Path(__file__).resolve().parents[1]
SEED = yaml.safe_load((REPO / "assignments/_keys/theory-exam.yml").read_text(encoding="utf-8"))["seed"]
EXAMS = ("theory-exam", "theory-retake", "practical-exam")
pytestmark = pytest.mark.slow


def _keys(root: Path, aid: str) -> dict:
    return yaml.safe_load((root / "assignments/_keys" / f"{aid}.yml").read_text(encoding="utf-8"))


# The practical rubric is RULES' seed; until it exists, the module runs on a copy of seeds/ with a
# rubric of the manual's five dimensions (an input these tests choose).
DRAFT_RUBRIC = """version: 1
dimensions:
""" + "".join(
    f"  - {{id: {i}, name: {n}, points: {p}, description: {d}, source: 003_a3f4989949c1cde6.txt}}\n"
    for i, n, p, d in (("knowledge", "基础知识", 20, "产品与政策掌握程度"), ("system", "系统操作", 20, "熟练度与准确性"),
                       ("solving", "问题解决", 25, "分析判断与方案提供"), ("communication", "沟通技巧", 25, "语言表达与引导能力"),
                       ("overall", "综合表现", 10, "整体表现与客户反馈"))
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from kefu.seeds import clear_cache

    root = tmp_path_factory.mktemp("checkout")
    with pytest.MonkeyPatch.context() as mp:
        if not (REPO / "seeds" / "practical_rubric.yml").exists():
            seeds = tmp_path_factory.mktemp("seeds") / "seeds"
            shutil.copytree(REPO / "seeds", seeds)
            (seeds / "practical_rubric.yml").write_text(DRAFT_RUBRIC, encoding="utf-8")
            mp.setenv("KEFU_SEEDS", str(seeds))
            clear_cache()
        build_exams(SEED, root)
        yield root
    clear_cache()


@pytest.fixture(scope="module")
def course(built, tmp_path_factory):
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    base = tmp_path_factory.mktemp("nbg")
    course_dir = base / "course"
    for aid in EXAMS:
        shutil.copytree(built / "assignments" / aid, course_dir / "source" / aid)
    with pytest.MonkeyPatch.context() as mp:
        for var, sub in (("HOME", "home"), ("JUPYTER_CONFIG_DIR", "jcfg"), ("JUPYTER_DATA_DIR", "jdata"),
                         ("JUPYTER_RUNTIME_DIR", "jrun")):
            (base / sub).mkdir()
            mp.setenv(var, str(base / sub))
        mp.syspath_prepend(str(REPO / "autograde"))
        cfg = Config()
        cfg.CourseDirectory.root = str(course_dir)
        cfg.CourseDirectory.course_id = "kefu-exams-test"
        cfg.CourseDirectory.db_url = f"sqlite:///{course_dir / 'gradebook.db'}"
        cfg.Exchange.root = str(base / "exchange")
        cfg.AssignLatePenalties.plugin_class = "late_plugin.LateExamZeroPlugin"
        from kefu.autograde.pipeline import apply  # the trusted path, configured as a cohort's

        apply(cfg, str(built / "assignments" / "_keys"))
        (base / "exchange").mkdir()
        api = NbGraderAPI(config=cfg)
        generated = {aid: api.generate_assignment(aid) for aid in EXAMS}
        yield {"api": api, "dir": course_dir, "generated": generated, "db": cfg.CourseDirectory.db_url}


def _submit(course, aid: str, student: str, nb, timestamp: datetime | None = None) -> dict:
    folder = course["dir"] / "submitted" / student / aid
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(folder / f"{aid}.ipynb"))
    if timestamp is not None:
        (folder / "timestamp.txt").write_text(timestamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    result = course["api"].autograde(aid, student)
    assert result["success"], result.get("error") or result.get("log")
    from nbgrader.api import Gradebook

    with Gradebook(course["db"]) as gb:
        sub = gb.find_submission(aid, student)
        return {"score": sub.score, "penalty": sub.late_submission_penalty or 0.0,
                "max": sub.max_score, "needs_manual": sub.needs_manual_grade}


def _release_nb(course, aid):
    return nbformat.read(str(course["dir"] / "release" / aid / f"{aid}.ipynb"), as_version=4)


def _source_nb(course, aid):
    return nbformat.read(str(course["dir"] / "source" / aid / f"{aid}.ipynb"), as_version=4)


def _autograded_max(keys: dict) -> float:
    return sum(v["points"] for v in keys["expected"].values())


def _with_variants(nb, keys: dict, choose) -> tuple[nbformat.NotebookNode, float]:
    """Replace answer cells by key variants; return the notebook and the expected score,
    computed here independently from the cells' sources and the rule in exam.yml."""
    nb = copy.deepcopy(nb)
    expected = 0.0
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    for i, (gid, variants) in enumerate(sorted(keys["answers"].items())):
        variant = choose(i)
        by_id[gid].source = variants[variant]
        expected += _expected_points(keys, gid, variants, variant)
    return nb, expected


def _value(src: str, gid: str):
    scope: dict = {}
    exec(src, {}, scope)  # the key file's one-line cell source
    return scope[gid]


def _letters(v) -> set[str]:
    items = v if isinstance(v, list) else [v]
    return {ch for item in items for ch in str(item).strip().upper() if ch.isalpha()}


def _expected_points(keys, gid, variants, variant) -> float:
    pts = keys["expected"][gid]["points"]
    right = _value(variants["correct"], gid)
    given = _value(variants[variant], gid)
    if isinstance(right, list):  # multiple choice, rule from exam.yml
        rule = load("exam.yml").theory.multiple_choice_partial_credit.rule
        assert rule == "all_or_half"
        r, g = _letters(right), _letters(given)
        return pts if g == r else (pts / 2 if g and g < r else 0.0)
    if isinstance(right, str) and right in ("对", "错"):
        truthy = {"对": True, "√": True, "错": False, "×": False}
        return pts if truthy[given.strip()] == truthy[right] else 0.0
    if isinstance(right, dict):  # practical ticket record, from the trainer brief's expectations
        exp = keys["scenarios"][int(gid.removeprefix("ticket")) - 1]["ticket"]
        type_f, prio_f, summary_f, follow_f = list(right)
        total = float(given[type_f] == exp["type"]) + float(given[prio_f] == exp["priority"])
        for field, groups in ((summary_f, exp["summary_keywords"]), (follow_f, exp["follow_up_keywords"])):
            hit = sum(any(w.lower() in given[field].lower() for w in g) for g in groups)
            total += round(hit / len(groups), 2) if given[field] else 0.0
        return total * pts / len(right)
    return pts if _letters(given) == _letters(right) else 0.0


@pytest.mark.parametrize("aid", EXAMS)
def test_generate_succeeds_and_release_has_no_keys(course, built, aid):
    res = course["generated"][aid]
    assert res["success"], res.get("error") or res.get("log")
    release_dir = course["dir"] / "release" / aid
    assert sorted(p.name for p in release_dir.iterdir()) == [f"{aid}.ipynb"]
    text = (release_dir / f"{aid}.ipynb").read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "kefu.exams.marking", "mark_"):
        assert marker not in text
    keys = _keys(built, aid)
    for gid, variants in keys["answers"].items():
        assert json.dumps(variants["correct"], ensure_ascii=False)[1:-1] not in text, gid
    if keys["kind"] != "practical":
        for gid, manual in keys["manual"].items():
            assert manual["model_answer"][:30] not in text, gid
            for point in manual["key_points"]:
                assert point not in text, (gid, point)
    for call in keys.get("scenarios", []):  # the trainer's brief stays with the trainer
        for secret in [call["customer"], call["goal"], *call["trainer_script"], *call["good_call"]]:
            assert secret not in text, (call["scenario"], secret)


@pytest.mark.parametrize("aid", EXAMS)
def test_instructor_copy_earns_full_autograded_marks(course, built, aid):
    keys = _keys(built, aid)
    got = _submit(course, aid, "instructor", _source_nb(course, aid))
    assert got["score"] == pytest.approx(_autograded_max(keys))
    assert got["max"] > got["score"] or not keys.get("manual")


@pytest.mark.parametrize("aid", EXAMS)
def test_untouched_release_earns_zero(course, aid):
    got = _submit(course, aid, "blank", _release_nb(course, aid))
    assert got["score"] == 0


@pytest.mark.parametrize("aid", EXAMS)
def test_partly_correct_submission_earns_expected_score(course, built, aid):
    keys = _keys(built, aid)
    cycle = ("correct", "partial", "wrong")
    nb, expected = _with_variants(_release_nb(course, aid), keys, lambda i: cycle[i % 3])
    assert 0 < expected < _autograded_max(keys)
    got = _submit(course, aid, "partial", nb)
    assert got["score"] == pytest.approx(expected, abs=0.02)


def test_late_exam_scores_zero(course, built):
    from nbgrader.api import Gradebook

    aid = "theory-exam"
    due = datetime(2025, 6, 4, 15, 0, 0)
    with Gradebook(course["db"]) as gb:
        gb.update_or_create_assignment(aid, duedate=due)
    got = _submit(course, aid, "late", _source_nb(course, aid), timestamp=due + timedelta(minutes=3))
    assert got["score"] == pytest.approx(_autograded_max(_keys(built, aid)))
    assert got["penalty"] == pytest.approx(got["score"])
    assert got["score"] - got["penalty"] == 0
    on_time = _submit(course, aid, "ontime", _source_nb(course, aid), timestamp=due - timedelta(minutes=1))
    assert on_time["penalty"] == 0 and on_time["score"] > 0
