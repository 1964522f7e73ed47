"""Every exam question examines taught content.

Each theory question names the seed entries it examines (``examines`` in seeds/question_bank.yml).
An entry counts as taught when a chapter of course/course.yml lists it in ``teaches`` AND that
chapter's committed practice notebook shows it: one of the entry's own texts (its title, name,
rule, line, …; at least 4 characters after dropping punctuation) appears in the notebook.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from pydantic import BaseModel

from kefu.course import load_course
from kefu.originality import notebook_text, reduce
from kefu.seeds import load
from kefu.seeds.ids import all_entry_ids
from kefu.seeds.registry import schemas

REPO = Path(__file__).resolve().parents[1]
SKIP_FIELDS = {"id", "source", "assumed", "kind", "area", "calendar", "action"}


def _texts(node) -> list[str]:
    out: list[str] = []
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            if name not in SKIP_FIELDS:
                out += _texts(getattr(node, name))
    elif isinstance(node, (list, tuple)):
        for item in node:
            out += _texts(item)
    elif isinstance(node, dict):
        for item in node.values():
            out += _texts(item)
    elif isinstance(node, str):
        out.append(node)
    return out


@lru_cache(maxsize=1)
def entry_texts() -> dict[str, list[str]]:
    """``<stem>:<id>`` → the entry's own texts, reduced (punctuation and spaces dropped)."""
    found: dict[str, list[str]] = {}

    def walk(stem: str, node) -> None:
        if isinstance(node, BaseModel):
            ident = getattr(node, "id", None)
            if isinstance(ident, str):
                texts = [reduce(t.replace("{centre}", "XX客服中心"))[0] for t in _texts(node)]
                long = [t for t in texts if len(t) >= 4]
                # an entry made of short words only (e.g. a grade "B" / "达标") must show them together
                found[f"{stem}:{ident}"] = long or ["".join(texts)]
            for name in type(node).model_fields:
                walk(stem, getattr(node, name))
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(stem, item)

    for name in schemas():
        if name.endswith(".csv") or name == "sources.yml":
            continue
        walk(Path(name).stem, load(name))
    return found


@lru_cache(maxsize=None)
def notebook(chapter_notebook: str) -> str:
    raw = (REPO / chapter_notebook).read_text(encoding="utf-8")
    return reduce(notebook_text(raw))[0]


def taught_where(entry: str) -> list[str]:
    """The chapters whose notebook shows ``entry`` (listed in teaches and visible in the notebook)."""
    texts = entry_texts().get(entry, [])
    out = []
    for ch in load_course().chapters:
        if entry in ch.teaches and any(t in notebook(ch.notebook) for t in texts):
            out.append(ch.id)
    return out


def test_every_question_names_what_it_examines():
    ids = set(all_entry_ids())
    for q in load("question_bank.yml").questions:
        assert q.examines, q.id
        unknown = [e for e in q.examines if e not in ids]
        assert not unknown, f"{q.id} examines entries that do not exist or are not teachable: {unknown}"


def test_every_examined_entry_is_taught_by_a_chapter_notebook():
    missing: dict[str, list[str]] = {}
    for q in load("question_bank.yml").questions:
        for entry in q.examines:
            if not taught_where(entry):
                missing.setdefault(entry, []).append(q.id)
    assert not missing, "examined but not shown in any chapter notebook that lists it:\n" + json.dumps(
        missing, ensure_ascii=False, indent=1)


def test_the_issue_topics_are_examined_and_taught():
    # the topics the audit found untaught (issue 12): each is now a seed entry that a notebook shows
    for entry in ["workplace:service-teams", "workplace:product-lines", "workplace:system-login",
                  "workplace:customer-lookup", "workplace:ticket-templates", "workplace:ticket-history",
                  "workplace:session-timeout", "workplace:leave-via-oa", "workplace:promotion-path",
                  "workplace:exam-rules", "programme:three-call-guidance", "programme:practice-days-4-7",
                  "workplace:centre-functions", "workplace:exceed-expectations", "workplace:quality-dimensions",
                  "workplace:two-sides-of-service", "workplace:satisfaction-surveys",
                  "workplace:teamwork-knowledge-sharing", "workplace:crm-role", "workplace:service-sales-modes",
                  "workplace:online-service", "workplace:relationship-upkeep", "workplace:phone-sales"]:
        assert taught_where(entry), entry


def test_a_notebook_without_the_entry_does_not_count(monkeypatch):
    # the check can fail: hide chapter 6's notebook text and its system-operation entries are untaught
    assert taught_where("workplace:system-login")
    notebook.cache_clear()
    monkeypatch.setattr("test_taught.notebook", lambda path: "" if "06-" in path else reduce(
        notebook_text((REPO / path).read_text(encoding="utf-8")))[0])
    assert not taught_where("workplace:system-login")


def test_bank_still_holds_twice_the_blueprint():
    exam = load("exam.yml")
    qs = load("question_bank.yml").questions
    for sec in exam.theory.sections:
        have = sum(1 for q in qs if q.kind == sec.kind)
        assert have >= 2 * sec.count, f"{sec.kind}: {have} < 2 × {sec.count}"


@pytest.mark.parametrize("entry", ["workplace:crm-role"])
def test_assumed_topics_are_flagged_in_the_notebook(entry):
    # a workplace topic the manuals do not give must show 本套件规定 wherever it appears
    for t in load("workplace.yml").topics:
        if t.assumed:
            for ch in load_course().chapters:
                if f"workplace:{t.id}" in ch.teaches:
                    assert "本套件规定" in notebook(ch.notebook)
