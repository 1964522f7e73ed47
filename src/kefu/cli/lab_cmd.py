"""``kefu lab`` — open JupyterLab on notebooks/ for trainees."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import typer


def lab(
    port: int = typer.Option(8888, help="端口"),
    notebooks: Path = typer.Option(Path("notebooks"), help="打开的文件夹"),
    open_browser: bool = typer.Option(False, "--browser/--no-browser", help="是否自动打开浏览器"),
) -> None:
    """在 127.0.0.1 上启动中文界面的 JupyterLab,打开章节练习(notebooks/)。"""
    if not notebooks.is_dir():
        typer.echo(f"找不到文件夹 {notebooks}", err=True)
        raise typer.Exit(2)
    token = os.environ.get("KEFU_LAB_TOKEN") or secrets.token_hex(16)
    typer.echo(f"JupyterLab 地址: http://127.0.0.1:{port}/lab?token={token}")
    cmd = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={notebooks.resolve()}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.open_browser=" + ("True" if open_browser else "False"),
    ]
    env = dict(os.environ, LANG="zh_CN.UTF-8")
    raise typer.Exit(subprocess.call(cmd, env=env))


def register(app: typer.Typer) -> None:
    app.command("lab")(lab)
