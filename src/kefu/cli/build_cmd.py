"""``kefu build [chapters|exams|all] [--seed N]`` — regenerate the graded notebooks deterministically.

Chapters: ``kefu.authoring.chapters.build_chapters`` writes assignments/<id>/ and assignments/_keys/<id>.yml,
and ``kefu.authoring.practice.build_practice_notebooks`` rewrites the practice notebooks notebooks/*.ipynb.
Exams: ``kefu.exams.build_exams(seed, root)`` (EXAMS) when that module exists.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Optional

import typer

WHAT = ("chapters", "exams", "all")


def _root(root: Optional[Path]) -> Path:
    if root is not None:
        # build writes assignments/, notebooks/ and answer keys under --root: into a kefu-kit checkout or
        # a new/empty folder, never into some other folder that already holds files
        is_kit = (root / "seeds" / "sources.yml").is_file()
        if root.exists() and (not root.is_dir() or (not is_kit and any(root.iterdir()))):
            from kefu.errors import UsageError

            raise UsageError(f"“{root}”不是 kefu-kit 仓库目录,也不是空文件夹;为免覆盖里面的文件,没有写入任何内容",
                             place="--root", hint="请给出 kefu-kit 仓库的路径(或一个新的空文件夹),或省略 --root 自动查找")
        return root.resolve()
    from kefu.authoring.chapters.common import repo_root

    return repo_root()


def _build_chapters(seed: int, root: Path, only: list[str]) -> int:
    from kefu.authoring.chapters import build_chapters
    from kefu.seeds import SeedError

    try:
        report = build_chapters(seed, root, only or None)
    except SeedError as exc:
        typer.echo(f"种子文件有误,无法生成章节练习:\n{exc}", err=True)
        return 1
    for aid in report.built:
        typer.echo(f"✓ 章节练习 {aid}")
    for path in report.written:
        typer.echo(f"  已更新 {path.relative_to(root) if path.is_relative_to(root) else path}")
    for aid, reason in report.failed:
        typer.echo(f"✗ 章节练习 {aid}:{reason}", err=True)
    if not report.built and not report.failed:
        typer.echo(f"没有找到要生成的章节:{'、'.join(only)}", err=True)
        return 1
    return 1 if report.failed else 0


def _build_practice(root: Path, only: list[str]) -> int:
    """The practice notebooks notebooks/NN-<slug>.ipynb (kefu.authoring.practice, owned by DRILLS)."""
    from kefu.authoring.practice import build_practice_notebooks
    from kefu.course import load_course
    from kefu.seeds import SeedError

    ids = [c.id for c in load_course().chapters if not only or c.id in only or c.assignment_id in only]
    if not ids:
        return 0  # nothing matched; _build_chapters already said so
    try:
        paths = build_practice_notebooks(root, only=ids)
    except SeedError as exc:
        typer.echo(f"种子文件有误,无法生成练习本:\n{exc}", err=True)
        return 1
    except (KeyError, LookupError, ValueError) as exc:
        typer.echo(f"✗ 练习本生成失败:{exc}", err=True)
        return 1
    for path in paths:
        typer.echo(f"✓ 练习本 {path.relative_to(root) if path.is_relative_to(root) else path}")
    return 0


def _build_exams(seed: int, root: Path) -> int:
    try:
        exams = importlib.import_module("kefu.exams")
    except ModuleNotFoundError as exc:
        if exc.name in ("kefu.exams",):
            typer.echo("✗ 考试生成模块 kefu.exams 尚未提供,跳过考试。", err=True)
            return 1
        raise
    build = getattr(exams, "build_exams", None)
    if build is None:
        typer.echo("✗ kefu.exams 中还没有 build_exams,跳过考试。", err=True)
        return 1
    try:
        result = build(seed, root)
    except Exception as exc:  # the exam builder's own errors carry Chinese messages
        if not any("\u4e00" <= ch <= "\u9fff" for ch in str(exc)):
            raise  # a bug, not bad data: kefu.cli.main reports it as 内部错误 (traceback with --debug)
        typer.echo(f"✗ 考试生成失败:{exc}", err=True)
        return 1
    items = result if isinstance(result, (list, tuple, set, dict)) else []
    for item in items:
        typer.echo(f"✓ 考试 {item}")
    if not items:
        typer.echo("✓ 考试已生成")
    return 0


def _build_phrase_judge() -> int:
    """The learned phrase judge (kefu.phrases.judge), versioned by its training data's hash."""
    from kefu.phrases.judge import build as build_judge
    from kefu.seeds import SeedError

    try:
        path, trained = build_judge()
    except (SeedError, OSError) as exc:
        typer.echo(f"✗ 话术判定模型生成失败:{exc}", err=True)
        return 1
    typer.echo(f"✓ 话术判定模型 {path.name}{'(已重新训练)' if trained else '(已是最新)'}")
    return 0


def build(
    what: str = typer.Argument("all", help="要生成的内容:chapters(章节练习)、exams(考试)或 all(全部)"),
    seed: int = typer.Option(0, "--seed", help="随机种子:同一种子总是生成完全相同的文件"),
    only: Optional[list[str]] = typer.Option(None, "--only", help="只生成这些章节(如 ch03 或 ch03-phone-etiquette),可重复"),
    root: Optional[Path] = typer.Option(None, "--root", help="kefu-kit 仓库目录(默认自动查找)"),
) -> None:
    """重新生成章节练习和考试的 nbgrader 源文件(assignments/)、讲师答案文件(assignments/_keys/)以及练习本(notebooks/)。"""
    if what not in WHAT:
        typer.echo(f"不认识的内容 {what!r}:请用 chapters、exams 或 all。", err=True)
        raise typer.Exit(2)
    try:
        base = _root(root)
    except FileNotFoundError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1)
    code = _build_phrase_judge()  # before chapters: their rewrite keys are graded with it
    if what in ("chapters", "all"):
        code |= _build_chapters(seed, base, list(only or []))
        code |= _build_practice(base, list(only or []))
    if what in ("exams", "all"):
        code |= _build_exams(seed, base)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command("build")(build)
