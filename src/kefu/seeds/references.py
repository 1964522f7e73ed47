"""Checks between seed files (and course/course.yml): every ``<stem>:<id>`` reference points at an
entry that exists, the exam's rubric file is a seed file, the practical exam's pass mark agrees with
its rubric, and a practical scenario's points go to a rubric dimension that exists.

Runs after every file has been parsed on its own (``validate_all``); problems name file · 条目 · 字段
like shape problems do.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from .ids import _walk
from .loader import Problem, SeedError, _entry_label, read_raw

REF = re.compile(r"^([a-z_]+):([a-z0-9]+(?:-[a-z0-9]+)*)$")
COURSE_FILE = Path("course") / "course.yml"


def _strings(node: Any, loc: tuple = ()):
    """Every string in plain YAML data with its path."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, (*loc, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, (*loc, i))
    elif isinstance(node, str):
        yield loc, node


def _problem(file: str, data: Any, loc: tuple, reason: str) -> Problem:
    label, rest = _entry_label(data, loc)
    return Problem(file, label, ".".join(str(k) for k in rest), reason)


def _ref_problems(file: str, data: Any, ids: dict[str, set[str]], csv_stems: set[str]) -> list[Problem]:
    out = []
    for loc, text in _strings(data):
        m = REF.match(text.strip())
        if not m or (m[1] not in ids and m[1] not in csv_stems):
            continue  # not a reference to a seed file (free text that happens to contain a colon)
        stem, ident = m[1], m[2]
        if stem in csv_stems:
            out.append(_problem(file, data, loc, f"引用“{text}”:{stem}.csv 是一张表,只能整体引用为“{stem}”"))
        elif ident not in ids[stem]:
            out.append(_problem(file, data, loc, f"引用的条目“{text}”不存在:{stem}.yml 中没有 id 为 {ident} 的条目"))
    return out


def reference_problems(folder: Path, parsed: dict[str, BaseModel]) -> list[Problem]:
    """Problems between files; only files that parsed are looked at (their own problems are reported
    already)."""
    ids: dict[str, set[str]] = {}
    for name, model in parsed.items():
        if name.endswith((".yml", ".yaml")):
            found: list[str] = []
            _walk(model, found)
            ids[Path(name).stem] = set(found)
    csv_stems = {Path(n).stem for n in parsed if n.endswith(".csv")}
    out: list[Problem] = []
    for name in sorted(parsed):
        if name.endswith(".csv"):
            continue
        try:
            data = read_raw(folder / name)
        except SeedError as exc:  # pragma: no cover - it parsed a moment ago
            out.extend(exc.problems)
            continue
        out.extend(_ref_problems(name, data, ids, csv_stems))
    out.extend(_course_problems(folder, ids, csv_stems))
    out.extend(_exam_problems(parsed))
    return out


def _course_problems(folder: Path, ids: dict[str, set[str]], csv_stems: set[str]) -> list[Problem]:
    course = folder.parent / COURSE_FILE
    if not course.is_file():
        return []
    name = str(COURSE_FILE)
    try:
        data = yaml.safe_load(course.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return [Problem(name, "", "", f"无法读取课程大纲:{exc}")]
    out = _ref_problems(name, data, ids, csv_stems)
    for loc, text in _strings(data):
        if len(loc) >= 2 and loc[-2] == "teaches" and ":" not in text and text not in csv_stems:
            out.append(_problem(name, data, loc, f"引用“{text}”不是 seeds/ 中的表格,条目应写成 <文件名>:<id>"))
    return out


def _exam_problems(parsed: dict[str, BaseModel]) -> list[Problem]:
    exam = parsed.get("exam.yml")
    out: list[Problem] = []
    if exam is None:
        return out
    practical = exam.practical
    where = f"practical (id={practical.id})"
    if practical.rubric_file not in parsed:
        out.append(Problem("exam.yml", where, "rubric_file",
                           f"评分表文件“{practical.rubric_file}”不是 seeds/ 中的种子文件"))
        return out
    rubric = parsed[practical.rubric_file]
    rule = getattr(rubric, "pass_rule", None)
    if rule is not None and getattr(rule, "score", practical.pass_score) != practical.pass_score:
        out.append(Problem("exam.yml", where, "pass_score",
                           f"实操合格分 {practical.pass_score:g} 与 {practical.rubric_file} 的 pass_rule.score "
                           f"{rule.score:g} 不一致"))
    scen = parsed.get("practical_scenarios.yml")
    dims = getattr(rubric, "dimensions", None)
    if scen is not None and dims is not None:
        known = {d.id for d in dims} | {d.name for d in dims}
        dim = scen.ticket_record.dimension
        if dim not in known:
            out.append(Problem("practical_scenarios.yml", "ticket_record", "dimension",
                               f"评分维度“{dim}”不在 {practical.rubric_file} 中(可选:{'、'.join(d.name for d in dims)})"))
    return out
