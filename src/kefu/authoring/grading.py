"""Answers are data, scoring is trusted: the generated test cell and its instructor-side grading entry.

A builder describes how a question is marked as one call into a marking module, written as Python
text, e.g. ``__import__("kefu.authoring.marking", ...).choices(q1, "BCA", 3, [...])`` or
``mark_single(t01, "B", points=1, label="第 1 题")``. :func:`compile_call` turns that text into

- the hidden part of the test cell, which only hands the answer variables' values over as data
  (:func:`emit_source`, see :mod:`kefu.answers`) — no key, no marking code in the notebook;
- a grading entry for ``assignments/_keys/<assignment>.yml`` (``grading: {grade_id: entry}``)::

      function: kefu.authoring.marking.choices
      args: [{$answer: q1}, BCA, 3, [...]]     # {$answer: name} = the trainee's value of `name`
      kwargs: {}
      variables: [q1]
      points: 3

which :class:`kefu.autograde.trusted.TrustedScore` evaluates in the grader's own process.
"""
from __future__ import annotations

import ast
from typing import Any

ANSWER = "$answer"
MODULES = ("kefu.authoring.marking", "kefu.exams.marking")


class GradingError(ValueError):
    """A marking call that cannot be turned into data (a builder bug)."""


def emit_source(variables: list[str]) -> str:
    """The hidden lines of a test cell: hand the answers over, then end with 0 (stock nbgrader → 0)."""
    names = ", ".join(f'"{v}"' for v in variables)
    return f'__import__("kefu.answers").answers.emit({names})\n0'


def _arg(node: ast.AST, variables: list[str]) -> Any:
    if isinstance(node, ast.Name):
        if node.id in ("True", "False", "None"):  # pragma: no cover - parsed as Constant on 3.8+
            return ast.literal_eval(node)
        if node.id not in variables:
            variables.append(node.id)
        return {ANSWER: node.id}
    if isinstance(node, ast.Dict):
        out = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                raise GradingError("**mapping in a marking call")
            out[ast.literal_eval(k)] = _arg(v, variables)
        return out
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_arg(e, variables) for e in node.elts]
    try:
        return ast.literal_eval(node)
    except ValueError as exc:
        raise GradingError(f"not a literal: {ast.dump(node)}") from exc


def compile_call(code: str, points: float, module: str | None = None) -> dict[str, Any]:
    """A grading entry from the text of one marking call (the last statement of ``code``;
    earlier ``from <module> import f`` lines name the module)."""
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise GradingError(f"marking call does not parse: {exc}") from exc
    imported: dict[str, str] = {}
    call = None
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                imported[alias.asname or alias.name] = f"{stmt.module}.{alias.name}"
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
        else:
            raise GradingError(f"unexpected statement in a marking call: {ast.dump(stmt)}")
    if call is None:
        raise GradingError("no marking call")
    func = call.func
    if isinstance(func, ast.Name) and func.id in imported:
        target = imported[func.id]
    elif isinstance(func, ast.Name) and module:
        target = f"{module}.{func.id}"
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) and \
            getattr(func.value.func, "id", "") == "__import__":
        target = f"{ast.literal_eval(func.value.args[0])}.{func.attr}"
    else:
        raise GradingError(f"cannot tell which marking function: {ast.dump(func)}")
    if target.rsplit(".", 1)[0] not in MODULES:
        raise GradingError(f"{target} is not a marking function")
    variables: list[str] = []
    args = [_arg(a, variables) for a in call.args]
    kwargs = {kw.arg: _arg(kw.value, variables) for kw in call.keywords if kw.arg}
    return {"function": target, "variables": variables, "args": args, "kwargs": kwargs,
            "points": float(points)}
