"""Graders' and trainers' side of grading: the grader's guide (:mod:`.guide`), feedback that teaches
(:mod:`.teach`, an nbconvert preprocessor in ``GenerateFeedback``) and stale-feedback / late-exam
bookkeeping (:mod:`.freshness`). Nothing here runs in a trainee's kernel; the guide reads the
instructor-side keys and is written only outside the cohort's release/, exchange and feedback folders."""
