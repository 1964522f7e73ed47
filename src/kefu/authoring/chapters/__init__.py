"""Builders of the chapter assignments, one small module per chapter of course/course.yml.

``build_chapters(seed, root)`` writes ``assignments/<assignment_id>/<assignment_id>.ipynb`` (plus any
released data file) and ``assignments/_keys/<assignment_id>.yml`` for every chapter, deterministically.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from .common import BuildError, ChapterBuilder, write_chapter


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (assignment id, Chinese reason)


def builder_for(chapter_id: str):
    """The ``build(b)`` function of a chapter module (``kefu.authoring.chapters.ch01`` ...)."""
    return importlib.import_module(f"{__name__}.{chapter_id}").build


def build_chapter(chapter, seed: int = 0, root: Path | None = None) -> list[Path]:
    b = ChapterBuilder(chapter.assignment_id, f"第 {chapter.number} 章练习:{chapter.title}", seed=seed, root=root)
    intro = builder_for(chapter.id)(b)
    objectives = "\n".join(f"- {o}" for o in chapter.objectives)
    text = f"本章学习目标:\n\n{objectives}\n\n{intro}".strip()
    return write_chapter(b, text, root)


def build_chapters(seed: int = 0, root: Path | None = None, only: list[str] | None = None) -> BuildReport:
    from kefu.course import load_course

    report = BuildReport()
    for ch in load_course().chapters:
        if only and not ({ch.id, ch.assignment_id, ch.slug} & set(only)):
            continue
        try:
            report.written += build_chapter(ch, seed, root)
            report.built.append(ch.assignment_id)
        except BuildError as exc:
            report.failed.append((ch.assignment_id, str(exc)))
        except (ImportError, KeyError, FileNotFoundError) as exc:
            report.failed.append((ch.assignment_id, f"缺少依赖或数据:{exc.__class__.__name__}: {exc}"))
        except Exception as exc:  # a builder bug must not hide the other chapters' results
            report.failed.append((ch.assignment_id, f"生成出错:{exc.__class__.__name__}: {exc}"))
    return report


__all__ = ["BuildError", "BuildReport", "ChapterBuilder", "build_chapter", "build_chapters", "builder_for"]
