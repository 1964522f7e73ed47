"""The cohort gradebook: exam policy (policy.py), the report read from nbgrader (data.py),
exports (export.py) and charts (plots.py)."""
