"""``kefu practice record|report|simulate`` — the two weeks of coached practice after the classroom."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

practice_app = typer.Typer(help="跟踪辅导:记录学员每天的质检评分和通话记录,查看走势和试接结论。", no_args_is_help=True)
COURSE_OPT = typer.Option(Path("."), "--course", "-c", help="培训班文件夹(默认当前文件夹)")


def _fail(msg: str) -> None:
    typer.echo(f"✗ {msg}", err=True)
    raise typer.Exit(1)


@practice_app.command("record")
def record(
    trainee: str = typer.Option(..., "--trainee", "-t", help="学员工号"),
    day: int = typer.Option(..., "--day", "-d", help="跟踪辅导第几天(1–14)"),
    scorecard: Optional[Path] = typer.Option(None, "--scorecard", help="质检评分表文件(.csv 项目,得分 / .json / .yml)"),
    qa: Optional[List[str]] = typer.Option(None, "--qa", help="项目=得分,可写多次,例如 --qa opening-closing=8"),
    calls: Optional[Path] = typer.Option(None, "--calls", help="通话记录(.csv/.xlsx,kefu kpi 的格式)"),
    course: Path = COURSE_OPT,
) -> None:
    """记录一通电话的质检评分和/或一天的通话记录(KPI)。"""
    from kefu.cohort.config import CohortError
    from kefu.practice.record import record as _record
    from kefu.practice.store import PracticeError

    try:
        res = _record(course, trainee, day, scorecard=scorecard, pairs=list(qa or []), calls=calls)
    except (PracticeError, CohortError) as exc:
        _fail(str(exc))
    if "qa" in res:
        r = res["qa"]
        typer.echo(f"✓ {trainee} 第 {day} 天:{r.report().splitlines()[0]}")
    if "kpi" in res:
        k = res["kpi"]
        typer.echo(f"✓ {trainee} 第 {day} 天通话记录:{k.get('calls')} 通,KPI 得分 {k.get('score')},等级 {k.get('grade')}")


@practice_app.command("report")
def report(course: Path = COURSE_OPT,
           as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """每位学员第 1–14 天的质检分走势、各阶段、试接结论和“可上岗”的练习部分。"""
    from kefu.cohort.config import CohortError
    from kefu.practice.status import render_text, summarise
    from kefu.practice.store import PracticeError

    try:
        s = summarise(course)
    except (PracticeError, CohortError) as exc:
        _fail(str(exc))
    exams = _exam_status(course)
    for t, row in s.items():
        if exams is not None:
            certified = exams.get(t) == "certified"
            row["exams_certified"] = certified
            row["ready_for_duty"] = certified and row["ready"]
    if as_json:
        typer.echo(json.dumps(s, ensure_ascii=False, indent=1))
        return
    typer.echo(render_text(s))
    if exams is not None:
        typer.echo("")
        typer.echo("可上岗(理论和实操考核通过,且试接通过):")
        for t, row in s.items():
            why = [] if row["exams_certified"] else ["考核未全部通过"]
            why += [] if row["ready"] else ["试接/练习未达标"]
            typer.echo(f"  {t}:{'是' if row['ready_for_duty'] else '否(' + '、'.join(why) + ')'}")


def _exam_status(course: Path) -> dict[str, str] | None:
    """{trainee: gradebook status} from kefu.gradebook (None when the gradebook cannot be read)."""
    try:
        from kefu.gradebook.data import build_report

        return {t["id"]: t["status"] for t in build_report(course)["trainees"]}
    except Exception:  # noqa: BLE001 - the practice report stands on its own without the exams
        return None


@practice_app.command("simulate")
def simulate(course: Path = COURSE_OPT, seed: int = typer.Option(0, "--seed", help="随机种子")) -> None:
    """为全班生成两周模拟练习记录(演示和测试用)。"""
    from kefu.cohort.config import CohortError
    from kefu.practice.simulate import simulate as _sim
    from kefu.practice.store import PracticeError

    try:
        out = _sim(course, seed=seed)
    except (PracticeError, CohortError) as exc:
        _fail(str(exc))
    typer.echo(f"✓ 已为 {len(out)} 名学员生成两周模拟练习记录")


def register(app: typer.Typer) -> None:
    app.add_typer(practice_app, name="practice")
