# nbgrader configuration snippet: the settings `kefu autograde` uses for each submission.
#
# `kefu autograde` keeps nbgrader's own preprocessors and their order; it only swaps Execute for
# kefu.autograde.kernels.KefuExecute (same preprocessor, kernels forked from a warm zygote) and
# OverwriteCells for kefu.autograde.worker.FlaggingOverwriteCells (same, plus it flags tampered
# protected cells). Per-cell time limit (seconds), as `kefu autograde --timeout`:
c = get_config()  # noqa: F821
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
# Output beyond this many lines per cell is truncated before grading (nbgrader's LimitOutput):
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
