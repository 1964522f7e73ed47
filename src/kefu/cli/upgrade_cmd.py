"""``kefu cohort upgrade`` — bring an existing cohort's nbgrader_config.py to the current trusted configuration."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def upgrade(
    course: Path = typer.Option(Path("."), "--course", "-c", help="培训班文件夹(默认当前文件夹)"),
    check: bool = typer.Option(False, "--check", help="只检查,不改写(配置过期时退出码为 1)"),
    force: bool = typer.Option(False, "--force", help="配置已是最新也重新生成"),
    keys_dir: Optional[Path] = typer.Option(None, "--keys-dir",
                                            help="答案文件夹(默认沿用原配置的;原配置没有时用套件的 assignments/_keys)"),
) -> None:
    """升级培训班的 nbgrader_config.py 到当前的可信评分配置。

    旧文件先备份到 backups/config/<时间>/;标记行“以下是培训老师自己添加的设置”以下的内容原样保留。
    升级后 formgrader 的“自动评分”和 kefu autograde 都按答案文件评分、学员代码在沙箱中运行。"""
    from kefu.cohort import CohortError
    from kefu.cohort.upgrade import config_problems, upgrade_config

    try:
        _upgrade(course, check, force, keys_dir, config_problems, upgrade_config)
    except CohortError as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(1) from None


def _upgrade(course: Path, check: bool, force: bool, keys_dir: Optional[Path], config_problems, upgrade_config) -> None:
    if check:
        problems = config_problems(course)
        if problems:
            for p in problems:
                typer.echo(f"✗ {p}", err=True)
            typer.echo(f"请运行 kefu cohort upgrade --course {course} 升级", err=True)
            raise typer.Exit(1)
        typer.echo("✓ 配置已是最新的可信评分配置")
        return
    res = upgrade_config(course, force=force, keys_dir=keys_dir)
    if not res.changed:
        typer.echo(f"✓ {res.config} 已是最新的可信评分配置,没有改动")
        return
    for p in res.problems:
        typer.echo(f"  已修正:{p}")
    typer.echo(f"✓ 已升级 {res.config}")
    typer.echo(f"  旧文件已备份:{res.backup}")
    if res.had_marker:
        typer.echo(f"  保留了标记行以下自己添加的设置 {res.kept_lines} 行")
    else:
        typer.echo("  旧文件没有“自己添加的设置”标记行:如果以前手工加过设置,请从备份中复制到新文件最后的标记行下方")


def register(app: typer.Typer) -> None:
    from kefu.cli.cohort_cmd import cohort_app

    cohort_app.command("upgrade")(upgrade)
