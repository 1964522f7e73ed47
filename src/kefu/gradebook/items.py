"""Theory-exam item analysis by question text and topic, with a minimum-sample rule.

Grade cells are named by the exam builder (``q01-check`` for an autograded item, ``q56`` for a
manually graded short answer). The instructor key of each paper (``assignments/_keys/<id>.yml``,
trainer-side, never released) maps them to question-bank ids, and ``seeds/question_bank.yml`` gives
each question its stem, kind and topic. The gradebook runs on the trainer's side, so reading the keys
here leaks nothing to trainees.

Statistics (all on first attempts): difficulty = mean score ratio; discrimination = mean ratio of the
upper group minus that of the lower group (``group_share`` of candidates each, Kelley's 27 %);
point-biserial = correlation of the item with the rest of the exam. Below ``min_candidates`` (seeds/
exam.yml) these numbers are noise, so no question is flagged: the reasons are kept as ``hints`` and
the report carries a visible small-sample warning.
"""
from __future__ import annotations

import statistics
from functools import lru_cache
from pathlib import Path

KIND_LABELS = {"single": "单选", "multiple": "多选", "truefalse": "判断", "short": "简答"}


@lru_cache(maxsize=None)
def _questions_of(key_file: str, mtime: float) -> dict[str, dict]:
    import yaml

    from kefu.seeds import load

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the key is long
        key = yaml.load(Path(key_file).read_text(encoding="utf-8"), Loader=loader) or {}
    except (OSError, yaml.YAMLError):
        return {}
    bank = {q.id: q for q in load("question_bank.yml").questions}
    by_qid = key.get("questions") or {}
    cells = {cell: qid for qid, cell in (key.get("tests") or {}).items()}
    cells.update({qid: qid for qid in (key.get("manual") or {})})
    out: dict[str, dict] = {}
    for cell, qid in cells.items():
        q = bank.get(by_qid.get(qid, ""))
        if q is None:
            continue
        out[cell] = {"qid": qid, "text": q.stem, "topic": q.topic, "kind": KIND_LABELS.get(q.kind, q.kind),
                     "bank_id": q.id}
    return out


def question_info(assignment: str) -> dict[str, dict]:
    """grade-cell name -> {qid, text, topic, kind, bank_id} for an exam paper (empty without a key)."""
    from kefu.cohort.create import repo_root

    path = repo_root() / "assignments" / "_keys" / f"{assignment}.yml"
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    return _questions_of(str(path), mtime)


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 3:
        return None
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:  # a constant column
        return None


def item_analysis(rows: list[tuple[str, float, dict[str, tuple[float, float]]]], *, limits=None,
                  questions: dict[str, dict] | None = None) -> list[dict]:
    """Per question (grade cell) of the theory exam's first attempts.

    ``rows``: (trainee, exam score, {cell: (score, max)}). ``limits``: seeds/exam.yml's item_analysis
    (loaded when None). ``questions``: :func:`question_info` of the paper, for text and topic."""
    if not rows:
        return []
    if limits is None:
        from kefu.seeds import load

        limits = load("exam.yml").item_analysis
    questions = questions or {}
    enough = len(rows) >= limits.min_candidates
    names = sorted({n for _, _, g in rows for n in g})
    ranked = sorted(rows, key=lambda r: r[1], reverse=True)
    k = max(1, round(len(ranked) * limits.group_share))
    upper, lower = ranked[:k], ranked[-k:]
    out = []
    for name in names:
        def ratio(g: dict[str, tuple[float, float]]) -> float:
            s, m = g.get(name, (0.0, 0.0))
            return s / m if m else 0.0

        ratios = [ratio(g) for _, _, g in rows]
        max_pts = max(g.get(name, (0.0, 0.0))[1] for _, _, g in rows)
        difficulty = sum(ratios) / len(ratios)
        disc = (sum(ratio(g) for _, _, g in upper) / k) - (sum(ratio(g) for _, _, g in lower) / k)
        rest = [total - g.get(name, (0.0, 0.0))[0] for _, total, g in rows]
        pbis = _pearson(ratios, rest)
        reasons = []
        if difficulty < limits.min_difficulty:
            reasons.append("过难")
        if difficulty > limits.max_difficulty:
            reasons.append("过易")
        if len(rows) >= limits.min_candidates_for_discrimination and disc < limits.min_discrimination:
            reasons.append("区分度低" if disc >= 0 else "区分度为负(高分者反而答错)")
        info = questions.get(name, {})
        out.append({
            "question": name, "points": max_pts, "difficulty": round(difficulty, 3),
            "discrimination": round(disc, 3), "point_biserial": None if pbis is None else round(pbis, 3),
            "weak": bool(reasons) and enough, "reasons": reasons if enough else [],
            "hints": [] if enough else reasons,
            "qid": info.get("qid", name), "text": info.get("text", ""), "topic": info.get("topic", ""),
            "kind": info.get("kind", ""), "n": len(rows),
        })
    return out


def sample_note(n: int, limits=None) -> dict:
    """Whether the item analysis rests on enough first attempts, with the Chinese warning to show."""
    if limits is None:
        from kefu.seeds import load

        limits = load("exam.yml").item_analysis
    small = n < limits.min_candidates
    warning = (f"样本量不足:只有 {n} 人参加首考,少于 {limits.min_candidates} 人时难度和区分度很不稳定,"
               f"本表不标记任何题目,“仅供参考”一栏只作提示。") if small and n else ""
    return {"n": n, "min_candidates": limits.min_candidates, "small": small, "warning": warning}
