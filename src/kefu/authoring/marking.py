"""Marking helpers for chapter assignments, run in the grader's own process by
:class:`kefu.autograde.trusted.TrustedScore` (never in a trainee's kernel).

Every function prints one Chinese line per item (right or wrong, and why) to standard output and
returns the partial score as a float; TrustedScore shows the lines and records the number as the
test cell's partial credit. Nothing here writes to standard error (nbgrader
scores a cell with stderr output as zero) and a malformed answer is marked wrong, never raised.

No answer key lives in this module: keys are either arguments in the ``grading`` entries of
``assignments/_keys/<assignment>.yml`` or computed here from seeds/ and the rule engines (``kefu.scripts``, ``kefu.tickets``,
``kefu.phrases``, ``kefu.kpi``, ``kefu.qa``).
"""
from __future__ import annotations

import math
import unicodedata
import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Iterable, Iterator, Sequence

# ---------------------------------------------------------------- manual review requests

REVIEW_NOTE = "待阅卷老师复核"
_reviews: ContextVar[list[str] | None] = ContextVar("kefu_marking_reviews", default=None)


@contextmanager
def collecting_reviews() -> Iterator[list[str]]:
    """Collect the manual-review requests of the marking calls made inside the block.

    TrustedScore (the grader's process) wraps each marking call in this and, when the list is not
    empty, has nbgrader mark the cell ``needs_manual_grade``: the score stays provisional until a
    grader sets one in formgrader. Outside the block a request is only printed."""
    notes: list[str] = []
    token = _reviews.set(notes)
    try:
        yield notes
    finally:
        _reviews.reset(token)


def request_review(why: str) -> None:
    """Mark the current answer's score as provisional (why: Chinese, shown to trainee and grader)."""
    notes = _reviews.get()
    if notes is not None:
        notes.append(why)


# ---------------------------------------------------------------- normalising trainee input

@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc

        return opencc.OpenCC("t2s")
    except Exception:  # pragma: no cover - opencc is a dependency
        return None


def norm_text(value: Any) -> str:
    """Trainee text: full-width → half-width, traditional → simplified, outer spaces removed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    conv = _t2s()
    if conv is not None and text:
        text = conv.convert(text)
    return text


def norm_letter(value: Any) -> str:
    text = norm_text(value).upper().strip(" .、,。)()")
    return text


def as_list(value: Any) -> list[Any] | None:
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        # "B A C" or "B,A,C" or "BAC" typed as one string
        text = norm_text(value)
        for sep in (",", ",", "、", " ", ";", ";"):
            if sep in text:
                return [t for t in (p.strip() for p in text.split(sep)) if t]
        return list(text) if text else []
    return None


def _texts(answer: Any) -> list[Any]:
    """Free-text answers: a list as given, one string as a one-item list (never split), else empty."""
    return [answer] if isinstance(answer, str) else (as_list(answer) or [])


def _fmt(x: float) -> str:
    return f"{x:g}"


def _score(points: float, fraction: float) -> float:
    fraction = min(max(fraction, 0.0), 1.0)
    return round(points * fraction, 2)


@contextmanager
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _report(title: str, got: float, points: float) -> None:
    print(f"【{title}】得分 {_fmt(got)} / {_fmt(points)}")


# ---------------------------------------------------------------- choice questions

def choices(answer: Any, key: str | Sequence[str], points: float, notes: Sequence[str] = (),
            title: str = "选择题") -> float:
    """Single-choice items, one letter per item (``key`` e.g. "BCA" or ["B", "C", "A"])."""
    keys = [norm_letter(k) for k in key]
    got = as_list(answer)
    if got is None:
        got = []
        print("答案应写成列表,例如 [\"A\", \"B\"],本题按未作答处理。")
    right = 0
    for i, k in enumerate(keys):
        mine = norm_letter(got[i]) if i < len(got) else ""
        note = notes[i] if i < len(notes) else ""
        if mine == k:
            right += 1
            print(f"第 {i + 1} 小题 ✓ 正确。{note}")
        elif not mine:
            print(f"第 {i + 1} 小题 ✗ 未作答。正确答案是 {k}。{note}")
        else:
            print(f"第 {i + 1} 小题 ✗ 你选了 {mine},正确答案是 {k}。{note}")
    got_points = _score(points, right / len(keys)) if keys else 0.0
    _report(title, got_points, points)
    return got_points


# ---------------------------------------------------------------- ordering

def order(answer: Any, shown: Sequence[str], expected: Sequence[str], points: float,
          labels: Sequence[str] = (), title: str = "排序题") -> float:
    """``shown[i]`` is the step id behind letter A+i; ``expected`` the step ids in the right order.

    Credit: the share of positions holding the right step (each position one item)."""
    letters = [chr(ord("A") + i) for i in range(len(shown))]
    by_id = dict(zip(shown, letters))
    key_letters = [by_id[s] for s in expected]
    got = as_list(answer)
    if got is None:
        got = []
        print("答案应写成字母列表,例如 [\"C\", \"A\", \"B\"],本题按未作答处理。")
    got = [norm_letter(g) for g in got]
    right = 0
    for pos, k in enumerate(key_letters):
        mine = got[pos] if pos < len(got) else ""
        label = labels[letters.index(k)] if labels else k
        if mine == k:
            right += 1
            print(f"第 {pos + 1} 步 ✓ {k}({label})")
        else:
            shown_mine = mine or "未填写"
            print(f"第 {pos + 1} 步 ✗ 你填了 {shown_mine},这一步应是 {k}({label})")
    if len(got) > len(key_letters):
        print(f"注意:你写了 {len(got)} 步,本题只有 {len(key_letters)} 步。")
    got_points = _score(points, right / len(key_letters)) if key_letters else 0.0
    _report(title, got_points, points)
    return got_points


def procedure_order(answer: Any, procedure: str, shown: Sequence[str], points: float,
                    title: str = "排序题") -> float:
    """Like :func:`order`, with the right order read from the rule engines on this machine."""
    from kefu.authoring.procedures import steps

    expected = steps(procedure)
    labels = {s.id: s.text for s in expected}
    return order(answer, shown, [s.id for s in expected], points,
                 labels=[labels[s] for s in shown], title=title)


# ---------------------------------------------------------------- openings

def openings(answer: Any, when: Sequence[str], options: Sequence[str], points: float,
             title: str = "开头语") -> float:
    """For each date-time (ISO text) the trainee picks the letter of the right opening line;
    the right line comes from ``kefu.scripts.opening``."""
    from datetime import datetime

    from kefu.scripts import opening

    got = as_list(answer) or []
    right = 0
    for i, iso in enumerate(when):
        op = opening(datetime.fromisoformat(iso))
        key = next((chr(ord("A") + j) for j, o in enumerate(options) if norm_text(o) == norm_text(op.text)), "")
        mine = norm_letter(got[i]) if i < len(got) else ""
        if key and mine == key:
            right += 1
            print(f"第 {i + 1} 小题 ✓ 正确。{op.reason}")
        else:
            print(f"第 {i + 1} 小题 ✗ 你选了 {mine or '(未作答)'},应选 {key}:“{op.text}”。{op.reason}")
    got_points = _score(points, right / len(when)) if when else 0.0
    _report(title, got_points, points)
    return got_points


# ---------------------------------------------------------------- tickets

def tickets(types: Any, priorities: Any, ids: Sequence[str], points: float,
            title: str = "工单分类") -> float:
    """Type and priority of each ticket (half of each item's credit for each), keys from
    ``kefu.tickets.load("all")`` on this machine."""
    from kefu.tickets import load

    by_id = {t.id: t for t in load("all")}
    got_t = as_list(types) or []
    got_p = as_list(priorities) or []
    earned = 0.0
    for i, tid in enumerate(ids):
        t = by_id[tid]
        mine_t = norm_text(got_t[i]) if i < len(got_t) else ""
        mine_p = norm_text(got_p[i]) if i < len(got_p) else ""
        ok_t, ok_p = mine_t == t.type, mine_p == t.priority
        earned += 0.5 * ok_t + 0.5 * ok_p
        mark = "✓" if ok_t and ok_p else ("△" if ok_t or ok_p else "✗")
        print(f"工单 {tid} {mark} 类型:你填 {mine_t or '(空)'},应为 {t.type};"
              f"优先级:你填 {mine_p or '(空)'},应为 {t.priority}。理由:{t.reason}")
    got_points = _score(points, earned / len(ids)) if ids else 0.0
    _report(title, got_points, points)
    return got_points


# ---------------------------------------------------------------- rewrites

def rewrites(answer: Any, items: Sequence[str], points: float, title: str = "改写") -> float:
    """Each reply graded by ``kefu.phrases.grade_rewrite`` (score 0–1 per item). A reply the grader
    is unsure about (``needs_review``) keeps its provisional score and asks for a manual review."""
    from kefu.phrases import grade_rewrite

    got = _texts(answer)
    total = 0.0
    unsure = []
    for i, item in enumerate(items):
        reply = got[i] if i < len(got) and isinstance(got[i], str) else ""
        with _quiet():
            res = grade_rewrite(item, reply)
        total += float(res.score)
        reasons = ";".join(res.reasons) if res.reasons else "符合要求"
        mark = "?" if res.needs_review else ("✓" if res.passed else "✗")
        note = f"(暂定,{REVIEW_NOTE})" if res.needs_review else ""
        print(f"第 {i + 1} 句 {mark} 得分 {res.score:.2f}{note}:{reasons}")
        if res.needs_review:
            unsure.append(i + 1)
    got_points = _score(points, total / len(items)) if items else 0.0
    _report(title, got_points, points)
    if unsure:
        which = "、".join(f"第 {n} 句" for n in unsure)
        print(f"{which}机器评分没有把握,以上为暂定分,{REVIEW_NOTE}。")
        request_review(f"{title}:{which}需要人工复核")
    return got_points


# ---------------------------------------------------------------- KPIs

KPI_NAMES = {
    "aht": "平均处理时长(秒)",
    "fcr": "一次解决率",
    "csat": "满意度",
    "asa": "平均应答速度(秒)",
    "abandonment_rate": "放弃率",
    "service_level": "服务水平",
    "calls": "接通量",
    "conversion": "转化率",
    "accuracy": "准确率",
    "qa": "平均质检分",
}
RATE_METRICS = {"fcr", "csat", "abandonment_rate", "service_level", "conversion", "accuracy"}


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        x = float(str(value).strip().rstrip("%")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def call_log_frame(generator: dict[str, Any]):
    """The call log the assignment shipped, regenerated from its generator arguments and read back
    the way a trainee reads it (CSV → ``kefu.kpi.read_calls``)."""
    import tempfile
    from pathlib import Path

    from kefu.data import generate_calls
    from kefu.kpi import read_calls

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "calls.csv"
        generate_calls(**generator).to_csv(path, index=False)
        return read_calls(path).frame


@lru_cache(maxsize=32)
def _overall(generator_json: str, sl_threshold: int) -> dict[str, Any]:
    """The reference KPIs of one generated call log (the grader marks many submissions of it)."""
    import json

    from kefu.kpi import compute

    with _quiet():
        overall = compute(call_log_frame(json.loads(generator_json)), sl_threshold=sl_threshold)["overall"]
    return dict(overall)


def kpis(answers: dict[str, Any], generator: dict[str, Any], points: float, *,
         sl_threshold: int = 20, tolerance: float = 0.01, title: str = "KPI 计算") -> float:
    """Overall KPIs from the shipped call log, recomputed with ``kefu.kpi.compute``.

    A value counts when within ``tolerance`` (relative; 1 % by default, at least 0.5 s for times,
    0.005 for rates). Rates may be given as fractions (0.85) or percentages (85)."""
    import json

    overall = _overall(json.dumps(generator, sort_keys=True, ensure_ascii=False), sl_threshold)
    right = 0
    for name, mine in answers.items():
        exp = float(overall[name])
        x = _as_number(mine)
        label = KPI_NAMES.get(name, name)
        if x is not None and name in RATE_METRICS and x > 1.0 and exp <= 1.0:
            x = x / 100.0
        slack = max(abs(exp) * tolerance, 0.005 if name in RATE_METRICS else 0.5)
        if x is not None and abs(x - exp) <= slack:
            right += 1
            print(f"{label} ✓ 你的结果 {x:.4g},参考值 {exp:.4g}")
        else:
            shown = "未填写或不是数字" if x is None else f"{x:.4g}"
            print(f"{label} ✗ 你的结果 {shown},参考值 {exp:.4g}(允许误差 ±{slack:.3g})")
    got_points = _score(points, right / len(answers)) if answers else 0.0
    _report(title, got_points, points)
    return got_points


# ---------------------------------------------------------------- QA scorecard

def qa_scorecard(deductions: Any, total: Any, key: dict[str, int], points: float,
                 title: str = "质检评分") -> float:
    """Per rubric item the trainee's deduction against the grader's; the total is one more item,
    checked against ``kefu.qa.score_call(key)``."""
    from kefu.qa import items, score_call

    titles = {it.id: it.title for it in items()}
    expected_total = float(score_call(dict(key)).score)
    mine = deductions if isinstance(deductions, dict) else {}
    right = 0
    for item, k in key.items():
        x = _as_number(mine.get(item))
        if x is not None and abs(x - k) < 1e-9:
            right += 1
            print(f"{titles.get(item, item)} ✓ 扣 {_fmt(k)} 分")
        else:
            print(f"{titles.get(item, item)} ✗ 你扣了 {'(空)' if x is None else _fmt(x)} 分,应扣 {_fmt(k)} 分")
    t = _as_number(total)
    if t is not None and abs(t - expected_total) < 0.51:
        right += 1
        print(f"总分 ✓ {_fmt(expected_total)}")
    else:
        print(f"总分 ✗ 你算的是 {'(空)' if t is None else _fmt(t)},应为 {_fmt(expected_total)}")
    got_points = _score(points, right / (len(key) + 1))
    _report(title, got_points, points)
    return got_points


# ---------------------------------------------------------------- may an agent say this?

def judge_phrases(answer: Any, sentences: Sequence[str], points: float, title: str = "判断话术") -> float:
    """可以 / 不可以 per sentence, judged by ``kefu.phrases.judge`` (rules, then the learned judge) on
    this machine. When the judge is unsure of a sentence the rules' answer is the provisional key
    and the cell asks for a manual review."""
    from kefu.phrases import judge

    got = _texts(answer)
    right = 0
    unsure = []
    for i, s in enumerate(sentences):
        with _quiet():
            v = judge(s)
        rep = v.report
        if v.needs_review:
            key = "可以" if rep is None or rep.ok else "不可以"
            unsure.append(i + 1)
            why = f"机器判断没有把握({v.reason}),暂按“{key}”计分,{REVIEW_NOTE}。"
        elif v.ok:
            key, why = "可以", "没有禁用语。"
        elif v.by == "rule" and rep is not None:
            key = "不可以"
            why = ";".join(f"“{x.match}”属于{x.category},可以说:{x.suggestion}"
                           for x in rep.violations if x.category != "quoted")
        else:
            key, why = "不可以", v.reason
        mine = norm_text(got[i]) if i < len(got) else ""
        if mine == key:
            right += 1
            print(f"第 {i + 1} 句 ✓ {key}。{why}")
        else:
            print(f"第 {i + 1} 句 ✗ 你填了 {mine or '(空)'},应为 {key}。{why}")
    got_points = _score(points, right / len(sentences)) if sentences else 0.0
    _report(title, got_points, points)
    if unsure:
        which = "、".join(f"第 {n} 句" for n in unsure)
        print(f"{which}机器判断没有把握,以上为暂定分,{REVIEW_NOTE}。")
        request_review(f"{title}:{which}需要人工复核")
    return got_points
