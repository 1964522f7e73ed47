"""Answers a non-programmer can type: accept what a Chinese input method produces.

A trainee who types ``q1 = [“可以”, “不行”]`` or ``q2 = （"A"，"B"）`` with a Chinese input method
gets Chinese quotation marks and full-width punctuation where Python needs ASCII. :func:`fix_source`
rewrites a cell's source before IPython parses it:

- outside string literals, “ ” and ‘ ’ become ASCII quotes, and full-width ， （ ） 【 】 ［ ］ ｛ ｝
  ： ； ＝ become , ( ) [ ] [ ] { } : ; = (so the code means exactly what the ASCII version means);
- a string opened with “ may be closed with ” or " (and the other way round, when the line would
  otherwise end inside the string); inside an ASCII string literal nothing is touched, so an answer
  text may contain Chinese quotes: ``"他说“好的”"`` stays as written.

:func:`install` registers the rewrite as an IPython input transformer (``input_transformers_cleanup``)
and a custom exception display that explains in Chinese what to do about the common mistakes (a
missing quote or bracket, running a cell before the set-up cell, an unfinished answer). The set-up
cell of every practice notebook and assignment imports a module that calls it, and nbgrader's
autograde and Validate run that set-up cell too, so grading parses exactly what the trainee's lab
parsed. Also usable as an IPython extension: ``%load_ext kefu.inputfix``.

This module runs inside the trainee's (untrusted) kernel: it only rewrites text and prints help.
"""
from __future__ import annotations

from typing import Any

OPEN_QUOTES = "“‘"
CLOSE_QUOTES = "”’"
PUNCT = str.maketrans({"，": ",", "（": "(", "）": ")", "【": "[", "】": "]", "［": "[", "］": "]",
                       "｛": "{", "｝": "}", "：": ":", "；": ";", "＝": "=", "、": ","})
_MARK = "_kefu_inputfix"


class AnswerNotReady(Exception):
    """Raised by a self-check when an answer is blank or malformed. Shown as a Chinese error output
    without a Python traceback (nbgrader's Validate still sees an error in the cell)."""

    def _render_traceback_(self) -> list[str]:
        return ["⚠ " + str(self)]


def _string_end(src: str, i: int, quote: str) -> int:
    """Index just after the ASCII string literal starting at ``i`` (quote char ``quote``), or -1 when a
    single-quoted string runs into the end of the line."""
    triple = src.startswith(quote * 3, i)
    j = i + (3 if triple else 1)
    while j < len(src):
        c = src[j]
        if c == "\\":
            j += 2
            continue
        if triple:
            if src.startswith(quote * 3, j):
                return j + 3
        elif c == quote:
            return j + 1
        elif c == "\n":
            return -1
        j += 1
    return -1 if not triple else len(src)


def _prefix_len(src: str, i: int) -> int:
    """Length of a string prefix (r, b, f, u, rb, …) ending at ``i``, 0 if none."""
    k = i
    while k > 0 and src[k - 1] in "rRbBfFuU" and i - k < 2:
        k -= 1
    if k < i and (k == 0 or not (src[k - 1].isalnum() or src[k - 1] == "_")):
        return i - k
    return 0


def fix_source(src: str) -> str:
    """``src`` with Chinese quotes / full-width punctuation outside string literals made ASCII."""
    if not any(ord(c) > 127 for c in src):
        return src
    out: list[str] = []
    i = 0
    n = len(src)
    while i < n:
        c = src[i]
        if c == "#":  # a comment: copy to the end of the line
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(src[i:j])
            i = j
            continue
        if c in "\"'":
            end = _string_end(src, i, c)
            if end > 0:
                out.append(src[i:end])
                i = end
                continue
            # the line ends inside the string: was it closed with a Chinese quote?
            eol = src.find("\n", i)
            eol = n if eol < 0 else eol
            body = src[i + 1:eol]
            k = max(body.rfind(q) for q in OPEN_QUOTES + CLOSE_QUOTES)
            if k >= 0:
                out.append(c + body[:k].replace(c, "\\" + c) + c)
                i = i + 1 + k + 1
                continue
            out.append(src[i:eol])
            i = eol
            continue
        if c in OPEN_QUOTES or c in CLOSE_QUOTES:
            # a string written with Chinese quotes: find its closing quote on the same line
            ascii_q = '"' if c in "“”" else "'"
            eol = src.find("\n", i)
            eol = n if eol < 0 else eol
            j = i + 1
            while j < eol and src[j] not in CLOSE_QUOTES + OPEN_QUOTES + ascii_q:
                j += 1
            body = src[i + 1:j]
            if ascii_q in body or "\\" in body:
                body = body.replace("\\", "\\\\").replace(ascii_q, "\\" + ascii_q)
            out.append(ascii_q + body + (ascii_q if j < eol else ""))
            i = j + 1 if j < eol else j
            continue
        out.append(c.translate(PUNCT))
        i += 1
    return "".join(out)


def transform_lines(lines: list[str]) -> list[str]:
    """IPython cleanup transformer: lines in, lines out."""
    fixed = fix_source("".join(lines))
    return fixed.splitlines(keepends=True)


# ----------------------------------------------------------------------------- Chinese explanations

def explain(exc: BaseException) -> str:
    """What to do about ``exc``, in Chinese (empty for errors we have no advice for)."""
    if isinstance(exc, AnswerNotReady):
        return str(exc)
    if isinstance(exc, NameError):
        name = getattr(exc, "name", None)
        if not name:
            parts = str(exc).split("'")
            name = parts[1] if len(parts) > 1 else ""
        if name == "check" or name[:1].isupper() or name.endswith(("_quiz", "_order")):
            return (f"还不认识 {name}:请先运行本笔记本最上面的“准备”单元格(点它,按 Shift + Enter),"
                    "再回来运行这一格。")
        return (f"还没有定义 {name}:请先运行上面的作答单元格(或最上面的准备单元格),再运行这一格。"
                "如果这是你的答案,请把它写在引号里,例如 \"可以\"。")
    if isinstance(exc, SyntaxError):
        msg = str(getattr(exc, "msg", "") or "")
        line = getattr(exc, "lineno", None)
        where = f"第 {line} 行" if line else "这一格"
        if "unterminated string" in msg or "EOL" in msg or "EOF while scanning" in msg:
            tip = "有一个引号没有配对:每段文字都要用一对引号括起来,例如 \"可以\"。"
        elif "never closed" in msg or "unexpected EOF" in msg or "was never closed" in msg:
            tip = "有一个括号没有配对:方括号 [ ] 和圆括号 ( ) 要成对出现。"
        elif "does not match" in msg or "unmatched" in msg:
            tip = "括号不配对:检查 [ 和 ]、( 和 ) 是否一一对应。"
        elif "comma" in msg or "Perhaps you forgot a comma" in msg:
            tip = "列表里的两项之间少了逗号,例如 [\"A\", \"B\"]。"
        elif "invalid character" in msg:
            tip = "有一个程序不认识的符号:请只在引号里面写中文。"
        else:
            tip = "格式有误:只在引号里面写答案,保留引号、方括号和逗号。"
        return f"{where}的格式有问题:{tip}改好后再运行这一格。(中文引号“”和中文逗号都可以使用。)"
    return ""


def _show(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> Any:
    """Custom exception display: the Chinese advice as the error output (no English traceback)."""
    text = explain(value)
    if not text:
        if issubclass(etype, SyntaxError):
            shell.showsyntaxerror()
        else:
            shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return None
    # an error output, so that Validate and the notebook both see the cell failed
    shell._showtraceback(etype, value, ["⚠ " + text])
    return None


def install(shell: Any = None) -> bool:
    """Register the input transformer and the Chinese error display on the running IPython shell
    (no-op outside IPython or when already installed). Returns True when installed now."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or getattr(shell, _MARK, False):
        return False
    shell.input_transformers_cleanup.append(transform_lines)
    # SyntaxError is caught here before parsing too (InteractiveShell.run_cell_async checks
    # custom_exceptions around ast_parse), NameError and AnswerNotReady when the code runs
    shell.set_custom_exc((AnswerNotReady, NameError, SyntaxError), _show)
    setattr(shell, _MARK, True)
    return True


def load_ipython_extension(shell: Any) -> None:  # %load_ext kefu.inputfix
    install(shell)


__all__ = ["AnswerNotReady", "explain", "fix_source", "install", "load_ipython_extension", "transform_lines"]
