"""Exercise kinds for chapter assignments. Each function adds one question to a
:class:`~kefu.authoring.chapters.common.ChapterBuilder` and returns its id.

Expected scores of the simulated answers (correct / partial / wrong) are worked out here from how
each variant is constructed (k of n items right → points·k/n), independently of the marking code.
"""
from __future__ import annotations

from typing import Any, Sequence

from .common import MARK, BuildError, ChapterBuilder, letters, py


def _half(n: int) -> int:
    return max(1, n // 2)


def _other(value: str, pool: Sequence[str], shift: int = 1) -> str:
    """A value of ``pool`` different from ``value`` (deterministic)."""
    pool = list(pool)
    i = pool.index(value) if value in pool else -1
    return pool[(i + shift) % len(pool)]


# ------------------------------------------------------------------ choose the correct option

def choices(b: ChapterBuilder, items: list[dict[str, Any]], *, heading: str = "选择题",
            points_each: float = 1.0, intro: str = "每小题只有一个正确选项,把选项字母按小题顺序填进列表。") -> str:
    """Single-choice items from the content file: ``{question, options, answer, explain, source}``."""
    if not items:
        raise BuildError(f"{b.assignment_id}: 选择题列表为空")
    qid = b.next_qid()
    lines = [intro, ""]
    keys: list[str] = []
    notes: list[str] = []
    for i, it in enumerate(items, 1):
        opts = it["options"]
        labels = letters(len(opts))
        if it["answer"] not in labels:
            raise BuildError(f"{b.assignment_id} 选择题 {it.get('id', i)}: answer 应为 {'/'.join(labels)} 之一")
        lines.append(f"**{i}. {it['question']}**")
        lines += [f"- {l}. {o}" for l, o in zip(labels, opts)]
        lines.append("")
        keys.append(it["answer"])
        notes.append(str(it.get("explain", "")).strip())
    n = len(keys)
    pool = letters(min(len(it["options"]) for it in items))
    k = _half(n)
    points = points_each * n
    partial = keys[:k] + [_other(x, pool) for x in keys[k:]]
    wrong = [_other(x, pool) for x in keys]
    return b.add_question(
        heading=heading,
        text="\n".join(lines).strip(),
        comments=[f"在引号里填写选项字母({'/'.join(pool)}),共 {n} 小题"],
        placeholder={qid: [""] * n},
        correct={qid: keys},
        variants={"partial": {qid: partial}, "wrong": {qid: wrong}, "rude": {qid: ["不知道"] * n}},
        scores={"correct": points, "partial": points * k / n, "wrong": 0.0, "rude": 0.0},
        rules={qid: {"kind": "letters", "count": n, "allowed": "".join(pool)}},
        hidden=f"{MARK}.choices({qid}, {py(''.join(keys))}, {points:g}, {py(notes)})",
        points=points,
    )


# ------------------------------------------------------------------ put steps in order

def order_steps(b: ChapterBuilder, steps: list[tuple[str, str]], *, heading: str, what: str,
                procedure: str | None = None, points: float | None = None) -> str:
    """``steps`` = (id, text) in the right order. With ``procedure`` the hidden test reads the
    right order from the rule engines on the grader's machine; otherwise it carries the ids."""
    if len(steps) < 3:
        raise BuildError(f"{b.assignment_id}: 排序题至少需要 3 个步骤")
    qid = b.next_qid()
    n = len(steps)
    points = float(points if points is not None else n)
    rng = b.rng(qid)
    shown = list(steps)
    while [s[0] for s in shown] == [s[0] for s in steps]:
        rng.shuffle(shown)
    labs = letters(n)
    letter_of = {sid: l for l, (sid, _) in zip(labs, shown)}
    key = [letter_of[sid] for sid, _ in steps]
    partial = key[:-2] + [key[-1], key[-2]]            # last two swapped: n-2 of n positions right
    wrong = key[1:] + key[:1]                           # every step one place off: none right
    text = (f"下面是{what}的各个步骤,但顺序被打乱了。请按正确的先后顺序,把字母依次填进列表。\n\n"
            + "\n".join(f"- {l}. {t}" for l, (_, t) in zip(labs, shown)))
    shown_ids = [sid for sid, _ in shown]
    if procedure:
        hidden = f"{MARK}.procedure_order({qid}, {py(procedure)}, {py(shown_ids)}, {points:g})"
    else:
        hidden = (f"{MARK}.order({qid}, {py(shown_ids)}, {py([s for s, _ in steps])}, {points:g}, "
                  f"{py([t for _, t in shown])})")
    return b.add_question(
        heading=heading,
        text=text,
        comments=[f"按顺序填写字母({'、'.join(labs)}),每个字母用一次"],
        placeholder={qid: [""] * n},
        correct={qid: key},
        variants={"partial": {qid: partial}, "wrong": {qid: wrong}},
        scores={"correct": points, "partial": points * (n - 2) / n, "wrong": 0.0},
        rules={qid: {"kind": "letters", "count": n, "allowed": "".join(labs), "unique": True}},
        hidden=hidden,
        points=points,
    )


# ------------------------------------------------------------------ choose the opening line

def openings(b: ChapterBuilder, when: list[str], *, extra: Sequence[str] = (), heading: str = "选择开头语",
             points_each: float = 1.0) -> str:
    """For each date-time (ISO) the trainee picks the right opening line; options are the lines
    ``kefu.scripts.opening`` gives for ``when`` and ``extra`` date-times (distractors)."""
    from datetime import datetime

    from kefu.scripts import opening

    qid = b.next_qid()
    texts = {iso: opening(datetime.fromisoformat(iso)).text for iso in list(when) + list(extra)}
    options = sorted(set(texts.values()))
    if len(options) < 3:
        raise BuildError(f"{b.assignment_id}: 开头语选项不足 3 个,请增加不同日期")
    labs = letters(len(options))
    key = [labs[options.index(texts[iso])] for iso in when]
    n = len(when)
    k = _half(n)
    points = points_each * n
    wk = "一二三四五六日"
    lines = ["来电的日期和时间如下。每个时间应使用哪一句开头语?把选项字母按顺序填进列表。", "", "**开头语选项**"]
    lines += [f"- {l}. {o}" for l, o in zip(labs, options)]
    lines += ["", "**来电时间**"]
    for i, iso in enumerate(when, 1):
        dt = datetime.fromisoformat(iso)
        lines.append(f"{i}. {dt.year} 年 {dt.month} 月 {dt.day} 日(星期{wk[dt.weekday()]}){dt:%H:%M}")
    return b.add_question(
        heading=heading,
        text="\n".join(lines),
        comments=[f"在引号里填写选项字母,共 {n} 小题"],
        placeholder={qid: [""] * n},
        correct={qid: key},
        variants={"partial": {qid: key[:k] + [_other(x, labs) for x in key[k:]]},
                  "wrong": {qid: [_other(x, labs) for x in key]}},
        scores={"correct": points, "partial": points * k / n, "wrong": 0.0},
        rules={qid: {"kind": "letters", "count": n, "allowed": "".join(labs)}},
        hidden=f"{MARK}.openings({qid}, {py(list(when))}, {py(options)}, {points:g})",
        points=points,
    )
