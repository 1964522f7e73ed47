"""Answers a non-programmer can type (issue 12): Chinese quotation marks and full-width punctuation
in answer cells mean exactly what the ASCII ones mean — in the input transformer, in a real kernel,
under autograde (nbgrader's autograde with kefu's trusted pipeline) — common mistakes are explained in
Chinese, and nbgrader's Validate fails exactly when ``check()`` finds a blank or malformed answer."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from kefu.inputfix import AnswerNotReady, explain, fix_source
from kefu.selfcheck import Checker

REPO = Path(__file__).resolve().parents[1]


def chinese(src: str) -> str:
    """An answer cell as a Chinese input method types it: “…” for "…", ， for , between items."""
    out = re.sub(r'"((?:[^"\\\n]|\\.)*)"', lambda m: "“" + m.group(1) + "”", src)
    return re.sub(r",(\s)", r"，\1", out)


def _exec(src: str) -> dict:
    ns: dict = {}
    exec(compile(fix_source(src), "<cell>", "exec"), ns)
    ns.pop("__builtins__", None)
    return ns


# ----------------------------------------------------------------------------- the transformer itself

@pytest.mark.parametrize("typed, ascii_src", [
    ('q1 = [“可以”, “不行”]', 'q1 = ["可以", "不行"]'),
    ('q1 = [“可以”，“不行”]', 'q1 = ["可以", "不行"]'),
    ('q2 = （“A”，“B”）', 'q2 = ("A", "B")'),
    ("q3 = ‘B’", "q3 = 'B'"),
    ('q4 = {“通话质量”： 80， “客户满意度”： 90.5}', 'q4 = {"通话质量": 80, "客户满意度": 90.5}'),
    ('q5 = “可以"', 'q5 = "可以"'),            # opened Chinese, closed ASCII
    ('q6 = "可以”', 'q6 = "可以"'),            # opened ASCII, closed Chinese
    ('q7 = 【“A”， “C”】', 'q7 = ["A", "C"]'),
    ('q8 = ["A"、"B"]', 'q8 = ["A", "B"]'),
])
def test_chinese_punctuation_means_the_same(typed, ascii_src):
    assert _exec(typed) == _exec(ascii_src)


def test_text_inside_a_string_is_left_alone():
    # an answer may itself contain Chinese quotes and commas: they stay as the trainee wrote them
    assert _exec('q = "他说“好的，谢谢”"')["q"] == "他说“好的，谢谢”"
    assert _exec("q = '（括号）【也】不变'")["q"] == "（括号）【也】不变"
    assert _exec('# 注释里的“引号”不变\nq = "A"')["q"] == "A"
    assert fix_source('# 注释里的“引号”，不变') == '# 注释里的“引号”，不变'
    assert _exec('q = """第一行“引号”\n第二行，逗号"""')["q"] == "第一行“引号”\n第二行，逗号"


def test_plain_ascii_source_is_untouched():
    src = 'q1 = ["A", "B"]  # 注释\nq2 = {"x": 1}\n'
    assert fix_source(src) == src


# ----------------------------------------------------------------------------- Chinese explanations

def _syntax_error(src: str) -> SyntaxError:
    try:
        compile(fix_source(src), "<cell>", "exec")
    except SyntaxError as exc:
        return exc
    raise AssertionError(f"{src!r} compiled")


def test_missing_quote_or_bracket_is_explained_in_chinese():
    assert "引号没有配对" in explain(_syntax_error('q1 = "可以'))
    assert "括号" in explain(_syntax_error('q1 = ["A", "B"'))
    assert "第 1 行" in explain(_syntax_error('q1 = ["A", "B"'))
    # nothing in English and no traceback jargon
    for src in ('q1 = "可以', 'q1 = ["A", "B"', 'q1 = ["A" 3]', 'q1 = 可以 办理'):
        text = explain(_syntax_error(src))
        assert text and not re.search(r"[A-Za-z]{4,}", text.replace("Shift", "")), text


def test_setup_cell_not_run_is_explained():
    try:
        check("q1")  # noqa: F821 - exactly the trainee's mistake: the set-up cell was not run
    except NameError as exc:
        text = explain(exc)
    assert "准备" in text and "check" in text
    try:
        eval("可以")  # an answer typed without quotes
    except NameError as exc:
        assert "引号" in explain(exc)


def test_check_raises_in_chinese_on_blank_or_malformed_answers():
    rules = {"q1": {"vars": {"q1": {"kind": "letters", "count": 2, "allowed": "ABCD"}}},
             "q2": {"vars": {"q2": {"kind": "text"}}}}
    check = Checker("ch99-test", rules)
    with pytest.raises(AnswerNotReady, match="还没有填写"):
        check("q2", namespace={"q2": ""})
    with pytest.raises(AnswerNotReady, match="应有 2 项"):
        check("q1", namespace=_exec('q1 = [“A”]'))
    with pytest.raises(AnswerNotReady, match="还没有定义"):
        check("q1", namespace={})
    assert check("q1", namespace=_exec('q1 = [“A”，“C”]')) is None
    assert check("q2", namespace=_exec('q2 = “可以办理”')) is None
    assert AnswerNotReady("第 1 题还需要修改")._render_traceback_() == ["⚠ 第 1 题还需要修改"]


# ----------------------------------------------------------------------------- through nbgrader

CHAPTER = "ch03-phone-etiquette"


def _answer_sources(nb) -> dict[str, str]:
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("solution") and c.cell_type == "code"}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from kefu.authoring.trial import TrialCourse, load_keys

    c = TrialCourse(tmp_path_factory.mktemp("input-course"))
    for aid in (CHAPTER, "theory-exam"):
        c.add_source(REPO / "assignments" / aid)
        c.generate(aid)
    keys = {aid: load_keys(REPO / "assignments" / "_keys" / f"{aid}.yml") for aid in (CHAPTER, "theory-exam")}
    return c, keys


def _with(nb, sources: dict[str, str]):
    import copy

    out = copy.deepcopy(nb)
    for cell in out.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in sources:
            cell.source = sources[gid]
    return out


def _correct_sources(course, aid):
    c, keys = course
    if aid == CHAPTER:
        return {q: v["correct"] for q, v in keys[aid]["answers"].items()}
    # exams: the instructor copy's solutions, in the released template
    src = c.source_notebook(aid)
    out = {}
    for gid, text in _answer_sources(src).items():
        m = re.search(r"### BEGIN SOLUTION\n(.*?)\n### END SOLUTION", text, re.S)
        if m and src.cells and "=" in m.group(1):
            out[gid] = m.group(1)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("aid", [CHAPTER, "theory-exam"])
def test_chinese_quotes_score_the_same_under_autograde(course, aid):
    c, _ = course
    release = c.release_notebook(aid)
    ascii_src = _correct_sources(course, aid)
    assert ascii_src and any('"' in s for s in ascii_src.values())
    zh_src = {q: chinese(s) for q, s in ascii_src.items()}
    assert any("“" in s for s in zh_src.values())
    # without the transformer these cells would not even parse: the equality below proves it ran
    with pytest.raises(SyntaxError):
        for s in zh_src.values():
            compile(s, "<zh>", "exec")
    c.submit(aid, "ascii", _with(release, ascii_src))
    c.submit(aid, "zh", _with(release, zh_src))
    got_ascii = c.autograde(aid, "ascii")
    got_zh = c.autograde(aid, "zh")
    assert got_zh == got_ascii
    assert sum(got_ascii.values()) > 0
    # and a release answered with nothing still scores zero (the transformer adds no credit)
    c.submit(aid, "blank", release)
    assert sum(c.autograde(aid, "blank").values()) == 0


def _validate(path: Path) -> dict:
    from nbgrader.validator import Validator
    from traitlets.config import Config

    cfg = Config()
    cfg.Execute.timeout = 60
    return Validator(config=cfg).validate(str(path))


def _check_failures(release, sources: dict[str, str]) -> set[str]:
    """The questions for which check() raises, run in this process on the same answer cells."""
    setup = next(c.source for c in release.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    ns: dict = {}
    exec(setup, ns)
    failed = set()
    for cell in release.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if cell.cell_type == "code" and gid in sources:
            exec(compile(fix_source(sources[gid]), gid, "exec"), ns)
    for q in ns["check"].rules:
        try:
            ns["check"](q, namespace=ns)
        except AnswerNotReady:
            failed.add(f"{q}-test")
    return failed


@pytest.mark.slow
def test_validate_agrees_with_check(course, tmp_path):
    c, keys = course
    release = c.release_notebook(CHAPTER)
    answers = keys[CHAPTER]["answers"]
    variants = {
        "blank": {},
        "correct": {q: v["correct"] for q, v in answers.items()},
        "correct-zh": {q: chinese(v["correct"]) for q, v in answers.items()},
        "one-blank": {**{q: v["correct"] for q, v in answers.items()},
                      "q2": re.sub(r'"[A-Z]"', '""', answers["q2"]["correct"], count=1)},
        "partial": {q: v["partial"] for q, v in answers.items()},
    }
    seen_fail = seen_pass = False
    for name, sources in variants.items():
        nb = _with(release, sources)
        path = tmp_path / name / f"{CHAPTER}.ipynb"
        path.parent.mkdir()
        nbformat.write(nb, path)
        result = _validate(path)
        failed_cells = {re.search(r'check\("(q\d+)"\)', f["source"]).group(1) + "-test"
                        for f in result.get("failed", [])}
        expected = _check_failures(release, {**_answer_sources(release), **sources})
        assert failed_cells == expected, (name, result)
        for f in result.get("failed", []):
            assert "⚠" in f["raw_error"] and "Traceback" not in f["raw_error"], f["raw_error"]
        seen_fail |= bool(failed_cells)
        seen_pass |= not failed_cells
    assert seen_fail and seen_pass


@pytest.mark.slow
def test_a_kernel_with_the_extension_explains_before_the_setup_cell():
    """The trainee lab's kernels load kefu.inputfix as an extension (classroom kernel spec), so a
    drill or check() run before the set-up cell, or an answer typed with “”, already gets Chinese help."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", extra_arguments=["--ext=kefu.inputfix"])
    try:
        def run(code: str) -> list[dict]:
            outs: list[dict] = []
            kc.execute_interactive(code, timeout=60, output_hook=lambda m: outs.append(m))
            return [m for m in outs if m["msg_type"] in ("stream", "error", "execute_result")]

        errors = [m for m in run('check("q1")') if m["msg_type"] == "error"]
        assert errors and "准备" in "".join(errors[0]["content"]["traceback"])
        assert "Traceback" not in "".join(errors[0]["content"]["traceback"])
        errors = [m for m in run('q1 = ["可以", "不行"') if m["msg_type"] == "error"]
        assert errors and "括号" in "".join(errors[0]["content"]["traceback"])
        out = run('q1 = [“可以”， “不行”]\nprint(q1)')
        assert not [m for m in out if m["msg_type"] == "error"]
        assert "['可以', '不行']" in "".join(m["content"].get("text", "") for m in out if m["msg_type"] == "stream")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.mark.slow
def test_released_cells_match_the_howto(course):
    """The how-to describes what a release really contains: the Chinese code stub (never
    `raise NotImplementedError()`) and, for written answers, the Chinese text stub."""
    from kefu.authoring.cells import CODE_STUB, TEXT_STUB

    c, _ = course
    for aid in (CHAPTER, "theory-exam"):
        nb = c.release_notebook(aid)
        text = "\n".join(cell.source for cell in nb.cells)
        assert "NotImplementedError" not in text and "YOUR ANSWER HERE" not in text and "YOUR CODE HERE" not in text
        assert CODE_STUB in text
        howto = next(cell.source for cell in nb.cells if "如何作答" in cell.source)
        assert "NotImplementedError" not in howto
        if aid == "theory-exam":
            assert TEXT_STUB in text and TEXT_STUB in howto
