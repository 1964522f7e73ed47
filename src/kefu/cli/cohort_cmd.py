"""``kefu cohort init``, ``kefu release``, ``kefu collect``, ``kefu feedback`` — the trainer's workflow."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer

cohort_app = typer.Typer(help="培训班:用学员名单建立班级文件夹(nbgrader 课程目录)。", no_args_is_help=True)

COURSE_OPT = typer.Option(Path("."), "--course", "-c", help="培训班文件夹(默认当前文件夹)")


def _fail(exc: Exception) -> None:
    problems = getattr(exc, "problems", None) or [str(exc)]
    for p in problems:
        typer.echo(f"✗ {p}", err=True)
    raise typer.Exit(1)


def _parse_when(text: str | None, opt: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        typer.echo(f"✗ {opt}“{text}”不是有效时间(例如 2025-03-05 13:30)", err=True)
        raise typer.Exit(2) from None


@cohort_app.command("init")
def init(
    directory: Path = typer.Argument(..., help="新建的培训班文件夹"),
    roster: Path = typer.Option(..., "--roster", "-r", help="学员名单 CSV 或 XLSX(列:工号、姓名、班组、入职日期)"),
    course_id: Optional[str] = typer.Option(None, "--course-id", help="班级编号(英文、数字、-;默认取文件夹名)"),
    timezone: str = typer.Option("Asia/Shanghai", "--timezone", help="时区"),
    exchange: Optional[Path] = typer.Option(None, "--exchange", help="交换文件夹(默认在班级文件夹内)"),
    assignments: Optional[Path] = typer.Option(None, "--assignments", help="作业源文件夹(默认本套件的 assignments/)"),
    theory_at: Optional[str] = typer.Option(None, "--theory-at", help="理论考核开始时间(默认按培训日程)"),
    retake_at: Optional[str] = typer.Option(None, "--retake-at", help="补考开始时间(默认首考后按规定天数)"),
) -> None:
    """按名单建立培训班:nbgrader 配置、成绩册(学员与作业截止时间)、作业源文件。"""
    from kefu.cohort import CohortError, RosterError
    from kefu.cohort.create import init_cohort

    try:
        meta = init_cohort(
            directory, roster, course_id=course_id, timezone=timezone, exchange=exchange,
            assignments_dir=assignments, theory_at=_parse_when(theory_at, "--theory-at"),
            retake_at=_parse_when(retake_at, "--retake-at"),
        )
    except (RosterError, CohortError) as exc:
        _fail(exc)
    s = meta["schedule"]
    typer.echo(f"✓ 培训班 {meta['course_id']} 已建立:{Path(directory).resolve()}")
    typer.echo(f"  学员 {len(meta['trainees'])} 人;作业 {len(meta['assignments'])} 份")
    typer.echo(f"  理论考核 {s['theory_at']};补考最早 {s['retake_at']};实操截止 {s['practical_due']}")
    if meta["missing_assignments"]:
        typer.echo(f"  ! 以下作业尚未编写,未加入:{'、'.join(meta['missing_assignments'])}")
    typer.echo(f"下一步:kefu release <作业> --course {directory}")


def release(
    assignment: str = typer.Argument(..., help="作业编号,如 ch01-service-mindset、theory-exam"),
    course: Path = COURSE_OPT,
    force: bool = typer.Option(False, "--force", help="已发布过时重新发布"),
) -> None:
    """生成学员版并通过交换文件夹发布作业。"""
    from kefu.cohort import CohortError
    from kefu.cohort.workflow import release as _release

    try:
        path = _release(course, assignment, force=force)
    except CohortError as exc:
        _fail(exc)
    typer.echo(f"✓ 已发布 {assignment} → {path}")
    from kefu.cohort.upgrade import config_problems, outdated_message  # an old cohort: say what to run

    if problems := config_problems(course):
        typer.echo(f"! {outdated_message(course, problems)}", err=True)


def collect(
    assignment: Optional[str] = typer.Argument(None, help="作业编号(省略则收取所有已发布的作业)"),
    course: Path = COURSE_OPT,
) -> None:
    """收取学员提交:提交时间和提交人以交换文件夹的记录为准;已评分的考试不再接受重交,补考规则在此把关(拒收的原件保留在交换文件夹)。"""
    from kefu.cohort import CohortError
    from kefu.cohort.workflow import collect as _collect

    try:
        rep = _collect(course, assignment)
    except CohortError as exc:
        _fail(exc)
    for sid, aid, when in rep.collected:
        typer.echo(f"✓ 收取 {sid} · {aid} · 提交于 {when:%Y-%m-%d %H:%M}(以交换文件夹的记录为准)")
    for sid, aid, note in rep.flagged:
        typer.echo(f"! 时间不符 {sid} · {aid}:{note}")
    for path in rep.backups:
        typer.echo(f"  被替换的旧提交已备份:{path}")
    for sid, aid, minutes in rep.late:
        typer.echo(f"! 迟交 {sid} · {aid} · 超过截止时间 {minutes:.0f} 分钟(按规定迟交的考试记 0 分)")
    for sid, aid, reason in rep.refused:
        typer.echo(f"✗ 未收取 {sid} · {aid}:{reason}", err=True)
    typer.echo(f"共收取 {len(rep.collected)} 份,拒收 {len(rep.refused)} 份")


def feedback(
    assignment: Optional[str] = typer.Argument(None, help="作业编号(省略则全部)"),
    course: Path = COURSE_OPT,
) -> None:
    """生成并发放评语反馈(不含隐藏测试)。"""
    from kefu.cohort import CohortError
    from kefu.cohort.workflow import feedback as _feedback

    try:
        res = _feedback(course, assignment)
    except CohortError as exc:
        _fail(exc)
    typer.echo(f"✓ 反馈已生成并发放{'' if res is None else ':' + str(res)}")


def register(app: typer.Typer) -> None:
    app.add_typer(cohort_app, name="cohort")
    app.command("release")(release)
    app.command("collect")(collect)
    app.command("feedback")(feedback)
