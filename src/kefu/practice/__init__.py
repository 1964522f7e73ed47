"""Coached practice (the two weeks after the classroom): QA scorecards and KPI call logs per trainee and
day in ``<cohort>/practice.db``, the trend over days 1–14, the programme's phases, the trial (试接) verdict
and :func:`practice_status` for 可上岗. Rule: seeds/programme.yml ``practice_certification``."""
from __future__ import annotations

from .status import practice_status, summarise

__all__ = ["practice_status", "summarise"]
