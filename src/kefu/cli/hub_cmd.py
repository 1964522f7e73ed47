"""``kefu hub passwords|passwd|up|db|remove-accounts`` — a cohort served by JupyterHub on one machine."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

hub_app = typer.Typer(help="JupyterHub:每位学员在自己的 JupyterLab 里领取、提交作业,阅卷员在 formgrader 打分。",
                      no_args_is_help=True)

from .cohort_cmd import COURSE_OPT, _fail  # one way to name the cohort and print its problems


def _ids(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").replace(",", ",").replace("、", ",").split(",") if x.strip()]


@hub_app.command("passwords")
def passwords(
    course: Path = COURSE_OPT,
    out: Path = typer.Option(..., "--out", "-o", help="写出账号密码表(.csv 或 .xlsx,列 id,password),发给学员和阅卷员"),
    graders: Optional[str] = typer.Option(None, "--graders", help="阅卷员账号,用逗号分隔(保存在培训班的 hub/graders.txt)"),
    reset: bool = typer.Option(False, "--reset", help="给所有人重新生成密码(默认只给还没有密码的人生成)"),
    only: Optional[str] = typer.Option(None, "--only", help="只给这些账号重新生成密码(逗号分隔)"),
) -> None:
    """生成登录密码:随机、易读;只保存哈希值,明文只写进 --out 表格。"""
    from kefu.cohort import CohortError
    from kefu.cohort.roster import RosterError
    from kefu.hub.passwords import issue_passwords, write_logins
    from kefu.hub.users import cohort_users, write_graders

    if out.suffix.lower() not in (".csv", ".xlsx"):
        typer.echo(f"✗ --out {out}: 只能写成 .csv 或 .xlsx 文件", err=True)
        raise typer.Exit(2)
    try:
        from kefu.cohort.config import load_config

        load_config(course)
        users = cohort_users(course, None if graders is None else _ids(graders))
        if graders is not None:  # checked against the roster above: a refused list is not kept
            write_graders(course, _ids(graders))
        issued = issue_passwords(course, users, reset=reset, only=_ids(only) or None)
        write_logins(out, issued)
    except (CohortError, RosterError) as exc:
        _fail(exc)
    n_gr = sum(u.role == "grader" for u, _ in issued)
    typer.echo(f"✓ 已生成 {len(issued)} 个密码(学员 {len(issued) - n_gr},阅卷员 {n_gr})→ {out}")
    if not issued:
        typer.echo("  所有人都已有密码;要重新生成请加 --reset 或 --only 账号")
    typer.echo("  表格里是明文密码:发给本人后请妥善保管或删除。学员登录后可在 /hub/kefu-password 修改密码。")


@hub_app.command("passwd")
def passwd(
    user: str = typer.Argument(..., help="账号(学员工号或阅卷员账号)"),
    course: Path = COURSE_OPT,
) -> None:
    """为一个账号设置新密码(提示输入两次)。学员也可以登录后在 /hub/kefu-password 自己修改。"""
    from kefu.cohort import CohortError
    from kefu.hub.passwords import set_password
    from kefu.hub.users import cohort_users, hub_name

    try:
        names = {u.hub_name for u in cohort_users(course)}
        name = hub_name(user)
        if name not in names:
            raise CohortError(f"名单和阅卷员中没有账号“{user}”")
        new = typer.prompt("新密码", hide_input=True, confirmation_prompt="再输入一次")
        set_password(course, name, new)
    except CohortError as exc:
        _fail(exc)
    typer.echo(f"✓ 已修改 {user} 的密码")


@hub_app.command("up")
def up(
    course: Path = COURSE_OPT,
    port: int = typer.Option(8000, "--port", help="JupyterHub 端口(只监听 127.0.0.1)"),
    db: Optional[str] = typer.Option(None, "--db", help="成绩册放到 PostgreSQL:postgresql://用户:密码@主机:端口/库名"),
    homes: Path = typer.Option(Path("/home"), "--homes", help="学员系统账号的主目录放在哪里"),
    cull_minutes: int = typer.Option(60, "--cull-minutes", help="学员的 JupyterLab 空闲多少分钟后自动关闭"),
) -> None:
    """在前台运行本班的 JupyterHub(127.0.0.1),按 Ctrl-C 停止全部进程。"""
    from kefu.cohort import CohortError
    from kefu.cohort.roster import RosterError
    from kefu.hub.run import up as _up

    try:
        code = _up(course, port=port, db=db, homes=homes, cull_timeout=cull_minutes * 60)
    except (CohortError, RosterError) as exc:
        _fail(exc)
    typer.echo("JupyterHub 已停止")
    raise typer.Exit(code)


@hub_app.command("db")
def db(
    course: Path = COURSE_OPT,
    url: Optional[str] = typer.Option(None, "--db", help="postgresql://用户:密码@主机:端口/库名;省略则显示当前成绩册"),
    sqlite: bool = typer.Option(False, "--sqlite", help="改回培训班自己的 gradebook.db"),
) -> None:
    """成绩册放在哪里:培训班文件夹里的 SQLite(默认),或 PostgreSQL(多位阅卷员同时打分时)。"""
    from kefu.cohort import CohortError
    from kefu.hub import gradebook_db as G

    try:
        if url and sqlite:
            typer.echo("✗ --db 和 --sqlite 只能选一个", err=True)
            raise typer.Exit(2)
        if url:
            G.use_database(course, url)
        elif sqlite:
            G.use_sqlite(course)
        current = G.current_url(course)
    except CohortError as exc:
        _fail(exc)
    typer.echo(f"成绩册:{G.redact(current)}")


@hub_app.command("remove-accounts")
def remove_accounts(course: Path = COURSE_OPT) -> None:
    """删除 kefu hub up 为本班建立的系统账号和它们的主目录(请先停止 JupyterHub)。"""
    from kefu.cohort import CohortError
    from kefu.hub.run import remove_accounts as _remove

    try:
        removed = _remove(course)
    except CohortError as exc:
        _fail(exc)
    typer.echo(f"✓ 已删除 {len(removed)} 个系统账号" + (f":{'、'.join(removed)}" if removed else ""))


def register(app: typer.Typer) -> None:
    app.add_typer(hub_app, name="hub")
