"""Building notebooks (practice notebooks and nbgrader source assignments) deterministically."""
