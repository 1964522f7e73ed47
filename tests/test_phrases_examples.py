"""Every example in seeds/phrase_examples.yml behaves as the seed says, and the seeds hold together."""
from __future__ import annotations

import pytest

from kefu.phrases import check, entries, grade_rewrite, rewrite_items
from kefu.seeds import load

EXAMPLES = [
    pytest.param(g.id, e, id=f"{g.id}-{i:03d}")
    for g in load("phrase_examples.yml").groups
    for i, e in enumerate(g.examples)
]


@pytest.mark.parametrize("group,example", EXAMPLES)
def test_example(group, example):
    report = check(example.text)
    used = {v.rule for v in report.violations if not v.quoted}
    mentioned = {v.rule for v in report.violations if v.quoted}
    shown = [(v.rule, v.category, v.match) for v in report.violations]
    if example.expect == "flag":
        assert report.flagged, f"应检出却没有:{example.text!r}"
        missing = set(example.rules) - used
        assert not missing, f"{example.text!r} 缺少规则 {missing},实际 {shown}"
    elif example.expect == "pass":
        assert report.ok and not report.violations, f"礼貌句被误判:{example.text!r} → {shown}"
    else:
        assert report.ok and not used, f"引号中的提及被当成违规:{example.text!r} → {shown}"
        assert set(example.rules) <= mentioned, f"{example.text!r} 应报告为提及 {example.rules},实际 {shown}"


def _groups():
    return {g.id: g for g in load("phrase_examples.yml").groups}


def test_evidence_sizes():
    groups = _groups()
    manual = [e for g in groups.values() if g.origin == "manual" for e in g.examples]
    assert sum(e.expect == "flag" for e in manual) >= 20
    assert sum(e.expect == "pass" for e in manual) >= 40
    polite = [e for e in groups["own-polite-bu-mei"].examples if e.expect == "pass"]
    assert sum(("不" in e.text or "没" in e.text) for e in polite) >= 40
    assert sum(e.expect == "flag" for e in groups["own-rude"].examples) >= 40
    variants = {e.variant for g in groups.values() for e in g.examples}
    assert {"traditional", "spaced", "fullwidth", "punctuation"} <= variants


def test_issue_polite_lines_pass():
    # the polite lines named in the issue, typed by the test as inputs it chooses
    for text in ["不好意思", "不客气", "请您不要挂机", "期间请不要挂断电话", "升级后不会影响您的使用", "不必担心", "不会产生额外费用"]:
        assert not check(text).violations, text


def test_every_example_rule_exists_and_every_manual_group_cites_sources():
    ids = {e.id for e in entries()}
    for g in load("phrase_examples.yml").groups:
        for e in g.examples:
            assert set(e.rules) <= ids, f"{g.id}: {e.text!r} 引用了不存在的规则 {set(e.rules) - ids}"
            if g.origin == "manual":
                assert not e.assumed and e.sources


def test_phrasebook_size_and_categories():
    book = load("phrasebook.yml")
    assert len(book.entries) >= 60
    cats = {e.category for e in book.entries}
    assert {"蔑视", "烦躁", "否定", "推诿", "斗气", "不规范", "负面语言"} <= cats
    assert all(e.rewrites and e.patterns for e in book.entries)


@pytest.mark.parametrize("e", entries(), ids=lambda e: e.id)
def test_entry_rewrites_pass_and_are_clean(e):
    for rw in e.rewrites:
        assert not check(rw).violations, f"{e.id} 的推荐说法本身被判违规:{rw}"
        result = grade_rewrite(e.id, rw)
        assert result.passed, f"{e.id} 的推荐说法没有通过评分:{rw} {result.reasons}"


@pytest.mark.parametrize("item", rewrite_items(), ids=lambda i: i.id)
def test_rewrite_items(item):
    used = {v.rule for v in check(item.line).violations}
    assert set(item.entries) <= used, f"{item.id}: 原句应触发 {item.entries},实际 {used}"
    for rw in item.rewrites:
        assert grade_rewrite(item.id, rw).passed
    assert not grade_rewrite(item.id, item.line).passed
