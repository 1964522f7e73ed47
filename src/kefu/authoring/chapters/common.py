"""The chapter-assignment builder: turns exercise descriptions into an nbgrader source notebook
(``assignments/<id>/<id>.ipynb``) and the instructor's key file (``assignments/_keys/<id>.yml``).

Each exercise is one question ``qN``: a locked text cell, an answer cell (grade id ``qN``; the
trainee only types inside quotes or a list) and a test cell (grade id ``qN-test``) whose visible
part runs the self-check. The builders describe the marking as a call into
:mod:`kefu.authoring.marking`; :func:`kefu.authoring.grading.compile_call` turns it into a ``grading``
entry of the key file, and the test cell's hidden part only hands the answer values over as data
(:mod:`kefu.answers`): the grader's own process marks them (:mod:`kefu.autograde.trusted`).

No answer key is written in this package: keys come from the instructor-side content file
(``assignments/_keys/content/<id>.yml``) or are computed from seeds/ and the rule engines.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from .. import cells
from ..grading import GradingError, compile_call, emit_source

VARIANTS = ("correct", "partial", "wrong", "rude")
MARK = '__import__("kefu.authoring.marking", fromlist=["m"])'

HOWTO = """## 如何作答

1. 从上到下依次运行每个单元格(点单元格后按 **Shift + Enter**)。**先运行最上面的“准备”单元格**:
   它会准备好自查工具,并让中文引号“”、中文逗号和中文括号也能正常使用。
2. 每道题下面有一个**作答单元格**:只需要在**引号里**打字,或者在**列表**(方括号)里按顺序填写,
   不需要编程。引号、方括号和逗号请保留原样;用中文输入法打出的“”和,也可以。
3. 作答单元格最后一行的 `# ↑ 在上面的引号或列表里作答(这一行不用改)` 是提示,保留即可。
4. 填好后运行作答单元格,再运行下面的 `check("题号")`:它只检查格式(是否填完、选项是否有效),
   不会告诉你对错;有问题会用中文说明要改什么。工具栏的 **Validate(验证)** 按钮做的是同样的检查。
5. 每道小题单独计分,答对几项得几项的分;全部完成后保存(Ctrl + S)并按培训师的要求提交。
"""


class BuildError(Exception):
    """A chapter could not be built (Chinese message)."""


def py(value: Any) -> str:
    """A Python literal a trainee can read: lists/strings with double quotes, CJK unescaped."""
    if isinstance(value, dict):
        inner = ", ".join(f"{py(k)}: {py(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "None"
    return repr(value)


def letters(n: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n)]


@dataclass
class Question:
    qid: str
    points: float
    sources: dict[str, str]            # variant → answer-cell source (trainee view, no markers)
    scores: dict[str, float]           # variant → expected autograde score


@dataclass
class ChapterBuilder:
    assignment_id: str
    title: str
    seed: int = 0
    root: Path | None = None
    cells_: list[dict[str, Any]] = field(default_factory=list)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    grading: dict[str, dict[str, Any]] = field(default_factory=dict)  # test grade id → grading entry
    files: dict[str, bytes] = field(default_factory=dict)  # extra files released with the notebook
    _content: dict[str, Any] | None = None

    # ------------------------------------------------------------ helpers
    def rng(self, key: str) -> random.Random:
        return random.Random(f"{self.seed}:{self.assignment_id}:{key}")

    @property
    def content(self) -> dict[str, Any]:
        """The instructor-side content file of this chapter (questions with their keys)."""
        if self._content is None:
            path = content_path(self.assignment_id, self.root)
            if not path.is_file():
                raise BuildError(f"{path}: 找不到本章的出题文件")
            try:
                self._content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise BuildError(f"{path}: YAML 格式错误:{exc}") from None
        return self._content

    def next_qid(self) -> str:
        return f"q{len(self.questions) + 1}"

    # ------------------------------------------------------------ one question
    def add_question(
        self,
        *,
        heading: str,
        text: str,
        comments: list[str],
        placeholder: dict[str, Any],
        correct: dict[str, Any],
        variants: dict[str, dict[str, Any]],
        scores: dict[str, float],
        rules: dict[str, dict[str, Any]],
        hidden: str,
        points: float,
        extra_cells: list[dict[str, Any]] | None = None,
    ) -> str:
        """``placeholder``/``correct``/variants map answer variables to values."""
        qid = self.next_qid()
        head = "\n".join(f"# {c}" for c in comments)

        def assign(values: dict[str, Any]) -> str:
            return "\n".join(f"{k} = {py(v)}" for k, v in values.items())

        self.cells_.append(cells.locked_markdown(f"### 第 {qid[1:]} 题 {heading}({points:g} 分)\n\n{text}", f"{qid}-text"))
        self.cells_.extend(extra_cells or [])
        before = (head + "\n" if head else "") + assign(placeholder)
        self.cells_.append(cells.answer_code(qid, assign(correct), before=before))
        visible = f'check("{qid}")'
        try:
            entry = compile_call(hidden, points)
        except GradingError as exc:
            raise BuildError(f"{self.assignment_id} {qid}: 评分调用无法转换({exc})") from None
        self.grading[f"{qid}-test"] = entry
        self.cells_.append(cells.test_code(f"{qid}-test", visible, emit_source(entry["variables"]), points=points))
        sources = {"correct": (head + "\n" if head else "") + assign(correct)}
        for name, values in variants.items():
            sources[name] = (head + "\n" if head else "") + assign(values)
        missing = [v for v in ("correct", "partial", "wrong") if v not in sources or v not in scores]
        if missing:
            raise BuildError(f"{self.assignment_id} {qid}: 缺少答案变体 {missing}")
        self.rules[qid] = {"vars": rules}
        self.questions.append(Question(qid, points, sources, {k: round(v, 2) for k, v in scores.items()}))
        return qid

    # ------------------------------------------------------------ output
    def notebook(self, intro: str):
        setup = (
            "# 准备自查工具(不用修改,运行一次即可)\n"
            "from kefu.selfcheck import Checker\n"
            f"check = Checker({py(self.assignment_id)}, {py(self.rules)})"
        )
        head = [
            cells.locked_markdown(f"# {self.title}\n\n{intro.strip()}", "title"),
            cells.locked_markdown(HOWTO, "howto"),
            cells.locked_code(setup, "setup"),
        ]
        tail = [cells.locked_markdown(
            "## 完成了!\n\n运行 `check()` 可以一次自查全部题目。检查无误后保存,并按培训师的要求提交。", "end")]
        return cells.notebook(head + self.cells_ + tail, title=self.title)

    def keys(self) -> dict[str, Any]:
        return {
            "assignment_id": self.assignment_id,
            "generated_by": f"kefu build chapters --seed {self.seed}",
            "total_points": round(sum(q.points for q in self.questions), 2),
            "grading": self.grading,
            "answers": {q.qid: {v: q.sources[v] for v in VARIANTS if v in q.sources} for q in self.questions},
            "expected_scores": {
                q.qid: {"max": q.points, **{v: q.scores[v] for v in VARIANTS if v in q.scores}}
                for q in self.questions
            },
        }


def repo_root(root: Path | None = None) -> Path:
    if root is not None:
        return Path(root)
    from kefu.seeds import seeds_dir

    return seeds_dir().parent


def content_path(assignment_id: str, root: Path | None = None) -> Path:
    return repo_root(root) / "assignments" / "_keys" / "content" / f"{assignment_id}.yml"


class _Dumper(yaml.SafeDumper):
    pass


def _str_rep(dumper: yaml.SafeDumper, data: str):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_rep)


def dump_keys(keys: dict[str, Any]) -> str:
    header = ("# Instructor-side answer keys (generated by `kefu build chapters`; do not edit).\n"
              "# NEVER copy this file into a cohort's source/ or release/ folder.\n")
    return header + yaml.dump(keys, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def write_text(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def write_chapter(b: ChapterBuilder, intro: str, root: Path | None = None) -> list[Path]:
    """Write the notebook, its released files and the key file. Returns the paths written."""
    base = repo_root(root) / "assignments"
    folder = base / b.assignment_id
    nb_path = folder / f"{b.assignment_id}.ipynb"
    written = []
    if cells.write(b.notebook(intro), nb_path):
        written.append(nb_path)
    for name, data in sorted(b.files.items()):
        p = folder / name
        if not (p.exists() and p.read_bytes() == data):
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
            written.append(p)
    key_path = base / "_keys" / f"{b.assignment_id}.yml"
    if write_text(key_path, dump_keys(b.keys())):
        written.append(key_path)
    return written


Builder = Callable[[ChapterBuilder], str]
