"""Recording a practice day: a QA scorecard (``item=score`` pairs or a file) and/or a KPI call log.

A scorecard names items of seeds/qa_rubric.yml by id or title (开场与结束) with the points the call
earned on that item (0 … item points; above the points = bonus, where the item allows one). Items left
out lose nothing (as on a paper scorecard where only deductions are written). A scorecard file is
``.csv`` (columns 项目/item and 得分/score), ``.json`` or ``.yml`` (a mapping item → score).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from . import store
from .store import PracticeError


def practice_days() -> int:
    from kefu.seeds import load

    rule = load("programme.yml").practice_certification
    return rule.days if rule is not None else load("programme.yml").practice_weeks * 7


def check_trainee_day(course: Path, trainee: str, day: int) -> None:
    from kefu.cohort.workflow import roster_ids

    ids = roster_ids(course)
    if trainee not in ids:
        raise PracticeError(f"学员 {trainee} 不在本班名单里(名单:{'、'.join(ids[:10])}{'…' if len(ids) > 10 else ''})")
    days = practice_days()
    if not 1 <= int(day) <= days:
        raise PracticeError(f"练习天数 --day 应在 1–{days} 之间,收到 {day}")


def parse_pairs(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in pairs:
        p = p.replace("=", "=").strip()
        if "=" not in p:
            raise PracticeError(f"--qa “{p}” 应写成 项目=得分,例如 opening-closing=8")
        k, v = p.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def read_scorecard_file(path: Path) -> dict[str, Any]:
    name = path.name
    if not path.is_file():
        raise PracticeError(f"{name}:找不到这个文件({path})")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise PracticeError(f"{name}:不是 UTF-8 文本文件") from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        import csv
        import io

        rows = list(csv.reader(io.StringIO(text)))
        if not rows:
            raise PracticeError(f"{name}:文件是空的")
        head = [h.strip() for h in rows[0]]
        try:
            ki = next(i for i, h in enumerate(head) if h in ("项目", "item", "评分项"))
            vi = next(i for i, h in enumerate(head) if h in ("得分", "score"))
        except StopIteration:
            raise PracticeError(f"{name} · 第 1 行:需要“项目”和“得分”两列(或 item、score)") from None
        out = {}
        for n, row in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in row):
                continue
            if len(row) <= max(ki, vi):
                raise PracticeError(f"{name} · 第 {n} 行:缺少“项目”或“得分”")
            out[row[ki].strip()] = row[vi].strip()
        return out
    try:
        if suffix == ".json":
            data = json.loads(text)
        elif suffix in (".yml", ".yaml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            raise PracticeError(f"{name}:评分表只支持 .csv、.json、.yml")
    except (ValueError, Exception) as exc:
        if isinstance(exc, PracticeError):
            raise
        raise PracticeError(f"{name}:无法解析({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise PracticeError(f"{name}:应是“项目: 得分”的映射")
    return data


def score_scorecard(entries: Mapping[str, Any], where: str = "评分表"):
    """``{item id or title: points earned}`` → :class:`kefu.qa.QAResult` (bonus above the item's points)."""
    from kefu import qa

    items = {i.id: i for i in qa.items()}
    by_title = {i.title: i.id for i in items.values()}
    deductions: dict[str, float] = {}
    bonuses: dict[str, float] = {}
    earned: dict[str, float] = {}
    for key, raw in entries.items():
        iid = key if key in items else by_title.get(str(key).strip())
        if iid is None:
            raise PracticeError(f"{where} · 项目“{key}”:质检评分表里没有这个项目(可选:{'、'.join(items)})")
        try:
            val = float(str(raw).strip())
        except ValueError:
            raise PracticeError(f"{where} · 项目 {iid} · 得分:应为数字,实际为 {raw!r}") from None
        item = items[iid]
        top = item.points + (getattr(item, "bonus_max", 0) or 0)
        if not 0 <= val <= top or val != val:
            raise PracticeError(f"{where} · 项目 {iid}({item.title})· 得分:应在 0–{top:g} 之间,实际为 {val:g}")
        earned[iid] = val
        deductions[iid] = max(0.0, item.points - val)
        if val > item.points:
            bonuses[iid] = val - item.points
    try:
        return qa.score_call(deductions, bonuses), earned
    except qa.ScoreError as exc:
        raise PracticeError(f"{where}:{exc}") from None


def record(course: Path, trainee: str, day: int, *, scorecard: Path | None = None,
           pairs: list[str] | None = None, calls: Path | None = None) -> dict[str, Any]:
    """Record one scorecard and/or one call log for ``trainee`` on practice ``day``. Returns what was stored."""
    from kefu.cohort.workflow import check_cohort

    course = check_cohort(course)
    check_trainee_day(course, trainee, day)
    if scorecard is None and not pairs and calls is None:
        raise PracticeError("请给出 --scorecard 文件、--qa 项目=得分 或 --calls 通话记录中的至少一项")
    if scorecard is not None and pairs:
        raise PracticeError("--scorecard 和 --qa 只能用一种")
    out: dict[str, Any] = {}
    # check everything before storing anything
    result = earned = None
    if scorecard is not None:
        result, earned = score_scorecard(read_scorecard_file(scorecard), where=scorecard.name)
    elif pairs:
        result, earned = score_scorecard(parse_pairs(pairs), where="--qa")
    kpi = None
    if calls is not None:
        kpi = call_log_metrics(calls, trainee)
    if result is not None:
        store.add_scorecard(course, trainee, day, earned, result.score, result.passed, result.critical_failed,
                            source=str(scorecard or "--qa"))
        out["qa"] = result
    if kpi is not None:
        n, metrics = kpi
        store.add_call_log(course, trainee, day, n, metrics, source=str(calls))
        out["kpi"] = metrics
    return out


def call_log_metrics(path: Path, trainee: str) -> tuple[int, dict[str, Any]]:
    """The trainee's KPIs from a call log: their own rows when ``agent_id`` names them, else the whole log
    (a log exported for one trainee)."""
    from kefu.kpi import compute
    from kefu.kpi.schema import CallLogError, read_calls

    try:
        log = read_calls(path)
        res = compute(log.frame)
    except CallLogError as exc:
        raise PracticeError(str(exc)) from None
    agents = res["agents"]
    m = agents.get(trainee) or (next(iter(agents.values())) if len(agents) == 1 else res["overall"])
    return int(m.get("calls") or 0), {k: v for k, v in m.items() if isinstance(v, (int, float, str)) or v is None}
