"""No copied prose: nothing the kit ships shares a run of 18+ characters with a manual
(after 繁→简 with OpenCC and dropping punctuation and spaces), except the standard service lines
listed in seeds/scripts.yml (``standard_lines``)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kefu.originality import RUN, ManualIndex, read_text, reduce, shipped_files, standard_lines

REPO = Path(__file__).resolve().parents[1]
MANUALS = REPO.parent / "shared" / "seeds"
SHIPPED = ("seeds", "course", "notebooks", "assignments", "docs", "src", "README.md")


@pytest.fixture(scope="module")
def manuals() -> list[str]:
    files = sorted(MANUALS.glob("*.txt"))
    assert len(files) == 5, f"the five manuals are expected in {MANUALS}"
    return [p.read_text(encoding="utf-8") for p in files]


@pytest.fixture(scope="module")
def index(manuals) -> ManualIndex:
    scripts = yaml.safe_load((REPO / "seeds" / "scripts.yml").read_text(encoding="utf-8"))
    return ManualIndex(manuals, standard_lines(scripts))


def test_nothing_shipped_copies_a_manual(index):
    hits = []
    for path in shipped_files(REPO, SHIPPED):
        hits += index.hits(read_text(path), str(path.relative_to(REPO)))
    assert not hits, "copied manual prose (reword it in your own words):\n" + "\n".join(map(str, hits[:40]))


def test_detector_finds_a_copied_sentence_in_traditional_or_simplified(manuals, index):
    # take a real passage of the manual 003 (traditional) and write it in simplified with other punctuation
    reduced, where = reduce(manuals[3])
    passage = manuals[3][where[5000]:where[5000 + RUN + 4] + 1]
    from opencc import OpenCC

    simplified = OpenCC("t2s").convert(passage)
    text = "前言。" + " ".join(simplified) + "。后记"
    assert index.hits(text, "probe"), passage
    # a shorter run is not copying
    short = manuals[3][where[5000]:where[5000 + RUN - 2] + 1]
    assert not index.hits("前言" + short + "后记", "probe")


def test_standard_lines_are_exempt_but_prose_around_them_is_not(index):
    scripts = yaml.safe_load((REPO / "seeds" / "scripts.yml").read_text(encoding="utf-8"))
    lines = standard_lines(scripts)
    assert lines, "seeds/scripts.yml lists no standard_lines"
    for line in lines:
        assert not index.hits(f"客服说:“{line}”", "standard"), line
    # the manual's own instruction around a standard line is still prose
    empty = ManualIndex(["客服人员接起电话时必须要先说一句规范的问候语然后再询问客户需要什么帮助"], lines)
    assert empty.hits("接起电话时必须要先说一句规范的问候语然后再询问", "probe")
