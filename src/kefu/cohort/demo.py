"""``kefu demo``: a simulated cohort walks the whole workflow through nbgrader's real exchange.

init → release → each trainee fetches, answers (right, partly right, rude, blank) and submits with
simulated timestamps → collect → autograde → a simulated grader scores short answers and the practical
→ retakes (one refused for coming too early) → feedback → gradebook, charts and an Excel file.
Every path is walked: first-time pass, retake pass, retake fail → retrain, practical fail.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import simulate as S
from .config import CohortError, ensure_bin_on_path

#: a folder holding this file was made by ``kefu demo`` (which may then replace its contents)
DEMO_MARKER = ".kefu-demo"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["思雨", "浩然", "欣怡", "子涵", "宇轩", "佳琪", "俊杰", "雨桐", "梓萱", "明轩", "若曦", "博文",
         "晓彤", "嘉怡", "天佑", "诗涵", "一鸣", "梦洁", "子墨", "可欣"]


@dataclass(frozen=True)
class Profile:
    key: str
    label: str
    chapters: S.Level
    theory: S.Level
    retake: S.Level | None
    practical: S.Level
    late_theory: bool = False
    early_retake: bool = False


PROFILES = [
    Profile("star", "首考通过", S.GOOD, S.PASS, None, S.PASS),
    Profile("retake-pass", "补考通过", S.FAIR, S.FAIL, S.PASS, S.PASS),
    Profile("retake-fail", "补考未过", S.FAIR, S.FAIL, S.FAIL, S.PASS, early_retake=True),
    Profile("practical-fail", "实操未过", S.GOOD, S.PASS, None, S.PRACTICAL_FAIL),
    Profile("late", "首考迟交", S.FAIR, S.PASS, S.PASS, S.PASS, late_theory=True),
    Profile("steady", "稳定", S.GOOD, S.PASS, None, S.GOOD),
]


def _say(msg: str) -> None:
    print(msg, flush=True)


@contextlib.contextmanager
def _stderr_to(path: Path):
    """Send this process's (and its kernels') stderr to a log file for the duration."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _autograder() -> tuple[Callable, str]:
    """kefu.autograde.autograde when AUTOGRADE has delivered it, else nbgrader's stock autograde."""
    try:
        from kefu.autograde import autograde as fast  # type: ignore[attr-defined]

        def run(course: Path, assignment: str, students: list[str]) -> list[tuple]:
            res = fast(course, assignment=assignment, students=students, progress=True)
            return list(getattr(res, "failed", []) or [])

        return run, "kefu autograde(并行)"
    except ImportError:
        pass

    def stock(course: Path, assignment: str, students: list[str]) -> list[tuple]:
        from nbgrader.apps import NbGraderAPI

        from .config import load_config
        from .workflow import _coursedir

        cfg = load_config(course)
        api = NbGraderAPI(coursedir=_coursedir(course, cfg), config=cfg)
        failed = []
        for i, sid in enumerate(students, 1):
            with _stderr_to(course / "autograde.log"):
                res = api.autograde(assignment, sid, force=True, create=True)
            print(f"\r    自动评分 {assignment}: {i}/{len(students)}", end="", flush=True)
            if not res["success"]:
                failed.append((sid, assignment, (res.get("error") or "")[-300:]))
        print(flush=True)
        return failed

    return stock, "nbgrader autograde(逐份)"


def _assignments(out: Path) -> tuple[Path, list[str]]:
    """Assignments the demo uses: the kit's real ones plus labelled placeholders for missing exams."""
    from .create import exam_ids, repo_root

    real = repo_root() / "assignments"
    used = out / "_assignments"
    if used.exists():
        shutil.rmtree(used)
    used.mkdir(parents=True)
    placeholders = []
    if real.is_dir():
        for p in real.iterdir():
            if p.is_dir() and not p.name.startswith("."):
                shutil.copytree(p, used / p.name)
    for kind, aid in exam_ids().items():
        if not (used / aid).is_dir():
            S.placeholder_exam(used, aid, kind)
            placeholders.append(aid)
    return used, placeholders


def _roster(path: Path, n: int, rng: random.Random, start: dt.date) -> list[dict]:
    people = []
    names = set()
    while len(people) < n:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name in names:
            continue
        names.add(name)
        people.append({"工号": f"KF{len(people) + 1:03d}", "姓名": name, "班组": f"{len(people) % 3 + 1}组",
                       "入职日期": start.isoformat()})
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(people[0]))
        w.writeheader()
        w.writerows(people)
    return people


def prepare_out(out: str | Path) -> Path:
    """The demo's output folder: new, empty, or one an earlier demo made (its marker file) and whose
    previous results it may replace. Anything else is refused: it may be a real cohort or a trainee's
    notes, and the demo deletes what it replaces."""
    out = Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise CohortError(f"{out}: 已存在同名文件,演示需要一个文件夹;请换一个 --out")
    if out.is_dir() and any(out.iterdir()):
        if not (out / DEMO_MARKER).is_file():
            raise CohortError(
                f"{out}: 文件夹不是空的,也不是 kefu demo 建的;为免删除或覆盖里面的内容,演示不会写入这里。"
                "请用 --out 指定一个新的或空的文件夹"
            )
        for p in out.iterdir():
            if p.name != DEMO_MARKER:
                shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
    out.mkdir(parents=True, exist_ok=True)
    (out / DEMO_MARKER).write_text("此文件夹由 kefu demo 创建;重新运行演示会替换其中的内容。\n", encoding="utf-8")
    return out


def run_demo(out: str | Path, trainees: int = 8, seed: int = 7, chapters: int | None = None) -> dict:
    """Run the whole simulation into ``out``; returns a summary (also written to out/summary.json).

    ``chapters`` limits how many chapter assignments the cohort does (tests use 1)."""
    from zoneinfo import ZoneInfo

    from kefu.gradebook import export
    from kefu.gradebook.data import build_report, summary
    from kefu.gradebook.plots import write_plots

    from .create import exam_ids, init_cohort, load_meta, programme_assignments
    from .provenance import simulated_clock
    from .workflow import collect, feedback, fetch, release, submit

    if trainees < len(PROFILES) - 1:
        raise CohortError(f"演示至少需要 {len(PROFILES) - 1} 名学员才能走完所有情形,收到 {trainees}")
    import warnings

    warnings.filterwarnings("ignore", message=".*not in session.*")
    t0 = time.monotonic()
    ensure_bin_on_path()
    rng = random.Random(seed)
    out = prepare_out(out)
    course = out / "cohort"
    homes = out / "trainees"
    ids = exam_ids()

    _say("【1/8】准备作业与学员名单")
    adir, placeholders = _assignments(out)
    if placeholders:
        _say(f"    ! 正式试卷尚未编写,使用占位试卷演示:{'、'.join(placeholders)}")
    start = dt.date(2025, 3, 3)
    people = _roster(out / "roster.csv", trainees, rng, start)
    meta = init_cohort(course, out / "roster.csv", course_id="kefu-demo", assignments_dir=adir)
    tz = ZoneInfo(meta["timezone"])
    sched = meta["schedule"]
    theory_at = dt.datetime.fromisoformat(sched["theory_at"])
    retake_at = dt.datetime.fromisoformat(sched["retake_at"])
    present = meta["assignments"]
    chapter_list = [(aid, day) for aid, kind, day in programme_assignments() if kind == "chapter" and aid in present]
    chapters = chapter_list if chapters is None else chapter_list[:chapters]
    _say(f"    学员 {len(people)} 人,章节作业 {len(chapters)} 份,考试 {sum(a in present for a in ids.values())} 份")
    profile = {p["工号"]: PROFILES[i % len(PROFILES)] for i, p in enumerate(people)}

    _say("【2/8】发布作业(生成学员版 → 交换文件夹)")
    for aid in [a for a, _ in chapters] + [ids["theory"], ids["practical"]]:
        release(course, aid)
        _say(f"    ✓ {aid}")

    _say("【3/8】学员领取、作答、提交")
    events: list[str] = []
    first_times: dict[str, dt.datetime] = {}
    for n, person in enumerate(people, 1):
        sid = person["工号"]
        prof = profile[sid]
        home = homes / sid
        for aid, day in chapters:
            fetch(course, sid, aid, home)
            S.answer_notebook(next((home / aid).glob("*.ipynb")), S.load_keys(adir, aid), prof.chapters, rng)
            when = dt.datetime.combine(start + dt.timedelta(days=(day or 1) - 1), dt.time(16, 30), tz)
            submit(course, sid, aid, home, when=when + dt.timedelta(minutes=rng.randint(0, 50)))
        fetch(course, sid, ids["theory"], home)
        S.answer_notebook(next((home / ids["theory"]).glob("*.ipynb")), S.load_keys(adir, ids["theory"]),
                          prof.theory, rng)
        from kefu.seeds import load

        minutes = load("exam.yml").theory.minutes
        offset = minutes + rng.randint(5, 30) if prof.late_theory else rng.randint(40, minutes - 5)
        first_times[sid] = theory_at + dt.timedelta(minutes=offset)
        submit(course, sid, ids["theory"], home, when=first_times[sid])
        fetch(course, sid, ids["practical"], home)
        S.answer_notebook(next((home / ids["practical"]).glob("*.ipynb")), S.load_keys(adir, ids["practical"]),
                          prof.practical, rng)
        submit(course, sid, ids["practical"], home, when=theory_at + dt.timedelta(days=1, minutes=rng.randint(0, 240)))
        print(f"\r    {n}/{len(people)} 名学员已提交", end="", flush=True)
    print(flush=True)

    autograde, how = _autograder()
    failures: list[tuple] = []

    def grade_round(aids: list[str], label: str) -> None:
        _say(f"【{label}】收取 → 自动评分({how})→ 人工阅卷")
        for aid in aids:
            # simulated trainees submit at simulated times: the demo's clock is theirs
            rep = collect(course, aid, clock=simulated_clock)
            for sid, _, minutes in rep.late:
                events.append(f"{sid} 的 {aid} 迟交 {minutes:.0f} 分钟,按规定记 0 分")
            for sid, _, reason in rep.refused:
                events.append(f"拒收:{reason}")
            students = sorted({s for s, a, _ in rep.collected})
            _say(f"    {aid}: 收取 {len(rep.collected)} 份,拒收 {len(rep.refused)} 份")
            if students:
                failures.extend(autograde(course, aid, students))
                for sid in students:
                    prof = profile[sid]
                    level = {ids["practical"]: prof.practical, ids["retake"]: prof.retake or prof.theory}.get(
                        aid, prof.theory if aid == ids["theory"] else prof.chapters)
                    S.grade_manually(course, aid, sid, level.manual, rng)

    grade_round([a for a, _ in chapters] + [ids["theory"], ids["practical"]], "4/8")

    _say("【5/8】补考:首考未通过的学员在规定天数之后补考")
    report = build_report(course)
    due = [t["id"] for t in report["trainees"] if t["theory"]["status"] == "retake_due"]
    if ids["retake"] in present:
        release(course, ids["retake"])
        for sid in due:
            prof = profile[sid]
            home = homes / sid
            fetch(course, sid, ids["retake"], home)
            S.answer_notebook(next((home / ids["retake"]).glob("*.ipynb")), S.load_keys(adir, ids["retake"]),
                              prof.retake or S.FAIR, rng)
            if prof.early_retake:
                try:
                    submit(course, sid, ids["retake"], home, when=first_times[sid] + dt.timedelta(days=2))
                except CohortError as exc:
                    events.append(f"提交时拒绝:{exc}")
                    _say(f"    ✗ {exc}")
            submit(course, sid, ids["retake"], home, when=retake_at + dt.timedelta(minutes=rng.randint(30, 80)))
        _say(f"    {len(due)} 名学员参加补考")
        grade_round([ids["retake"]], "6/8")
    else:
        _say("    ! 补考试卷不存在,跳过")

    _say("【7/8】生成并发放反馈")
    try:
        feedback(course)
        _say("    ✓ 反馈已发放(不含隐藏测试)")
    except CohortError as exc:
        events.append(f"反馈未生成:{exc}")
        _say(f"    ! {exc}")

    # the two weeks of coached practice after the classroom (QA scorecards, call logs, the trial phase):
    # 可上岗 needs them as well as both exams
    from kefu.practice.simulate import simulate as simulate_practice

    simulate_practice(course, seed=seed)
    _say("    ✓ 两周跟踪辅导:每位学员第 1–14 天的质检评分与通话记录(含试接)已记录")

    _say("【8/8】成绩册、图表与 Excel")
    report = build_report(course)
    (out / "gradebook.json").write_text(export.to_json(report), encoding="utf-8")
    export.write_csv(report, out / "成绩册.csv")
    export.write_xlsx(report, out / "成绩册.xlsx")
    plots = write_plots(report, out / "plots")
    print(export.table(report))
    summ = summary(report)
    reached = {
        "首考通过": summ["theory"]["passed"] > 0,
        "补考通过": summ["theory"]["retake_passed"] > 0,
        "补考未过→重新培训": summ["theory"]["failed_retrain"] > 0,
        "实操未通过": summ["practical"]["failed"] > 0,
        load("exam.yml").certification.label: summ["overall"]["certified"] > 0,
    }
    weak = [it["question"] for it in report["items"] if it["weak"]]
    result = {
        "trainees": len(people), "placeholders": placeholders, "autograde": how,
        "summary": summ, "paths_reached": reached, "events": events,
        "autograde_failures": [list(map(str, f)) for f in failures], "weak_questions": weak,
        "plots": [p.name for p in plots], "seconds": round(time.monotonic() - t0, 1),
        "meta": {k: load_meta(course)[k] for k in ("course_id", "schedule")},
    }
    (out / "summary.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    for e in events:
        _say(f"  · {e}")
    for k, ok in reached.items():
        _say(f"  {'✓' if ok else '✗'} {k}")
    if weak:
        _say(f"  试题分析:建议复查 {len(weak)} 道题({'、'.join(weak[:8])}{'…' if len(weak) > 8 else ''})")
    _say(f"完成:{out}(成绩册.xlsx、成绩册.csv、gradebook.json、plots/),用时 {result['seconds']} 秒")
    return result
