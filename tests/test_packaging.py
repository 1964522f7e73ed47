"""Packaging: pyproject.toml and environment.yml agree; the console script and the make targets exist."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _env_pip() -> list[str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    assert env["name"] == "kefu-kit"
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip = [d for d in deps if isinstance(d, dict) and "pip" in d]
    assert len(pip) == 1, "environment.yml needs exactly one pip: section"
    return pip[0]["pip"]


def test_environment_yml_matches_pyproject():
    project = _pyproject()["project"]
    wanted = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    pip = _env_pip()
    assert "-e ." in pip, "environment.yml must install the project itself (-e .)"
    listed = [p for p in pip if p != "-e ."]
    # same packages with the same version specifiers, nothing extra, nothing missing
    norm = lambda reqs: sorted(r.replace(" ", "").lower() for r in reqs)  # noqa: E731
    missing = {_name(r) for r in wanted} - {_name(r) for r in listed}
    extra = {_name(r) for r in listed} - {_name(r) for r in wanted}
    assert not missing, f"in pyproject.toml but not environment.yml: {sorted(missing)}"
    assert not extra, f"in environment.yml but not pyproject.toml: {sorted(extra)}"
    assert norm(wanted) == norm(listed), "version specifiers differ between pyproject.toml and environment.yml"


def test_required_runtime_dependencies():
    names = {_name(r) for r in _pyproject()["project"]["dependencies"]}
    for pkg in ["jupyterlab", "nbgrader", "ipywidgets", "pandas", "matplotlib", "pydantic", "pyyaml"]:
        assert pkg in names
    assert _pyproject()["project"]["requires-python"] == ">=3.11"
    assert _pyproject()["project"]["scripts"]["kefu"] == "kefu.cli.main:run"


def test_kefu_help_is_chinese_and_lists_commands():
    out = subprocess.run([sys.executable, "-m", "kefu.cli.main", "--help"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "客服培训套件" in out.stdout
    assert "seeds" in out.stdout


def test_makefile_targets_and_ci_script():
    make = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("demo:", "test:", "lab:"):
        assert re.search(rf"^{target}", make, re.M), target
    assert ".venv" in make
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    assert "5" in ci  # pytest's "no tests collected" exit code is handled


def test_gitignore_keeps_generated_files_out():
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    for entry in (".venv/", "gradebook.db", "submitted/", "autograded/", "feedback/", "release/"):
        assert entry in ignored


def test_seeds_are_not_packaged():
    """seeds/ (answer keys among them) lives outside src/kefu, so it never ships in the package."""
    assert not (REPO / "src" / "kefu" / "seeds" / "question_bank.yml").exists()
    assert not list((REPO / "src").rglob("*.csv"))
    assert not list((REPO / "src").rglob("*.yml"))
