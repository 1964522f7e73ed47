"""``kefu lab`` (a trainee's own JupyterLab, or self-study), ``kefu formgrader`` (graders) and
``kefu feedback-view`` (a trainee fetches and lists released feedback).

The servers run as children of this process and are stopped with their whole process tree (kernels
included) on Ctrl-C, SIGTERM or SIGHUP: see kefu.classroom.process.
"""
from __future__ import annotations

import os
import secrets
import socket
from pathlib import Path

import typer

DEFAULT_SELFSTUDY_HOME = Path.home() / "kefu-practice"


def chinese_ui_overrides(app_settings_dir: Path) -> Path:
    """Kept for older callers: see kefu.classroom.jupyter.chinese_ui_overrides."""
    from kefu.classroom.jupyter import chinese_ui_overrides as _overrides

    return _overrides(app_settings_dir)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"✗ {message}", err=True)
    raise typer.Exit(code)


def _check_port(port: int) -> None:
    if not 0 < port < 65536:
        _fail(f"端口 {port} 无效:请用 1–65535 之间的数字", 2)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            _fail(f"端口 {port} 已被占用(可能已有一个 JupyterLab 在运行);请用 --port 换一个端口", 1)


def _token() -> str:
    return os.environ.get("KEFU_LAB_TOKEN") or secrets.token_hex(16)


def _run(cmd: list[str], env: dict[str, str], cwd: Path) -> None:
    from kefu.classroom.process import run_server

    code = run_server(cmd, env=env, cwd=cwd)
    typer.echo("已停止。", err=True)
    raise typer.Exit(code)


def lab(
    course: Path = typer.Option(None, "--course", "-c", help="培训班文件夹;给出时打开该学员自己的 JupyterLab(含“作业”面板)"),
    student: str = typer.Option(None, "--student", "-s", help="学员工号(与 --course 一起使用)"),
    home: Path = typer.Option(None, "--home", help="学员的文件夹(默认:培训班文件夹/trainees/<工号>;自学时 ~/kefu-practice)"),
    port: int = typer.Option(8888, help="端口"),
    notebooks: Path = typer.Option(None, help="章节练习的来源文件夹(默认:套件的 notebooks/,只复制,不修改)"),
    open_browser: bool = typer.Option(False, "--browser/--no-browser", help="是否自动打开浏览器"),
) -> None:
    """在 127.0.0.1 上启动中文界面的 JupyterLab。

    加 --course 和 --student:学员自己的 JupyterLab,只看得到自己的文件夹,
    在“作业”(Assignments)面板里领取、提交作业、领取反馈,提交记在该工号下。

    不加:自学模式,把章节练习复制到 ~/kefu-practice 后打开(不修改套件里的原文件)。
    """
    from kefu.classroom.trainee import kit_notebooks, prepare_selfstudy_lab, prepare_trainee_lab
    from kefu.cohort.config import CohortError

    if (course is None) != (student is None):
        _fail("--course 和 --student 需要一起使用(学员模式),或都不写(自学模式)", 2)
    if notebooks is not None and not notebooks.is_dir():
        _fail(f"找不到文件夹 {notebooks}", 2)
    if course is None and notebooks is None and not kit_notebooks().is_dir():
        _fail(f"找不到章节练习文件夹 {kit_notebooks()}:请用 --notebooks 指定", 2)
    _check_port(port)
    try:
        if course is not None:
            if not course.is_dir():
                _fail(f"找不到培训班文件夹 {course}", 2)
            setup = prepare_trainee_lab(course, student.strip(), home, notebooks=notebooks)
        else:
            setup = prepare_selfstudy_lab(home or DEFAULT_SELFSTUDY_HOME, notebooks=notebooks)
    except CohortError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"无法准备文件夹 {exc.filename or home}:{exc.strerror or exc}")
    if not setup.sandboxed:
        typer.echo("提示:未安装 bubblewrap,练习代码不做隔离运行(apt-get install bubblewrap)", err=True)
    token = _token()
    who = f"学员 {setup.student} 的" if setup.student else "自学用"
    typer.echo(f"{who} JupyterLab,文件夹:{setup.home}", err=True)
    typer.echo(f"地址: http://127.0.0.1:{port}/lab?token={token}")
    typer.echo("按 Ctrl-C 停止。", err=True)
    _run(setup.command(port=port, token=token, open_browser=open_browser), setup.env(), setup.home)


def formgrader(
    course: Path = typer.Option(Path("."), "--course", "-c", help="培训班文件夹(默认当前文件夹)"),
    port: int = typer.Option(8889, help="端口"),
    open_browser: bool = typer.Option(False, "--browser/--no-browser", help="是否自动打开浏览器"),
) -> None:
    """阅卷:在 127.0.0.1 上打开培训班的 nbgrader formgrader,给简答题和实操考核打分。"""
    import tempfile

    from kefu.classroom.jupyter import JupyterDirs, lab_command

    if not (course / "nbgrader_config.py").is_file():
        _fail(f"{course} 不是培训班文件夹(缺少 nbgrader_config.py);请先运行 kefu cohort init", 2)
    _check_port(port)
    token = _token()
    course = course.resolve()
    with tempfile.TemporaryDirectory(prefix="kefu-formgrader-") as state:
        # private Jupyter folders for this run: the grader's own ~/.jupyter and the venv stay untouched
        dirs = JupyterDirs(state).create()
        # kefu's formgrader additions (late exams as 0, the grader's guide): grader's server only
        dirs.write_server_config({"ServerApp": {"jpserver_extensions": {"kefu.grading.formgrader_ext": True}}})
        typer.echo(f"地址: http://127.0.0.1:{port}/formgrader?token={token}")
        typer.echo("按 Ctrl-C 停止。", err=True)
        cmd = lab_command(course, port=port, token=token, open_browser=open_browser,
                          extra=[f"--LabApp.app_settings_dir={dirs.app_settings}", "--LabApp.news_url=",
                                 "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"])
        from kefu.classroom.process import run_server

        code = run_server(cmd, env=dirs.env(), cwd=course)
    typer.echo("已停止。", err=True)
    raise typer.Exit(code)


def feedback_view(
    assignment: str = typer.Argument(..., help="作业编号,如 ch01-service-mindset"),
    course: Path = typer.Option(Path("."), "--course", "-c", help="培训班文件夹(默认当前文件夹)"),
    student: str = typer.Option(..., "--student", "-s", help="学员工号"),
    home: Path = typer.Option(None, "--home", help="学员的文件夹(默认:培训班文件夹/trainees/<工号>)"),
) -> None:
    """学员领取培训师已发布的反馈,并列出反馈网页(用浏览器或 JupyterLab 打开)。"""
    from kefu.classroom.feedback import fetch_feedback
    from kefu.cohort.config import CohortError

    try:
        pages = fetch_feedback(course, student.strip(), assignment, home)
    except CohortError as exc:
        _fail(str(exc))
    if not pages:
        _fail(f"还没有 {assignment} 的反馈:请等培训师运行 kefu feedback 后再试")
    typer.echo(f"✓ {student} 的 {assignment} 反馈:")
    for page in pages:
        typer.echo(f"  {page}")


def register(app: typer.Typer) -> None:
    app.command("lab")(lab)
    app.command("formgrader")(formgrader)
    app.command("feedback-view")(feedback_view)
