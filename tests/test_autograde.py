"""kefu autograde: same scores as stock nbgrader, bad submissions recorded, resumable, backed up."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kefu.autograde.testcourse import clone_course
from kefu.autograde.testcourse import jupyter_env as jupyter_env_of

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def jupyter_env(tmp_path_factory):
    """Temporary HOME / JUPYTER_* folders (as nbgrader's own tests do) and the venv's bin/ on PATH."""
    root = tmp_path_factory.mktemp("jupyter-env")
    with jupyter_env_of(root, bin_dir=BIN):
        yield root


@pytest.fixture(scope="module")
def base_course(tmp_path_factory, jupyter_env):
    from kefu.autograde import testcourse as S

    course = S.make_course(tmp_path_factory.mktemp("course") / "c")
    for aid, (nb, _) in S.practice_assignments().items():
        S.add_source(course, aid, nb)
        S.generate(course, aid)
    return course


def place_variants(course: Path, kinds_by_student: dict[str, str]) -> None:
    from kefu.autograde import testcourse as S

    for aid, (_, variants) in S.practice_assignments().items():
        released = S.released_notebook(course, aid)
        for student, kind in kinds_by_student.items():
            answers = {gid: v[kind] for gid, v in variants.items() if kind in v}
            S.place_submission(course, student, aid, {aid: S.answer(released, answers)})


def scores(course: Path) -> dict[str, float | None]:
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "kefu-test") as gb:
        for a in gb.assignments:
            for sub in a.submissions:
                for nb in sub.notebooks:
                    for g in nb.grades:
                        out[f"{sub.student.id}/{a.name}/{g.name}"] = g.auto_score
    return out


@pytest.mark.slow
def test_scores_identical_to_stock_nbgrader(base_course, tmp_path):
    from kefu.autograde import autograde

    course = clone_course(base_course, tmp_path / "base")
    place_variants(course, {"amy": "correct", "bob": "partial", "cat": "rude", "dan": "blank"})
    stock = clone_course(course, tmp_path / "stock")
    fast = clone_course(course, tmp_path / "fast")
    subprocess.run([str(BIN / "nbgrader"), "autograde", "*", "--log-level=ERROR"], cwd=stock,
                   check=False, capture_output=True)
    res = autograde(fast, jobs=2, progress=False)
    assert not res.failed
    assert len(res.graded) == 8
    a, b = scores(stock), scores(fast)
    assert a and a == b
    # the variants really differ: correct full marks, partial-credit test, rude answer loses points
    assert b["amy/practice-a/aht-test"] == 3.0
    assert b["bob/practice-a/aht-test"] == 1.0
    assert b["cat/practice-a/greeting-test"] == 0.0
    assert b["dan/practice-a/greeting-test"] == 0.0  # blank answer raises NotImplementedError
    assert b["dan/practice-a/why-polite"] == 0.0  # unchanged written answer → 0 automatically


@pytest.mark.slow
def test_bad_submissions_are_recorded_and_the_batch_continues(base_course, tmp_path):
    from kefu.autograde import autograde
    from kefu.autograde import testcourse as S

    course = clone_course(base_course, tmp_path / "bad")
    place_variants(course, {"good": "correct"})
    released = S.released_notebook(course, "practice-a")
    for kind in S.BAD_KINDS:
        S.place_submission(course, kind, "practice-a", {"practice-a": S.bad_submission(released, kind)})
    res = autograde(course, assignment="practice-a", jobs=2, progress=False, cell_timeout=3)
    failed = {s: why for s, _, why in res.failed}
    graded = {s for s, _ in res.graded}
    assert set(failed) == {"corrupt", "crash"}
    assert "JSON" in failed["corrupt"] and "损坏" in failed["corrupt"]
    assert "崩溃" in failed["crash"]
    assert {"good", "loop", "huge", "tampered"} <= graded
    notes = {s: why for s, _, why in res.notes}
    assert "超时" in notes["loop"] and "截断" in notes["huge"]
    assert [s for s, _, _ in res.flagged] == ["tampered"]
    sc = scores(course)
    # the looping answer cell was interrupted after 3 s; the cells after it still ran and were scored
    assert sc["loop/practice-a/greeting-test"] == 2.0
    assert sc["loop/practice-a/aht-test"] == 3.0
    assert sc["tampered/practice-a/aht-test"] == 3.0  # the original test was restored and run
    assert sc["good/practice-a/aht-test"] == 3.0

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "kefu-test") as gb:
        assert gb.find_submission_notebook("practice-a", "practice-a", "tampered").flagged
        assert not gb.find_submission_notebook("practice-a", "practice-a", "good").flagged

    # rerun: graded ones are skipped (nothing regraded or lost), the failed ones are tried again
    again = autograde(course, assignment="practice-a", jobs=1, progress=False, cell_timeout=3)
    assert {s for s, _ in again.skipped} == graded
    assert {s for s, _, _ in again.failed} == {"corrupt", "crash"}
    assert scores(course) == sc


@pytest.mark.slow
def test_interrupted_batch_resumes_without_losing_grades(base_course, tmp_path):
    from nbgrader.api import Gradebook

    from kefu.autograde import autograde

    course = clone_course(base_course, tmp_path / "resume")
    place_variants(course, {"s1": "correct", "s2": "partial", "s3": "wrong"})
    seen = []

    def stop_after_two(msg):
        seen.append(msg)
        if len(seen) == 2:
            raise KeyboardInterrupt

    first = autograde(course, jobs=1, progress=False, on_result=stop_after_two)
    assert first.interrupted and len(first.graded) == 2
    done = set(first.graded)
    db = f"sqlite:///{course / 'gradebook.db'}"
    s, a = sorted(done)[0]
    with Gradebook(db, "kefu-test") as gb:  # a grader adds a manual score in between
        g = gb.find_grade("why-polite", "practice-a", "practice-a", s) if a == "practice-a" else None
        if g is not None:
            g.manual_score = 1.5
            gb.db.commit()
    second = autograde(course, jobs=2, progress=False)
    assert set(second.skipped) == done
    assert len(second.graded) == 6 - len(done) and not second.failed
    assert all(v is not None for k, v in scores(course).items() if not k.endswith("why-polite"))
    if a == "practice-a":
        with Gradebook(db, "kefu-test") as gb:
            assert gb.find_grade("why-polite", "practice-a", "practice-a", s).manual_score == 1.5
    assert len(list((course / "backups").glob("gradebook-*.db"))) == 2
    assert not (course / ".kefu" / "staging").exists()


def test_cli_reports_a_missing_course_in_chinese(tmp_path):
    from typer.testing import CliRunner

    from kefu.cli.main import app

    res = CliRunner().invoke(app, ["autograde", "--course", str(tmp_path / "nowhere")])
    assert res.exit_code == 1
    assert "找不到" in res.output and "Traceback" not in res.output


def test_cli_reports_an_unknown_assignment(base_course, tmp_path):
    from typer.testing import CliRunner

    from kefu.cli.main import app

    course = clone_course(base_course, tmp_path / "cli")
    place_variants(course, {"amy": "correct"})
    res = CliRunner().invoke(app, ["autograde", "no-such-assignment", "--course", str(course)])
    assert res.exit_code == 1
    assert "no-such-assignment" in res.output and "practice-a" in res.output


# ---------------------------------------------------------------- speed-ups change no outcome

def test_part_validation_cache_keeps_every_verdict():
    import nbformat
    from nbformat.v4 import new_output

    from kefu.autograde import speedups

    speedups.cache_part_validation()
    good = new_output("stream", name="stdout", text=["第 1 题:正确,得 1 分\n"])
    for _ in range(2):  # the second call is answered from the cache
        nbformat.validate(good, ref="stream", version=4)
    bad = dict(good, name=42)
    for _ in range(2):  # a failing part is never remembered
        with pytest.raises(nbformat.ValidationError):
            nbformat.validate(bad, ref="stream", version=4)
    # same JSON text as the cached valid output, but a tuple: jsonschema's own verdict (not an array)
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(dict(good, text=("第 1 题:正确,得 1 分\n",)), ref="stream", version=4)
    # whole notebooks always reach the real validator
    nb = nbformat.v4.new_notebook()
    nbformat.validate(nb)
    nb["not_in_the_schema"] = 1
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(nb)


def test_table_checks_are_skipped_only_where_tables_exist(jupyter_env, tmp_path):
    from nbgrader.api import Gradebook

    from kefu.autograde import speedups

    speedups.share_engines()
    speedups.skip_repeated_table_checks()
    for name in ("a.db", "b.db"):  # each new database still gets its tables
        url = f"sqlite:///{tmp_path / name}"
        for _ in range(2):
            with Gradebook(url, "kefu-test") as gb:
                gb.update_or_create_student("amy")
        with Gradebook(url, "kefu-test") as gb:
            assert [s.id for s in gb.students] == ["amy"]


def test_traceback_memo_formats_the_same_text():
    import sys

    from IPython.core import ultratb

    from kefu.autograde.warmup import _traceback_colours

    def formatted() -> str:
        code = compile("def answer():\n    raise NotImplementedError()\nanswer()\n", "<cell>", "exec")
        try:
            exec(code, {})
        except NotImplementedError:
            return "".join(ultratb.AutoFormattedTB(mode="Context").structured_traceback(*sys.exc_info()))
        raise AssertionError("no exception")

    before = formatted()
    _traceback_colours()
    assert formatted() == before and formatted() == before
    assert "NotImplementedError" in before and "\x1b[" in before
