"""Reading a calibration sample (CSV or XLSX) into one items × graders matrix per dimension.

Two layouts, as graders would type them:
- long: one row per score — 作答/item, 阅卷人/grader, 维度/dimension, 分数/score;
- wide: one row per (item, grader) — 作答, 阅卷人, then one column per dimension (基础知识, 系统操作, …).
Dimension names may be the rubric's Chinese names or its ids; the rubric's weights then give a 总分 too.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

ITEM = ("作答", "通话", "编号", "作答编号", "item", "call", "answer")
GRADER = ("阅卷人", "质检员", "评分人", "grader", "rater")
DIMENSION = ("维度", "题目", "dimension", "question")
SCORE = ("分数", "得分", "score")
TOTAL = "总分"


class SampleError(ValueError):
    """A calibration sample the kit cannot read; the message (Chinese) names file, row and field."""


@dataclass
class Sample:
    source: str
    # dimension → item → grader → score (0–100)
    scores: dict[str, dict[str, dict[str, float]]]
    graders: list[str]


def _norm(h: object) -> str:
    return str(h or "").strip().lower().replace(" ", "")


def _rows(path: Path) -> list[list[object]]:
    if not path.exists():
        raise SampleError(f"{path}:找不到这个文件。")
    if path.is_dir():
        raise SampleError(f"{path}:这是文件夹,请给出 CSV 或 Excel 文件。")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise SampleError(f"{path}:无法作为 Excel 文件打开({type(exc).__name__}),请确认文件完整。") from None
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    if suffix in (".csv", ".txt", ""):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = path.read_text(encoding="gb18030")
            except UnicodeDecodeError:
                raise SampleError(f"{path}:不是 UTF-8 或 GBK 编码的文本,请另存为 CSV UTF-8。") from None
        return [list(r) for r in csv.reader(text.splitlines())]
    raise SampleError(f"{path}:不支持 {suffix} 文件,请用 .csv 或 .xlsx。")


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    wanted = {_norm(n) for n in names}
    for i, h in enumerate(header):
        if h in wanted:
            return i
    return None


def _score(value: object, where: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        x = float(value)
    else:
        text = str(value or "").strip().replace(",", ".").replace("。", ".")
        if not text:
            raise SampleError(f"{where}:分数为空。")
        try:
            x = float(text)
        except ValueError:
            raise SampleError(f"{where}:“{text}”不是数字,请填 0–100 的分数。") from None
    if math.isnan(x) or not 0 <= x <= 100:
        raise SampleError(f"{where}:分数 {x:g} 不在 0–100 之间。")
    return x


def read_sample(path: str | Path, dimension_names: dict[str, str] | None = None) -> Sample:
    """Read a sample file; ``dimension_names`` maps rubric ids to names (ids in the file become names)."""
    path = Path(path)
    rows = [r for r in _rows(path) if any(str(c or "").strip() for c in r)]
    if not rows:
        raise SampleError(f"{path}:文件是空的。")
    header = [_norm(h) for h in rows[0]]
    i_item, i_grader = _find(header, ITEM), _find(header, GRADER)
    if i_item is None or i_grader is None:
        missing = "作答" if i_item is None else "阅卷人"
        raise SampleError(f"{path} 第 1 行:缺少“{missing}”列(表头应有 作答、阅卷人,以及 维度+分数 或每个维度一列)。")
    i_dim, i_score = _find(header, DIMENSION), _find(header, SCORE)
    names = dimension_names or {}
    scores: dict[str, dict[str, dict[str, float]]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    graders: list[str] = []

    def put(dim: str, item: str, grader: str, value: float, line: int, col: str) -> None:
        dim = names.get(dim, dim)
        key = (dim, item, grader)
        if key in seen:
            raise SampleError(f"{path} 第 {line} 行,列“{col}”:{grader} 对 {item} 的“{dim}”已在第 {seen[key]} 行打过分。")
        seen[key] = line
        scores.setdefault(dim, {}).setdefault(item, {})[grader] = value
        if grader not in graders:
            graders.append(grader)

    for n, row in enumerate(rows[1:], start=2):
        row = list(row) + [None] * (len(header) - len(row))
        item = str(row[i_item] or "").strip()
        grader = str(row[i_grader] or "").strip()
        if not item or not grader:
            field = "作答" if not item else "阅卷人"
            raise SampleError(f"{path} 第 {n} 行:“{field}”为空。")
        if i_dim is not None and i_score is not None:
            dim = str(row[i_dim] or "").strip()
            if not dim:
                raise SampleError(f"{path} 第 {n} 行:“维度”为空。")
            put(dim, item, grader, _score(row[i_score], f"{path} 第 {n} 行,列“分数”"), n, "分数")
        else:
            for c, h in enumerate(rows[0]):
                if c in (i_item, i_grader) or not str(h or "").strip():
                    continue
                if str(row[c] or "").strip() == "":
                    continue  # a grader may leave a dimension out; it just has fewer shared items
                col = str(h).strip()
                put(col, item, grader, _score(row[c], f"{path} 第 {n} 行,列“{col}”"), n, col)
    if not scores:
        raise SampleError(f"{path}:没有读到任何分数。")
    if len(graders) < 2:
        raise SampleError(f"{path}:只有一名阅卷人({graders[0]}),校准至少需要两名阅卷人给同一批作答打分。")
    return Sample(str(path), scores, graders)
