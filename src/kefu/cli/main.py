"""``kefu`` — the trainer's and grader's command line.

Sub-commands live in sibling modules (one per area) and register themselves on ``app`` in
``_register`` below; heavy libraries are imported inside commands so ``kefu --help`` is fast.
"""
from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="kefu",
    help=(
        "客服培训套件 kefu-kit。\n\n"
        "培训师:kefu cohort init / release / collect / autograde / feedback / gradebook;\n"
        "阅卷:kefu gradebook、nbgrader formgrader;学员:make lab 打开章节练习。\n"
        "每个命令都可加 --help 查看用法。"
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
    "trainee_cmd",    # kefu fetch, kefu submit (trainee side)
    "autograde_cmd",  # kefu autograde
    "gradebook_cmd",  # kefu gradebook
    "demo_cmd",       # kefu demo
    "lab_cmd",        # kefu lab
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


def run() -> None:
    app()


if __name__ == "__main__":
    run()
