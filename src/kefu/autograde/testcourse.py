"""Throw-away nbgrader course folders for tests and the autograde benchmark.

``make_course`` writes an ordinary nbgrader course directory (the same layout a cohort folder has);
``practice_assignments`` builds two small self-test assignments (customer-service flavoured, with
visible and hidden tests, a partial-credit test and a manually graded answer) together with answer
variants; ``place_submission`` drops a trainee's notebook into ``submitted/`` as ``collect`` would;
``jupyter_env`` points HOME and Jupyter's folders at a scratch folder while a course is built and graded
(as nbgrader's own tests do), so nothing reads or writes the real user's Jupyter settings.

The practice assignments are a fixture for the grader itself, not course content: the real course's
assignments live in ``assignments/`` and their keys in ``assignments/_keys/``.
"""
from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import json
import os
import secrets
import shutil
from pathlib import Path
from typing import Any, Iterator

CONFIG_TEMPLATE = """\
# nbgrader course configuration (written by kefu.autograde.testcourse)
c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = {db_url!r}
c.Exchange.root = {exchange!r}
c.Exchange.cache = {cache!r}
c.Exchange.timezone = "Asia/Shanghai"
"""


JUPYTER_VARS = ("HOME", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR")


@contextlib.contextmanager
def jupyter_env(root: str | os.PathLike[str],
                bin_dir: str | os.PathLike[str] | None = None) -> Iterator[dict[str, str]]:
    """Inside the block, HOME and the Jupyter/IPython folders are fresh subfolders of ``root`` (and
    ``bin_dir``, when given, leads PATH: nbgrader runs ``alembic``); yields a copy of that environment
    for subprocesses. The process environment is restored afterwards, whatever happened inside."""
    root = Path(root)
    saved = dict(os.environ)
    try:
        if bin_dir is not None:
            os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
        for var in JUPYTER_VARS:
            (root / var).mkdir()
            os.environ[var] = str(root / var)
        yield dict(os.environ)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def make_course(root: str | os.PathLike[str], course_id: str = "kefu-test") -> Path:
    """Create an empty nbgrader course folder with its ``nbgrader_config.py``."""
    root = Path(root).resolve()
    for sub in ("source", "exchange", "cache"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        CONFIG_TEMPLATE.format(
            root=str(root),
            course_id=course_id,
            db_url=f"sqlite:///{root / 'gradebook.db'}",
            exchange=str(root / "exchange"),
            cache=str(root / "cache"),
        ),
        encoding="utf-8",
    )
    return root


def clone_course(course: str | os.PathLike[str], dest: str | os.PathLike[str]) -> Path:
    """A copy of ``course`` at ``dest`` whose ``nbgrader_config.py`` names the copy's own folders."""
    course, dest = Path(course), Path(dest)
    shutil.copytree(course, dest)
    cfg = dest / "nbgrader_config.py"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(str(course), str(dest)), encoding="utf-8")
    return dest


def add_source(course: Path, assignment_id: str, nb: Any, name: str | None = None) -> Path:
    from kefu.authoring import cells

    path = Path(course) / "source" / assignment_id / f"{name or assignment_id}.ipynb"
    cells.write(nb, path)
    return path


def generate(course: Path, assignment_id: str, duedate: str | None = None) -> None:
    """``nbgrader generate_assignment`` through the Python API (creates the gradebook entries)."""
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI

    from .config import load_config

    cfg = load_config(course)
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        gb.update_or_create_assignment(assignment_id, duedate=duedate)
    api = NbGraderAPI(config=cfg)
    res = api.generate_assignment(assignment_id, force=True)
    if not res["success"]:
        raise RuntimeError(f"generate_assignment {assignment_id} failed:\n{res.get('error') or res.get('log')}")


def place_submission(
    course: Path,
    student: str,
    assignment_id: str,
    notebooks: dict[str, Any],
    timestamp: _dt.datetime | str | None = None,
) -> Path:
    """Put a submission where ``collect`` would: ``submitted/<student>/<assignment>/``.

    ``notebooks`` maps notebook name to a notebook (dict) or to raw text (to simulate a corrupt file).
    """
    dest = Path(course) / "submitted" / student / assignment_id
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name, nb in notebooks.items():
        text = nb if isinstance(nb, str) else json.dumps(nb, ensure_ascii=False, indent=1)
        (dest / f"{name}.ipynb").write_text(text, encoding="utf-8")
    if timestamp is None:
        timestamp = _dt.datetime(2024, 1, 8, 9, 30, tzinfo=_dt.timezone.utc)
    if isinstance(timestamp, _dt.datetime):
        timestamp = timestamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    (dest / "timestamp.txt").write_text(timestamp, encoding="utf-8")
    # what `nbgrader submit` leaves for release_feedback to address the trainee's feedback
    (dest / "submission_secret.txt").write_text(secrets.token_hex(32), encoding="utf-8")
    return dest


def released_notebook(course: Path, assignment_id: str, name: str | None = None) -> dict[str, Any]:
    path = Path(course) / "release" / assignment_id / f"{name or assignment_id}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))


def answer(released: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """A trainee's notebook: the released notebook with some answer cells' sources replaced."""
    nb = copy.deepcopy(released)
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    return nb


# --------------------------------------------------------------------------------------------
# Self-test assignments (fixture for the grader; not course content)

def practice_assignments() -> dict[str, tuple[Any, dict[str, dict[str, str]]]]:
    """{assignment_id: (source notebook, variants)} where variants = {grade_id: {kind: source}}."""
    from kefu.authoring import cells as C

    greet_hidden = (
        "_bad = [w for w in ('不知道', '没办法', '你自己') if w in greeting]\n"
        "if _bad:\n"
        "    print('【规范用语】出现了禁用说法:' + '、'.join(_bad) + ';推荐说法:您好,请问有什么可以帮您?')\n"
        "assert not _bad, '开场白含有禁用说法'\n"
        "assert '您好' in greeting, '开场白要以“您好”开头'\n"
        "print('开场白符合规范')"
    )
    aht_hidden = (
        "_expected = sum(durations) / len(durations)\n"
        "if abs(aht - _expected) < 1e-6:\n"
        "    print('平均处理时长计算正确')\n"
        "    _score = 3.0\n"
        "elif abs(aht - sum(durations)) < 1e-6:\n"
        "    print('只求了总和,还要除以通话数')\n"
        "    _score = 1.0\n"
        "else:\n"
        "    print('结果不对:平均处理时长 = 总处理时长 ÷ 通话数')\n"
        "    _score = 0.0\n"
        "_score"
    )
    steps_hidden = (
        "assert steps[0] == '问候', '第一步应当是问候'\n"
        "assert steps[-1] == '结束语', '最后一步应当是结束语'\n"
        "assert len(steps) == 4, '一共四个步骤'"
    )
    a1 = C.notebook(
        [
            C.markdown("# 练习:开场与处理时长\n本练习用于检验自动评分。", grade_id="intro"),
            C.answer_code("greeting", 'greeting = "您好,请问有什么可以帮您?"', before="# 写出标准开场白"),
            C.test_code("greeting-test", "assert isinstance(greeting, str)", greet_hidden, points=2),
            C.locked_code("durations = [180, 240, 300, 120]  # 秒", "durations-data"),
            C.answer_code("aht", "aht = sum(durations) / len(durations)", before="# 计算平均处理时长(秒)"),
            C.test_code("aht-test", "assert isinstance(aht, (int, float))", aht_hidden, points=3),
            C.manual_markdown("why-polite", "礼貌用语让客户感到被尊重。", points=2),
        ],
        title="练习 A",
    )
    a2 = C.notebook(
        [
            C.markdown("# 练习:通话流程", grade_id="intro-b"),
            C.answer_code("steps", 'steps = ["问候", "确认需求", "解决问题", "结束语"]', before="# 按顺序排列通话步骤"),
            C.test_code("steps-test", "assert isinstance(steps, list)", steps_hidden, points=2),
            C.answer_code("closing", 'closing = "感谢您的来电,祝您生活愉快!"'),
            C.test_code(
                "closing-test",
                "assert isinstance(closing, str)",
                "assert '感谢' in closing, '结束语要感谢客户'\nprint('结束语符合规范')",
                points=1,
            ),
        ],
        title="练习 B",
    )
    v1 = {
        "greeting": {
            "correct": 'greeting = "您好,请问有什么可以帮您?"',
            "partial": 'greeting = "喂,请问有什么事?"',
            "wrong": 'greeting = 42',
            "rude": 'greeting = "您好,这个我不知道,你自己查吧"',
        },
        "aht": {
            "correct": "aht = sum(durations) / len(durations)",
            "partial": "aht = sum(durations)",
            "wrong": "aht = max(durations)",
            "rude": "aht = 'unknown'",
        },
    }
    v2 = {
        "steps": {
            "correct": 'steps = ["问候", "确认需求", "解决问题", "结束语"]',
            "partial": 'steps = ["问候", "解决问题", "结束语"]',
            "wrong": 'steps = ["结束语", "问候"]',
            "rude": "steps = None",
        },
        "closing": {
            "correct": 'closing = "感谢您的来电,祝您生活愉快!"',
            "partial": 'closing = "再见"',
            "wrong": "closing = 0",
            "rude": 'closing = "没事别打了"',
        },
    }
    return {"practice-a": (a1, v1), "practice-b": (a2, v2)}


BAD_KINDS = ("corrupt", "tampered", "loop", "crash", "huge")


def bad_submission(released: dict[str, Any], kind: str) -> dict[str, Any] | str:
    """A broken submission of practice-a: invalid JSON, a tampered locked test, an endless loop,
    a kernel that dies, or a flood of output."""
    if kind == "corrupt":
        return json.dumps(released, ensure_ascii=False)[:200]  # truncated: invalid JSON
    nb = answer(released, {"greeting": 'greeting = "您好,请问有什么可以帮您?"',
                           "aht": "aht = sum(durations) / len(durations)"})
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if kind == "tampered" and gid == "aht-test":
            cell["source"] = "pass  # 测试被学员改掉了"
        elif kind == "loop" and gid == "greeting":
            cell["source"] = 'greeting = "您好"\nwhile True:\n    pass'
        elif kind == "crash" and gid == "greeting":
            cell["source"] = 'import os\ngreeting = "您好"\nos._exit(1)'
        elif kind == "huge" and gid == "greeting":
            cell["source"] = 'greeting = "您好"\nfor i in range(20000):  # 20x LimitOutput.max_lines: truncated, yet well inside a 3 s cell timeout under load\n    print("刷屏" * 20)'
    return nb
