"""``kefu restore`` — list the gradebook backups of a cohort and put one back."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def restore(
    number: Optional[int] = typer.Argument(None, help="要恢复的备份编号(省略则只列出备份)"),
    course: Path = typer.Option(Path("."), "--course", "-c", help="培训班文件夹(默认当前文件夹)"),
    yes: bool = typer.Option(False, "--yes", "-y", help="不再询问,直接恢复(脚本用)"),
) -> None:
    """成绩册备份:列出 backups/ 里的备份(时间、大小、由哪个命令产生),恢复其中一份;恢复前当前的成绩册也会备份。

    成绩册在 PostgreSQL 上时同样适用:备份是数据库的完整副本(SQLite 文件),恢复在一个事务里完成。"""
    from kefu.cohort import CohortError
    from kefu.cohort.backup import check_gradebook, gradebook_path, gradebook_url, list_backups, restore_backup
    from kefu.cohort.database import redact

    try:
        from kefu.cohort.config import load_config

        load_config(course)
        backups = list_backups(course)
        where = "" if gradebook_path(course) is not None else f"(数据库 {redact(gradebook_url(course))})"
    except CohortError as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(1) from None
    try:
        check_gradebook(course)
        state = "成绩册完好"
    except CohortError as exc:
        state = f"成绩册有问题:{exc}"
    typer.echo(f"{Path(course).resolve()}{where}:{state}")
    if not backups:
        typer.echo("✗ 没有找到任何备份(backups/gradebook-*.db)", err=True)
        raise typer.Exit(1)
    typer.echo("编号  备份时间              大小      由谁产生")
    for i, b in enumerate(backups, 1):
        typer.echo(f"{i:>4}  {b.when:%Y-%m-%d %H:%M:%S}   {_size(b.size):>8}  {b.label}  {b.path.name}")
    if number is None:
        typer.echo(f"恢复其中一份:kefu restore <编号> --course {course}")
        return
    if not 1 <= number <= len(backups):
        typer.echo(f"✗ 没有编号 {number} 的备份(共 {len(backups)} 份)", err=True)
        raise typer.Exit(2)
    chosen = backups[number - 1]
    if not yes and not typer.confirm(f"用第 {number} 份备份({chosen.when:%Y-%m-%d %H:%M:%S})替换当前成绩册{where}?", default=False):
        typer.echo("已取消,什么都没有改动。")
        raise typer.Exit(1)
    try:
        kept = restore_backup(course, chosen)
    except CohortError as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"✓ 已恢复第 {number} 份备份({chosen.path.name})")
    if kept:
        typer.echo(f"  恢复前的成绩册已另存为:{kept}")


def register(app: typer.Typer) -> None:
    app.command("restore")(restore)
