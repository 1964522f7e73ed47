"""The call-log schema: reading a CSV/XLSX call log and checking every row.

Columns (one row per offered call)::

    call_id, agent_id, started_at (ISO 8601), queue_seconds, talk_seconds, hold_seconds,
    wrap_seconds, abandoned (0/1), first_contact_resolved (0/1, empty when abandoned),
    csat (1–5 or empty), qa_score (0–100 or empty), converted (0/1), errors (integer >= 0)

An abandoned call has an empty ``agent_id``, no talk/hold/wrap time and no outcome fields.
Row numbers in messages count the header as row 1, as a spreadsheet shows them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

COLUMNS = [
    "call_id", "agent_id", "started_at", "queue_seconds", "talk_seconds", "hold_seconds",
    "wrap_seconds", "abandoned", "first_contact_resolved", "csat", "qa_score", "converted", "errors",
]
SECONDS = ["queue_seconds", "talk_seconds", "hold_seconds", "wrap_seconds"]
MAX_LISTED = 20


class CallLogError(Exception):
    """The call log cannot be used; ``problems`` lists each one in Chinese (file, row, column)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_LISTED]
        more = len(problems) - len(shown)
        text = "\n".join(shown) + (f"\n……另有 {more} 个问题未列出" if more > 0 else "")
        super().__init__(text)


@dataclass
class CallLog:
    frame: Any  # pandas.DataFrame with the columns above, typed
    skipped: int = 0  # rows left out in lenient mode
    problems: list[str] = field(default_factory=list)  # why they were left out


class _Bad(ValueError):
    pass


def _text(value: Any) -> str:
    """A cell as text: empty for missing values, integers without '.0', datetimes as ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):  # includes pandas.Timestamp
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def _number(s: str) -> float:
    try:
        x = float(s)
    except ValueError:
        raise _Bad("应为数字") from None
    if not math.isfinite(x):
        raise _Bad("应为有限的数字")
    return x


def _seconds(s: str) -> float:
    x = _number(s)
    if x < 0:
        raise _Bad("秒数不能为负数")
    return x


def _flag(s: str) -> int:
    low = s.lower()
    if low in ("0", "false"):
        return 0
    if low in ("1", "true"):
        return 1
    raise _Bad("应为 0 或 1")


def _int_in(s: str, lo: int, hi: int | None, what: str) -> int:
    x = _number(s)
    if not x.is_integer() or x < lo or (hi is not None and x > hi):
        raise _Bad(what)
    return int(x)


def _when(s: str) -> datetime:
    if not s:
        raise _Bad("不能为空,应为 ISO 8601 日期时间,例如 2025-06-02T09:15:00")
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
    except ValueError:
        raise _Bad("无法识别的日期时间,应为 ISO 8601 格式,例如 2025-06-02T09:15:00") from None
    return dt.replace(tzinfo=None)  # keep the local wall-clock time


def _check_row(cells: dict[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Parse one row; return the typed values and a list of (column, reason)."""
    out: dict[str, Any] = {}
    bad: list[tuple[str, str]] = []

    def take(col: str, fn, *args) -> None:
        try:
            out[col] = fn(cells[col], *args)
        except _Bad as exc:
            bad.append((col, str(exc)))

    out["call_id"] = cells["call_id"]
    if not cells["call_id"]:
        bad.append(("call_id", "不能为空"))
    take("started_at", _when)
    take("abandoned", _flag)
    abandoned = out.get("abandoned")
    agent = cells["agent_id"]
    if abandoned == 1 and agent:
        bad.append(("agent_id", "放弃的来电(abandoned=1)没有接听坐席,agent_id 应留空"))
    elif abandoned == 0 and not agent:
        bad.append(("agent_id", "已接通的来电(abandoned=0)必须填写 agent_id"))
    out["agent_id"] = agent or None
    if cells["queue_seconds"] == "":
        bad.append(("queue_seconds", "不能为空"))
    else:
        take("queue_seconds", _seconds)

    if abandoned == 1:
        # nothing happened after the customer hung up: times zero/empty, outcomes empty
        for col in ("talk_seconds", "hold_seconds", "wrap_seconds", "converted", "errors"):
            s = cells[col]
            if s == "":
                out[col] = 0
                continue
            try:
                v = _seconds(s) if col.endswith("_seconds") else _number(s)
            except _Bad as exc:
                bad.append((col, str(exc)))
                continue
            if v != 0:
                bad.append((col, "放弃的来电没有接通,这一列应为 0 或留空"))
            out[col] = 0
        for col in ("first_contact_resolved", "csat", "qa_score"):
            if cells[col] != "":
                bad.append((col, "放弃的来电没有接通,这一列应留空"))
            out[col] = None
        return out, bad

    for col in ("talk_seconds", "hold_seconds", "wrap_seconds"):
        if cells[col] == "":
            bad.append((col, "已接通的来电不能为空(没有就填 0)"))
        else:
            take(col, _seconds)
    if cells["first_contact_resolved"] == "":
        bad.append(("first_contact_resolved", "已接通的来电应填写 0 或 1"))
    else:
        take("first_contact_resolved", _flag)
    out["csat"] = None
    if cells["csat"] != "":
        take("csat", _int_in, 1, 5, "满意度应为 1 到 5 的整数,没有评价就留空")
    out["qa_score"] = None
    if cells["qa_score"] != "":
        try:
            q = _number(cells["qa_score"])
            if not 0 <= q <= 100:
                raise _Bad("质检分应在 0 到 100 之间,没有抽检就留空")
            out["qa_score"] = q
        except _Bad as exc:
            bad.append(("qa_score", str(exc)))
    if cells["converted"] == "":
        bad.append(("converted", "应填写 0 或 1"))
    else:
        take("converted", _flag)
    if cells["errors"] == "":
        bad.append(("errors", "应填写差错次数(没有就填 0)"))
    else:
        take("errors", _int_in, 0, None, "差错次数应为大于或等于 0 的整数")
    return out, bad


def validate_frame(df: Any, name: str = "通话记录", lenient: bool = False) -> CallLog:
    """Check a DataFrame holding a call log (any cell types) and return it typed."""
    import pandas as pd

    columns = [str(c).strip() for c in df.columns]
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise CallLogError([
            f"{name}:缺少列 {', '.join(missing)}(通话记录需要的列:{', '.join(COLUMNS)})"
        ])
    df = df.copy()
    df.columns = columns
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    skipped = 0
    seen: dict[str, int] = {}
    for i, record in enumerate(df[COLUMNS].itertuples(index=False, name=None)):
        line = i + 2
        cells = {c: _text(v) for c, v in zip(COLUMNS, record)}
        values, bad = _check_row(cells)
        cid = cells["call_id"]
        if cid and cid in seen:
            bad.append(("call_id", f"与第 {seen[cid]} 行重复"))
        for col, reason in bad:
            shown = cells[col] if cells[col] else "空"
            problems.append(f"{name} 第 {line} 行 · 列 {col}:{reason}(值为 {shown})")
        if bad:
            skipped += 1
            continue
        seen[cid] = line
        rows.append(values)
    if problems and not lenient:
        raise CallLogError(problems)
    if not rows:
        why = f"全部 {skipped} 行都有问题" if skipped else "没有数据行"
        raise CallLogError([f"{name}:{why},无法计算指标"] + problems)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return CallLog(typed_frame(frame), skipped, problems)


def typed_frame(frame: Any) -> Any:
    """Give a call-log DataFrame its canonical column types (shared with kefu.data)."""
    import pandas as pd

    out = frame[COLUMNS].copy()
    out["call_id"] = out["call_id"].astype(str)
    out["agent_id"] = out["agent_id"].astype(object).where(out["agent_id"].notna(), None)
    out["started_at"] = pd.to_datetime(out["started_at"])
    for col in SECONDS + ["qa_score"]:
        out[col] = pd.to_numeric(out[col]).astype("float64")
    for col in ("abandoned", "converted", "errors"):
        out[col] = pd.to_numeric(out[col]).astype("int64")
    for col in ("first_contact_resolved", "csat"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    return out


def read_calls(path: str | Path, lenient: bool = False) -> CallLog:
    """Read and check a call log (.csv or .xlsx). Raises :class:`CallLogError` naming the file,
    row and column of every bad cell; with ``lenient`` bad rows are skipped and counted."""
    import pandas as pd

    p = Path(path)
    name = p.name
    if not p.is_file():
        raise CallLogError([f"{name}:找不到这个文件({p})"])
    suffix = p.suffix.lower()
    try:
        if suffix == ".csv":
            df = _read_csv(p)
        elif suffix in (".xlsx", ".xlsm"):
            df = pd.read_excel(p, dtype=object, engine="openpyxl")
        else:
            raise CallLogError([f"{name}:只支持 .csv 或 .xlsx 格式的通话记录"])
    except CallLogError:
        raise
    except pd.errors.EmptyDataError:
        raise CallLogError([f"{name}:文件是空的"]) from None
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes a Chinese message
        raise CallLogError([f"{name}:无法读取文件({type(exc).__name__}: {exc})"]) from None
    return validate_frame(df, name=name, lenient=lenient)


def _read_csv(p: Path) -> Any:
    import pandas as pd

    last: Exception | None = None
    for enc in ("utf-8-sig", "gb18030"):  # Excel in China often saves CSV as GBK
        try:
            return pd.read_csv(p, dtype=str, keep_default_na=False, encoding=enc)
        except UnicodeDecodeError as exc:
            last = exc
    raise CallLogError([f"{p.name}:无法识别文件编码,请另存为 UTF-8 的 CSV({last})"])
