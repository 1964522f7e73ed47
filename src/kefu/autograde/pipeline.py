"""The trusted grading pipeline, as nbgrader configuration: one place that says which preprocessors run.

Used by the cohort's ``nbgrader_config.py`` (so formgrader's **Autograde** and **Generate Feedback**
buttons and ``nbgrader autograde`` / ``generate_feedback`` in a cohort folder take the trusted path),
by ``kefu autograde``'s workers (with their own kernel launcher in place of :data:`EXECUTE`), by
``kefu feedback`` and by the trial courses of :mod:`kefu.authoring.trial`.

Autograde = nbgrader's own steps, with the scoring and sanitising steps inserted right after the
kernel has run: ``GraderExecute`` (= :class:`kefu.sandbox.execute.SandboxedExecute`) → :class:`~kefu.autograde.trusted.TrustedScore` →
:class:`~kefu.autograde.sanitize.SanitizeOutputs` → IgnorePattern → ClearMetadata → LimitOutput →
SaveAutoGrades → :class:`~kefu.autograde.trusted.FlagForReview` (cells the marking was unsure
about → ``needs_manual_grade``) → AssignLatePenalties → CheckCellMetadata.
"""
from __future__ import annotations

from typing import Any

# The one switch for what executes trainee code on nbgrader's own path (formgrader, `nbgrader autograde`):
# nbgrader's Execute with every kernel in the sandbox (it refuses, in Chinese, where none can be set up).
from kefu.sandbox.execute import SandboxedExecute as GraderExecute  # noqa: F401 - named in cohort configs

EXECUTE = "kefu.autograde.pipeline.GraderExecute"
TRUSTED_SCORE = "kefu.autograde.trusted.TrustedScore"
SANITIZE = "kefu.autograde.sanitize.SanitizeOutputs"
FLAG_REVIEW = "kefu.autograde.trusted.FlagForReview"
SAVE_AUTO_GRADES = "nbgrader.preprocessors.SaveAutoGrades"
AFTER_EXECUTE = [
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    SAVE_AUTO_GRADES,
    FLAG_REVIEW,
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
FEEDBACK = [
    "nbgrader.preprocessors.GetGrades",
    "kefu.autograde.hidetests.HideHiddenTests",
    SANITIZE,
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "kefu.grading.teach.TeachingFeedback",  # verdicts, why, next step, phone CSS (issue 13)
]


def autograde_preprocessors(execute: Any = EXECUTE) -> list[Any]:
    return [execute, TRUSTED_SCORE, SANITIZE, *AFTER_EXECUTE]


def _name(p: Any) -> str:
    return p if isinstance(p, str) else f"{p.__module__}.{p.__name__}"


def make_trusted(preprocessors: list[Any], execute: Any) -> list[Any]:
    """``preprocessors`` (a course's autograde list) with its executing step replaced by ``execute``
    and TrustedScore + SanitizeOutputs right after it when they are missing."""
    from nbgrader.preprocessors import Execute, SaveAutoGrades

    out: list[Any] = []
    saving: list[Any] = []
    for p in preprocessors:
        cls = p
        if isinstance(p, str):
            from traitlets.utils.importstring import import_item

            cls = import_item(p)
        if isinstance(cls, type) and issubclass(cls, SaveAutoGrades):
            saving.append(p)
        if isinstance(cls, type) and issubclass(cls, Execute):
            out.append(execute)
        elif _name(p) not in (TRUSTED_SCORE, SANITIZE, FLAG_REVIEW):
            out.append(p)
    if execute not in out:
        out.insert(0, execute)
    i = out.index(execute) + 1
    out[i:i] = [TRUSTED_SCORE, SANITIZE]
    # needs_manual_grade is set after nbgrader's save (which clears it for every scored cell)
    saves = [k for k, p in enumerate(out) if p in saving]
    out.insert(saves[-1] + 1 if saves else len(out), FLAG_REVIEW)
    return out


def apply(cfg: Any, keys_dir: str | None = None, execute: Any = None) -> Any:
    """Put the trusted pipeline into a traitlets Config (in place; returns it)."""
    from nbgrader.converters import Autograde

    current = cfg.Autograde.get("autograde_preprocessors",
                                Autograde.class_traits()["autograde_preprocessors"].default())
    cfg.Autograde.autograde_preprocessors = make_trusted(list(current), execute or EXECUTE)
    cfg.GenerateFeedback.preprocessors = list(FEEDBACK)
    if keys_dir is not None:
        cfg.TrustedScore.keys_dir = str(keys_dir)
    return cfg


def config_lines(keys_dir_expr: str) -> list[str]:
    """Lines of a cohort's nbgrader_config.py setting the trusted pipeline; ``keys_dir_expr`` is a
    Python expression for the keys folder."""
    auto = ",\n".join(f"    {p!r}" for p in autograde_preprocessors())
    fb = ",\n".join(f"    {p!r}" for p in FEEDBACK)
    return [
        "# Trusted grading (kefu.autograde.pipeline): the trainee's kernel only hands answers over as data;",
        "# TrustedScore marks them in this process from the instructor-side keys; SanitizeOutputs strips",
        "# active content. Formgrader's Autograde / Generate Feedback buttons read these lines too.",
        f"c.Autograde.autograde_preprocessors = [\n{auto},\n]",
        f"c.TrustedScore.keys_dir = {keys_dir_expr}",
        "# Feedback: hidden tests removed, outputs sanitised (the same as `kefu feedback`).",
        f"c.GenerateFeedback.preprocessors = [\n{fb},\n]",
    ]
