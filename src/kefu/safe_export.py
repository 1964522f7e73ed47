"""Spreadsheet-safe cells: exported text is data, never a formula (CSV/formula injection).

Names, teams and ids come from rosters and submissions, i.e. from people we do not trust. A cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula (or a DDE command,
``=cmd|' /C calc'!A0``) by Excel and LibreOffice when the export is opened. So:

* XLSX (openpyxl): such text is stored as a plain string cell (``t="s"``, never ``<f>``) with the
  ``quotePrefix`` style, which is what Excel and LibreOffice themselves write for text typed as
  ``'=1+1``: the cell shows ``=1+1`` as text and stays text when the grader edits it.
* CSV: such text gets a leading ``'`` (OWASP "CSV Injection" guidance); the csv module quotes the rest.

Numbers (int/float, and text that is exactly a number such as ``-5`` or ``85.5``) are left alone: they
are not formulas and must stay numbers. Pure functions, no kefu imports: any exporter can use them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def is_formula_like(value: Any) -> bool:
    """True for text a spreadsheet would evaluate (it starts with one of :data:`FORMULA_STARTS`)."""
    # a lone "-" or "=" is not a formula (empty-cell placeholders); a plain number is a number
    return (isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_STARTS)
            and not _PLAIN_NUMBER.fullmatch(value))


def csv_safe(value: Any) -> Any:
    """One CSV cell: formula-like text gets a leading ``'``; everything else is returned unchanged."""
    return "'" + value if is_formula_like(value) else value


def csv_safe_rows(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    """Every cell of ``rows`` through :func:`csv_safe` (for ``csv.writer(...).writerows``)."""
    return [[csv_safe(v) for v in row] for row in rows]


def set_xlsx_value(cell: Any, value: Any) -> Any:
    """Put ``value`` into an openpyxl cell so that it can never be a formula; returns the cell.

    openpyxl turns any string starting with ``=`` into a formula cell (``data_type 'f'``); we store it
    as a string instead and mark it ``quotePrefix`` (Excel/LibreOffice's "this is text" flag)."""
    cell.value = value
    if isinstance(value, str) and (cell.data_type == "f" or is_formula_like(value)):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def append_xlsx_row(ws: Any, row: Iterable[Any]) -> None:
    """``ws.append(row)`` with every cell written through :func:`set_xlsx_value`."""
    r = ws.max_row + 1 if (ws.max_row > 1 or ws.cell(1, 1).value is not None) else 1
    for c, value in enumerate(row, start=1):
        set_xlsx_value(ws.cell(row=r, column=c), value)


def neutralise_sheet(ws: Any) -> int:
    """Rewrite every formula-like text cell of a finished worksheet as safe text; returns how many.

    For exporters that build a sheet with ``ws.append``: call this once before saving."""
    changed = 0
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f" or is_formula_like(cell.value):
                set_xlsx_value(cell, cell.value)
                changed += 1
    return changed


def neutralise_workbook(wb: Any) -> int:
    """:func:`neutralise_sheet` on every worksheet of an openpyxl workbook."""
    return sum(neutralise_sheet(ws) for ws in wb.worksheets)
