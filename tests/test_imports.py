"""Start-up: each hot `kefu` command imports only what it uses.

Every command runs in a fresh interpreter with ``-X importtime``; the import tree it prints is parsed
and the test fails when a heavy module (nbformat's validator, jsonschema, nbgrader, matplotlib, pandas
where not needed, ...) is imported, naming the chain of imports that brought it in. No timings are
asserted (bench/ measures speed); what is checked is what gets imported.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
# never on a hot path: notebook machinery, nbgrader, plotting, kernels, web servers, ML
HEAVY = {"nbformat", "jsonschema", "nbgrader", "nbconvert", "nbclient", "matplotlib", "IPython", "ipykernel",
         "jupyter_server", "notebook", "zmq", "tornado", "sklearn", "scipy", "alembic"}
TABLES = {"pandas", "numpy", "openpyxl"}  # data-frame and Excel libraries: only where a command reads or writes tables
_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|( *)(\S+)$")


def import_tree(args: list[str], cwd: Path | None = None) -> tuple[dict[str, list[str]], subprocess.CompletedProcess]:
    """Run ``kefu ARGS`` with -X importtime; module -> chain of importers (outermost first)."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", COLUMNS="120")
    launcher = "import sys; sys.argv[0] = 'kefu'; from kefu.cli.main import run; run()"  # as the kefu script
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", launcher, *args], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=300)
    # importtime prints a module after its children: read bottom-up to find each one's parent
    entries = [(len(m[1]), m[2]) for m in map(_LINE.match, proc.stderr.splitlines()) if m]
    chains: dict[str, list[str]] = {}
    stack: list[tuple[int, str]] = []
    for depth, name in reversed(entries):
        while stack and stack[-1][0] >= depth:
            stack.pop()
        chains.setdefault(name, [n for _, n in stack] + [name])
        stack.append((depth, name))
    return chains, proc


def assert_not_imported(chains: dict[str, list[str]], banned: set[str]) -> None:
    bad = {name: chain for name, chain in chains.items() if name.split(".")[0] in banned}
    tops = sorted({name.split(".")[0] for name in bad})
    shown = [" → ".join(next(c for n, c in bad.items() if n.split(".")[0] == top)) for top in tops]
    assert not bad, "heavy modules on a hot path:\n" + "\n".join(shown)


def test_the_tree_parser_sees_a_heavy_import():
    """The check can fail: a command that does plot imports matplotlib, and the chain names who."""
    chains, proc = import_tree(["--help"])
    assert proc.returncode == 0 and "kefu.cli.main" in chains
    chains["matplotlib.pyplot"] = ["kefu.cli.main", "kefu.gradebook.plots", "matplotlib.pyplot"]
    with pytest.raises(AssertionError, match="kefu.gradebook.plots → matplotlib.pyplot"):
        assert_not_imported(chains, HEAVY)


def test_help_imports_nothing_heavy():
    chains, proc = import_tree(["--help"])
    assert proc.returncode == 0
    assert_not_imported(chains, HEAVY | TABLES | {"sqlalchemy", "pydantic", "yaml", "opencc"})


def test_phrases_check_imports_only_the_checker():
    chains, proc = import_tree(["phrases", "check", "请您稍等,我马上为您查询"])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "kefu.phrases" in chains
    assert_not_imported(chains, HEAVY | TABLES | {"sqlalchemy", "traitlets"})


def test_kpi_imports_no_notebook_or_plotting_machinery(tmp_path):
    made = subprocess.run([str(BIN / "kefu"), "sample-calls", str(tmp_path / "calls.xlsx"), "--agents", "3",
                           "--days", "1", "--seed", "2"], capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    chains, proc = import_tree(["kpi", str(tmp_path / "calls.xlsx"), "--json"])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "pandas" in chains  # it reads the call log as a table: that one it needs
    assert_not_imported(chains, HEAVY | {"sqlalchemy", "traitlets"})


@pytest.fixture(scope="module")
def small_cohort(tmp_path_factory) -> Path:
    from kefu.gradebook.synthetic import make_cohort

    course = tmp_path_factory.mktemp("imports") / "cohort"
    make_cohort(course, 4, seed=3)
    return course


@pytest.mark.slow  # the cohort is made with nbgrader's schema (alembic)
def test_gradebook_json_and_table_read_sql_without_nbgrader(small_cohort):
    for fmt in ("json", "table", "csv"):
        chains, proc = import_tree(["gradebook", "--course", str(small_cohort), "-f", fmt])
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "kefu.gradebook.sql" in chains and "sqlalchemy" in chains
        assert_not_imported(chains, HEAVY | TABLES)


@pytest.mark.slow
def test_gradebook_xlsx_needs_openpyxl_only(small_cohort, tmp_path):
    chains, proc = import_tree(["gradebook", "--course", str(small_cohort), "-f", "xlsx", "-o",
                                str(tmp_path / "g.xlsx")])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "openpyxl" in chains  # (openpyxl itself imports numpy when it is installed)
    assert_not_imported(chains, HEAVY | {"pandas"})
