"""Exercise kinds for chapter assignments. Each function adds one question to a
:class:`~kefu.authoring.chapters.common.ChapterBuilder` and returns its id.

Expected scores of the simulated answers (correct / partial / wrong) are worked out here from how
each variant is constructed (k of n items right → points·k/n), independently of the marking code.
"""
from __future__ import annotations

from pathlib import Path
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


# ------------------------------------------------------------------ rewrite negative phrases

def rewrites(b: ChapterBuilder, items: list[tuple[str, str, str]], *, heading: str = "改写禁用语",
             intro: str = "把下面每一句不恰当的话改写成得体的服务用语,写在对应的引号里。") -> str:
    """``items`` = (item id for ``kefu.phrases.grade_rewrite``, the line shown, a model rewrite).
    Each reply scores 0–1 with the phrase engine; the model rewrite must score 1 (checked here)."""
    from kefu.phrases import grade_rewrite

    qid = b.next_qid()
    n = len(items)
    for item, line, model in items:
        res = grade_rewrite(item, model)
        if float(res.score) < 1.0:
            raise BuildError(f"{b.assignment_id} {qid}: 参考改写“{model}”在 {item} 上只得 {res.score}"
                             f"({';'.join(res.reasons)})")
    models = [m for _, _, m in items]
    originals = [line for _, line, _ in items]
    k = _half(n)
    points = float(n)
    rude_score = sum(float(grade_rewrite(item, line).score) for item, line, _ in items) / n
    text = intro + "\n\n" + "\n".join(f"{i}. “{line}”" for i, line in enumerate(originals, 1))
    return b.add_question(
        heading=heading,
        text=text,
        comments=[f"共 {n} 句:每句改写写在一对引号里,不要删掉引号和逗号"],
        placeholder={qid: [""] * n},
        correct={qid: models},
        variants={"partial": {qid: models[:k] + [""] * (n - k)}, "wrong": {qid: [""] * n},
                  "rude": {qid: originals}},
        scores={"correct": points, "partial": points * k / n, "wrong": 0.0, "rude": round(points * rude_score, 2)},
        rules={qid: {"kind": "texts", "count": n}},
        hidden=f"{MARK}.rewrites({qid}, {py([i for i, _, _ in items])}, {points:g})",
        points=points,
    )


# ------------------------------------------------------------------ classify tickets

TYPE_ORDER = ("咨询", "投诉", "故障", "建议")
PRIORITY_ORDER = ("紧急", "高", "中", "低")


def _ordered(values: set[str], prefer: Sequence[str]) -> list[str]:
    return [v for v in prefer if v in values] + sorted(values - set(prefer))


def tickets(b: ChapterBuilder, count: int, *, heading: str = "工单分类", part: tuple[int, int] = (0, 1)) -> str:
    """``count`` tickets from the held-back exam split (never shown in drills), chosen by seed from
    ``part`` = (i, m): every m-th ticket starting at i in id order, so chapters need not share tickets.
    The trainee writes each ticket's type and priority; half of each ticket's credit per field."""
    from kefu.tickets import load

    qid = b.next_qid()
    pool = sorted(load("exam"), key=lambda t: t.id)[part[0]::part[1]]
    if len(pool) < count:
        raise BuildError(f"{b.assignment_id}: 考试工单不足 {count} 张(只有 {len(pool)} 张)")
    chosen = b.rng(qid).sample(sorted(pool, key=lambda t: t.id), count)
    types = _ordered({t.type for t in load("all")}, TYPE_ORDER)
    prios = _ordered({t.priority for t in load("all")}, PRIORITY_ORDER)
    vt, vp = f"{qid}_type", f"{qid}_priority"
    key_t = [t.type for t in chosen]
    key_p = [t.priority for t in chosen]
    points = float(count)
    lines = [f"给下面每张工单选择**类型**({'、'.join(types)})和**优先级**({'、'.join(prios)}),"
             "按工单顺序填进两个列表。", ""]
    for i, t in enumerate(chosen, 1):
        channel = f"[{t.channel}] " if getattr(t, "channel", None) else ""
        lines.append(f"{i}. 工单 {t.id}:{channel}{t.text}")
    return b.add_question(
        heading=heading,
        text="\n".join(lines),
        comments=[f"类型从 {'、'.join(types)} 中选;优先级从 {'、'.join(prios)} 中选;共 {count} 张工单"],
        placeholder={vt: [""] * count, vp: [""] * count},
        correct={vt: key_t, vp: key_p},
        variants={"partial": {vt: key_t, vp: [_other(p, prios) for p in key_p]},
                  "wrong": {vt: [_other(x, types) for x in key_t], vp: [_other(p, prios) for p in key_p]}},
        scores={"correct": points, "partial": points / 2, "wrong": 0.0},
        rules={vt: {"kind": "texts", "count": count, "allowed": types},
               vp: {"kind": "texts", "count": count, "allowed": prios}},
        hidden=f"{MARK}.tickets({vt}, {vp}, {py([t.id for t in chosen])}, {points:g})",
        points=points,
    )


# ------------------------------------------------------------------ KPIs from a call log (team lead)

def _kpi_wrong(name: str, value: float, rate: bool) -> float:
    if rate:
        return round(value - 0.3, 4) if value >= 0.5 else round(value + 0.3, 4)
    return round(value * 2 + 10, 1)


def kpis(b: ChapterBuilder, generator: dict[str, Any], metrics: Sequence[str], *, sl_threshold: int = 20,
         heading: str = "用 pandas 计算 KPI(班组长)", filename: str = "calls.csv") -> str:
    """A call log made by ``kefu.data.generate_calls(**generator)`` is released as ``filename``;
    the trainee computes overall ``metrics`` with pandas. The hidden test regenerates the log and
    recomputes with ``kefu.kpi.compute`` (tolerance in :func:`kefu.authoring.marking.kpis`)."""
    import tempfile

    from kefu.data import generate_calls
    from kefu.kpi import compute, read_calls
    from kefu.seeds import load

    from .. import cells

    qid = b.next_qid()
    data = generate_calls(**generator).to_csv(index=False).encode("utf-8")
    b.files[filename] = data
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.write_bytes(data)
        overall = compute(read_calls(path).frame, sl_threshold=sl_threshold)["overall"]
    defs = {m.key: m for m in load("kpi.yml").metrics}
    rate = {k: getattr(defs.get(k), "unit", "") == "ratio" for k in metrics}
    exp = {k: (int(overall[k]) if getattr(defs.get(k), "unit", "") == "count"
               else round(float(overall[k]), 4 if rate[k] else 1)) for k in metrics}
    names = {k: f"{qid}_{k}" for k in metrics}
    n = len(metrics)
    k_right = _half(n)
    lines = [f"文件 `{filename}` 是一个班组 {generator.get('days', '若干')} 天的通话记录(每行一通来电)。"
             "用 pandas 计算整个班组的下列指标,把结果填进对应变量(只填数字;比率可以写小数 0.85 或百分数 85)。",
             f"服务水平的时限为 {sl_threshold} 秒。", ""]
    for k in metrics:
        d = defs.get(k)
        label = getattr(d, "label", k)
        lines.append(f"- `{names[k]}`:{label} — {getattr(d, 'definition', '')}")
    lines += ["", "提示:已接通的来电是 `abandoned == 0` 的行;`df[条件]` 可筛选行,`.mean()` 求平均,`.sum()` 求和。"]
    loader = cells.locked_code(
        f"import pandas as pd\n\ncalls = pd.read_csv({py(filename)})\ncalls.head()", f"{qid}-data")
    return b.add_question(
        heading=heading,
        text="\n".join(lines),
        comments=["可以在这个单元格里用 pandas 计算;最后把结果(数字)填在等号后面"],
        placeholder={names[k]: None for k in metrics},
        correct={names[k]: exp[k] for k in metrics},
        variants={"partial": {names[k]: (exp[k] if i < k_right else None) for i, k in enumerate(metrics)},
                  "wrong": {names[k]: _kpi_wrong(k, exp[k], rate[k]) for k in metrics}},
        scores={"correct": float(n), "partial": float(k_right), "wrong": 0.0},
        rules={names[k]: {"kind": "number"} for k in metrics},
        hidden=(f"{MARK}.kpis({{{', '.join(f'{py(k)}: {names[k]}' for k in metrics)}}}, {py(generator)}, "
                f"{float(n):g}, sl_threshold={sl_threshold})"),
        points=float(n),
        extra_cells=[loader],
    )


# ------------------------------------------------------------------ QA scorecard on a transcript

def qa_transcript(b: ChapterBuilder, transcript: dict[str, Any], *, heading: str = "质检评分") -> str:
    """``transcript`` (content file): ``lines`` [speaker, text] and ``findings`` {deduction id of
    seeds/qa_rubric.yml: times} — the grader's reading of the call. The trainee fills in the points
    deducted for every scorecard item and the total; the total is checked with ``kefu.qa.score_call``."""
    from kefu.qa import deductions_from_findings, items, score_call

    qid = b.next_qid()
    rubric = list(items())
    ids = [it.id for it in rubric]
    found = deductions_from_findings(transcript["findings"])
    key = {i: int(found.get(i, 0)) for i in ids}
    total = float(score_call(key).score)
    vd, vt = f"{qid}_deductions", f"{qid}_total"
    n = len(ids) + 1
    lines = ["阅读下面的通话记录,按话务质检评分表给每个评分项填写**扣分**(没有问题的项目填 0),"
             f"再算出这通电话的**总分**(满分 {score_call({}).max_score:g})。", ""]
    lines += [f"> **{sp}**:{tx}  " for sp, tx in transcript["lines"]]
    lines += ["", "**话务质检评分表**", ""]
    for it in rubric:
        rules = ";".join(f"{d.text} 扣 {d.points:g} 分{'(每次)' if d.per == 'each' else ''}" for d in it.deductions)
        lines.append(f"- `{it.id}` {it.title}(满分 {it.points:g}):{rules}")
    return b.add_question(
        heading=heading,
        text="\n".join(lines),
        comments=["在冒号后面填写这一项扣了几分(数字,不扣分填 0);总分填在最后一行"],
        placeholder={vd: {i: None for i in ids}, vt: None},
        correct={vd: key, vt: total},
        variants={"partial": {vd: key, vt: None},
                  "wrong": {vd: {i: key[i] + 1 for i in ids}, vt: total + 7}},
        scores={"correct": float(n), "partial": float(n - 1), "wrong": 0.0},
        rules={vd: {"kind": "numbers", "keys": ids}, vt: {"kind": "number"}},
        hidden=f"{MARK}.qa_scorecard({vd}, {vt}, {py(key)}, {float(n):g})",
        points=float(n),
    )


def rewrite_items(ids: Sequence[str]) -> list[tuple[str, str, str]]:
    """(id, line shown, model rewrite) for rewrite items or phrasebook entries, from seeds/phrasebook.yml."""
    from kefu.phrases import entry, grade_rewrite, rewrite_item

    out = []
    for i in ids:
        try:
            it = rewrite_item(i)
            line, models = it.line, list(it.rewrites)
        except KeyError:
            e = entry(i)
            line, models = e.forbidden, list(e.rewrites)
        good = [m for m in models if float(grade_rewrite(i, m).score) >= 1.0]
        if not good:
            raise BuildError(f"话术库条目 {i} 没有一个能得满分的推荐改写")
        out.append((i, line, good[0]))
    return out


# ------------------------------------------------------------------ spot the forbidden phrase

JUDGE = ("可以", "不可以")


def judge_phrases(b: ChapterBuilder, sentences: Sequence[str], *, heading: str = "这样说可以吗") -> str:
    """For each sentence the trainee writes 可以 or 不可以; the key is ``kefu.phrases.check`` on the
    grader's machine (a sentence is 可以 when the check passes)."""
    from kefu.phrases import check

    qid = b.next_qid()
    n = len(sentences)
    key = [JUDGE[0] if check(s).ok else JUDGE[1] for s in sentences]
    if len(set(key)) < 2:
        raise BuildError(f"{b.assignment_id} {qid}: 句子应既有可以说的,也有不可以说的")
    k = _half(n)
    flip = {JUDGE[0]: JUDGE[1], JUDGE[1]: JUDGE[0]}
    text = ("客服对客户说了下面这些话。每一句**可以**这样说吗?按顺序在列表里填写“可以”或“不可以”。\n\n"
            + "\n".join(f"{i}. “{s}”" for i, s in enumerate(sentences, 1)))
    return b.add_question(
        heading=heading,
        text=text,
        comments=[f"每项填“可以”或“不可以”,共 {n} 句"],
        placeholder={qid: [""] * n},
        correct={qid: key},
        variants={"partial": {qid: key[:k] + [flip[x] for x in key[k:]]}, "wrong": {qid: [flip[x] for x in key]}},
        scores={"correct": float(n), "partial": float(k), "wrong": 0.0},
        rules={qid: {"kind": "texts", "count": n, "allowed": list(JUDGE)}},
        hidden=f"{MARK}.judge_phrases({qid}, {py(list(sentences))}, {float(n):g})",
        points=float(n),
    )
