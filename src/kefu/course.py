"""course/course.yml — the curriculum map: chapters, objectives, the seed facts each teaches,
the drills and graded exercises it holds, and the exams."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from .seeds import Strict
from .seeds.loader import Problem, SeedError, problems_from_validation


class Chapter(Strict):
    id: str = Field(pattern=r"^ch\d{2}$")
    number: int = Field(ge=1)
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    day: str  # when in the programme it is taught
    objectives: list[str] = Field(min_length=2)
    teaches: list[str] = Field(default_factory=list)  # "<stem>:<id>" or "<stem>" for a CSV table
    drills: list[str] = Field(default_factory=list)
    exercises: list[str] = Field(default_factory=list)

    @property
    def notebook(self) -> str:
        return f"notebooks/{self.number:02d}-{self.slug}.ipynb"

    @property
    def assignment_id(self) -> str:
        return f"{self.id}-{self.slug}"


class Exam(Strict):
    id: str
    title: str
    kind: str  # theory | retake | practical
    teaches: list[str] = Field(default_factory=list)


class Course(Strict):
    version: int = 1
    title: str
    chapters: list[Chapter]
    exams: list[Exam]

    def chapter(self, key: str) -> Chapter:
        for ch in self.chapters:
            if key in (ch.id, ch.slug, ch.assignment_id, str(ch.number)):
                return ch
        raise KeyError(f"没有这一章:{key}")


def course_file() -> Path:
    from .seeds import seeds_dir

    return seeds_dir().parent / "course" / "course.yml"


@lru_cache(maxsize=None)
def _load(path: str) -> Course:
    p = Path(path)
    try:
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise SeedError([Problem(p.name, "", "", f"YAML 格式错误:{exc}")]) from None
    try:
        return Course.model_validate(data)
    except ValidationError as exc:
        raise SeedError(problems_from_validation(p.name, data, exc)) from None


def load_course(path: str | Path | None = None) -> Course:
    return _load(str(Path(path) if path else course_file()))
