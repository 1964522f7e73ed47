"""A cohort folder through nbgrader's real exchange: init, release, fetch, submit, collect with the
exam policy (late, unknown trainee, retake too early, second retake), autograde, gradebook report.

The calendar rules need submissions days apart, so these simulated trainees submit at simulated times
and collect uses the simulation's clock (``provenance.simulated_clock``); tests/test_exam_integrity.py
drives the real clock (ctime) through the CLI."""
from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest

from kefu.cohort import CohortError, load_config
from kefu.cohort import simulate as S
from kefu.cohort import workflow as W
from kefu.cohort.create import exam_ids, init_cohort
from kefu.cohort.provenance import simulated_clock
from kefu.seeds import load

pytestmark = pytest.mark.slow

RULES = load("exam.yml").theory
IDS = exam_ids()


def _answer(course, home, sid, aid, adir, level, when, **kw):
    W.fetch(course, sid, aid, home / sid)
    S.answer_notebook(next((home / sid / aid).glob("*.ipynb")), S.load_keys(adir, aid), level, random.Random(1))
    return W.submit(course, sid, aid, home / sid, when=when, **kw)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    root = tmp_path_factory.mktemp("cohort")
    adir = root / "assignments"
    for kind, aid in IDS.items():
        S.placeholder_exam(adir, aid, kind)
    roster = root / "roster.csv"
    roster.write_text("工号,姓名,班组,入职日期\nKF001,王一,1组,2025-03-03\nKF002,李二,1组,2025-03-03\n"
                      "KF003,张三,2组,2025-03-03\n", encoding="utf-8")
    course = root / "course"
    meta = init_cohort(course, roster, course_id="wf-test", assignments_dir=adir)
    return root, course, adir, meta


def test_init_writes_an_nbgrader_course(cohort):
    from nbgrader.api import Gradebook

    root, course, adir, meta = cohort
    cfg = load_config(course)
    assert cfg.CourseDirectory.course_id == "wf-test"
    assert cfg.CourseDirectory.db_url == f"sqlite:///{course / 'gradebook.db'}"
    assert Path(cfg.Exchange.root) == course / "exchange"
    assert (course / "source" / IDS["theory"]).is_dir()
    assert not (course / "source" / "_keys").exists()
    theory_at = dt.datetime.fromisoformat(meta["schedule"]["theory_at"])
    with Gradebook(cfg.CourseDirectory.db_url, "wf-test") as gb:
        assert sorted(s.id for s in gb.students) == ["KF001", "KF002", "KF003"]
        due = gb.find_assignment(IDS["theory"]).duedate
    expected = (theory_at + dt.timedelta(minutes=RULES.minutes)).astimezone(dt.timezone.utc).replace(tzinfo=None)
    assert due == expected


def test_workflow_and_policy(cohort):
    from kefu.cohort.demo import _autograder
    from kefu.gradebook.data import build_report

    root, course, adir, meta = cohort
    home = root / "home"
    theory_at = dt.datetime.fromisoformat(meta["schedule"]["theory_at"])
    retake_at = dt.datetime.fromisoformat(meta["schedule"]["retake_at"])
    due = theory_at + dt.timedelta(minutes=RULES.minutes)

    with pytest.raises(CohortError, match="没有这个作业"):
        W.release(course, "no-such-assignment")
    W.release(course, IDS["theory"])
    with pytest.raises(CohortError, match="已经发布过"):
        W.release(course, IDS["theory"])
    with pytest.raises(CohortError, match="不在本班名单"):
        W.fetch(course, "KF999", IDS["theory"], home / "KF999")
    with pytest.raises(CohortError, match="已发布的作业"):
        W.fetch(course, "KF001", IDS["retake"], home / "KF001")

    _answer(course, home, "KF001", IDS["theory"], adir, S.PASS, theory_at + dt.timedelta(minutes=40))
    _answer(course, home, "KF002", IDS["theory"], adir, S.Level(correct=0.0, wrong=1.0, manual=0.3),
            theory_at + dt.timedelta(minutes=50))
    _answer(course, home, "KF003", IDS["theory"], adir, S.PASS, due + dt.timedelta(minutes=20))
    # a submission from someone not on the roster lands in the exchange
    cfg = load_config(course)
    inbound = Path(cfg.Exchange.root) / "wf-test" / "inbound"
    src = next(inbound.glob(f"KF001+{IDS['theory']}+*"))
    shutil.copytree(src, inbound / src.name.replace("KF001", "ghost", 1))

    rep = W.collect(course, IDS["theory"], clock=simulated_clock)
    assert sorted(s for s, _, _ in rep.collected) == ["KF001", "KF002", "KF003"]
    assert [s for s, _, _ in rep.late] == ["KF003"] and rep.late[0][2] == pytest.approx(20, abs=0.1)
    assert [s for s, _, _ in rep.refused] == ["ghost"] and "不在本班名单" in rep.refused[0][2]
    assert (inbound / src.name.replace("KF001", "ghost", 1)).is_dir()  # left where it was

    autograde, _ = _autograder()
    assert autograde(course, IDS["theory"], ["KF001", "KF002", "KF003"]) == []
    for sid in ("KF001", "KF002", "KF003"):
        S.grade_manually(course, IDS["theory"], sid, 0.9 if sid != "KF002" else 0.3, random.Random(0))
    report = {t["id"]: t for t in build_report(course)["trainees"]}
    assert report["KF001"]["theory"]["status"] == "passed"
    assert report["KF002"]["theory"]["status"] == "retake_due"
    assert report["KF003"]["theory"]["status"] == "retake_due"  # late exam scores zero
    assert report["KF003"]["theory"]["attempts"][0]["score"] == 0
    first_score = report["KF001"]["theory"]["attempts"][0]["score"]

    # the retake: too early is refused at submit and, if it gets into the exchange, at collect
    W.release(course, IDS["retake"])
    early = theory_at + dt.timedelta(days=RULES.retake_min_days - 2)
    with pytest.raises(CohortError, match=f"至少 {RULES.retake_min_days} 天"):
        _answer(course, home, "KF002", IDS["retake"], adir, S.PASS, early)
    W.submit(course, "KF002", IDS["retake"], home / "KF002", when=early, check_policy=False)
    _answer(course, home, "KF001", IDS["retake"], adir, S.PASS, retake_at, check_policy=False)
    rep = W.collect(course, IDS["retake"], clock=simulated_clock)
    assert rep.collected == []
    reasons = dict((s, r) for s, _, r in rep.refused)
    assert "无需补考" in reasons["KF001"] and "最早" in reasons["KF002"]
    assert not (course / "submitted" / "KF002" / IDS["retake"]).exists()

    W.submit(course, "KF002", IDS["retake"], home / "KF002", when=retake_at + dt.timedelta(minutes=30))
    rep = W.collect(course, IDS["retake"], clock=simulated_clock)
    assert [s for s, _, _ in rep.collected] == ["KF002"]
    stamp = (course / "submitted" / "KF002" / IDS["retake"] / "timestamp.txt").read_text()
    # a second retake on another day is refused; the first retake stays
    W.submit(course, "KF002", IDS["retake"], home / "KF002", when=retake_at + dt.timedelta(days=3),
             check_policy=False)
    rep = W.collect(course, IDS["retake"], clock=simulated_clock)
    assert rep.collected == [] and "只允许" in dict((s, r) for s, _, r in rep.refused)["KF002"]
    assert (course / "submitted" / "KF002" / IDS["retake"] / "timestamp.txt").read_text() == stamp

    # a graded first attempt is not replaced by a later resubmission
    W.submit(course, "KF001", IDS["theory"], home / "KF001", when=theory_at + dt.timedelta(days=1),
             check_policy=False)
    rep = W.collect(course, IDS["theory"], clock=simulated_clock)
    assert rep.collected == [] and any(s == "KF001" and "已锁定" in r for s, _, r in rep.refused)
    report = {t["id"]: t for t in build_report(course)["trainees"]}
    assert report["KF001"]["theory"]["attempts"][0]["score"] == first_score
