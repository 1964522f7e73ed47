"""``kefu seeds ...`` — check the knowledge base."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

seeds_app = typer.Typer(help="知识库 seeds/:校验种子文件。", no_args_is_help=True)


@seeds_app.command("validate")
def validate(
    path: Optional[Path] = typer.Option(None, "--path", help="seeds 文件夹(默认为本仓库的 seeds/)"),
) -> None:
    """校验 seeds/ 中的每个文件:格式、必填字段、类型和来源文件名。有问题时列出文件、条目和字段,退出码 1。"""
    from kefu.seeds import validate_all

    checked, problems = validate_all(path)
    if problems:
        typer.echo(f"发现 {len(problems)} 个问题:", err=True)
        for p in problems:
            typer.echo(f"  ✗ {p.format()}", err=True)
        raise typer.Exit(1)
    typer.echo(f"✓ {len(checked)} 个种子文件全部通过校验:{', '.join(checked)}")


def register(app: typer.Typer) -> None:
    app.add_typer(seeds_app, name="seeds")
