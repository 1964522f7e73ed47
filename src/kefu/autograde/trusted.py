"""Trusted scoring: the grader's own process marks the answers a trainee's kernel handed over as data.

The hidden part of a kefu test cell only shows the answer variables' values as one payload of MIME
type :data:`kefu.answers.MIME` and ends with ``0`` (stock nbgrader therefore scores it zero).
:class:`TrustedScore` runs after nbgrader's ``Execute``, in the grading process, never in the kernel:

1. it reads the instructor-side ``<keys_dir>/<assignment>.yml`` (``grading: {grade_id: entry}``,
   written by ``kefu build``; see :mod:`kefu.authoring.grading`) — the keys never enter a kernel;
2. for every autograded test cell with a grading entry it takes the *last* well-formed payload among
   the cell's outputs (anything else the kernel printed is ignored: a forged or repeated payload can
   only ever carry the trainee's own answers), re-checks that it is plain bounded JSON data, and calls
   the whitelisted marking function (:mod:`kefu.authoring.marking`, :mod:`kefu.exams.marking`);
3. it replaces the cell's outputs with the marking explanation (stdout) and the score as the last
   output, which nbgrader's ``SaveAutoGrades`` then records as the cell's partial credit;
4. when the marking function was unsure (an "uncertain" phrase verdict, a rewrite flagged
   ``needs_review``: :func:`kefu.authoring.marking.request_review`), the explanation says
   "待阅卷老师复核" and the cell's grade id is left in ``resources["kefu_review"]``;
   :class:`FlagForReview`, right after ``SaveAutoGrades``, then sets nbgrader's
   ``Grade.needs_manual_grade`` for it. The provisional score stays recorded as ``auto_score``;
   formgrader lists the submission as needing manual grading, and the gradebook and feedback show
   the cell as 待阅卷 until a grader saves a score (which clears the flag).

A test cell without an entry but with a payload scores 0 (its key is missing); a test cell without
either is left to nbgrader (an instructor's own assert-style test). Missing or unreadable answers
are "not answered", never an error.
"""
from __future__ import annotations

import contextlib
import importlib
import io
import os
import warnings
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode

from kefu.answers import MAX_BYTES, MIME, NotData, to_data
from kefu.authoring.grading import ANSWER, MODULES

_KEYS_CACHE: dict[tuple[str, float], dict[str, Any]] = {}


class KeysError(Exception):
    """The keys file cannot be used (Chinese message)."""


def load_grading(keys_dir: str | os.PathLike[str], assignment: str) -> dict[str, dict[str, Any]] | None:
    """The ``grading`` map of ``<keys_dir>/<assignment>.yml``; None when there is no keys file."""
    import yaml

    path = Path(keys_dir) / f"{assignment}.yml"
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    key = (str(path), mtime)
    if key not in _KEYS_CACHE:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise KeysError(f"{path}: 答案文件无法读取({exc.__class__.__name__})") from None
        grading = data.get("grading") if isinstance(data, dict) else None
        if grading is not None and not isinstance(grading, dict):
            raise KeysError(f"{path}: grading 应是“评分单元格 → 评分方法”的映射")
        _KEYS_CACHE[key] = grading or {}
    return _KEYS_CACHE[key]


def _check_data(value: Any) -> Any:
    """The payload value again as plain data (it came from an untrusted kernel via JSON)."""
    return to_data(value)


def read_payload(outputs: list[Any]) -> dict[str, Any] | None:
    """The last well-formed kefu answers payload among ``outputs`` (None if there is none)."""
    import json

    found = None
    for out in outputs or []:
        if out.get("output_type") not in ("display_data", "execute_result"):
            continue
        data = (out.get("data") or {}).get(MIME)
        if isinstance(data, str):  # a JSON MIME bundle written as text by some front-ends
            try:
                data = json.loads(data)
            except ValueError:
                continue
        if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
            continue
        try:
            if len(json.dumps(data, ensure_ascii=False)) > MAX_BYTES:
                continue
            values = {str(k): _check_data(v) for k, v in data["values"].items()}
        except (NotData, TypeError, ValueError, RecursionError):
            continue
        unsupported = [str(n) for n in data.get("unsupported") or [] if isinstance(n, str)]
        found = {"values": values, "unsupported": unsupported}
    return found


def _resolve(function: str):
    module, _, name = str(function).rpartition(".")
    if module not in MODULES or not name or name.startswith("_"):
        raise KeysError(f"{function}: 不是允许的评分函数")
    fn = getattr(importlib.import_module(module), name, None)
    if not callable(fn):
        raise KeysError(f"{function}: 找不到该评分函数")
    return fn


def _fill(arg: Any, values: dict[str, Any]) -> Any:
    if isinstance(arg, dict):
        if set(arg) == {ANSWER}:
            return values.get(str(arg[ANSWER]))
        return {k: _fill(v, values) for k, v in arg.items()}
    if isinstance(arg, list):
        return [_fill(v, values) for v in arg]
    return arg


def score(entry: dict[str, Any], payload: dict[str, Any] | None) -> tuple[float, str]:
    """(points, explanation) for one test cell, marked in this process."""
    got, text, _review = mark(entry, payload)
    return got, text


def mark(entry: dict[str, Any], payload: dict[str, Any] | None) -> tuple[float, str, list[str]]:
    """(points, explanation, manual-review requests) for one test cell, marked in this process."""
    from kefu.authoring.marking import REVIEW_NOTE, collecting_reviews

    points = float(entry.get("points", 0))
    notes: list[str] = []
    values: dict[str, Any] = {}
    if payload is None:
        notes.append("没有收到本题的作答数据(作答或本单元格运行出错、超时或被改动),本题按未作答处理。")
    else:
        values = dict(payload["values"])
        for name in entry.get("variables") or []:
            if name in payload["unsupported"]:
                values[name] = None
                notes.append(f"{name} 不是文字、数字或列表,按未作答处理。")
            elif name not in values:
                notes.append(f"没有找到变量 {name},按未作答处理。")
    fn = _resolve(entry["function"])
    args = _fill(list(entry.get("args") or []), values)
    kwargs = _fill(dict(entry.get("kwargs") or {}), values)
    buf = io.StringIO()
    review: list[str] = []
    try:
        with contextlib.redirect_stdout(buf), warnings.catch_warnings(), collecting_reviews() as review:
            warnings.simplefilter("ignore")
            got = float(fn(*args, **kwargs))
    except Exception as exc:  # noqa: BLE001 - a malformed answer must never stop the batch
        got = 0.0
        buf.write(f"评分时无法读取你的答案({exc.__class__.__name__}),本题得 0 分。\n")
    got = min(max(round(got, 2), 0.0), points)
    text = "".join(n + "\n" for n in notes) + buf.getvalue()
    if review and REVIEW_NOTE not in text:
        text += f"本题得分为暂定分,{REVIEW_NOTE}。\n"
    return got, text, list(review)


def warm(keys_dir: str | os.PathLike[str] | None, assignments: list[str]) -> None:
    """Fill, in the batch process before its workers are forked, what every worker would otherwise
    do again on its first submission: read and parse the assignments' keys files, import the marking
    modules and run each marking function once on an unanswered payload, which loads the engines
    behind them (the phrase judge's rules and learned model, the rewrite grader, OpenCC, KPI code).
    When phrase or rewrite marking is used, the judge's model for the current seeds is also built if
    missing (``seeds/.kefu-cache``; trained once, under a file lock) and loaded with the rewrite
    examples, since an unanswered rewrite is marked without them.

    Only this trusted process and its forked workers hold what is loaded; nothing reaches a kernel.
    The engines are deterministic (their caches map the same question to the same answer), so the
    scores are the same as without warming. Any failure is ignored: a cold cache only costs time."""
    if not keys_dir:
        return
    seen: set[str] = set()
    for assignment in assignments:
        try:
            grading = load_grading(keys_dir, assignment) or {}
        except KeysError:
            continue
        for entry in grading.values():
            fn = entry.get("function") if isinstance(entry, dict) else None
            if not fn or fn in seen:
                continue
            seen.add(fn)
            try:
                mark(entry, {"values": {}, "unsupported": []})
            except Exception:  # noqa: BLE001
                pass
    if seen & {"kefu.authoring.marking.rewrites", "kefu.authoring.marking.judge_phrases"}:
        # an empty rewrite is marked without the judge: build/load it and the rewrite examples here
        _load_phrase_judge()


def _load_phrase_judge() -> None:
    """Build (if missing) and load the phrase judge and the rewrite examples of the current seeds."""
    try:
        from kefu.phrases.grade import _memory, _seed_items
        from kefu.phrases.judge import build, judge_model
        from kefu.seeds import seeds_dir

        build()
        judge_model()
        folder = str(seeds_dir().resolve())
        for item in _seed_items(folder):
            _memory(folder, item)
    except Exception:  # noqa: BLE001 - an unwarmed cache only costs time; marking builds it on first use
        pass


class TrustedScore(Preprocessor):  # type: ignore[misc]
    """Score kefu test cells from the answers payload and the instructor-side keys (see module doc)."""

    enabled = Bool(True, help="on by default (nbconvert's preprocessors are off unless enabled)").tag(config=True)
    keys_dir = Unicode(
        "", help="Folder holding <assignment>.yml with the `grading` map (instructor-side, never released)."
    ).tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        from nbformat.v4 import new_output

        assignment = (resources.get("nbgrader") or {}).get("assignment") or ""
        grading = load_grading(self.keys_dir, assignment) if self.keys_dir and assignment else None
        for cell in nb.cells:
            md = cell.get("metadata", {}).get("nbgrader", {})
            if cell.cell_type != "code" or not md.get("grade") or md.get("solution"):
                continue
            gid = md.get("grade_id")
            entry = (grading or {}).get(gid)
            payload = read_payload(cell.get("outputs") or [])
            if entry is None:
                if payload is None:
                    continue  # an ordinary nbgrader test: nbgrader scores it
                got, text = 0.0, "本题的评分答案不在评分程序的答案文件里,无法评分,请联系培训师。\n"
                self.log.warning("%s/%s: no grading entry in %s", assignment, gid, self.keys_dir or "(keys_dir unset)")
            else:
                got, text, review = mark(entry, payload)
                if review:
                    resources.setdefault("kefu_review", {})[gid] = review
            outputs = []
            if text:
                outputs.append(new_output("stream", name="stdout", text=text))
            outputs.append(new_output("execute_result", data={"text/plain": f"{got:g}"},
                                      execution_count=cell.get("execution_count")))
            cell.outputs = outputs
        return nb, resources


class FlagForReview(Preprocessor):  # type: ignore[misc]
    """After nbgrader's ``SaveAutoGrades``: mark the cells TrustedScore was unsure about as needing
    manual grading in the gradebook (``Grade.needs_manual_grade``), keeping the provisional
    ``auto_score``. SaveAutoGrades clears the flag for every scored cell, hence a step after it."""

    enabled = Bool(True, help="on by default (nbconvert's preprocessors are off unless enabled)").tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        from nbgrader.api import Gradebook, MissingEntry

        review = resources.get("kefu_review") or {}
        info = resources.get("nbgrader") or {}
        if not review or not info.get("db_url"):
            return nb, resources
        with Gradebook(info["db_url"]) as gb:
            for gid in review:
                try:
                    grade = gb.find_grade(gid, info["notebook"], info["assignment"], info["student"])
                except MissingEntry:
                    continue
                grade.needs_manual_grade = True
            gb.db.commit()
        return nb, resources
