"""The practical exam ``practical-exam``: simulated calls with a trainer playing the customer.

**Which scenarios a trainee gets.** nbgrader has one source notebook per assignment and no
per-student variants (issues #1153, #1433); the grading kernel does not know the student id
(only the folder name, which is fragile to rely on). So the scenarios are fixed *per build*:
``kefu build exams --seed N`` picks ``practical.scenarios_max`` scenarios of different ticket
types from seeds/practical_scenarios.yml (within the 2–3 of exam.yml); every trainee of a cohort
takes the same calls, so marking is identical and fair, and a new cohort rebuilds with another
seed to get other scenarios. The notebook shows trainees only "第 1 通来电 …"; who the customer
is and what they want is in the trainer's brief (the ``scenarios`` part of
``assignments/_keys/practical-exam.yml``), so the trainee has to find out during the call.

**Scoring.** The five rubric dimensions of seeds/practical_rubric.yml are manually graded task
cells. The ticket record the trainee types during each call (type, priority, summary, promised
follow-up) is autograded in the grader's process (``kefu.exams.marking.mark_ticket``, a ``grading``
entry of the keys file; the hidden test only hands the record over as data); its points come
out of the rubric dimension named in ``ticket_record.dimension`` (系统操作), so the paper still
totals the rubric's points.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..authoring import cells as C
from ..authoring.grading import compile_call, emit_source
from ..seeds import load, seeds_dir
from ..seeds.loader import SeedError, read_raw
from .answered import visible_source
from .keysfile import write_yaml
from .theory import ExamBuildError

RUBRIC = "practical_rubric.yml"


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    points: float
    description: str
    criteria: tuple[str, ...]


def _first(d: dict, *names: str, default: Any = None) -> Any:
    for n in names:
        if d.get(n) not in (None, "", []):
            return d[n]
    return default


def rubric_dimensions(rubric_file: str = RUBRIC) -> list[Dimension]:
    """The practical rubric's dimensions (RULES owns the seed; read tolerantly)."""
    try:
        data = load(rubric_file).model_dump()
    except SeedError as exc:
        if not any("没有为这个文件定义结构" in p.reason for p in exc.problems):
            raise
        data = read_raw(seeds_dir() / rubric_file)
    except FileNotFoundError:
        raise ExamBuildError(f"找不到 seeds/{rubric_file}:实操考核需要评分维度") from None
    raw = _first(data, "dimensions", "items", default=[])
    dims: list[Dimension] = []
    for i, d in enumerate(raw):
        name = _first(d, "name", "title", "label", "id")
        pts = _first(d, "points", "max_points", "weight", "percent")
        if pts is None:
            raise ExamBuildError(f"{rubric_file} · dimensions[{i}] · 缺少分值(points/weight)")
        crit = _first(d, "look_for", "criteria", "looks_for", "checks", "indicators", default=[])
        crit = tuple(c if isinstance(c, str) else str(_first(c, "text", "description", "name", default=c))
                     for c in crit)
        dims.append(Dimension(str(d.get("id", name)), str(name), float(pts),
                              str(_first(d, "measures", "description", "focus", "summary", default="")), crit))
    if dims and all(d.points <= 1 for d in dims):  # weights given as fractions
        dims = [Dimension(d.id, d.name, round(d.points * 100, 2), d.description, d.criteria) for d in dims]
    if not dims:
        raise ExamBuildError(f"{rubric_file} 里没有评分维度(dimensions)")
    return dims


def pick_scenarios(bank, count: int, seed: int) -> list:
    pool = list(bank.scenarios)
    random.Random(f"{seed}:practical").shuffle(pool)
    chosen, types = [], set()
    for s in pool:
        if s.ticket.type not in types:
            chosen.append(s)
            types.add(s.ticket.type)
        if len(chosen) == count:
            return chosen
    for s in pool:  # fewer types than calls: fill with the rest
        if s not in chosen:
            chosen.append(s)
        if len(chosen) == count:
            return chosen
    raise ExamBuildError(f"practical_scenarios.yml 只有 {len(pool)} 个场景,不够 {count} 通来电")


def _expected(s) -> dict:
    t = s.ticket
    return {"type": t.type, "priority": t.priority,
            "summary_keywords": [list(g) for g in t.summary_keywords],
            "follow_up_keywords": [list(g) for g in t.follow_up_keywords]}


def _ticket_src(var: str, values: list[str], fields: list[str]) -> str:
    lines = [f"{var} = {{"] + [f'    "{f}": "{v}",' for f, v in zip(fields, values)] + ["}"]
    return "\n".join(lines)


def ticket_variants(var: str, s, tr) -> dict[str, str]:
    t = s.ticket
    words = [g[0] for g in t.summary_keywords]
    follow = ",".join(g[0] for g in t.follow_up_keywords)
    other_type = next(x for x in tr.types if x != t.type)
    other_prio = next(x for x in tr.priorities if x != t.priority)
    return {
        "correct": _ticket_src(var, [t.type, t.priority, "客户反映:" + ",".join(words), follow], tr.fields),
        # right type, wrong priority, summary with only the first key fact, no follow-up
        "partial": _ticket_src(var, [t.type, other_prio, words[0], ""], tr.fields),
        "wrong": _ticket_src(var, [other_type, other_prio, "客户来电", ""], tr.fields),
    }


def _template(var: str, tr) -> str:
    hints = {0: " / ".join(tr.types), 1: " / ".join(tr.priorities),
             2: "谁、遇到什么问题、想要什么(一两句话)",
             3: "答应客户什么时候、由谁、怎样跟进;当场解决的写“无需跟进,已当场解决”"}
    lines = [f"# 通话中填写这张工单:只在引号里写字", f"{var} = {{"]
    lines += [f'    "{f}": "",   # {hints[i]}' for i, f in enumerate(tr.fields)]
    return "\n".join(lines + ["}"])


def build_practical(seed: int, root: Path) -> list[Path]:
    exam = load("exam.yml")
    prac = exam.practical
    bank = load("practical_scenarios.yml")
    tr = bank.ticket_record
    dims = rubric_dimensions(prac.rubric_file)
    count = prac.scenarios_max
    scenarios = pick_scenarios(bank, count, seed)
    ticket_pts = tr.points_per_field * len(tr.fields)
    target = [d for d in dims if tr.dimension in (d.name, d.id)]
    if len(target) != 1:
        raise ExamBuildError(f"practical_scenarios.yml · ticket_record.dimension {tr.dimension} 在评分维度中找不到")
    manual_pts = {d.id: d.points - (ticket_pts * count if d is target[0] else 0) for d in dims}
    if manual_pts[target[0].id] < 0:
        raise ExamBuildError(f"工单自动评分共 {ticket_pts * count:g} 分,超过了“{target[0].name}”的 {target[0].points:g} 分")
    total = sum(d.points for d in dims)
    aid = prac.assignment_id
    intro = "\n".join([
        "# 实操考核(模拟通话)",
        "",
        f"- 培训师扮演客户,依次打来 **{count} 通**不同类型的电话,共约 {prac.minutes} 分钟。",
        f"- 满分 {total:g} 分,**{prac.pass_score:g} 分合格**;评分维度:"
        + "、".join(f"{d.name} {d.points:g} 分" for d in dims) + "。",
        f"- 每通电话里你一边接听,一边填写工单;工单共 {ticket_pts * count:g} 分,交卷后自动评分,"
        f"计入“{target[0].name}”。其余分数由培训师在通话中观察后评定。",
        "- 截止时间以后提交的记 0 分。",
    ])
    howto = "\n".join([
        "## 如何作答",
        "",
        "1. 每通电话对应一个灰色的“工单”格子,只在**引号里**填写,不要删掉引号、冒号和逗号。",
        f"2. “{tr.fields[0]}”填:{' / '.join(tr.types)};“{tr.fields[1]}”填:{' / '.join(tr.priorities)}。",
        f"3. “{tr.fields[2]}”写清客户的问题和诉求;“{tr.fields[3]}”写你答应客户的跟进方式和时间。",
        "4. 格子最后一行的 `# ↑ 在上面的引号或列表里作答(这一行不用改)` 是提示,保留即可。",
        "5. 考试中没有自测(self-check)功能,系统不会提示对错。工单下面写着“评分在交卷后进行”的格子只检查这张工单"
        "是否每一项都已填写;**验证(Validate)也只检查每张工单是否都已填写**,不判断对错。",
        "6. 写着“培训师评分”的格子由培训师填写分数,你不用改动。",
    ])
    cells = [C.locked_markdown(intro, f"{aid}-intro"), C.locked_markdown(howto, f"{aid}-howto"),
             C.locked_code(C.INPUT_SETUP, f"{aid}-setup")]
    keys_answers, keys_expected, brief, grading = {}, {}, [], {}
    for k, s in enumerate(scenarios, 1):
        var = f"ticket{k}"
        cells.append(C.locked_markdown(
            f"## 第 {k} 通来电\n\n听到培训师说“开始”后接听。通话结束前把下面的工单填完。", f"call{k}-text"))
        variants = ticket_variants(var, s, tr)
        cells.append(C.answer_code(var, variants["correct"], before=_template(var, tr)))
        hidden = (f"from kefu.exams.marking import mark_ticket\n"
                  f"mark_ticket({var}, {_expected(s)!r}, {list(tr.fields)!r}, "
                  f"points_per_field={tr.points_per_field:g}, label=\"第 {k} 通工单\")")
        grading[f"{var}-check"] = compile_call(hidden, ticket_pts)
        visible = f"# 第 {k} 通工单的评分在交卷后进行。\n" + visible_source(
            var, "ticket", f"第 {k} 通工单", fields=list(tr.fields))
        cells.append(C.test_code(f"{var}-check", visible, emit_source([var]), points=ticket_pts))
        keys_answers[var] = variants
        keys_expected[var] = _expected_points(var, variants, s, tr)
        brief.append({"call": k, "scenario": s.id, "title": s.title, "customer": s.customer, "goal": s.goal,
                      "trainer_script": list(s.trainer_script), "good_call": list(s.good_call),
                      "ticket": _expected(s)})
    cells.append(C.locked_markdown("## 培训师评分\n\n以下各项由培训师根据整场模拟通话评定。", f"{aid}-rubric"))
    manual = {}
    for d in dims:
        gid = f"rubric-{d.id}"
        text = [f"### {d.name}(培训师评分,{manual_pts[d.id]:g} 分)"]
        if d.description:
            text += ["", d.description]
        if d.criteria:
            text += [""] + [f"- {c}" for c in d.criteria]
        if d is target[0]:
            text += ["", f"(本维度另有 {ticket_pts * count:g} 分来自工单自动评分)"]
        cells.append(C.manual_task(gid, "\n".join(text), points=manual_pts[d.id]))
        manual[gid] = {
            "points": manual_pts[d.id],
            "model_answer": f"{d.name}:" + (d.description or "表现符合评分标准。"),
            # the rubric's criteria are shown to trainees in the notebook: public, not a key
            "criteria": list(d.criteria) or [d.description or d.name],
        }
    nb_path = root / "assignments" / aid / f"{aid}.ipynb"
    C.write(C.notebook(cells, title="实操考核"), nb_path)
    keys = {"assignment": aid, "kind": "practical", "seed": seed,
            "tests": {v: f"{v}-check" for v in keys_answers}, "grading": grading,
            "answers": keys_answers, "expected": keys_expected, "manual": manual, "scenarios": brief}
    key_path = root / "assignments" / "_keys" / f"{aid}.yml"
    write_yaml(keys, key_path)
    return [nb_path, key_path]


def _expected_points(var: str, variants: dict[str, str], s, tr) -> dict[str, float]:
    from .marking import score_ticket

    out = {"points": tr.points_per_field * len(tr.fields)}
    for name, src in variants.items():
        scope: dict = {}
        exec(src, {}, scope)  # noqa: S102 — our own generated dict literal
        parts = score_ticket(scope[var], _expected(s), list(tr.fields))
        out[name] = round(sum(parts.values()) * tr.points_per_field, 2)
    return out
