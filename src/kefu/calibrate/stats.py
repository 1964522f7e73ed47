"""Agreement statistics for a calibration sample: several graders score the same items.

ICC(A,1) — two-way random effects, absolute agreement, single rater (McGraw & Wong 1996, case 2A;
Shrout & Fleiss ICC(2,1)) — is the question a trainer asks: "if one grader scores this call alone, how
close is that to what any other grader would give?" Absolute agreement (not consistency) because a grader
who is always 10 points harsher changes who passes at 80. The confidence interval uses the F-based
approximation of McGraw & Wong (Satterthwaite degrees of freedom for the rater term).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class ICC:
    value: float
    low: float
    high: float
    items: int
    graders: int
    # mean squares kept for reports and for tests that check the decomposition
    ms_items: float
    ms_graders: float
    ms_error: float


def icc_a1(scores: np.ndarray, confidence: float = 0.95) -> ICC:
    """ICC(A,1) with its confidence interval for an items × graders matrix without gaps."""
    from scipy.stats import f as fdist

    y = np.asarray(scores, dtype=float)
    n, k = y.shape
    if n < 2 or k < 2:
        raise ValueError("至少需要 2 份作答和 2 名阅卷人")
    grand = y.mean()
    ss_rows = k * ((y.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((y.mean(axis=0) - grand) ** 2).sum()
    ss_total = ((y - grand) ** 2).sum()
    ss_err = ss_total - ss_rows - ss_cols
    msr = ss_rows / (n - 1)
    msc = ss_cols / (k - 1)
    mse = ss_err / ((n - 1) * (k - 1))
    denom = msr + (k - 1) * mse + k * (msc - mse) / n
    if denom <= 0:
        # every grader gave every item the same score: perfect agreement, nothing to estimate
        return ICC(1.0, 1.0, 1.0, n, k, msr, msc, mse)
    value = (msr - mse) / denom
    alpha = 1 - confidence
    if mse <= 1e-12 or value >= 1:
        return ICC(min(value, 1.0), min(value, 1.0), 1.0, n, k, msr, msc, mse)
    a = k * value / (n * (1 - value))
    b = 1 + k * value * (n - 1) / (n * (1 - value))
    num = (a * msc + b * mse) ** 2
    den = (a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1))
    v = num / den if den > 0 else float("inf")
    f_low = fdist.ppf(1 - alpha / 2, n - 1, v)
    f_high = fdist.ppf(1 - alpha / 2, v, n - 1)
    low = n * (msr - f_low * mse) / (f_low * (k * msc + (k * n - k - n) * mse) + n * msr)
    high = n * (f_high * msr - mse) / (k * msc + (k * n - k - n) * mse + n * f_high * msr)
    return ICC(float(value), float(max(low, -1.0)), float(min(high, 1.0)), n, k, float(msr), float(msc), float(mse))


@dataclass(frozen=True)
class Drift:
    grader: str
    bias: float          # mean (this grader − median of the others) over the shared items
    low: float
    high: float
    items: int
    drifting: bool = field(default=False)


def grader_drift(scores: np.ndarray, graders: list[str], threshold: float, confidence: float = 0.95) -> list[Drift]:
    """Each grader's mean difference from the others' median on the same items, with a t interval.

    The median of the others (not their mean) is the reference so that one drifting grader does not drag
    the reference and make an honest colleague look drifting in the other direction.

    A grader drifts when the bias is larger than ``threshold`` points and its interval excludes 0:
    the size rule keeps a consistent one-point habit from being called drift on a large sample,
    the interval keeps one odd call from condemning a grader on a small one.
    """
    from scipy.stats import t as tdist

    y = np.asarray(scores, dtype=float)
    n, k = y.shape
    out: list[Drift] = []
    for j, name in enumerate(graders):
        others = np.median(np.delete(y, j, axis=1), axis=1)
        diff = y[:, j] - others
        bias = float(diff.mean())
        if n > 1:
            se = float(diff.std(ddof=1)) / math.sqrt(n)
            q = float(tdist.ppf(1 - (1 - confidence) / 2, n - 1))
            low, high = bias - q * se, bias + q * se
        else:
            low = high = bias
        drifting = abs(bias) > threshold and (low > 0 or high < 0)
        out.append(Drift(name, bias, float(low), float(high), n, drifting))
    return out


def disagreements(scores: np.ndarray, items: list[str], graders: list[str], margin: float) -> list[dict]:
    """Items whose highest and lowest grader differ by more than ``margin`` points."""
    y = np.asarray(scores, dtype=float)
    rows = []
    for i, item in enumerate(items):
        spread = float(y[i].max() - y[i].min())
        if spread > margin:
            rows.append({
                "item": item,
                "spread": spread,
                "scores": {g: float(s) for g, s in zip(graders, y[i])},
            })
    rows.sort(key=lambda r: -r["spread"])
    return rows
