"""`kefu seeds validate`: green on the repository, and precise Chinese messages on broken data."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kefu.seeds import SeedError, clear_cache, load, validate_all
from kefu.seeds.registry import schemas

REPO = Path(__file__).resolve().parents[1]
KEFU = [sys.executable, "-m", "kefu.cli.main"]


def run_validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*KEFU, "seeds", "validate", "--path", str(path)], capture_output=True, text=True)


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", dest)
    clear_cache()
    yield dest
    clear_cache()


def test_repository_seeds_are_valid():
    result = run_validate(REPO / "seeds")
    assert result.returncode == 0, result.stderr
    assert "通过校验" in result.stdout


def test_every_schema_has_its_file_and_every_file_its_schema():
    present = {p.name for p in (REPO / "seeds").iterdir() if p.suffix in {".yml", ".csv"}}
    assert set(schemas()) == present


def test_broken_yaml_names_file_and_line(seeds_copy: Path):
    p = seeds_copy / "service_rules.yml"
    p.write_text(p.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    result = run_validate(seeds_copy)
    assert result.returncode == 1
    assert "service_rules.yml" in result.stderr
    assert "YAML 格式错误" in result.stderr
    assert "行" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_field_names_entry_and_field(seeds_copy: Path):
    p = seeds_copy / "service_rules.yml"
    text = p.read_text(encoding="utf-8")
    broken = text.replace("    title: 三声铃响内接听\n", "", 1)
    assert broken != text
    p.write_text(broken, encoding="utf-8")
    result = run_validate(seeds_copy)
    assert result.returncode == 1
    assert "service_rules.yml" in result.stderr
    assert "id=answer-within-three-rings" in result.stderr
    assert "字段 title" in result.stderr
    assert "缺少必填字段" in result.stderr


def test_wrong_type_is_reported(seeds_copy: Path):
    p = seeds_copy / "exam.yml"
    text = p.read_text(encoding="utf-8")
    broken = text.replace("  minutes: 90\n", "  minutes: 九十分钟\n", 1)
    assert broken != text
    p.write_text(broken, encoding="utf-8")
    result = run_validate(seeds_copy)
    assert result.returncode == 1
    assert "exam.yml" in result.stderr
    assert "minutes" in result.stderr
    assert "应为整数" in result.stderr


def test_unknown_source_file_is_reported(seeds_copy: Path):
    p = seeds_copy / "programme.yml"
    text = p.read_text(encoding="utf-8")
    broken = text.replace(
        "{id: day1-am, day: 1, start: \"09:00\", end: \"12:00\", topic: 公司文化与发展历程, source: 003_a3f4989949c1cde6.txt}",
        "{id: day1-am, day: 1, start: \"09:00\", end: \"12:00\", topic: 公司文化与发展历程, source: 999_nosuchmanual.txt}",
        1,
    )
    assert broken != text
    p.write_text(broken, encoding="utf-8")
    result = run_validate(seeds_copy)
    assert result.returncode == 1
    assert "未知的来源文件 999_nosuchmanual.txt" in result.stderr
    assert "id=day1-am" in result.stderr


def test_unknown_key_is_reported(seeds_copy: Path):
    p = seeds_copy / "exam.yml"
    p.write_text(p.read_text(encoding="utf-8").replace("  pass_score: 80\n", "  pass_scor: 80\n", 1), encoding="utf-8")
    checked, problems = validate_all(seeds_copy)
    fields = {(pr.file, pr.entry.split(" ")[0], pr.field) for pr in problems}
    assert ("exam.yml", "theory", "pass_scor") in fields
    assert ("exam.yml", "theory", "pass_score") in fields  # and the real one is now missing


def test_blueprint_total_must_add_up(seeds_copy: Path):
    p = seeds_copy / "exam.yml"
    p.write_text(p.read_text(encoding="utf-8").replace("count: 30, points_each: 1", "count: 29, points_each: 1", 1), encoding="utf-8")
    checked, problems = validate_all(seeds_copy)
    assert any("合计" in pr.reason for pr in problems)


def test_missing_seed_file_is_reported(seeds_copy: Path):
    (seeds_copy / "programme.yml").unlink()
    checked, problems = validate_all(seeds_copy)
    assert any(pr.file == "programme.yml" and "缺少" in pr.reason for pr in problems)


def test_load_raises_seed_error_not_traceback(seeds_copy: Path):
    (seeds_copy / "exam.yml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(SeedError) as info:
        load("exam.yml", seeds_copy)
    assert "exam.yml" in str(info.value)


def test_every_fact_cites_a_known_manual():
    """Walk every loaded model: each object with a `source` names one of the five manuals."""
    from pydantic import BaseModel

    manuals = {m.file for m in load("sources.yml").manuals}
    seen: set[str] = set()

    def walk(node):
        if isinstance(node, BaseModel):
            src = getattr(node, "source", None)
            if src is not None:
                names = [src] if isinstance(src, str) else list(src)
                assert set(names) <= manuals
                seen.update(names)
            for f in type(node).model_fields:
                walk(getattr(node, f))
        elif isinstance(node, (list, tuple)):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            for x in node.values():
                walk(x)

    for name in schemas():
        if name != "sources.yml":
            walk(load(name))
    assert seen == manuals, f"manuals never cited: {sorted(manuals - seen)}"


# ---------------------------------------------------------------- meaning, not only shape

def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_pass_score_beyond_total_names_file_entry_field(seeds_copy: Path):
    _replace(seeds_copy / "exam.yml", "  pass_score: 80\n", "  pass_score: 800\n")
    result = run_validate(seeds_copy)
    assert result.returncode == 1
    total = load("exam.yml").theory.total_points  # the repository's, unchanged
    assert f"exam.yml · 条目 theory (id=" in result.stderr
    assert "字段 pass_score" in result.stderr
    assert f"800 不在 0 到满分 {total:g} 之间" in result.stderr
    assert "Traceback" not in result.stderr


def test_practical_pass_score_must_be_a_score(seeds_copy: Path):
    text = (seeds_copy / "exam.yml").read_text(encoding="utf-8")
    practical = text[text.index("practical:"):]
    (seeds_copy / "exam.yml").write_text(
        text.replace(practical, practical.replace("  pass_score: 80\n", "  pass_score: 180\n", 1)), encoding="utf-8")
    checked, problems = validate_all(seeds_copy)
    assert any(p.file == "exam.yml" and p.entry.startswith("practical") and p.field == "pass_score"
               for p in problems), problems


def test_rubric_weights_must_add_up_to_100(seeds_copy: Path):
    rubric = load("practical_rubric.yml")
    first = rubric.dimensions[0]
    p = seeds_copy / "practical_rubric.yml"
    text = p.read_text(encoding="utf-8")
    start = text.index(f"id: {first.id}")
    block = text[start:]
    line = next(ln for ln in block.splitlines() if ln.strip().startswith("weight:"))
    p.write_text(text[:start] + block.replace(line, line.split(":")[0] + f": {first.weight + 1:g}", 1), encoding="utf-8")
    checked, problems = validate_all(seeds_copy)
    hits = [pr for pr in problems if pr.file == "practical_rubric.yml" and pr.field == "dimensions"]
    assert hits and "应为 100" in hits[0].reason


def test_kpi_weights_use_the_same_check(seeds_copy: Path):
    model = load("kpi.yml")
    d = model.dimensions[0]
    p = seeds_copy / "kpi.yml"
    text = p.read_text(encoding="utf-8")
    start = text.index(f"id: {d.id}")
    block = text[start:]
    line = next(ln for ln in block.splitlines() if ln.strip().startswith("weight:"))
    p.write_text(text[:start] + block.replace(line, line.split(":")[0] + f": {d.weight + 1:g}", 1), encoding="utf-8")
    checked, problems = validate_all(seeds_copy)
    assert any(pr.file == "kpi.yml" and pr.field == "dimensions" and "应为 100" in pr.reason for pr in problems)


def test_reference_to_missing_entry_is_reported(seeds_copy: Path):
    _replace(seeds_copy / "complaints.yml", "see: service_rules:never-argue", "see: service_rules:no-such-rule")
    checked, problems = validate_all(seeds_copy)
    hits = [p for p in problems if p.file == "complaints.yml" and "service_rules:no-such-rule" in p.reason]
    assert hits and hits[0].field.endswith("see") and hits[0].entry


def test_course_reference_to_missing_entry_is_reported(seeds_copy: Path):
    course = seeds_copy.parent / "course"
    shutil.copytree(REPO / "course", course)
    _replace(course / "course.yml", "      - communication:agent-qualities\n", "      - communication:no-such-quality\n")
    result = run_validate(seeds_copy)
    assert result.returncode == 1
    assert "course.yml" in result.stderr and "communication:no-such-quality" in result.stderr
    assert "条目 chapters[0] (id=ch01)" in result.stderr


def test_clock_times_and_day_ranges(seeds_copy: Path):
    _replace(seeds_copy / "programme.yml", 'start: "09:00", end: "12:00"', 'start: "09:00", end: "25:99"')
    checked, problems = validate_all(seeds_copy)
    assert any(p.file == "programme.yml" and "id=day1-am" in p.entry and p.field == "end" and "25:99" in p.reason
               for p in problems), problems


def test_session_must_start_before_it_ends(seeds_copy: Path):
    _replace(seeds_copy / "programme.yml", 'start: "09:00", end: "12:00"', 'start: "12:00", end: "09:00"')
    checked, problems = validate_all(seeds_copy)
    assert any(p.file == "programme.yml" and "id=day1-am" in p.entry and "应早于" in p.reason for p in problems)


def test_scenario_range_and_rubric_file(seeds_copy: Path):
    exam = load("exam.yml").practical
    _replace(seeds_copy / "exam.yml", f"  scenarios_min: {exam.scenarios_min}\n", f"  scenarios_min: {exam.scenarios_max + 1}\n")
    checked, problems = validate_all(seeds_copy)
    reasons = " / ".join(p.reason for p in problems if p.file == "exam.yml")
    assert "scenarios_min" in reasons and "不能大于" in reasons


def test_rubric_file_must_be_a_seed_file(seeds_copy: Path):
    exam = load("exam.yml").practical
    _replace(seeds_copy / "exam.yml", f"rubric_file: {exam.rubric_file}", "rubric_file: no_such_rubric.yml")
    checked, problems = validate_all(seeds_copy)
    assert any(p.file == "exam.yml" and p.field == "rubric_file" and "no_such_rubric.yml" in p.reason
               for p in problems), problems


def test_durations_must_be_positive(seeds_copy: Path):
    rule = next(r for r in load("service_rules.yml").rules if r.unit == "minutes" and r.value)
    p = seeds_copy / "service_rules.yml"
    text = p.read_text(encoding="utf-8")
    start = text.index(f"id: {rule.id}")
    block = text[start:]
    line = next(ln for ln in block.splitlines() if ln.strip().startswith("value:"))
    p.write_text(text[:start] + block.replace(line, line.split(":")[0] + ": -5", 1), encoding="utf-8")
    checked, problems = validate_all(seeds_copy)
    assert any(pr.file == "service_rules.yml" and f"id={rule.id}" in pr.entry and "应大于 0" in pr.reason
               for pr in problems), problems
