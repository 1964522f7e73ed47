"""``kefu lab`` — open JupyterLab on notebooks/ for trainees."""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import typer


TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"
LOCALE = "zh_CN"
NOTIFICATION_PLUGIN = "@jupyterlab/apputils-extension:notification"


def chinese_ui_overrides(app_settings_dir: Path | None = None) -> Path:
    """Make JupyterLab open in Simplified Chinese: write (merge) the translation plugin's locale
    into ``overrides.json`` of the app settings folder (default: this environment's
    share/jupyter/lab/settings, where JupyterLab reads it). Returns the file's path."""
    if app_settings_dir is None:
        from jupyterlab.commands import get_app_dir

        app_settings_dir = Path(get_app_dir()) / "settings"
    path = Path(app_settings_dir) / "overrides.json"
    data: dict = {}
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8") or "{}")
        except json.JSONDecodeError:
            typer.echo(f"提示:{path} 不是有效的 JSON,已重写", err=True)
            data = {}
    plugin = data.setdefault(TRANSLATION_PLUGIN, {})
    # no "news from Jupyter?" pop-up for trainees on a machine without internet access
    notices = data.setdefault(NOTIFICATION_PLUGIN, {})
    if plugin.get("locale") != LOCALE or notices.get("fetchNews") != "false":
        plugin["locale"] = LOCALE
        notices.update({"fetchNews": "false", "checkForUpdates": False})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _serve(root: Path, port: int, page: str, open_browser: bool) -> None:
    """Run JupyterLab on ``root`` (also its working directory, so an nbgrader_config.py there is read),
    bound to 127.0.0.1 with a token, in Chinese."""
    chinese_ui_overrides()
    token = os.environ.get("KEFU_LAB_TOKEN") or secrets.token_hex(16)
    typer.echo(f"地址: http://127.0.0.1:{port}/{page}?token={token}")
    cmd = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root.resolve()}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.open_browser=" + ("True" if open_browser else "False"),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers often run as root
        cmd.append("--allow-root")
    env = dict(os.environ, LANG="zh_CN.UTF-8")
    raise typer.Exit(subprocess.call(cmd, env=env, cwd=root.resolve()))


def lab(
    port: int = typer.Option(8888, help="端口"),
    notebooks: Path = typer.Option(Path("notebooks"), help="打开的文件夹"),
    open_browser: bool = typer.Option(False, "--browser/--no-browser", help="是否自动打开浏览器"),
) -> None:
    """在 127.0.0.1 上启动中文界面的 JupyterLab,打开章节练习(notebooks/)。"""
    if not notebooks.is_dir():
        typer.echo(f"找不到文件夹 {notebooks}", err=True)
        raise typer.Exit(2)
    _serve(notebooks, port, "lab", open_browser)


def formgrader(
    course: Path = typer.Option(Path("."), "--course", "-c", help="培训班文件夹(默认当前文件夹)"),
    port: int = typer.Option(8889, help="端口"),
    open_browser: bool = typer.Option(False, "--browser/--no-browser", help="是否自动打开浏览器"),
) -> None:
    """阅卷:在 127.0.0.1 上打开培训班的 nbgrader formgrader,给简答题和实操考核打分。"""
    if not (course / "nbgrader_config.py").is_file():
        typer.echo(f"✗ {course} 不是培训班文件夹(缺少 nbgrader_config.py);请先运行 kefu cohort init", err=True)
        raise typer.Exit(2)
    _serve(course, port, "formgrader", open_browser)


def register(app: typer.Typer) -> None:
    app.command("lab")(lab)
    app.command("formgrader")(formgrader)
