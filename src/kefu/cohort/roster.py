"""Reading and checking a cohort roster (CSV or XLSX): id, name, team, start date.

Headers may be English or Chinese (simplified or traditional): 工号/姓名/班组/入职日期 and the like.
Every problem is reported with the file and the spreadsheet row (header = row 1), in Chinese.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

# column key -> accepted header spellings (compared after trimming, lower-casing, traditional->simplified)
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "trainee_id", "student_id", "工号", "学号", "编号", "员工编号", "学员编号", "账号"),
    "name": ("name", "姓名", "名字", "学员姓名"),
    "team": ("team", "班组", "组别", "小组", "团队", "班组名称"),
    "start_date": ("start_date", "start date", "start", "入职日期", "开始日期", "入职时间", "培训开始日期"),
}
COLUMN_LABELS = {"id": "工号(id)", "name": "姓名(name)", "team": "班组(team)", "start_date": "入职日期(start date)"}

# nbgrader puts student ids into folder names and "+"-separated exchange file names.
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class RosterError(Exception):
    """The roster cannot be used; ``problems`` are Chinese messages naming file and row."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Trainee:
    id: str
    name: str
    team: str
    start_date: dt.date


def _norm_header(text: str) -> str:
    t = str(text or "").strip().lower().replace("_", " ")
    try:
        from opencc import OpenCC

        t = OpenCC("t2s").convert(t)
    except Exception:  # pragma: no cover - opencc is a dependency
        pass
    return t


def _header_map(headers: list[str], fname: str) -> dict[str, int]:
    found: dict[str, int] = {}
    problems: list[str] = []
    for idx, h in enumerate(headers):
        n = _norm_header(h)
        for key, names in COLUMNS.items():
            if n in {x.replace("_", " ") for x in names}:
                if key in found:
                    problems.append(f"{fname} · 第 1 行(表头): 列“{h}”与前面的列重复表示{COLUMN_LABELS[key]}")
                found[key] = idx
    missing = [COLUMN_LABELS[k] for k in COLUMNS if k not in found]
    if missing:
        problems.append(
            f"{fname} · 第 1 行(表头): 缺少列 {'、'.join(missing)};"
            f"现有表头为 {'、'.join(str(h) for h in headers) or '(空)'}"
        )
    if problems:
        raise RosterError(problems)
    return found


def parse_date(value: object) -> dt.date | None:
    """A date from a spreadsheet cell: date/datetime objects, 2025-03-03, 2025/3/3, 2025.3.3, 2025年3月3日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?", text)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _read_rows(path: Path) -> list[list[object]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise RosterError([f"{path.name}: 无法读取 Excel 文件({exc.__class__.__name__})"]) from None
        ws = wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
        return rows
    if suffix in (".csv", ".txt", ""):
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise RosterError([f"{path.name}: 文件编码无法识别,请另存为 UTF-8 的 CSV"])
        return [list(r) for r in csv.reader(text.splitlines())]
    raise RosterError([f"{path.name}: 不支持的名单格式“{path.suffix}”,请使用 .csv 或 .xlsx"])


def read_roster(path: str | Path) -> list[Trainee]:
    """Read and check a roster; raises :class:`RosterError` listing every problem."""
    path = Path(path)
    if not path.is_file():
        raise RosterError([f"{path}: 找不到名单文件"])
    rows = _read_rows(path)
    while rows and all(c is None or str(c).strip() == "" for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise RosterError([f"{path.name}: 名单是空的"])
    cols = _header_map([str(c or "") for c in rows[0]], path.name)
    trainees: list[Trainee] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for rowno, row in enumerate(rows[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in row):
            continue

        def cell(key: str) -> object:
            i = cols[key]
            return row[i] if i < len(row) else None

        where = f"{path.name} · 第 {rowno} 行"
        raw_id = cell("id")
        sid = "" if raw_id is None else str(raw_id).strip()
        if isinstance(raw_id, float) and raw_id.is_integer():
            sid = str(int(raw_id))
        name = str(cell("name") or "").strip()
        team = str(cell("team") or "").strip()
        start = parse_date(cell("start_date"))
        if not sid:
            problems.append(f"{where} · 工号: 工号为空")
        elif not ID_RE.match(sid):
            problems.append(
                f"{where} · 工号“{sid}”: nbgrader 无法使用这个工号——只能用英文字母、数字、"
                "“-”“_”“.”(以字母或数字开头,不含空格、“+”、“/”、“*”或中文)"
            )
        elif sid in seen:
            problems.append(f"{where} · 工号“{sid}”: 与第 {seen[sid]} 行重复")
        else:
            seen[sid] = rowno
        if not name:
            problems.append(f"{where} · 姓名: 姓名为空")
        if start is None:
            problems.append(
                f"{where} · 入职日期“{cell('start_date') or ''}”: 不是有效日期(例如 2025-03-03 或 2025年3月3日)"
            )
        if sid and name and start is not None:
            trainees.append(Trainee(sid, name, team, start))
    if problems:
        raise RosterError(problems)
    if not trainees:
        raise RosterError([f"{path.name}: 名单里没有学员"])
    return trainees
