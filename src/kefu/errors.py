"""Errors the trainer can act on, and the one translation of exceptions into Chinese messages.

``KefuError`` is raised by any layer for an expected failure: it carries a Chinese message, the place
(file · row · field) and what to do. :func:`describe` turns that and the usual suspects around it
(bad paths, a corrupt gradebook database, broken seeds, undecodable text) into the lines the CLI
prints; ``kefu.cli.main.run`` is the only caller that prints them.

This module is at the bottom of the layering: it imports nothing from kefu and no heavy library
(sqlite3, sqlalchemy, pydantic and yaml are only looked up in ``sys.modules``: an exception of a
library that was never imported cannot have been raised).
"""
from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path

EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class KefuError(Exception):
    """An expected failure with a Chinese message for the trainer.

    ``place`` names where the problem is (``名单.xlsx · 第 3 行 · 班组``), ``hint`` what to do about it,
    ``problems`` optional further lines (one per bad row/field), ``exit_code`` 1 for bad data or
    environment, 2 for a wrong command line.
    """

    def __init__(self, message: str, *, place: str | os.PathLike[str] = "", hint: str = "",
                 problems: list[str] | None = None, exit_code: int = EXIT_DATA):
        self.message = message
        self.place = str(place) if place else ""
        self.hint = hint
        self.problems = list(problems or [])
        self.exit_code = exit_code
        super().__init__(self.format())

    def format(self) -> str:
        head = f"{self.place}: {self.message}" if self.place else self.message
        if not self.hint:
            return head
        return head + ("" if head.endswith(("。", "!", "?", ";")) else "。") + self.hint


class UsageError(KefuError):
    """A wrong command line (exit 2)."""

    def __init__(self, message: str, **kwargs):
        kwargs.setdefault("exit_code", EXIT_USAGE)
        super().__init__(message, **kwargs)


@dataclass
class Described:
    """What to print for a failure: ``lines`` (Chinese), exit code, and whether it was expected."""

    lines: list[str]
    exit_code: int = EXIT_DATA
    expected: bool = True


# ---------------------------------------------------------------------------- output paths

def check_output_file(path: str | os.PathLike[str], *, option: str = "--output") -> Path:
    """Refuse, before any work is done, an output file that cannot be written: a folder, a missing
    parent folder, a parent that is a file. An existing *file* is overwritten on purpose (that is
    what ``-o`` means); returns the path."""
    p = Path(path)
    if p.is_dir():
        raise UsageError(f"“{p}”是一个文件夹,这里需要一个文件名", place=option,
                         hint=f"例如 {option} {p / ('成绩册' + (p.suffix or '.xlsx'))}")
    parent = p.parent if str(p.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise UsageError(f"“{parent}”是一个文件,不能在它下面写入“{p.name}”", place=option)
    if not parent.exists():
        raise UsageError(f"要写入的文件夹“{parent}”不存在", place=option,
                         hint="请先建好这个文件夹,或换一个路径")
    return p


def check_output_dir(path: str | os.PathLike[str], *, option: str = "--output") -> Path:
    """Refuse an output folder that is an existing file or lies under a file; a missing folder is
    fine (it will be created). Returns the path."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise UsageError(f"“{p}”已经是一个文件,这里需要一个文件夹", place=option,
                         hint="请换一个文件夹名(不存在的文件夹会自动建立)")
    for parent in p.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"“{parent}”是一个文件,不能在它下面建立文件夹", place=option)
            break
    return p


# ---------------------------------------------------------------------------- describe

def _chain(exc: BaseException):
    """The exception and everything it was raised from or during (wrappers hide the real cause)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _lib_class(module: str, dotted: str) -> type | None:
    mod = sys.modules.get(module)
    if mod is None:
        return None
    obj: object = mod
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj if isinstance(obj, type) else None


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _os_error(exc: OSError) -> list[str]:
    name = exc.filename if exc.filename is not None else ""
    where = f"“{name}”" if name else "文件"
    if isinstance(exc, IsADirectoryError):
        return [f"{where}是一个文件夹,这里需要一个文件(请写出文件名,例如 {os.path.join(str(name), '成绩册.xlsx')})"]
    if isinstance(exc, NotADirectoryError):
        return [f"{where}:路径中有一部分是文件而不是文件夹,请检查路径"]
    if isinstance(exc, FileExistsError):
        return [f"{where}已经存在(而且不是可以使用的文件夹),请换一个名字或先移走它"]
    if isinstance(exc, FileNotFoundError):
        if not name and _has_chinese(str(exc)):
            return [str(exc)]
        return [f"找不到{where}:文件不存在,或它所在的文件夹不存在;请检查路径"]
    if isinstance(exc, PermissionError):
        return [f"没有权限读写{where},请检查文件权限或换一个位置"]
    if exc.errno == errno.ENOSPC:
        return [f"写入{where}时磁盘空间不足,请清理磁盘后重试"]
    return [f"读写{where}失败:{exc.strerror or exc}"]


def _gradebook_lines(exc: BaseException, course: Path | None) -> list[str]:
    db = (course / "gradebook.db") if course else Path("gradebook.db")
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:160]
    return [
        f"{db}: 成绩册数据库已损坏、被截断或不是数据库文件,无法读取({detail})",
        "  没有写入任何数据。请用 kefu restore 从备份恢复成绩册(或从你自己的备份复制 gradebook.db),然后重试。",
    ]


def _validation_lines(exc: BaseException) -> list[str]:
    lines = []
    for err in exc.errors()[:20]:  # type: ignore[attr-defined]
        loc = " · ".join(str(x) for x in err.get("loc", ()))
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        lines.append(f"{getattr(exc, 'title', '数据')} · {loc}: {msg}")
    return lines or [str(exc)]


def _yaml_lines(exc: BaseException) -> list[str]:
    mark = getattr(exc, "problem_mark", None)
    name = getattr(mark, "name", "") if mark else ""
    where = f"{name} · 第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "YAML 文件"
    problem = getattr(exc, "problem", None) or str(exc)
    return [f"{where}: YAML 格式错误:{problem}"]


def describe(exc: BaseException, *, course: Path | None = None) -> Described:
    """Chinese lines and an exit code for ``exc``; ``expected`` is False for a bug in kefu.

    ``course`` is the cohort folder the command works on (to name gradebook.db)."""
    if isinstance(exc, KeyboardInterrupt):
        return Described(["已中断(Ctrl+C)。"], EXIT_INTERRUPTED)
    if isinstance(exc, KefuError):
        return Described([f"✗ {exc.format()}", *[f"  · {p}" for p in exc.problems]], exc.exit_code)
    # kefu's older error classes (SeedError, RosterError, CallLogError...) carry ``problems``
    problems = getattr(exc, "problems", None)
    if isinstance(problems, list) and problems and type(exc).__module__.startswith("kefu."):
        shown = [p.format() if hasattr(p, "format") and not isinstance(p, str) else str(p) for p in problems]
        head = []
        if type(exc).__name__ == "SeedError":
            head = [f"✗ 种子文件(seeds/)有 {len(shown)} 个问题,命令未执行(与 kefu seeds validate 的检查相同):"]
            return Described(head + [f"  ✗ {s}" for s in shown], EXIT_DATA)
        return Described([f"✗ {s}" for s in shown], EXIT_DATA)
    if type(exc).__module__.startswith("kefu.") and type(exc).__name__.endswith("Error") and _has_chinese(str(exc)):
        return Described([f"✗ {exc}"], EXIT_DATA)

    sqlite_error = _lib_class("sqlite3", "DatabaseError")
    sa_error = _lib_class("sqlalchemy", "exc.DatabaseError")
    yaml_error = _lib_class("yaml", "YAMLError")
    pyd_error = _lib_class("pydantic_core", "ValidationError")
    for e in _chain(exc):
        if (sqlite_error and isinstance(e, sqlite_error)) or (sa_error and isinstance(e, sa_error)):
            return Described([f"✗ {line}" if i == 0 else line for i, line in enumerate(_gradebook_lines(e, course))])
    for e in _chain(exc):
        if isinstance(e, UnicodeDecodeError):
            return Described([f"✗ 有文件不是 UTF-8 编码的文本(第 {e.start} 字节,编码 {e.encoding}):"
                              "请用文本编辑器或 Excel 另存为 UTF-8 后重试"])
        if isinstance(e, OSError) and not isinstance(e, (ConnectionError, TimeoutError)):
            return Described([f"✗ {line}" for line in _os_error(e)])
        if yaml_error and isinstance(e, yaml_error):
            return Described([f"✗ {line}" for line in _yaml_lines(e)])
        if pyd_error and isinstance(e, pyd_error):
            return Described([f"✗ {line}" for line in _validation_lines(e)])
    first = (str(exc).splitlines() or [""])[0][:200]
    return Described(
        [f"✗ 内部错误:{type(exc).__name__}: {first}",
         "  这是 kefu 自身的问题,不是你的数据造成的已知错误。加 --debug 重新运行可看到详细的出错位置(traceback),"
         "请把命令和输出告诉维护者。"],
        EXIT_DATA, expected=False)
