"""Answer keys stay with the instructor (issue 6, item 2).

Every assignment in assignments/ (chapters and exams) is generated with nbgrader's API in a temporary
course. Then the release folder (every file nbgrader copies to trainees) and the installed package
(src/kefu and a freshly built wheel) are searched for every hidden-test line, every solution line and
every key in assignments/_keys/*.yml (correct answers, model answers, key points, the keys and
explanations of the ``grading`` entries): none may appear. The code a trainee's kernel runs from the
source notebook (locked and test cells, restored by nbgrader at autograde) holds no key either: each
hidden test only hands the answer variables over as data (kefu.answers), the marking runs in the grader.

Lines that carry no key are not searched for: blank or punctuation-only lines, comments, pure import
statements, headings such as 【评分要点】 and the nbgrader markers themselves.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from kefu.authoring.trial import TrialCourse

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
pytestmark = pytest.mark.filterwarnings("ignore::Warning")


def _assignments(repo_root: Path) -> list[str]:
    base = repo_root / "assignments"
    return sorted(p.name for p in base.iterdir()
                  if p.is_dir() and not p.name.startswith(("_", ".")) and (p / f"{p.name}.ipynb").is_file())


def _significant(line: str) -> bool:
    s = line.strip()
    if len(s) < 6 or s.startswith("#") or s in MARKERS or re.fullmatch(r"【[^】]*】[::]?", s):
        return False
    if re.fullmatch(r"(import\s+[\w.]+(\s+as\s+\w+)?|from\s+[\w.]+\s+import\s+[\w., ()]+)", s):
        return False
    return bool(re.search(r"[\w\u4e00-\u9fff]", s))


def _regions(source: str, begin: str, end: str) -> list[str]:
    out, inside = [], False
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            out.append(line)
    return out


def _secrets_from_sources(repo_root: Path, aids: list[str],
                          release_cells: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    """{assignment: lines that must not leak} from the source notebooks: hidden-test lines and
    solution lines, except a solution line the released cell itself keeps (e.g. ``ticket1 = {``
    around the blanks), which the trainee is meant to see."""
    out: dict[str, set[str]] = {}
    for aid in aids:
        lines: set[str] = set()
        for path in (repo_root / "assignments" / aid).glob("*.ipynb"):
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                src = cell.source
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                shown = {line.strip() for line in release_cells.get(aid, {}).get(gid, "").splitlines()}
                lines.update(_regions(src, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"))
                lines.update(line for line in _regions(src, "### BEGIN SOLUTION", "### END SOLUTION")
                             if line.strip() not in shown)
        out[aid] = {line.strip() for line in lines if _significant(line)}
    return out


# which arguments of a marking call are the key (the others are shown to trainees: options, sentences;
# an ordering key is a sequence of public step ids, and only the sequence is secret)
SECRET_ARGS = {"choices": (1, 3), "qa_scorecard": (2,), "mark_single": (1,),
               "mark_multiple": (1,), "mark_truefalse": (1,), "mark_ticket": (1,)}


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]  # keys name public things (rubric items)
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)] if value is not None else []


def _grading_secrets(data: dict) -> set[str]:
    """Key strings of the grading entries (the arguments that carry the key)."""
    out: set[str] = set()
    for entry in (data.get("grading") or {}).values():
        name = str(entry.get("function", "")).rsplit(".", 1)[-1]
        args = entry.get("args") or []
        for i in SECRET_ARGS.get(name, ()):
            if i < len(args):
                out.update(s.strip() for s in _strings(args[i]) if _significant(s))
            if i == 1 and isinstance(args[i], str) and len(args) > 1 and name == "choices":
                out.add(args[i])  # the letters of a choice key, e.g. ABDCBB (6+ letters)
    return {s for s in out if len(s) >= 6}


def _secrets_from_keys(repo_root: Path, release_cells: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    """{assignment: key strings} from assignments/_keys/*.yml. A correct answer's lines that also
    stand in the released answer cell (the instructions above the blank) are not secrets."""
    out: dict[str, set[str]] = {}
    for path in sorted((repo_root / "assignments" / "_keys").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        aid = data.get("assignment_id", path.stem)
        released = release_cells.get(aid, {})
        secrets: set[str] = set()
        for gid, variants in (data.get("answers") or {}).items():
            shown = {line.strip() for line in released.get(gid, "").splitlines()}
            for line in str(variants.get("correct", "")).splitlines():
                if _significant(line) and line.strip() not in shown:
                    secrets.add(line.strip())
        secrets.update(_grading_secrets(data))
        for gid, manual in (data.get("manual") or {}).items():
            model = str(manual.get("model_answer", "")).strip()
            secrets.update(line.strip() for line in model.splitlines() if _significant(line))
            secrets.update(str(k).strip() for k in manual.get("key_points", []) or [] if len(str(k).strip()) >= 6)
        out[aid] = secrets
    return out


@pytest.fixture(scope="module")
def released(repo_root, tmp_path_factory):
    aids = _assignments(repo_root)
    assert aids, "no assignments to check"
    course = TrialCourse(tmp_path_factory.mktemp("leak-course"))
    for aid in aids:
        course.add_source(repo_root / "assignments" / aid)
        course.generate(aid)
    cells: dict[str, dict[str, str]] = {}
    texts: dict[str, str] = {}
    for aid in aids:
        folder = course.root / "release" / aid
        cells[aid] = {}
        for nb_path in folder.glob("*.ipynb"):
            nb = nbformat.read(nb_path, as_version=4)
            for cell in nb.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid:
                    cells[aid][gid] = cell.source
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                texts[f"{aid}/{f.relative_to(folder)}"] = f.read_bytes().decode("utf-8", errors="replace")
        # the notebook as JSON escapes nothing we write (ensure_ascii=False), but search the parsed
        # cell sources as well so escaping can never hide a leak
        texts[f"{aid}/(cells)"] = "\n".join(cells[aid].values())
    return aids, cells, texts


@pytest.mark.slow
def test_release_holds_no_hidden_test_solution_or_key(released, repo_root):
    aids, cells, texts = released
    code = _secrets_from_sources(repo_root, aids, cells)
    keys = _secrets_from_keys(repo_root, cells)
    assert sum(len(s) for s in code.values()) > 0 and sum(len(s) for s in keys.values()) > 0
    leaks = []
    for name, text in texts.items():
        own = name.split("/", 1)[0]
        # hidden-test and solution lines of any assignment, in any release
        for aid_secrets in code.values():
            leaks += [(name, s) for s in aid_secrets if s in text]
        # key-file entries in the assignment's own release (a short exam key point such as a
        # chapter objective may rightly be taught, in other words, by a chapter)
        leaks += [(name, s) for s in keys.get(own, set()) if s in text]
    assert not leaks, leaks[:10]


@pytest.mark.slow
def test_release_strips_every_hidden_region(released):
    _, cells, texts = released
    for name, text in texts.items():
        for marker in ("BEGIN HIDDEN TESTS", "BEGIN SOLUTION"):
            assert marker not in text, (name, marker)


def _package_texts(repo_root: Path) -> dict[str, str]:
    """What an installed kefu-kit holds: setuptools' package discovery (as the wheel build uses it,
    per pyproject.toml) must find only ``kefu`` packages under src/; then every file under src/kefu
    (a superset of the wheel's files) and README.md (it becomes the wheel's METADATA) is read."""
    from setuptools import find_packages

    packages = find_packages(where=str(repo_root / "src"))
    assert packages and all(p == "kefu" or p.startswith("kefu.") for p in packages), packages
    texts = {str(p.relative_to(repo_root)): p.read_text(encoding="utf-8", errors="replace")
             for p in sorted((repo_root / "src" / "kefu").rglob("*")) if p.is_file() and p.suffix != ".pyc"}
    assert not [n for n in texts if "/_keys/" in n or n.endswith((".ipynb", ".csv"))], sorted(texts)
    readme = repo_root / "README.md"
    if readme.is_file():
        texts["README.md (wheel METADATA)"] = readme.read_text(encoding="utf-8")
    return texts


@pytest.mark.slow
def test_installed_package_holds_no_key(released, repo_root):
    aids, cells, _ = released
    secrets = _secrets_from_sources(repo_root, aids, cells)
    for aid, keys in _secrets_from_keys(repo_root, cells).items():
        secrets.setdefault(aid, set()).update(keys)
    texts = _package_texts(repo_root)
    leaks = []
    for name, text in texts.items():
        for aid, aid_secrets in secrets.items():
            leaks += [(name, aid, s) for s in aid_secrets if s in text]
    assert not leaks, leaks[:10]


def test_kernel_side_code_holds_no_key(repo_root):
    """What nbgrader runs in the trainee's kernel from the source notebook (every code cell but the
    answer cells) carries no key: hidden tests are exactly the emit call of kefu.answers, and no
    correct answer or grading-key string appears in those cells."""
    from kefu.authoring.grading import emit_source

    checked = 0
    for aid in _assignments(repo_root):
        data = yaml.safe_load((repo_root / "assignments" / "_keys" / f"{aid}.yml").read_text(encoding="utf-8"))
        grading = data.get("grading") or {}
        secrets = _grading_secrets(data)
        for variants in (data.get("answers") or {}).values():
            secrets.update(line.strip() for line in str(variants.get("correct", "")).splitlines()
                           if _significant(line) and "= \"\"" not in line and "= []" not in line)
        nb = nbformat.read(repo_root / "assignments" / aid / f"{aid}.ipynb", as_version=4)
        for cell in nb.cells:
            md = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or md.get("solution"):
                continue
            hidden = _regions(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
            if md.get("grade"):
                entry = grading.get(md["grade_id"])
                assert entry is not None, (aid, md["grade_id"], "no grading entry")
                assert "\n".join(hidden) == emit_source(entry["variables"]), (aid, md["grade_id"])
                checked += 1
            leaked = [s for s in secrets if s in cell.source]
            assert not leaked, (aid, md.get("grade_id"), leaked[:5])
    assert checked > 50
