"""The cohort gradebook: exam policy (policy.py), the report read from nbgrader's database with set-based
SQL (sql.py, data.py), item analysis (items.py), weak areas from answers (answers.py), exports
(export.py, xlsx.py), charts (plots.py) and bulk-loaded test cohorts (synthetic.py). See docs/gradebook.md."""
