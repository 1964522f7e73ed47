"""An exam's Validate does not pass a blank paper (issue 12 leftover).

Exams have no self-check, so before this every choice answer of a blank exam passed nbgrader's Validate.
The visible part of each exam test cell now calls ``kefu.exams.answered.require_answer``: Validate fails
naming the unanswered questions (题号) and passes once every question is answered, right or wrong.

Through the user's surface: the exams are built by ``kefu build exams`` (subprocess), released by
nbgrader's generate_assignment configured as kefu's cohorts are (:class:`kefu.authoring.trial.TrialCourse`),
and checked with ``nbgrader validate`` in a subprocess — with the stock kernel and with the trainee
lab's bubblewrap kernel (public seeds only). Scores: the same submission autograded on the trusted
path scores cell for cell what it scores when the exam's test cells have no check.
"""
from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from kefu.classroom import trainee_panel as TP
from kefu.exams.answered import problem, require_answer
from kefu.inputfix import AnswerNotReady

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SEED = yaml.safe_load((REPO / "assignments/_keys/theory-exam.yml").read_text(encoding="utf-8"))["seed"]
THEORY, PRACTICAL = "theory-exam", "practical-exam"
NOCHECK = "theory-exam-nocheck"  # the same paper with the test cells' visible check removed
CALL = re.compile(r'require_answer\("(\w+)", "(\w+)"(?:, options=(\d+))?')


# ----------------------------------------------------------------------------- the check itself (fast)

@pytest.mark.parametrize("value, kind, options, answered", [
    ("", "single", 4, False), ("  ", "single", 4, False), (None, "single", 4, False),
    ("B", "single", 4, True), (" b ", "single", 4, True), (["C"], "single", 4, True), ("Ｄ", "single", 4, True),
    ("AB", "single", 4, False),             # two letters on a single-choice question
    ("E", "single", 4, False),              # beyond the options the question shows
    (3, "single", 4, False), ("甲", "single", 4, False),
    ([], "multiple", 5, False), (["", ""], "multiple", 5, False),
    (["A", "C"], "multiple", 5, True), ("A、C", "multiple", 5, True), (["A"], "multiple", 5, True),
    (["A", "F"], "multiple", 5, False),
    ("", "truefalse", 0, False), ("也许", "truefalse", 0, False), (1, "truefalse", 0, False),
    ("对", "truefalse", 0, True), ("錯", "truefalse", 0, True), ("√", "truefalse", 0, True), (False, "truefalse", 0, True),
])
def test_answered_means_readable_never_right(value, kind, options, answered):
    assert (problem(value, kind, options) is None) is answered


def test_ticket_names_the_empty_fields():
    fields = ["类型", "优先级", "摘要", "跟进承诺"]
    assert "还没有填写" in problem(dict.fromkeys(fields, ""), "ticket", fields=fields)
    half = {"类型": "投诉", "优先级": "高", "摘要": "", "跟进承诺": " "}
    why = problem(half, "ticket", fields=fields)
    assert "摘要" in why and "跟进承诺" in why and "类型" not in why
    assert problem({**half, "摘要": "客户反映", "跟进承诺": "今天回电"}, "ticket", fields=fields) is None
    assert "花括号" in problem("投诉", "ticket", fields=fields)


def test_require_answer_raises_in_chinese_with_the_question_number(capsys):
    with pytest.raises(AnswerNotReady) as err:
        require_answer("q07", "single", 4, label="第 7 题", namespace={"q07": ""})
    assert "第 7 题" in str(err.value) and "不判断对错" in str(err.value)
    with pytest.raises(AnswerNotReady, match="找不到 q08"):
        require_answer("q08", "truefalse", label="第 8 题", namespace={})
    require_answer("q07", "single", 4, label="第 7 题", namespace={"q07": "C"})
    assert "第 7 题已作答" in capsys.readouterr().out


# ----------------------------------------------------------------------------- through nbgrader

@pytest.fixture(scope="module")
def exams(tmp_path_factory):
    """``kefu build exams`` into a new folder, then nbgrader's generate_assignment (kefu's trial course)."""
    from kefu.authoring.trial import TrialCourse

    base = tmp_path_factory.mktemp("exam-validate")
    checkout = base / "checkout"
    res = subprocess.run([str(VENV_BIN / "kefu"), "build", "exams", "--root", str(checkout), "--seed", str(SEED)],
                         capture_output=True, text=True, timeout=600, env=_env(base))
    assert res.returncode == 0, res.stdout + res.stderr
    keys_dir = checkout / "assignments" / "_keys"
    # the control paper: the same source with each test cell's visible check taken out
    src = nbformat.read(checkout / "assignments" / THEORY / f"{THEORY}.ipynb", as_version=4)
    stripped = 0
    for cell in src.cells:
        if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code" and "require_answer" in cell.source:
            head, _, hidden = cell.source.partition("### BEGIN HIDDEN TESTS")
            cell.source = head.splitlines()[0] + "\n### BEGIN HIDDEN TESTS" + hidden
            stripped += 1
    assert stripped
    (checkout / "assignments" / NOCHECK).mkdir()
    nbformat.write(src, checkout / "assignments" / NOCHECK / f"{NOCHECK}.ipynb")
    shutil.copy(keys_dir / f"{THEORY}.yml", keys_dir / f"{NOCHECK}.yml")
    course = TrialCourse(base / "course", keys_dir=keys_dir)
    for aid in (THEORY, PRACTICAL, NOCHECK):
        course.add_source(checkout / "assignments" / aid)
        course.generate(aid)
    keys = {aid: yaml.safe_load((keys_dir / f"{aid}.yml").read_text(encoding="utf-8")) for aid in (THEORY, PRACTICAL)}
    return {"base": base, "course": course, "keys": keys}


def _env(base: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    home = base / "home"
    for var, sub in (("JUPYTER_CONFIG_DIR", "jcfg"), ("JUPYTER_DATA_DIR", "jdata"), ("JUPYTER_RUNTIME_DIR", "jrun")):
        (base / sub).mkdir(exist_ok=True)
        env[var] = str(base / sub)
    home.mkdir(exist_ok=True)
    env["HOME"] = str(home)
    env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", "")])
    env.update(extra or {})
    return env


def validate(nb, folder: Path, aid: str, env: dict[str, str]) -> dict:
    """``nbgrader validate`` on ``nb`` saved as the trainee's copy: what it printed, and the questions
    its failures name (题号 for theory, 工单 numbers for the practical)."""
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{aid}.ipynb")
    res = subprocess.run([str(VENV_BIN / "nbgrader"), "validate", f"{aid}.ipynb"], cwd=folder, env=env,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    out = res.stdout
    sections = out.split("The following cell failed:")[1:]
    named: set[str] = set()
    for sec in sections:
        source, _, error = sec.partition("The error was:")
        short = re.search(r"\*\*第 (\d+) 题\(简答\)作答", source)
        if short:  # nbgrader's own check of an untouched written answer: the cell's first line names it
            named.add(f"q{int(short.group(1)):02d}")
            continue
        assert "⚠" in error and "Traceback" not in error, error
        found = re.search(r"⚠ 第 (\d+) (题|通工单)", error)
        assert found, error
        named.add(f"q{int(found.group(1)):02d}" if found.group(2) == "题" else f"ticket{found.group(1)}")
    assert len(named) == len(sections), out
    return {"out": out, "failed": bool(sections), "named": named, "passed": "Success!" in out}


def _kinds(release) -> dict[str, tuple[str, int]]:
    """{answer variable: (kind, options)} as the released test cells show them."""
    out = {}
    for cell in release.cells:
        m = CALL.search(cell.source) if cell.cell_type == "code" else None
        if m:
            out[m.group(1)] = (m.group(2), int(m.group(3) or 0))
    return out


def _answered(release, keys: dict, variant, blank: dict[str, str] | None = None, short_text: str = "已作答。"):
    """The release with answer cells from the keys' variants (``variant(grade_id)``), written answers
    filled with ``short_text``, then the sources of ``blank`` put over them."""
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        md = cell.get("metadata", {}).get("nbgrader", {})
        gid = md.get("grade_id")
        if gid in keys["answers"]:
            cell.source = keys["answers"][gid][variant(gid)]
        elif md.get("solution") and cell.cell_type == "markdown" and short_text is not None:
            cell.source = cell.source.splitlines()[0] + "\n" + short_text
        if gid in (blank or {}):
            cell.source = blank[gid]
    return nb


def _short_ids(keys: dict) -> list[str]:
    return sorted(keys.get("manual", {}))


@pytest.mark.slow
def test_validate_names_the_unanswered_questions_and_never_the_right_ones(exams, tmp_path):
    course, keys = exams["course"], exams["keys"][THEORY]
    env = _env(exams["base"])
    release = course.release_notebook(THEORY)
    every = set(keys["questions"])
    kinds = _kinds(release)
    assert set(kinds) | set(_short_ids(keys)) == every

    # (a) the blank release: Validate fails and names every question
    blank = validate(release, tmp_path / "blank", THEORY, env)
    assert blank["failed"] and not blank["passed"]
    assert blank["named"] == every

    # (b) every question answered: passes — and exactly the same output when every answer is wrong
    right = validate(_answered(release, keys, lambda g: "correct"), tmp_path / "right", THEORY, env)
    wrong = validate(_answered(release, keys, lambda g: "wrong"), tmp_path / "wrong", THEORY, env)
    assert right["passed"] and not right["failed"] and not right["named"]
    assert wrong["out"] == right["out"]  # Validate cannot tell a right paper from a wrong one

    # (c) partly answered: only the missing or unreadable ones are named
    by_kind = {k: sorted(g for g, (kind, _) in kinds.items() if kind == k) for k in ("single", "multiple", "truefalse")}
    single = by_kind["single"]
    opts = kinds[single[2]][1]
    holes = {
        single[0]: f'{single[0]} = ""',                          # the untouched stub
        single[1]: f'{single[1]} = "AB"',                        # two letters on a single choice
        single[2]: f'{single[2]} = "{chr(ord("A") + opts)}"',    # a letter beyond the options
        by_kind["multiple"][0]: f"{by_kind['multiple'][0]} = []",
        by_kind["truefalse"][0]: f'{by_kind["truefalse"][0]} = "也许"',
        by_kind["truefalse"][1]: "# 删掉了答题那一行",
    }
    partial = _answered(release, keys, lambda g: ("correct", "partial", "wrong")[int(g[1:]) % 3], holes)
    short_left = _short_ids(keys)[1]
    for cell in partial.cells:  # one written answer left as released
        if cell.metadata.get("nbgrader", {}).get("grade_id") == short_left:
            cell.source = next(c.source for c in release.cells
                               if c.metadata.get("nbgrader", {}).get("grade_id") == short_left)
    got = validate(partial, tmp_path / "partial", THEORY, env)
    assert got["failed"] and got["named"] == set(holes) | {short_left}


def _named_by_lab(result: dict) -> set[str]:
    """The questions named by the failures the lab's Validate endpoint returned (as the panel shows them)."""
    named = set()
    for f in result.get("failed", []):
        short = re.search(r"\*\*第 (\d+) 题\(简答\)作答", f["source"])
        if short:
            named.add(f"q{int(short.group(1)):02d}")
            if f["raw_error"] != TP.NO_RESPONSE:  # the kit's check of an emptied written answer names it too
                assert f["raw_error"].startswith(f"⚠ 第 {short.group(1)} 题(简答)还没有作答"), f
            continue
        assert "⚠" in f["raw_error"] and "Traceback" not in f["raw_error"], f["raw_error"]
        found = re.search(r"⚠ 第 (\d+) (题|通工单)", f["raw_error"])
        named.add(f"q{int(found.group(1)):02d}" if found.group(2) == "题" else f"ticket{found.group(1)}")
    return named


@pytest.mark.slow
def test_the_labs_validate_button_in_the_bubblewrap_kernel(exams, tmp_path):
    """The Validate button posts to the trainee server's /assignments/validate, which runs nbgrader's
    Validator with the lab's kernel spec: bubblewrap, src/kefu only, seeds/ replaced by the public copy."""
    import signal

    from lab_server import Server, free_port

    course, keys, pkeys = exams["course"], exams["keys"][THEORY], exams["keys"][PRACTICAL]
    release, prel = course.release_notebook(THEORY), course.release_notebook(PRACTICAL)
    first = sorted(keys["answers"])[0]
    short = _short_ids(keys)
    heading = {g: _source_of(release, g).splitlines()[0] for g in short}
    # written answers emptied in four ways (the released stub deleted; only blanks under the heading; all
    # deleted; the heading deleted and the stub kept), the fifth written
    emptied = {short[0]: heading[short[0]] + "\n", short[1]: heading[short[1]] + "\n   \n \t",
               short[2]: "", short[3]: _source_of(release, short[3]).splitlines()[1]}
    models = {g: keys["manual"][g]["model_answer"] for g in short}
    right = _answered(release, keys, lambda g: "correct", {short[0]: heading[short[0]] + "\n",
                                                           **{g: f"{heading[g]}\n{models[g]}" for g in short[1:]}})
    wrong = _answered(release, keys, lambda g: "wrong", {short[0]: heading[short[0]] + "\n",
                                                         **{g: f"{heading[g]}\n不知道。" for g in short[1:]}})
    fields = list(_value(pkeys["answers"]["ticket2"]["correct"], "ticket2"))
    half_ticket = "ticket2 = {" + ", ".join(f'"{f}": "{"投诉" if i == 0 else ""}"' for i, f in enumerate(fields)) + "}"
    papers = {  # folder: (assignment, notebook, questions Validate must name)
        "blank": (THEORY, release, set(keys["questions"])),
        "one-left": (THEORY, _answered(release, keys, lambda g: "partial", {first: f'{first} = ""'}), {first}),
        "all-wrong": (THEORY, _answered(release, keys, lambda g: "wrong"), set()),
        "short-emptied": (THEORY, _answered(release, keys, lambda g: "correct", emptied), set(emptied)),
        # every answer right / every answer wrong, the same written answer emptied: identical replies
        "right-one-empty": (THEORY, right, {short[0]}),
        "wrong-one-empty": (THEORY, wrong, {short[0]}),
        "practical-blank": (PRACTICAL, prel, set(pkeys["answers"])),
        "practical-half": (PRACTICAL, _answered(prel, pkeys, lambda g: "correct", {"ticket2": half_ticket}), {"ticket2"}),
        # every field written, none of it right (the keys' "wrong" records leave the follow-up empty)
        "practical-full": (PRACTICAL, _filled(_answered(prel, pkeys, lambda g: "wrong")), set()),
    }
    home = tmp_path / "trainee"
    for folder, (aid, nb, _) in papers.items():
        (home / folder).mkdir(parents=True)
        nbformat.write(nb, home / folder / f"{aid}.ipynb")
    server = Server(["lab", "--home", str(home), "--no-browser", "--port", str(free_port())], tmp_path / "lab.log")
    try:
        spec = json.loads((home / ".kefu-lab" / "data" / "kernels" / "python3" / "kernel.json").read_text("utf-8"))
        assert spec["metadata"]["kefu_sandbox"] == "bwrap"
        replies = {}
        for folder, (aid, _, expected) in papers.items():
            status, reply = server.request("POST", "/assignments/validate", {"path": f"{folder}/{aid}.ipynb"},
                                           timeout=300)
            assert status == 200 and reply["success"], (folder, reply, server.log()[-3000:])
            assert _named_by_lab(reply["value"]) == expected, (folder, reply["value"])
            assert bool(reply["value"].get("failed")) == bool(expected)
            replies[folder] = reply
        assert replies["right-one-empty"] == replies["wrong-one-empty"]  # right or wrong: Validate cannot tell
        assert all(f["raw_error"] != TP.NO_RESPONSE for f in replies["short-emptied"]["value"]["failed"])
        fail = server.request("POST", "/assignments/validate", {"path": "practical-half/practical-exam.ipynb"},
                              timeout=300)[1]["value"]["failed"][0]["raw_error"]
        assert all(f in fail for f in fields[1:]) and fields[0] not in fail.split("还有", 1)[1]
        before, alive = server.stop(signal.SIGTERM)
        assert alive == [], f"left running: {alive}"
    finally:
        server.close()


def _source_of(nb, grade_id: str) -> str:
    return next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _filled(nb):
    """``nb`` with every empty text of its ticket records filled in."""
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.source.startswith("ticket"):
            cell.source = cell.source.replace(': ""', ': "稍后回电"')
    return nb


def _value(src: str, name: str):
    scope: dict = {}
    exec(src, {}, scope)  # a keys file's generated answer cell
    return scope[name]


def _explanations(course, aid: str, student: str) -> dict[str, str]:
    """{test cell: what the trusted scorer printed} in the autograded notebook."""
    nb = nbformat.read(course.root / "autograded" / student / aid / f"{aid}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: "".join(o.get("text", "") for o in c.outputs if o.output_type == "stream")
            for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}


@pytest.mark.slow
def test_autograde_scores_are_what_they_were_without_the_check(exams):
    """The same answers, graded on the trusted path with and without the visible check in the test
    cells, score the same in every cell; blank and unreadable answers 0, the others what the keys expect."""
    course, keys = exams["course"], exams["keys"][THEORY]
    kinds = _kinds(course.release_notebook(THEORY))
    cycle = ("correct", "partial", "wrong")
    chosen = {g: cycle[int(g[1:]) % 3] for g in keys["answers"]}
    single = sorted(g for g, (k, _) in kinds.items() if k == "single")
    multiple = sorted(g for g, (k, _) in kinds.items() if k == "multiple")
    tf = sorted(g for g, (k, _) in kinds.items() if k == "truefalse")
    # answers the check refuses (blank, unreadable, wrong type): the trusted scorer still gets them
    holes = {single[0]: f'{single[0]} = ""', single[1]: f'{single[1]} = "AB"', multiple[0]: f"{multiple[0]} = []",
             tf[0]: f'{tf[0]} = "也许"', tf[1]: f"{tf[1]} = 1"}
    # a multiple choice typed as one text "A、C": answered for the check, read by the marker as ["A", "C"]
    right = _value(keys["answers"][multiple[1]]["correct"], multiple[1])
    holes[multiple[1]] = f'{multiple[1]} = "{"、".join(right)}"'
    scores = {}
    for aid in (THEORY, NOCHECK):
        nb = _answered(course.release_notebook(aid), keys, chosen.get, holes, short_text="客户来电时先问候。")
        course.submit(aid, "kf-mixed", nb)
        scores[aid] = course.autograde(aid, "kf-mixed")
    assert scores[THEORY] == scores[NOCHECK]
    # and the trusted scorer explained each answer the same way (it received the same answers)
    assert _explanations(course, THEORY, "kf-mixed") == _explanations(course, NOCHECK, "kf-mixed")
    got = {gid.removesuffix("-check"): s for gid, s in scores[THEORY].items()}
    for gid in holes:
        if gid != multiple[1]:
            assert got[gid] == 0, gid
    assert got[multiple[1]] == keys["expected"][multiple[1]]["correct"] > 0
    for gid, variant in chosen.items():
        if gid not in holes:
            assert got[gid] == pytest.approx(keys["expected"][gid][variant]), gid
    # the blank release still scores 0 on the trusted path
    course.submit(THEORY, "kf-blank", course.release_notebook(THEORY))
    assert sum(course.autograde(THEORY, "kf-blank").values()) == 0
