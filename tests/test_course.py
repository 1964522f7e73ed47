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
    # the exam banks, and the phrase judge's sealed evaluation sets (they measure the kit, teach nothing)
    assert exempt == {"question_bank.yml", "practical_scenarios.yml",
                      "phrase_eval_independent_a.csv", "phrase_eval_independent_b.csv", "phrase_eval_fresh_a.csv"}


def test_ticket_labels_follow_the_guide_on_the_cases_the_audit_found():
    """Issue 12: repeated unrepaired faults are complaints, “能不能…?” questions are enquiries unless
    they ask to add something, on-the-spot answers are 低, routine bookings are not 高, and the
    practical scenario of a device that cannot be used at all is 高 (high-core-down)."""
    import re

    from kefu.tickets import load as load_tickets

    guide = load("ticket_labelling_guide.yml")
    prio = {r.id: r.priority for r in guide.priority_rules}
    for t in load_tickets("all"):
        if re.search(r"第[三四五]次|[三四五]次还是", t.text):
            assert t.type == "投诉", (t.id, t.text)
        if t.text.startswith(("能不能", t.product + "能不能")) or re.match(r"^[^,?]{0,8}能不能", t.text):
            if t.type == "建议":
                assert re.search(r"加|增加|出|希望|建议", t.text), (t.id, t.text)
        if t.priority_rule == "high-deadline":
            assert not re.search(r"约.{0,6}上门|预约|改约", t.text), (t.id, t.text)
    t011 = next(t for t in load_tickets("all") if t.id == "T011")
    assert t011.priority == prio["low-information"]
    scenario = next(s for s in load("practical_scenarios.yml").scenarios if s.id == "sc-device-offline")
    assert scenario.ticket.priority == prio["high-core-down"]
