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
    fields = {(pr.file, pr.field) for pr in problems}
    assert ("exam.yml", "theory.pass_scor") in fields
    assert ("exam.yml", "theory.pass_score") in fields  # and the real one is now missing


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
