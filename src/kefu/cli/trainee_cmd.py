"""``kefu fetch`` / ``kefu submit`` — the trainee's side of the exchange, for a shared training machine
(the same as JupyterLab's nbgrader "Assignments" tab, from the command line)."""
from __future__ import annotations

from pathlib import Path

import typer

COURSE_OPT = typer.Option(Path("."), "--course", "-c", help="培训班文件夹(默认当前文件夹)")
STUDENT_OPT = typer.Option(..., "--student", "-s", help="学员工号")
HOME_OPT = typer.Option(None, "--home", help="学员的作业文件夹(默认:培训班文件夹/trainees/<工号>)")


def _home(course: Path, student: str, home: Path | None) -> Path:
    return home if home is not None else course / "trainees" / student


def fetch(
    assignment: str = typer.Argument(..., help="作业编号,如 ch01-service-mindset"),
    student: str = STUDENT_OPT,
    course: Path = COURSE_OPT,
    home: Path = HOME_OPT,
) -> None:
    """学员领取已发布的作业(放到自己的作业文件夹里)。"""
    from kefu.cohort import CohortError
    from kefu.cohort.workflow import fetch as _fetch

    try:
        path = _fetch(course, student, assignment, _home(course, student, home))
    except CohortError as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"✓ {student} 已领取 {assignment}:{path}")
    typer.echo("  在 JupyterLab 里打开这个文件夹中的 .ipynb 作答,完成后运行 kefu submit 提交。")


def submit(
    assignment: str = typer.Argument(..., help="作业编号"),
    student: str = STUDENT_OPT,
    course: Path = COURSE_OPT,
    home: Path = HOME_OPT,
) -> None:
    """学员提交作业。已评分的考试不能重交,补考须符合规定(首考未过、间隔天数、只补考一次),不符合时说明原因。

    每位学员有自己的系统账号时(培训服务器),只能以本人工号提交;多人共用一个账号的培训机无法区分学员。
    提交时间以培训师收取时交换文件夹的记录为准,而不是学员一方写下的时间。"""
    from kefu.cohort import CohortError
    from kefu.cohort.workflow import submit as _submit

    folder = _home(course, student, home)
    if not (folder / assignment).is_dir():
        typer.echo(f"✗ 找不到 {folder / assignment}:请先运行 kefu fetch {assignment} --student {student}", err=True)
        raise typer.Exit(1)
    try:
        when = _submit(course, student, assignment, folder)
    except CohortError as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"✓ {student} 已提交 {assignment}(UTC {when:%Y-%m-%d %H:%M:%S})")


def register(app: typer.Typer) -> None:
    app.command("fetch")(fetch)
    app.command("submit")(submit)
