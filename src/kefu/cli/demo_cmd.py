"""``kefu demo`` — a simulated cohort through the whole workflow (``make demo`` → demo-output/)."""
from __future__ import annotations

from pathlib import Path

import typer


def demo(
    out: Path = typer.Option(Path("demo-output"), "--out", help="输出文件夹"),
    trainees: int = typer.Option(8, "--trainees", help="模拟学员人数(至少 5 人)"),
    seed: int = typer.Option(7, "--seed", help="随机种子"),
) -> None:
    """演示:模拟一个培训班走完发布、提交、收取、自动评分、阅卷、补考、反馈和成绩册全流程。"""
    from kefu.cohort import CohortError, RosterError
    from kefu.cohort.demo import run_demo

    try:
        result = run_demo(out, trainees=trainees, seed=seed)
    except (CohortError, RosterError) as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(1) from None
    if not all(result["paths_reached"].values()):
        typer.echo("✗ 演示没有走完所有情形(见上)", err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
