# nbgrader configuration snippet: feedback without hidden test source (nbgrader issue #917) and
# without active content (scripts, event handlers, javascript: links, widget views).
#
# `kefu feedback` and every cohort's nbgrader_config.py (`kefu cohort init`) apply this, so
# formgrader's "Generate Feedback" button gives the same feedback as `kefu feedback`.
# The list is kefu.autograde.pipeline.FEEDBACK.
c = get_config()  # noqa: F821
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "kefu.autograde.hidetests.HideHiddenTests",  # drops hidden tests and source-quoting tracebacks
    "kefu.autograde.sanitize.SanitizeOutputs",  # drops <script>, on*= handlers, javascript:, JS outputs
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "kefu.grading.teach.TeachingFeedback",  # verdicts, why, next step, phone-width CSS
]
