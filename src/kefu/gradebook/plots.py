"""Cohort charts with Chinese labels. Every chart counts people, not attempts: a trainee who sat the
theory exam twice is one person with one final theory score (the retake decides when there is one).

- score_distribution.png: final theory score and practical score per person, with the pass lines;
- pass_rates.png: people (and share of the cohort) per milestone;
- chapter_people.png: per chapter, how many people scored in each band or did not submit;
- chapter_heatmap.png: per trainee and chapter (only for cohorts small enough to read, ≤ HEATMAP_MAX);
- item_analysis.png: per question, difficulty and discrimination side by side, one labelled row per
  question (no labels placed on top of each other), the small-sample warning in the title.
"""
from __future__ import annotations

from pathlib import Path

HEATMAP_MAX = 60
BANDS = [("未提交", "#BBBBBB"), ("< 60%", "#C44E52"), ("60–79%", "#DD8452"), ("≥ 80%", "#55A868")]


def _setup():
    import matplotlib

    matplotlib.use("Agg")
    from kefu.charts import setup

    setup()
    import matplotlib.pyplot as plt

    return plt


def final_theory_score(t: dict) -> float | None:
    """The theory score that decides for this person: the retake when there is one, else the first."""
    atts = [a for a in t["theory"]["attempts"] if a["score"] is not None]
    return atts[-1]["score"] if atts else None


def _band(percent: float | None) -> int:
    if percent is None:
        return 0
    return 1 if percent < 60 else 2 if percent < 80 else 3


def figures(report: dict) -> dict[str, object]:
    """The charts as matplotlib figures, by file name (callers close them)."""
    from matplotlib.ticker import MaxNLocator

    from kefu.seeds import load

    from .data import summary

    plt = _setup()
    rules = load("exam.yml")
    tr = report["trainees"]
    labels = report["cohort"].get("labels", {})
    figs: dict[str, object] = {}

    # 1. one score per person, with the pass line
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
    theory = [s for s in (final_theory_score(t) for t in tr) if s is not None]
    practical = [t["practical"]["score"] for t in tr if t["practical"]["score"] is not None]
    for ax, (title, scores, line) in zip(axes, [
        (f"理论考核最终成绩(每人一次,补考者计补考;{len(theory)} 人)", theory, rules.theory.pass_score),
        (f"实操考核成绩({len(practical)} 人)", practical, rules.practical.pass_score),
    ]):
        ax.hist(scores, bins=range(0, 105, 5), color="#4C72B0", edgecolor="white")
        ax.axvline(line, color="#C44E52", linestyle="--", label=f"合格线 {line:g} 分")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("得分")
        ax.set_ylabel("人数")
        ax.set_xlim(0, 100)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="upper left")
    figs["score_distribution.png"] = fig

    # 2. people per milestone
    s = summary(report)
    n = s["trainees"]
    names = ["理论首考通过", "理论通过(含补考)", "实操通过", rules.certification.label]
    counts = [s["theory"]["passed"], s["theory"]["passed"] + s["theory"]["retake_passed"],
              s["practical"]["passed"], s["overall"]["certified"]]
    fig, ax = plt.subplots(figsize=(7.5, 3.8), layout="constrained")
    bars = ax.bar(names, counts, color=["#4C72B0", "#55A868", "#8172B2", "#C44E52"])
    for b, c in zip(bars, counts):
        ax.annotate(f"{c} 人({100 * c / (n or 1):.0f}%)", (b.get_x() + b.get_width() / 2, c),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, max(n, 1) * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("人数")
    ax.set_title(f"通过人数(全班 {n} 人)")
    figs["pass_rates.png"] = fig

    # 3. chapters: people per score band (any cohort size), the heatmap only while it stays readable
    chapters = report["cohort"].get("chapters") or (list(tr[0]["chapters"]) if tr else [])
    if chapters and tr:
        import numpy as np

        grid = np.zeros((len(chapters), len(BANDS)), dtype=int)
        for t in tr:
            for i, c in enumerate(chapters):
                grid[i, _band((t["chapters"].get(c) or {}).get("percent"))] += 1
        fig, ax = plt.subplots(figsize=(9, 0.45 * len(chapters) + 1.6), layout="constrained")
        left = np.zeros(len(chapters))
        ylabels = [labels.get(c, c) for c in chapters]
        for j, (band, color) in enumerate(BANDS):
            ax.barh(ylabels, grid[:, j], left=left, color=color, label=band)
            left += grid[:, j]
        ax.invert_yaxis()
        ax.set_xlabel("人数")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(f"各章练习:每个得分段的人数(全班 {len(tr)} 人)")
        ax.legend(ncols=len(BANDS), loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.5 / len(chapters)),
                  frameon=False)
        figs["chapter_people.png"] = fig
        if len(tr) <= HEATMAP_MAX:
            heat = np.array([[np.nan if (t["chapters"].get(c) or {}).get("percent") is None
                              else t["chapters"][c]["percent"] for c in chapters] for t in tr], dtype=float)
            fig, ax = plt.subplots(figsize=(0.8 * len(chapters) + 3.5, 0.32 * len(tr) + 1.8), layout="constrained")
            im = ax.imshow(heat, cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
            ax.set_xticks(range(len(chapters)), [labels.get(c, c).split(" ")[0] for c in chapters])
            ax.set_yticks(range(len(tr)), [f"{t['id']} {t['name']}" for t in tr])
            ax.set_title("各章练习得分率(%,灰色 = 未提交)")
            ax.set_facecolor("#DDDDDD")
            fig.colorbar(im, ax=ax, label="得分率(%)")
            figs["chapter_heatmap.png"] = fig

    # 4. item analysis: one row per question, difficulty | discrimination
    items = report.get("items") or []
    if items:
        note = report["cohort"].get("item_sample") or {}
        fig, (a1, a2) = plt.subplots(1, 2, sharey=True, figsize=(11, 0.19 * len(items) + 1.8),
                                     layout="constrained", width_ratios=[1, 1])
        ys = range(len(items))
        names = [f"{it.get('qid', it['question'])} {it.get('topic', '')}".strip() for it in items]
        colors = ["#C44E52" if it["weak"] else "#4C72B0" for it in items]
        a1.barh(ys, [it["difficulty"] for it in items], color=colors)
        a2.barh(ys, [it["discrimination"] for it in items], color=colors)
        ia = rules.item_analysis
        for x in (ia.min_difficulty, ia.max_difficulty):
            a1.axvline(x, color="gray", linestyle=":", zorder=3)
        a2.axvline(ia.min_discrimination, color="gray", linestyle=":", zorder=3)
        a2.axvline(0, color="black", linewidth=0.6)
        a1.set_yticks(list(ys), names, fontsize=7)
        a1.set_ylim(len(items) - 0.5, -0.5)  # first question on top, no empty margin
        a1.set_xlim(0, 1)
        a1.set_xlabel("难度(平均得分率)")
        a2.set_xlim(-1, 1)
        a2.set_xlabel("区分度(高分组 − 低分组)")
        title = f"理论考核试题分析(首考 {note.get('n', len(items))} 人;红色 = 建议复查)"
        fig.suptitle(title, fontsize=11)
        if note.get("small"):
            a1.set_title(f"样本不足 {note['min_candidates']} 人:结果仅供参考,不标记题目", color="#C44E52",
                         fontsize=9, loc="left")
        figs["item_analysis.png"] = fig
    return figs


def write_plots(report: dict, out: str | Path) -> list[Path]:
    """Write PNG charts into ``out``; returns their paths."""
    import matplotlib.pyplot as plt

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, fig in figures(report).items():
        path = out / name
        fig.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(fig)
        written.append(path)
    return written
