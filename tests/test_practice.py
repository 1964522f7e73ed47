"""Coached practice: `kefu practice record/report/simulate` through the CLI on a real cohort folder, the
trial rule of seeds/programme.yml, practice_status() for 可上岗, bad input."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from kefu import qa
from kefu.cohort import simulate as S
from kefu.cohort.create import exam_ids, init_cohort
from kefu.seeds import load

RULE = load("programme.yml").practice_certification
PHASES = {p.id: p for p in load("programme.yml").phases}
TRIAL = PHASES[RULE.trial_phase]
QA_PASS = load("qa_rubric.yml").pass_rule.score
ITEMS = qa.items()


def report(course):
    from kefu.practice import summarise

    return summarise(course)


def kefu(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kefu.cli.main", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("practice")
    adir = root / "assignments"
    for kind, aid in exam_ids().items():
        S.placeholder_exam(adir, aid, kind)
    roster = root / "roster.csv"
    roster.write_text("工号,姓名,班组,入职日期\nKF001,王一,1组,2025-03-03\nKF002,李二,1组,2025-03-03\n"
                      "KF003,张三,2组,2025-03-03\nKF004,赵四,2组,2025-03-03\n", encoding="utf-8")
    course = root / "course"
    init_cohort(course, roster, course_id="practice-test", assignments_dir=adir)
    return course


@pytest.fixture
def course(base, tmp_path):
    c = tmp_path / "c"
    shutil.copytree(base, c)
    return c


def full_pairs(lose: dict[str, float] | None = None) -> list[str]:
    lose = lose or {}
    return [f"--qa={i.id}={i.points - lose.get(i.id, 0):g}" for i in ITEMS]


@pytest.mark.slow
def test_record_qa_pairs_and_report(course):
    item = ITEMS[0]
    r = kefu("practice", "record", "--course", str(course), "--trainee", "KF001", "--day", "2",
             *full_pairs({item.id: item.points}))
    assert r.returncode == 0, r.stderr
    expected = qa.score_call({item.id: item.points}).score
    assert f"{expected:g}" in r.stdout
    rep = report(course)
    assert rep["KF001"]["trend"][1] == expected and rep["KF001"]["trend"][0] is None
    assert len(rep["KF001"]["trend"]) == RULE.days
    assert rep["KF002"]["calls"] == 0 and not rep["KF002"]["ready"]
    # titles are accepted as well as ids; a scorecard file (CSV) works the same
    card = course.parent / "card.csv"
    card.write_text("项目,得分\n" + "".join(f"{i.title},{i.points:g}\n" for i in ITEMS), encoding="utf-8")
    r = kefu("practice", "record", "--course", str(course), "-t", "KF001", "-d", "3", "--scorecard", str(card))
    assert r.returncode == 0, r.stderr
    rep = report(course)
    assert rep["KF001"]["trend"][2] == qa.score_call({}).score


@pytest.mark.slow
def test_call_log_recorded_with_kpis(course, tmp_path):
    from kefu.data import generate_calls, write_calls
    from kefu.kpi import compute

    frame = generate_calls(agents=1, days=1, seed=4, calls_per_day=20)
    path = write_calls(frame, tmp_path / "calls.csv")
    r = kefu("practice", "record", "--course", str(course), "-t", "KF002", "-d", "5", "--calls", str(path))
    assert r.returncode == 0, r.stderr
    m = next(iter(compute(frame)["agents"].values()))
    rep = report(course)
    assert rep["KF002"]["kpi"]["calls"] == m["calls"] and rep["KF002"]["kpi_day"] == 5
    text = kefu("practice", "report", "--course", str(course)).stdout
    assert "KF002" in text and "试接" in text and TRIAL.title in text


@pytest.mark.slow
@pytest.mark.parametrize("args, words", [
    (["--qa", "no-such-item=3"], ["no-such-item", "质检评分表"]),
    (["--qa", f"{ITEMS[0].id}=abc"], [ITEMS[0].id, "数字"]),
    (["--qa", f"{ITEMS[0].id}=999"], [ITEMS[0].id, "之间"]),
    (["--day", "15", "--qa", f"{ITEMS[0].id}=1"], ["1–14"]),
    ([], ["至少一项"]),
])
def test_bad_input_is_a_chinese_error_and_stores_nothing(course, args, words):
    base = ["practice", "record", "--course", str(course), "-t", "KF001"]
    if "--day" not in args:
        base += ["--day", "1"]
    r = kefu(*base, *args)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    for w in words:
        assert w in r.stderr
    assert report(course)["KF001"]["calls"] == 0


def test_unknown_trainee_and_bad_pairs(course):
    from kefu.practice.record import record
    from kefu.practice.store import PracticeError

    with pytest.raises(PracticeError, match="项目=得分"):
        record(course, "KF001", 1, pairs=["opening"])
    with pytest.raises(PracticeError, match="missing.csv"):
        record(course, "KF001", 1, scorecard=course / "missing.csv")
    r = kefu("practice", "record", "--course", str(course), "-t", "KF999", "-d", "1", *full_pairs())
    assert r.returncode == 1 and "KF999" in r.stderr and "名单" in r.stderr


def test_trial_rule_from_programme(course):
    from kefu.practice import practice_status
    from kefu.practice.store import add_scorecard

    perfect = qa.score_call({})
    for day in range(1, RULE.min_practice_days + 1):  # enough practice days, all before the trial phase ends
        add_scorecard(course, "KF001", day, {}, perfect.score, True, [])
    status = practice_status(course)
    need = RULE.trial_min_calls - sum(1 for d in range(1, RULE.min_practice_days + 1)
                                     if TRIAL.first_day <= d <= TRIAL.last_day)
    for k in range(max(0, need)):
        add_scorecard(course, "KF001", TRIAL.last_day, {}, perfect.score, True, [])
    status = practice_status(course)
    assert status["KF001"]["ready"], status["KF001"]
    assert not status["KF002"]["ready"] and status["KF002"]["reasons"]
    # one critical failure in the trial blocks it
    crit = next(i for i in ITEMS if getattr(i, "critical", False))
    bad = qa.score_call({crit.id: crit.points})
    assert bad.critical_failed
    add_scorecard(course, "KF001", TRIAL.first_day, {}, bad.score, bad.passed, bad.critical_failed)
    status = practice_status(course)
    assert not status["KF001"]["ready"] and any("关键项" in r for r in status["KF001"]["reasons"])


def test_trial_mean_below_pass_blocks(course):
    from kefu.practice import practice_status
    from kefu.practice.store import add_scorecard

    low = QA_PASS - 5
    for day in range(TRIAL.first_day, TRIAL.last_day + 1):
        add_scorecard(course, "KF003", day, {}, low, False, [])
    for day in range(1, TRIAL.first_day):
        add_scorecard(course, "KF003", day, {}, 95, True, [])
    st = practice_status(course)["KF003"]
    assert not st["ready"] and st["trial_mean"] == low
    assert any("平均质检分" in r for r in st["reasons"])


@pytest.mark.slow
def test_simulated_two_weeks_show_per_trainee(course):
    r = kefu("practice", "simulate", "--course", str(course), "--seed", "1")
    assert r.returncode == 0, r.stderr
    rep = json.loads(kefu("practice", "report", "--course", str(course), "--json").stdout)
    text = kefu("practice", "report", "--course", str(course)).stdout
    assert all(t in text for t in rep) and "试接" in text
    # 可上岗 combines the gradebook (no exam taken in this cohort) with the practice verdict
    assert "可上岗" in text and all(s["exams_certified"] is False and s["ready_for_duty"] is False
                                    for s in rep.values())
    assert list(rep) == ["KF001", "KF002", "KF003", "KF004"]
    for t, s in rep.items():
        assert len(s["trend"]) == RULE.days and s["days_practised"] >= RULE.min_practice_days - 2
        assert [p["id"] for p in s["phases"]] == list(PHASES)
    # the slow learner (every fourth trainee) ends below the others in the trial and is not ready
    slow = rep["KF004"]
    assert not slow["ready"]
    assert slow["trial"]["mean"] < min(rep[t]["trial"]["mean"] for t in ("KF001", "KF002", "KF003"))
    assert any(rep[t]["ready"] for t in ("KF001", "KF002", "KF003"))
    # the learning curve: the trial phase's mean is above the first phase's for a normal learner
    first = rep["KF001"]["phases"][0]["mean"]
    assert rep["KF001"]["trial"]["mean"] > first


def test_damaged_practice_db_is_a_chinese_error_and_kept(course):
    from kefu.practice import summarise
    from kefu.practice.record import record
    from kefu.practice.store import PracticeError, db_path

    db_path(course).write_bytes(b"not a database" * 100)
    with pytest.raises(PracticeError, match="练习记录数据库无法读取"):
        summarise(course)
    with pytest.raises(PracticeError, match="practice.db"):
        record(course, "KF001", 1, pairs=[f"{ITEMS[0].id}=1"])
    assert db_path(course).read_bytes() == b"not a database" * 100


def test_gradebook_holds_back_certification_until_the_practice_is_done(course):
    """可上岗 in the gradebook: both exams passed is not enough without the coached practice."""
    from kefu.gradebook.readiness import apply_practice
    from kefu.practice.simulate import simulate

    assert "practice" in load("exam.yml").certification.requires
    ids = ["KF001", "KF002", "KF003", "KF004"]
    exams_passed = lambda: {"trainees": [{"id": t, "status": "certified"} for t in ids]  # noqa: E731
                            + [{"id": "KF009", "status": "retrain"}]}
    before = apply_practice(exams_passed(), course)
    assert [t["status"] for t in before["trainees"]] == ["practice_pending"] * 4 + ["retrain"]
    assert all(t["practice"]["reasons"] for t in before["trainees"])
    simulate(course, seed=1)
    after = {t["id"]: t for t in apply_practice(exams_passed(), course)["trainees"]}
    ready = {t for t in ids if report(course)[t]["ready"]}
    assert ready and "KF004" not in ready  # the simulated slow learner fails the trial
    for t in ids:
        assert after[t]["status"] == ("certified" if t in ready else "practice_pending")
    assert after["KF009"]["status"] == "retrain"  # practice never lifts a failed exam
