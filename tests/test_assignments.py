"""Chapter assignments, end to end with nbgrader's Python API (issue 6, "Done when").

For every chapter of course/course.yml: generate_assignment succeeds; the instructor version (the
source notebook) earns full autograded marks; the untouched release earns zero; the release with the
key file's partial answers earns the score the key file states (worked out by the builder from how it
made them: k of n items right → points·k/n). The other variants (correct, wrong, rude) are checked
without kernels in test_assignments_build.py, to keep this module to about three autogrades a chapter.
"""
from __future__ import annotations

import pytest

from kefu.authoring.trial import TrialCourse, load_keys, with_answers
from kefu.course import load_course

CHAPTERS = [ch.assignment_id for ch in load_course().chapters]
VARIANTS = ("partial",)
pytestmark = pytest.mark.filterwarnings("ignore::Warning")


def test_every_chapter_has_an_assignment_and_keys(repo_root):
    missing = [aid for aid in CHAPTERS
               if not (repo_root / "assignments" / aid / f"{aid}.ipynb").is_file()
               or not (repo_root / "assignments" / "_keys" / f"{aid}.yml").is_file()]
    assert not missing, f"chapter assignments not built yet: {missing}"


def _present(repo_root):
    return [aid for aid in CHAPTERS if (repo_root / "assignments" / aid / f"{aid}.ipynb").is_file()]


@pytest.fixture(scope="module")
def graded(repo_root, tmp_path_factory):
    """Generate every chapter assignment, autograde five submissions each, keep the scores."""
    course = TrialCourse(tmp_path_factory.mktemp("chapters-course"))
    results: dict[str, dict[str, dict[str, float]]] = {}
    errors: dict[str, str] = {}
    for aid in _present(repo_root):
        course.add_source(repo_root / "assignments" / aid)
        try:
            course.generate(aid)
        except Exception as exc:
            errors[aid] = str(exc)
            continue
        keys = load_keys(repo_root / "assignments" / "_keys" / f"{aid}.yml")
        release = course.release_notebook(aid)
        subs = {"instructor": course.source_notebook(aid), "untouched": release}
        subs.update({v: with_answers(release, keys["answers"], v) for v in VARIANTS})
        results[aid] = {}
        for student, nb in subs.items():
            course.submit(aid, student, nb)
            results[aid][student] = course.autograde(aid, student)
    return course, results, errors


def _expected(repo_root, aid):
    return load_keys(repo_root / "assignments" / "_keys" / f"{aid}.yml")["expected_scores"]


@pytest.mark.slow
@pytest.mark.parametrize("aid", CHAPTERS)
def test_generate_assignment_succeeds(graded, repo_root, aid):
    course, results, errors = graded
    if aid not in _present(repo_root):
        pytest.fail(f"{aid}: no source notebook in assignments/")
    assert aid not in errors, errors.get(aid)
    assert (course.root / "release" / aid / f"{aid}.ipynb").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("aid", CHAPTERS)
def test_scores_of_simulated_submissions(graded, repo_root, aid):
    course, results, errors = graded
    if aid not in results:
        pytest.fail(f"{aid}: not generated ({errors.get(aid, 'no source notebook')})")
    expected = _expected(repo_root, aid)
    got = results[aid]
    # every autograded answer has exactly one test cell, qN-test
    assert set(got["instructor"]) == {f"{q}-test" for q in expected}
    for q, exp in expected.items():
        test = f"{q}-test"
        assert got["instructor"][test] == pytest.approx(exp["max"]), (aid, q, "instructor version")
        assert got["untouched"][test] == 0, (aid, q, "untouched release")
        assert 0 < exp["partial"] < exp["max"], (aid, q, "a partial answer should be partly right")
        assert got["partial"][test] == pytest.approx(exp["partial"], abs=0.011), (aid, q, "partial answers")
    assert sum(got["instructor"].values()) == pytest.approx(sum(e["max"] for e in expected.values()))


@pytest.mark.slow
def test_feedback_output_explains_in_chinese(graded, repo_root):
    """The hidden tests print a Chinese line per item before the score."""
    import nbformat

    course, results, _ = graded
    aid = next(iter(results))
    nb = nbformat.read(course.root / "autograded" / "partial" / aid / f"{aid}.ipynb", as_version=4)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-test")]
    assert tests
    for cell in tests:
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert "得分" in text and ("✓" in text or "✗" in text), text
        assert cell.outputs[-1].output_type == "execute_result"


@pytest.mark.slow
def test_stock_nbgrader_without_kefu_configuration_scores_zero(repo_root, tmp_path):
    """Graded by stock nbgrader (no TrustedScore), even the instructor's own copy earns nothing: the
    kernel only hands answers over, so nothing can score there without the trusted path."""
    aid = "ch06-tickets"
    course = TrialCourse(tmp_path / "stock", trusted=False)
    course.add_source(repo_root / "assignments" / aid)
    course.generate(aid)
    course.submit(aid, "instructor", course.source_notebook(aid))
    got = course.autograde(aid, "instructor")
    assert got and all(v == 0 for v in got.values()), got
