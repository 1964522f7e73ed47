"""Grader agreement (阅卷一致性校准): several graders score the same practical calls or short answers.

``kefu calibrate FILE`` reads the sample (:mod:`.sample`), computes ICC(A,1) with its confidence interval per
rubric dimension (:mod:`.stats`), lists the items where graders differ by more than a margin and tells which
grader drifts (:mod:`.report`). Settings: seeds/calibration.yml.
"""
from __future__ import annotations

from typing import Any

from .sample import Sample, SampleError, read_sample


def calibrate(path: str, settings: Any = None) -> dict[str, Any]:
    from kefu.seeds import load

    from .report import build_report, rubric

    ids, weights = rubric()
    sample = read_sample(path, ids)
    return build_report(sample, settings or load("calibration.yml"), weights)


__all__ = ["Sample", "SampleError", "calibrate", "read_sample"]
