"""course/course.yml: the curriculum covers every seed entry and every manual."""
from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from kefu.course import load_course
from kefu.seeds import all_entry_ids, load


def _taught() -> Counter:
    course = load_course()
    refs: Counter = Counter()
    for item in [*course.chapters, *course.exams]:
        refs.update(item.teaches)
    return refs


def test_at_least_eight_chapters_with_objectives():
    course = load_course()
    assert len(course.chapters) >= 8
    assert [c.number for c in course.chapters] == list(range(1, len(course.chapters) + 1))
    assert len({c.slug for c in course.chapters}) == len(course.chapters)
    for ch in course.chapters:
        assert len(ch.objectives) >= 2
        assert ch.drills and ch.exercises
        assert ch.teaches, f"{ch.id} teaches no seed entry"


def test_every_seed_entry_is_taught_by_some_chapter():
    taught = set(_taught())
    untaught = [e for e in all_entry_ids() if e not in taught]
    assert not untaught, f"seed entries taught by no chapter: {untaught}"


def test_every_reference_exists():
    known = set(all_entry_ids())
    unknown = [r for r in _taught() if r not in known]
    assert not unknown, f"course.yml refers to entries that do not exist: {unknown}"


def test_chapters_cover_all_five_manuals():
    """Each manual is cited by at least one entry a chapter teaches."""
    manuals = {m.file for m in load("sources.yml").manuals}
    by_ref: dict[str, set[str]] = {}

    def walk(stem: str, node) -> None:
        if isinstance(node, BaseModel):
            ident = getattr(node, "id", None)
            src = getattr(node, "source", None)
            if isinstance(ident, str) and src is not None:
                by_ref.setdefault(f"{stem}:{ident}", set()).update([src] if isinstance(src, str) else src)
            for f in type(node).model_fields:
                walk(stem, getattr(node, f))
        elif isinstance(node, (list, tuple)):
            for x in node:
                walk(stem, x)

    from kefu.seeds.registry import schemas

    for name in schemas():
        if name.endswith(".yml") and name != "sources.yml":
            walk(name.rsplit(".", 1)[0], load(name))
    cited: set[str] = set()
    for ch in load_course().chapters:
        for ref in ch.teaches:
            cited |= by_ref.get(ref, set())
    assert cited == manuals, f"manuals no chapter draws on: {sorted(manuals - cited)}"


def test_only_assessment_banks_are_exempt_from_coverage():
    from kefu.seeds.registry import schemas

    exempt = {name for name, mod in schemas().items() if not getattr(mod, "TEACHABLE", True)}
    assert exempt == {"question_bank.yml", "practical_scenarios.yml"}
