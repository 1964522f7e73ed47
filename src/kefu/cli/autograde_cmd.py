"""``kefu autograde`` — fast, resumable autograding of a cohort's submissions."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from kefu.sandbox.limits import Limits

_LIMITS = Limits()


def autograde(
    assignment: Optional[str] = typer.Argument(None, help="作业编号(省略则评所有已收取的作业)"),
    course: Path = typer.Option(Path("."), "--course", "-c", help="培训班文件夹(默认当前文件夹)"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="并行评分进程数(默认 CPU 核数 + 1)"),
    timeout: int = typer.Option(30, "--timeout", min=1, help="每个单元格最长运行秒数,超时按出错处理"),
    student: Optional[List[str]] = typer.Option(None, "--student", "-s", help="只评这些学员(可重复)"),
    force: bool = typer.Option(False, "--force", help="已经评过的提交也重新评分"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出结果"),
    no_progress: bool = typer.Option(False, "--no-progress", help="不显示进度条"),
    memory_mb: Optional[int] = typer.Option(None, "--memory-mb", min=512,
                                            help=f"沙箱中每个学员内核的内存上限,MB(默认 {_LIMITS.memory_mb})"),
    cpu_seconds: Optional[int] = typer.Option(None, "--cpu-seconds", min=1,
                                              help=f"沙箱中每个进程的 CPU 时间上限,秒(默认 {_LIMITS.cpu_seconds})"),
) -> None:
    """自动评分:并行运行 nbgrader 的评分流程(分数与 nbgrader autograde 完全一致)。

    评分前自动备份成绩册(backups/);中断后重新运行会从未评完的提交继续;
    死循环、崩溃、输出过多或文件损坏的提交会被记录下来,不影响其他提交。
    每份学员代码都在沙箱中运行(独立的非特权用户、私有工作文件夹、无网络、资源上限);
    无法建立沙箱时拒绝评分。同一培训班同时只能运行一个评分。"""
    from kefu.autograde import CourseError
    from kefu.autograde import autograde as run

    try:
        res = run(course, assignment=assignment, students=student or None, jobs=jobs,
                  progress=not no_progress and not as_json, cell_timeout=timeout, force=force,
                  limits=_LIMITS.replace(memory_mb=memory_mb, cpu_seconds=cpu_seconds))
    except CourseError as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps(res.to_dict(), ensure_ascii=False, indent=1))
    else:
        if res.backup:
            typer.echo(f"成绩册已备份:{res.backup}")
        for s, a, why in res.failed:
            typer.echo(f"✗ {s} · {a}:{why}", err=True)
        for s, a, why in res.flagged:
            typer.echo(f"! {s} · {a}:{why}")
        for s, a, why in res.notes:
            typer.echo(f"· {s} · {a}:{why}")
        typer.echo(
            f"评分完成:新评 {len(res.graded)} 份,已评过跳过 {len(res.skipped)} 份,失败 {len(res.failed)} 份,"
            f"用时 {res.seconds:.1f} 秒"
        )
    if res.interrupted:
        typer.echo("已中断:已经评完的成绩都已保存,重新运行同一命令即可继续。", err=True)
        raise typer.Exit(130)
    if res.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("autograde")(autograde)
