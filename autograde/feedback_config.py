# nbgrader configuration snippet: feedback without hidden test source (nbgrader issue #917).
#
# `kefu feedback` / kefu.autograde.feedback() apply this automatically. To get the same with plain
# `nbgrader generate_feedback`, append these lines to the cohort's nbgrader_config.py.
c = get_config()  # noqa: F821
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "kefu.autograde.hidetests.HideHiddenTests",  # drops hidden tests and source-quoting tracebacks
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
