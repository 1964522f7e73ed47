"""Each trainee's two weeks of coached practice: daily trend, phases, the trial (试接) verdict, and
:func:`practice_status` — the practice part of 可上岗, for the gradebook.

The rule is ``practice_certification`` in seeds/programme.yml (the kit's numbers, marked assumed; the
manual says only that the trial in days 8–14 must be passed before going on duty). The QA pass mark and
critical items come from seeds/qa_rubric.yml.
"""
from __future__ import annotations

from pathlib import Path
from statistics import mean
from typing import Any

from . import store


def _rules() -> tuple[Any, Any, Any]:
    from kefu.seeds import load

    prog = load("programme.yml")
    return prog, prog.practice_certification, load("qa_rubric.yml")


def _trainees(course: Path) -> list[str]:
    from kefu.cohort.workflow import roster_ids

    return sorted(roster_ids(course))


def summarise(course: str | Path, trainees: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """{trainee: {trend: [mean QA score or None per day 1..N], days_practised, calls, phases: [...],
    kpi: {...latest...}, trial: {calls, mean, pass_share, critical, passed}, ready, reasons}}."""
    course = Path(course)
    prog, rule, qa = _rules()
    days = rule.days if rule else prog.practice_weeks * 7
    cards = store.scorecards(course)
    logs = store.call_logs(course)
    trial_phase = next((p for p in prog.phases if rule and p.id == rule.trial_phase), None)
    out: dict[str, dict[str, Any]] = {}
    for t in (trainees if trainees is not None else _trainees(course)):
        mine = [c for c in cards if c["trainee"] == t]
        my_logs = [l for l in logs if l["trainee"] == t]
        per_day: dict[int, list[float]] = {}
        for c in mine:
            per_day.setdefault(c["day"], []).append(c["score"])
        trend = [round(mean(per_day[d]), 1) if d in per_day else None for d in range(1, days + 1)]
        practised = sorted({c["day"] for c in mine} | {l["day"] for l in my_logs})
        phases = []
        for p in prog.phases:
            sc = [c["score"] for c in mine if p.first_day <= c["day"] <= p.last_day]
            phases.append({"id": p.id, "title": p.title, "days": f"{p.first_day}–{p.last_day}",
                           "calls": len(sc), "mean": round(mean(sc), 1) if sc else None})
        trial_cards = [c for c in mine if trial_phase and trial_phase.first_day <= c["day"] <= trial_phase.last_day]
        trial = {"calls": len(trial_cards),
                 "mean": round(mean(c["score"] for c in trial_cards), 1) if trial_cards else None,
                 "pass_share": (sum(c["passed"] for c in trial_cards) / len(trial_cards)) if trial_cards else None,
                 "critical": sum(1 for c in trial_cards if c["critical_failed"])}
        reasons: list[str] = []
        if rule is None:
            reasons.append("programme.yml 没有 practice_certification 规则,无法判定试接")
        else:
            if len(practised) < rule.min_practice_days:
                reasons.append(f"练习记录只有 {len(practised)} 天,要求至少 {rule.min_practice_days} 天")
            if trial["calls"] < rule.trial_min_calls:
                reasons.append(f"试接({trial_phase.title if trial_phase else rule.trial_phase})评分通话 {trial['calls']} 通,"
                               f"要求至少 {rule.trial_min_calls} 通")
            else:
                if trial["mean"] < qa.pass_rule.score:
                    reasons.append(f"试接平均质检分 {trial['mean']:g},低于合格线 {qa.pass_rule.score:g}")
                if trial["pass_share"] < rule.trial_min_pass_share:
                    reasons.append(f"试接合格通话占 {trial['pass_share']:.0%},要求至少 {rule.trial_min_pass_share:.0%}")
                if rule.trial_no_critical_fail and trial["critical"]:
                    reasons.append(f"试接中有 {trial['critical']} 通关键项(身份核实等)失分")
        trial["passed"] = rule is not None and trial["calls"] >= (rule.trial_min_calls if rule else 0) and not [
            r for r in reasons if r.startswith("试接")]
        kpi = my_logs[-1]["metrics"] if my_logs else None
        out[t] = {"trend": trend, "days_practised": len(practised), "calls": len(mine), "phases": phases,
                  "trial": trial, "kpi": kpi, "kpi_day": my_logs[-1]["day"] if my_logs else None,
                  "ready": not reasons, "reasons": reasons}
    return out


def practice_status(course_dir: str | Path, trainees: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """{trainee: {"ready": bool, "reasons": [Chinese reasons when not ready], "trial_passed": bool,
    "trial_mean": float | None, "days_practised": int}} — the coached-practice part of 可上岗.

    A trainee with no practice records is not ready (reason says so). The gradebook combines this with
    the theory and practical exams and passes its own ``trainees`` (then the roster is not read again:
    that would open nbgrader's Gradebook, whose imports the gradebook's hot path avoids)."""
    full = summarise(course_dir, trainees)
    return {t: {"ready": s["ready"], "reasons": s["reasons"], "trial_passed": s["trial"]["passed"],
                "trial_mean": s["trial"]["mean"], "days_practised": s["days_practised"]}
            for t, s in full.items()}


def spark(trend: list[float | None]) -> str:
    """A one-line trend for a terminal: one character per day (· = no record)."""
    bars = "▁▂▃▄▅▆▇█"
    out = []
    for v in trend:
        if v is None:
            out.append("·")
        else:
            out.append(bars[min(len(bars) - 1, max(0, int((v - 50) / 50 * len(bars))))])
    return "".join(out)


def render_text(summary: dict[str, dict[str, Any]]) -> str:
    prog, rule, _ = _rules()
    lines = ["跟踪辅导(两周)练习记录", "阶段:" + ";".join(f"第 {p.first_day}–{p.last_day} 天 {p.title}" for p in prog.phases)]
    if rule is not None:
        lines.append("试接规则:" + rule.rule.strip())
    lines.append("")
    for t, s in summary.items():
        tr = s["trial"]
        verdict = "试接通过" if tr["passed"] else "试接未通过"
        lines.append(f"{t}  走势(第1–{len(s['trend'])}天){spark(s['trend'])}  练习 {s['days_practised']} 天 "
                     f"{s['calls']} 通  {verdict}  {'可上岗(练习部分)' if s['ready'] else '暂不可上岗'}")
        ph = ";".join(f"{p['title']} {p['calls']} 通 均分 {p['mean'] if p['mean'] is not None else '—'}"
                      for p in s["phases"])
        lines.append(f"    {ph}")
        days = " ".join(f"{d}:{v:g}" for d, v in enumerate(s["trend"], 1) if v is not None)
        if days:
            lines.append(f"    每日平均质检分 {days}")
        if s["kpi"]:
            k = s["kpi"]
            lines.append(f"    最近通话记录(第 {s['kpi_day']} 天):{k.get('calls')} 通,KPI 得分 {k.get('score')},等级 {k.get('grade')}(仅供参考)")
        for r in s["reasons"]:
            lines.append(f"    ✗ {r}")
    return "\n".join(lines)
