# nbgrader configuration snippet: the trusted grading path (the same as every cohort's nbgrader_config.py).
#
# The trainee's kernel only hands the answers over as data (kefu.answers); TrustedScore marks them in
# the grader's own process from the instructor-side keys folder; SanitizeOutputs strips active content
# before anything is stored. The list is kefu.autograde.pipeline.autograde_preprocessors().
# `kefu autograde` uses the same list with its own kernel launcher (kefu.autograde.kernels.KefuExecute)
# in place of GraderExecute, and OverwriteCells → kefu.autograde.worker.FlaggingOverwriteCells.
c = get_config()  # noqa: F821
c.Autograde.autograde_preprocessors = [
    "kefu.autograde.pipeline.GraderExecute",  # = kefu.sandbox.execute.SandboxedExecute
    "kefu.autograde.trusted.TrustedScore",
    "kefu.autograde.sanitize.SanitizeOutputs",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.TrustedScore.keys_dir = "/path/to/kefu-kit/assignments/_keys"  # instructor-side, never released
# Per-cell time limit (seconds), as `kefu autograde --timeout`:
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
# Output beyond this many lines per cell is truncated before grading (nbgrader's LimitOutput):
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
