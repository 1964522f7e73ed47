"""kefu.autograde.trusted.warm, the one grader-side warm-up the autograde runner calls before forking
workers: for a batch whose keys use phrase or rewrite marking it leaves the phrase judge and the
rewrite examples loaded in the grading process; for a batch without them it loads neither.

Each case runs in a fresh interpreter, so the caches start cold."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
KEYS = REPO / "assignments" / "_keys"
PHRASE_MARKING = {"kefu.authoring.marking.rewrites", "kefu.authoring.marking.judge_phrases"}

PROBE = """\
import json, sys
from kefu.autograde.trusted import warm
from kefu.phrases.grade import _memory, _seed_items
from kefu.phrases.judge import _judge_for

warm(sys.argv[1], [sys.argv[2]])
print(json.dumps({"judge": _judge_for.cache_info().currsize, "seed_items": _seed_items.cache_info().currsize,
                  "rewrite_examples": _memory.cache_info().currsize}))
"""


def _functions(aid: str) -> set[str]:
    grading = yaml.safe_load((KEYS / f"{aid}.yml").read_text(encoding="utf-8")).get("grading") or {}
    return {e["function"] for e in grading.values() if isinstance(e, dict) and e.get("function")}


def _assignment(uses_phrases: bool) -> str:
    for key in sorted(KEYS.glob("*.yml")):
        if bool(_functions(key.stem) & PHRASE_MARKING) == uses_phrases:
            return key.stem
    pytest.fail(f"no assignment key in {KEYS} {'with' if uses_phrases else 'without'} phrase marking")


def _warm(aid: str) -> dict[str, int]:
    out = subprocess.run([sys.executable, "-c", PROBE, str(KEYS), aid], capture_output=True, text=True,
                         timeout=600, cwd=REPO)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_warm_loads_the_phrase_judge_and_rewrite_examples_for_phrase_marking():
    loaded = _warm(_assignment(uses_phrases=True))
    assert loaded["judge"] == 1 and loaded["seed_items"] == 1
    assert loaded["rewrite_examples"] > 0


def test_warm_leaves_the_phrase_judge_alone_without_phrase_marking():
    assert _warm(_assignment(uses_phrases=False)) == {"judge": 0, "seed_items": 0, "rewrite_examples": 0}
