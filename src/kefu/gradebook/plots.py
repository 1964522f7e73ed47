"""Cohort charts with Chinese labels: score distributions with the pass line, pass rates,
a chapter-by-trainee heatmap, and item difficulty/discrimination."""
from __future__ import annotations

from pathlib import Path


def _setup():
    import matplotlib

    matplotlib.use("Agg")
    try:
        from kefu.charts import setup
    except ImportError:  # pragma: no cover - charts.py belongs to another area
        setup = None
    if setup:
        setup()
    import matplotlib.pyplot as plt

    return plt


def write_plots(report: dict, out: str | Path) -> list[Path]:
    """Write PNG charts into ``out``; returns their paths."""
    from kefu.seeds import load

    from .data import summary

    plt = _setup()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rules = load("exam.yml")
    tr = report["trainees"]
    written: list[Path] = []

    def save(fig, name: str) -> None:
        p = out / name
        fig.tight_layout()
        fig.savefig(p, dpi=120)
        plt.close(fig)
        written.append(p)

    # 1. score distributions with the pass line
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    series = [
        ("理论考核(首考与补考)", [a["score"] for t in tr for a in t["theory"]["attempts"] if a["score"] is not None],
         rules.theory.pass_score),
        ("实操考核", [t["practical"]["score"] for t in tr if t["practical"]["score"] is not None],
         rules.practical.pass_score),
    ]
    for ax, (title, scores, line) in zip(axes, series):
        ax.hist(scores, bins=range(0, 105, 5), color="#4C72B0", edgecolor="white")
        ax.axvline(line, color="#C44E52", linestyle="--", label=f"合格线 {line:g} 分")
        ax.set_title(title)
        ax.set_xlabel("得分")
        ax.set_ylabel("人数")
        ax.set_xlim(0, 100)
        ax.legend()
    save(fig, "score_distribution.png")

    # 2. pass rates
    s = summary(report)
    labels = ["理论首考通过", "理论通过(含补考)", "实操通过", rules.certification.label]
    values = [100 * s["rates"][k] for k in ("theory_first", "theory", "practical", "certified")]
    fig, ax = plt.subplots(figsize=(7, 3.6))
    bars = ax.bar(labels, values, color=["#4C72B0", "#55A868", "#8172B2", "#C44E52"])
    for b, v in zip(bars, values):
        ax.text(b.get_x() + b.get_width() / 2, v + 1, f"{v:.0f}%", ha="center")
    ax.set_ylim(0, 110)
    ax.set_ylabel("占全班比例(%)")
    ax.set_title(f"通过率(共 {s['trainees']} 人)")
    save(fig, "pass_rates.png")

    # 3. chapter-by-trainee heatmap
    chapters = list(tr[0]["chapters"]) if tr else []
    if chapters:
        import numpy as np

        grid = np.array([[np.nan if t["chapters"][c] is None or t["chapters"][c]["percent"] is None
                          else t["chapters"][c]["percent"] for c in chapters] for t in tr], dtype=float)
        fig, ax = plt.subplots(figsize=(1.1 * len(chapters) + 3, 0.35 * len(tr) + 1.8))
        im = ax.imshow(grid, cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
        ax.set_xticks(range(len(chapters)), [c.split("-")[0] for c in chapters])
        ax.set_yticks(range(len(tr)), [f"{t['id']} {t['name']}" for t in tr])
        ax.set_title("各章练习得分率(%,灰色 = 未提交)")
        ax.set_facecolor("#DDDDDD")
        fig.colorbar(im, ax=ax, label="得分率(%)")
        save(fig, "chapter_heatmap.png")

    # 4. item analysis
    items = report.get("items") or []
    if items:
        fig, ax = plt.subplots(figsize=(6, 4.5))
        for it in items:
            ax.scatter(it["difficulty"], it["discrimination"], color="#C44E52" if it["weak"] else "#4C72B0")
            if it["weak"]:
                ax.annotate(it["question"], (it["difficulty"], it["discrimination"]), fontsize=7)
        ax.axhline(0.2, color="gray", linestyle=":")
        ax.set_xlabel("难度(平均得分率)")
        ax.set_ylabel("区分度(高低 27% 之差)")
        ax.set_title("理论考核试题分析(红点 = 建议复查)")
        save(fig, "item_analysis.png")
    return written
