"""Chapter builders without kernels: deterministic, committed files up to date, notebook structure,
the self-check helper and the marking helpers used by hidden tests."""
from __future__ import annotations

import shutil

import nbformat
import pytest

from kefu.authoring import marking
from kefu.authoring.chapters import build_chapters
from kefu.course import load_course
from kefu.inputfix import AnswerNotReady
from kefu.selfcheck import Checker, check_value, is_exam

CHAPTERS = [ch.assignment_id for ch in load_course().chapters]


@pytest.fixture(scope="module")
def rebuilt(repo_root, tmp_path_factory):
    """Build every chapter into a temporary root (content files copied), twice."""
    roots = []
    for name in ("a", "b"):
        root = tmp_path_factory.mktemp(f"build-{name}")
        shutil.copytree(repo_root / "assignments" / "_keys" / "content", root / "assignments" / "_keys" / "content")
        report = build_chapters(0, root)
        roots.append((root, report))
    return roots


def _files(root):
    base = root / "assignments"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*"))
            if p.is_file() and "content" not in p.parts}


def test_build_is_deterministic_and_committed(rebuilt, repo_root):
    (a, rep_a), (b, rep_b) = rebuilt
    assert rep_a.built == rep_b.built
    files_a, files_b = _files(a), _files(b)
    assert files_a == files_b
    assert files_a, "nothing was built"
    for rel, data in files_a.items():
        committed = repo_root / "assignments" / rel
        assert committed.is_file(), f"{rel} is built but not in assignments/ (run kefu build chapters)"
        assert committed.read_bytes() == data, f"{rel} differs from a fresh build (run kefu build chapters)"


def test_every_chapter_builds(rebuilt):
    (_, report), _ = rebuilt
    assert not report.failed, report.failed
    assert report.built == CHAPTERS


def test_a_different_seed_changes_the_order_of_shown_steps(repo_root, tmp_path):
    shutil.copytree(repo_root / "assignments" / "_keys" / "content", tmp_path / "assignments" / "_keys" / "content")
    build_chapters(1, tmp_path, only=["ch02"])
    aid = "ch02-listening-questions"
    new = (tmp_path / "assignments" / "_keys" / f"{aid}.yml").read_text(encoding="utf-8")
    old = (repo_root / "assignments" / "_keys" / f"{aid}.yml").read_text(encoding="utf-8")
    assert new != old


@pytest.mark.parametrize("aid", CHAPTERS)
def test_notebook_structure(repo_root, aid):
    path = repo_root / "assignments" / aid / f"{aid}.ipynb"
    if not path.is_file():
        pytest.fail(f"{aid} not built")
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    md = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    assert "如何作答" in nb.cells[1].source, "the second cell explains how to answer"
    answers = [m["grade_id"] for m in md if m.get("solution") and not m.get("grade")]
    tests = [m["grade_id"] for m in md if m.get("grade") and not m.get("solution")]
    assert answers and [f"{a}-test" for a in answers] == tests
    assert all(m.get("schema_version") == 3 for m in md if m)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            # the trainee's placeholder stays above the solution region: only quotes/lists to fill in
            before = cell.source.split("### BEGIN SOLUTION")[0]
            assert "=" in before and ("\"\"" in before or "None" in before), cell.source


# ---------------------------------------------------------------- self-check

def test_selfcheck_reports_format_problems_in_chinese(capsys):
    # a problem raises AnswerNotReady (a Chinese error, so nbgrader's Validate fails too)
    check = Checker("ch01-service-mindset", {"q1": {"vars": {"q1": {"kind": "letters", "count": 3, "allowed": "ABCD"}}}})
    with pytest.raises(AnswerNotReady) as exc:
        check("q1", namespace={"q1": ["A", "", "E"]})
    assert "第 2 项还没有填写" in str(exc.value) and "“E”不是可选的答案" in str(exc.value)
    check("q1", namespace={"q1": ["a", "Ｂ", "C"]})
    assert "格式正确" in capsys.readouterr().out
    with pytest.raises(AnswerNotReady, match="还没有定义 q1"):
        check("q1", namespace={})


def test_selfcheck_never_mentions_right_or_wrong(capsys):
    check = Checker("ch02-listening-questions", {"q2": {"vars": {"q2": {"kind": "letters", "count": 3, "allowed": "ABC", "unique": True}}}})
    with pytest.raises(AnswerNotReady) as exc:
        check("q2", namespace={"q2": ["A", "A", "B"]})
    assert "重复" in str(exc.value) and "正确答案" not in str(exc.value)


def test_selfcheck_switched_off_in_exams(capsys, monkeypatch):
    from kefu.seeds import load

    exam_id = load("exam.yml").theory.assignment_id
    assert is_exam(exam_id)
    assert not is_exam("ch01-service-mindset")
    Checker(exam_id, {"q1": {"vars": {"q1": {"kind": "text"}}}})("q1", namespace={"q1": ""})
    assert "考试中不提供自查" in capsys.readouterr().out
    monkeypatch.setenv("KEFU_EXAM", "1")
    assert is_exam("ch01-service-mindset")


def test_check_value_kinds():
    assert check_value({"a": 1, "b": 2.5}, {"kind": "numbers", "keys": ["a", "b"]}) == []
    assert check_value({"a": None}, {"kind": "numbers", "keys": ["a", "b"]})
    assert check_value("x", {"kind": "number"})
    assert check_value(["諮詢"], {"kind": "texts", "count": 1, "allowed": ["咨询"]}) == []  # traditional accepted


# ---------------------------------------------------------------- marking helpers

def test_choices_partial_credit_and_explanations(capsys):
    score = marking.choices(["B", "c", "A", ""], "BCDA", 4, ["甲", "乙", "丙", "丁"])
    out = capsys.readouterr().out
    assert score == 2.0
    assert "第 3 小题 ✗ 你选了 A,正确答案是 D。丙" in out and "未作答" in out


def test_choices_malformed_answer_scores_zero(capsys):
    assert marking.choices(5, "AB", 2) == 0.0
    assert "列表" in capsys.readouterr().out


def test_order_counts_positions():
    assert marking.order(["B", "A", "C"], ["s2", "s1", "s3"], ["s1", "s2", "s3"], 3) == 3.0
    assert marking.order(["A", "B", "C"], ["s2", "s1", "s3"], ["s1", "s2", "s3"], 3) == 1.0
    assert marking.order("B A C", ["s2", "s1", "s3"], ["s1", "s2", "s3"], 3) == 3.0


def test_rewrites_use_the_phrase_engine(capsys):
    from kefu.phrases import rewrite_item

    it = rewrite_item("ri-dont-know")
    assert marking.rewrites([it.rewrites[0], it.line], ["ri-dont-know", "ri-dont-know"], 2) == 1.0
    assert "✗" in capsys.readouterr().out


# ---------------------------------------------------------------- key variants, without a kernel

def _run_cell(source: str, ns: dict):
    """Execute a cell like IPython does; return the value of a final expression (or None)."""
    import ast

    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), ns)
    if last is not None:
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns)
    return None


@pytest.mark.parametrize("aid", CHAPTERS)
def test_key_variants_score_as_stated(repo_root, aid, monkeypatch, capsys):
    """Every variant in the key file (correct, partial, wrong, rude): the source notebook's test cell
    run in this process hands the answers over and ends with 0 (stock nbgrader: zero); the values it
    hands over, marked by TrustedScore's scoring from the key file's grading entry, score what the key
    file's expected_scores says."""
    from kefu.answers import payload
    from kefu.authoring.grading import emit_source
    from kefu.authoring.trial import load_keys
    from kefu.autograde.trusted import score

    path = repo_root / "assignments" / aid / f"{aid}.ipynb"
    if not path.is_file():
        pytest.fail(f"{aid} not built")
    monkeypatch.chdir(path.parent)  # data files (calls.csv) sit next to the notebook
    nb = nbformat.read(path, as_version=4)
    keys = load_keys(repo_root / "assignments" / "_keys" / f"{aid}.yml")
    tests = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
             if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")}
    setup = next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    assert set(keys["grading"]) == set(tests)
    for qid, variants in keys["answers"].items():
        entry = keys["grading"][f"{qid}-test"]
        # the kernel side holds no key: the hidden part is exactly the emit call and the final 0
        assert tests[f"{qid}-test"].split("### BEGIN HIDDEN TESTS\n")[1] == \
            emit_source(entry["variables"]) + "\n### END HIDDEN TESTS"
        for variant, source in variants.items():
            ns: dict = {}
            _run_cell(setup, ns)
            _run_cell(source, ns)
            try:
                assert _run_cell(tests[f"{qid}-test"], ns) == 0
            except AnswerNotReady:  # check() found a format problem; it hands the answers over itself
                pass
            got, text = score(entry, payload(tuple(entry["variables"]), ns))
            want = keys["expected_scores"][qid].get(variant)
            if want is not None:
                assert got == pytest.approx(want, abs=0.011), (aid, qid, variant, text[-800:])
            assert "得分" in text
    assert capsys.readouterr().err == ""
