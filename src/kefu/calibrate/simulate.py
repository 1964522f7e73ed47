"""A simulated calibration sample whose true agreement is known (for tests, demos and trainers' trials).

Each call has a true quality shared by its dimensions (a good call tends to be good throughout) plus a
dimension's own deviation; each grader adds a fixed bias and independent noise. Per dimension the population
ICC(A,1) is then var(true) / (var(true) + var(bias) + var(noise)), with var(true) = true_sd² + dim_sd² and
var(bias) the variance of the graders' biases around their mean — the quantity ICC(A,1) estimates.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np


def true_icc(true_sd: float, noise_sd: float, biases: list[float], dim_sd: float = 0.0) -> float:
    var_bias = float(np.var(biases, ddof=1)) if len(biases) > 1 else 0.0
    var_true = true_sd**2 + dim_sd**2
    return var_true / (var_true + var_bias + noise_sd**2)


def simulate(dimensions: list[str], graders: dict[str, float], items: int, true_sd: float, noise_sd: float,
             seed: int = 0, mean: float = 70.0, dim_sd: float = 0.0) -> list[dict[str, object]]:
    """Long-format rows (作答, 阅卷人, 维度, 分数); ``graders`` maps name → bias in points."""
    rng = np.random.default_rng(seed)
    quality = rng.normal(mean, true_sd, size=items)
    rows: list[dict[str, object]] = []
    for dim in dimensions:
        truth = quality + rng.normal(0, dim_sd, size=items)
        for i in range(items):
            for g, bias in graders.items():
                score = float(np.clip(truth[i] + bias + rng.normal(0, noise_sd), 0, 100))
                rows.append({"作答": f"通话{i + 1:03d}", "阅卷人": g, "维度": dim, "分数": round(score, 1)})
    return rows


def write_csv(rows: list[dict[str, object]], path: str | Path) -> Path:
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["作答", "阅卷人", "维度", "分数"])
        w.writeheader()
        w.writerows(rows)
    return path
