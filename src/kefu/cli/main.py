"""``kefu`` — the trainer's and grader's command line.

Sub-commands live in sibling modules (one per area) and register themselves on ``app`` in
``_register`` below; heavy libraries are imported inside commands so ``kefu --help`` is fast.
"""
from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path

from typer import _click as click  # typer vendors click
import typer

app = typer.Typer(
    name="kefu",
    help=(
        "客服培训套件 kefu-kit。\n\n"
        "培训师:kefu cohort init / release / collect / autograde / feedback / gradebook / practice;\n"
        "阅卷:kefu formgrader、kefu grading-guide、kefu calibrate;\n"
        "学员:kefu lab --course 班级 --student 工号(自学:kefu lab);多人:kefu hub up。\n"
        "每个命令都可加 --help 查看用法;出错时信息会指明文件、行和字段,\n"
        "开发者可加 --debug 查看详细的出错位置(traceback)。"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# (module under kefu.cli, attribute) — each module exposes `register(app)`.
_MODULES = [
    "seeds_cmd",      # kefu seeds validate
    "phrases_cmd",    # kefu phrases check|rewrite|list
    "kpi_cmd",        # kefu kpi
    "erlang_cmd",     # kefu erlang
    "build_cmd",      # kefu build [chapters|exams|all]
    "cohort_cmd",     # kefu cohort init, kefu release, kefu collect, kefu feedback
    "upgrade_cmd",    # kefu cohort upgrade (an old cohort's nbgrader_config.py → trusted configuration)
    "trainee_cmd",    # kefu fetch, kefu submit (trainee side)
    "autograde_cmd",  # kefu autograde
    "gradebook_cmd",  # kefu gradebook
    "demo_cmd",       # kefu demo
    "lab_cmd",        # kefu lab
    "hub_cmd",        # kefu hub passwords|passwd|up|remove-accounts
    "restore_cmd",    # kefu restore (gradebook backups)
    "calibrate_cmd",  # kefu calibrate (grader agreement)
    "grading_cmd",    # kefu grading-guide, kefu feedback-status
    "practice_cmd",   # kefu practice record|report|simulate
]


def _register() -> None:
    for name in _MODULES:
        try:
            mod = importlib.import_module(f"kefu.cli.{name}")
        except ModuleNotFoundError as exc:  # a module listed but not written yet
            if exc.name == f"kefu.cli.{name}":
                continue
            raise
        mod.register(app)


_register()


DEBUG_FLAG = "--debug"


def _course_from_argv(argv: list[str]) -> Path:
    """The cohort folder a command works on (``--course``/``-c``, else the current folder), to name
    its gradebook.db in an error message."""
    for i, arg in enumerate(argv):
        if arg in ("--course", "-c") and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--course="):
            return Path(arg.split("=", 1)[1])
    return Path(".")


def _seeds_folder() -> str:
    try:
        from kefu.seeds import seeds_dir

        return str(seeds_dir())
    except Exception:  # noqa: BLE001 - only for a hint line
        return "seeds/"


def run(argv: list[str] | None = None) -> None:
    """The ``kefu`` entry point and the CLI's one error path.

    Expected failures (kefu.errors.KefuError, bad paths, a corrupt gradebook, broken seeds, undecodable
    files) print a Chinese message naming the place and exit 1 (2 for usage); anything else prints a
    short 内部错误 line. ``--debug`` (anywhere on the line) or ``KEFU_DEBUG=1`` adds the traceback.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    debug = DEBUG_FLAG in args or os.environ.get("KEFU_DEBUG", "") not in ("", "0")
    args = [a for a in args if a != DEBUG_FLAG]
    try:
        # standalone_mode=False: usage errors reach us (to print them in Chinese) instead of click
        code = app(args=args, prog_name="kefu", standalone_mode=False)
    except SystemExit:
        raise
    except click.exceptions.UsageError as exc:
        _usage_error(exc)
        raise SystemExit(2) from None
    except typer.Abort:
        print("已取消。", file=sys.stderr)
        raise SystemExit(1) from None
    except BaseException as exc:  # noqa: BLE001 - this is the one place failures are reported
        from kefu.errors import describe

        described = describe(exc, course=_course_from_argv(args))
        if debug:
            traceback.print_exception(exc, file=sys.stderr)
        else:
            # half-written objects (openpyxl's row generators after a failed save) complain while being
            # garbage-collected at exit: "Exception ignored in ..." plus a traceback. Not for trainers.
            sys.unraisablehook = lambda _unraisable: None
        if type(exc).__name__ == "SeedError":
            described.lines.append(f"  种子文件夹:{_seeds_folder()};改好后可运行 kefu seeds validate 再检查一遍。")
        for line in described.lines:
            print(line, file=sys.stderr)
        sys.stderr.flush()
        raise SystemExit(described.exit_code) from None
    # typer.Exit(n) comes back as n; a command's own return value is not an exit code
    code = code if isinstance(code, int) and not isinstance(code, bool) else 0
    if code == 130:  # typer turns Ctrl+C into Exit(130) without a word
        print("已中断(Ctrl+C)。", file=sys.stderr)
    raise SystemExit(code)


_USAGE_PHRASES = [  # click's English messages -> Chinese (the option/argument names stay as typed)
    ("No such option:", "没有这个选项:"),
    ("No such command", "没有这个命令"),
    ("Missing argument", "缺少参数"),
    ("Missing option", "缺少选项"),
    ("Missing parameter", "缺少参数"),
    ("Invalid value for", "取值无效:"),
    ("Got unexpected extra arguments", "多余的参数"),
    ("Got unexpected extra argument", "多余的参数"),
    ("Option", "选项"),
    ("requires an argument", "需要一个值"),
    ("requires", "需要"),
    ("arguments", "个值"),
    ("Did you mean", "是不是想输入"),
    ("Possible options:", "可用的选项:"),
    ("is not a valid", "不是有效的"),
    ("is not in the range", "不在允许范围内"),
    ("does not exist", "不存在"),
    ("Input should be a valid number, unable to parse string as a number", "应为数字"),
    ("Input should be a valid integer, unable to parse string as an integer", "应为整数"),
    ("Input should be a valid number", "应为数字"),
    ("Input should be a valid integer", "应为整数"),
]


def _usage_error(exc: click.exceptions.UsageError) -> None:
    if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())) or exc.ctx is None:
        exc.show()
        return
    message = exc.format_message()
    for en, zh in _USAGE_PHRASES:
        message = message.replace(en, zh)
    ctx = exc.ctx
    print(f"✗ 参数错误:{message}", file=sys.stderr)
    print(f"  用法:{ctx.get_usage().removeprefix('Usage: ')}", file=sys.stderr)
    print(f"  查看帮助:{ctx.command_path} -h", file=sys.stderr)


if __name__ == "__main__":
    run()
