"""Reading and checking a cohort roster (CSV or XLSX): id, name, team, start date.

Headers may be English or Chinese (simplified or traditional): 工号/姓名/班组/入职日期 and the like.
Every problem is reported with the file and the spreadsheet row (header = row 1), in Chinese.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
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

# control characters (NUL, line breaks, tabs...) inside a name break the gradebook's tables and exports
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

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


def _header_map(headers: list[str], fname: str, header_row: int = 1) -> dict[str, int]:
    found: dict[str, int] = {}
    problems: list[str] = []
    for idx, h in enumerate(headers):
        n = _norm_header(h)
        for key, names in COLUMNS.items():
            if n in {x.replace("_", " ") for x in names}:
                if key in found:
                    problems.append(f"{fname} · 第 {header_row} 行(表头): 列“{h}”与前面的列重复表示{COLUMN_LABELS[key]}")
                found[key] = idx
    missing = [COLUMN_LABELS[k] for k in COLUMNS if k not in found]
    if missing:
        problems.append(
            f"{fname} · 第 {header_row} 行(表头): 缺少列 {'、'.join(missing)};"
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


# what Excel stores as the cached value of a formula that failed
EXCEL_ERRORS = frozenset({"#REF!", "#NAME?", "#VALUE!", "#DIV/0!", "#N/A", "#NULL!", "#NUM!", "#SPILL!", "#CALC!"})


@dataclass
class SheetCells:
    """What an XLSX sheet holds besides values: merged ranges and formulas (1-based row/column)."""

    path: Path
    merged: list[tuple[int, int, int, int, str]]  # min_row, min_col, max_row, max_col, "C2:C5"
    _formulas: dict[tuple[int, int], str] | None = None

    def formulas_at(self, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """The formula text of those cells that hold one (the sheet is read a second time, without
        cached values, only when an empty-looking cell needs explaining)."""
        if not wanted:
            return {}
        if self._formulas is None:
            import openpyxl

            self._formulas = {}
            max_row = max(r for r, _ in wanted)
            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=False)
            try:
                for r, row in enumerate(wb.worksheets[0].iter_rows(max_row=max_row, values_only=True), start=1):
                    for c, v in enumerate(row, start=1):
                        if (r, c) in wanted and isinstance(v, str) and v.startswith("="):
                            self._formulas[(r, c)] = v
            finally:
                wb.close()
        return {k: v for k, v in self._formulas.items() if k in wanted}


def _read_xlsx(path: Path) -> tuple[list[list[object]], SheetCells]:
    import openpyxl

    try:
        # not read_only: merged ranges are only known to a fully loaded sheet (still one linear pass)
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes a Chinese message
        raise RosterError([f"{path.name}: 无法读取 Excel 文件,请确认它是 .xlsx 格式且没有损坏"
                           f"({exc.__class__.__name__})"]) from None
    try:
        ws = wb.worksheets[0]
        merged = [(m.min_row, m.min_col, m.max_row, m.max_col, m.coord) for m in ws.merged_cells.ranges]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    return rows, SheetCells(path, merged)


def _read_rows(path: Path) -> tuple[list[list[object]], SheetCells | None]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt", ""):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise RosterError([f"{path}: 无法读取名单文件({exc.strerror or exc})"]) from None
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise RosterError([f"{path.name}: 文件编码无法识别,请另存为 UTF-8 的 CSV"])
        # a StringIO, not splitlines(): a quoted cell may hold a line break (Alt+Enter in Excel)
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))], None
    raise RosterError([f"{path.name}: 不支持的名单格式“{path.suffix}”,请使用 .csv 或 .xlsx"])


def _letter(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _merged_problems(sheet: SheetCells, cols: dict[str, int], header_row: int, fname: str) -> list[str]:
    """One message per merged range that touches a roster column: only its top-left cell has a value,
    so every other row of it would silently read as blank."""
    used = {i + 1: key for key, i in cols.items()}
    out = []
    for r1, c1, r2, c2, coord in sorted(sheet.merged):
        touched = [used[c] for c in range(c1, c2 + 1) if c in used]
        if not touched or r2 < header_row:
            continue
        label = "、".join(COLUMN_LABELS[k] for k in touched)
        rows = f"第 {r1} 行" if r1 == r2 else f"第 {r1}–{r2} 行"
        if r1 == r2:
            what = f"横向合并了 {c2 - c1 + 1} 列,只有 {_letter(c1)} 列有值"
        else:
            what = f"纵向合并了 {r2 - r1 + 1} 行,只有第 {r1} 行有值,其余 {r2 - r1} 行读出来是空的"
        out.append(f"{fname} · {rows} · {label}(合并单元格 {coord}): {what};"
                   "请在 Excel 中取消合并单元格,并在每一行填上自己的值")
    return out


def _explain_blanks(blank: list[tuple[int, str, str]], sheet: SheetCells | None, cols: dict[str, int],
                    fname: str) -> list[str]:
    """Messages for empty-looking required cells; a formula without a cached value (a file written by a
    program, never opened and saved in Excel) is reported as the formula it is, not as "为空"."""
    if not blank:
        return []
    formulas = sheet.formulas_at({(r, cols[k] + 1) for r, k, _ in blank}) if sheet else {}
    out = []
    for r, key, msg in blank:
        f = formulas.get((r, cols[key] + 1))
        if f is not None:
            out.append(f"{fname} · 第 {r} 行 · {COLUMN_LABELS[key]}({_letter(cols[key] + 1)}{r}): 是公式“{f}”,"
                       "但文件里没有保存计算结果(kefu 不会执行公式);请用 Excel 或 WPS 打开后保存一次,"
                       "或把公式换成数值(复制 → 选择性粘贴 → 数值)")
        elif msg:
            out.append(msg)
    return out


def read_roster(path: str | Path) -> list[Trainee]:
    """Read and check a roster; raises :class:`RosterError` listing every problem."""
    path = Path(path)
    if path.is_dir():
        raise RosterError([f"{path}: 这是一个文件夹,请给出名单文件(.csv 或 .xlsx)"])
    if not path.is_file():
        raise RosterError([f"{path}: 找不到名单文件"])
    rows, sheet = _read_rows(path)
    skipped = 0  # blank rows above the header: row numbers below stay the spreadsheet's own
    while rows and all(c is None or str(c).strip() == "" for c in rows[0]):
        rows.pop(0)
        skipped += 1
    if not rows:
        raise RosterError([f"{path.name}: 名单是空的"])
    header_row = skipped + 1
    cols = _header_map([str(c or "") for c in rows[0]], path.name, header_row)
    trainees: list[Trainee] = []
    problems: list[str] = _merged_problems(sheet, cols, header_row, path.name) if sheet else []
    in_merge = {(r, c) for r1, c1, r2, c2, _ in (sheet.merged if sheet else [])
                for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    blank: list[tuple[int, str, str]] = []  # (row, column key, message) for empty required cells
    seen: dict[str, int] = {}
    for rowno, row in enumerate(rows[1:], start=header_row + 1):
        if all(c is None or str(c).strip() == "" for c in row):
            continue

        def cell(key: str) -> object:
            i = cols[key]
            return row[i] if i < len(row) else None

        where = f"{path.name} · 第 {rowno} 行"
        for key in COLUMNS:
            v = cell(key)
            if isinstance(v, str) and v.strip() in EXCEL_ERRORS:
                problems.append(f"{where} · {COLUMN_LABELS[key]}: 单元格是公式出错的结果“{v.strip()}”,"
                                "请修正公式或直接填写内容")
        for key in ("name", "team"):
            v = cell(key)
            if isinstance(v, str) and _CONTROL.search(v):
                problems.append(f"{where} · {COLUMN_LABELS[key]}: 含有看不见的控制字符(如换行、制表符或 NUL),"
                                "请在表格里重新输入这一格")
        raw_id = cell("id")
        sid = "" if raw_id is None else str(raw_id).strip()
        if isinstance(raw_id, float) and raw_id.is_integer():
            sid = str(int(raw_id))
        name = str(cell("name") or "").strip()
        team = str(cell("team") or "").strip()
        start = parse_date(cell("start_date"))
        merged_here = {k for k in COLUMNS if (rowno, cols[k] + 1) in in_merge}
        if not sid:
            if "id" not in merged_here:
                blank.append((rowno, "id", f"{where} · 工号: 工号为空"))
        elif not ID_RE.match(sid):
            problems.append(
                f"{where} · 工号“{sid}”: nbgrader 无法使用这个工号——只能用英文字母、数字、"
                "“-”“_”“.”(以字母或数字开头,不含空格、“+”、“/”、“*”或中文)"
            )
        elif sid in seen:
            problems.append(f"{where} · 工号“{sid}”: 与第 {seen[sid]} 行重复")
        else:
            seen[sid] = rowno
        if not name and "name" not in merged_here:
            blank.append((rowno, "name", f"{where} · 姓名: 姓名为空"))
        if not team and sheet is not None and "team" not in merged_here:
            blank.append((rowno, "team", ""))  # an empty team is allowed, unless it is a formula
        if start is None and "start_date" not in merged_here:
            blank.append((rowno, "start_date",
                          f"{where} · 入职日期“{cell('start_date') or ''}”: 不是有效日期(例如 2025-03-03 或 2025年3月3日)"))
        if sid and name and start is not None:
            trainees.append(Trainee(sid, name, team, start))
    problems += _explain_blanks(blank, sheet, cols, path.name)
    if problems:
        raise RosterError(problems)
    if not trainees:
        raise RosterError([f"{path.name}: 名单里没有学员"])
    return trainees
