"""The Excel ledger (``--format xlsx``), with openpyxl (imported only here).

Sheets: 任务台账 (one row per task: the task row of :mod:`.rows`), 按单位 (one row per unit × task with its
role), 需核对 (every warning, with file and line), 文件信息 (each document's facts). Each sheet has a bold,
frozen header row, an autofilter over all its rows, wrapped text and fixed column widths. Several inputs
give one workbook with a 文件 column.

Rows are streamed into openpyxl's write-only sheets as documents arrive: neither documents nor rows are
held in memory. The file is written atomically (:mod:`.atomic`).
"""
from __future__ import annotations

import re
from copy import copy

from .rows import (DOCUMENT_ROW_COLUMNS, TASK_COLUMNS, UNIT_SUMMARY_COLUMNS, UNIT_TASK_COLUMNS,
                   WARNING_COLUMNS, Column, DocumentRows, cell)

FILE = Column("document", "文件", 28)
SHEETS = ("任务台账", "按单位", "需核对", "文件信息")
MAX_CELL = 32_767  # Excel's limit on the characters of a cell
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # control characters an xlsx file cannot hold


class Sheet:
    """A write-only sheet with a header row, widths, frozen header, autofilter and wrapped cells."""

    def __init__(self, wb, title: str, columns: tuple[Column, ...], styles: dict):
        from openpyxl.utils import get_column_letter

        self.ws = wb.create_sheet(title)
        self.columns = columns
        self.styles = styles
        self.rows = 0
        self.last = get_column_letter(len(columns))
        for n, col in enumerate(columns, 1):
            self.ws.column_dimensions[get_column_letter(n)].width = col.width
        self.ws.freeze_panes = "A2"
        self.ws.append([self._cell(col.zh, styles["head"]) for col in columns])

    def _cell(self, value, style):
        """A styled cell; None (an empty cell) stays None, written as nothing."""
        if value is None:
            return None
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, str):
            value = _ILLEGAL.sub(" ", value)
            if len(value) > MAX_CELL:
                value = value[:MAX_CELL - 1] + "…"
        c = WriteOnlyCell(self.ws, value=value)
        if c.data_type in ("f", "e"):
            c.data_type = "s"  # text that starts with `=` or reads `#N/A` stays text, never a formula
        c._style = copy(style)  # the style's array, made once (setting fonts and alignments per cell is slow)
        return c

    def add(self, row: dict) -> None:
        body = self.styles["body"]
        self.ws.append([self._cell(cell(col, row.get(col.key), "zh"), body) for col in self.columns])
        self.rows += 1

    def finish(self) -> None:
        self.ws.auto_filter.ref = f"A1:{self.last}{self.rows + 1}"

    def discard(self) -> None:
        """Close the sheet's stream and remove openpyxl's temporary file (after a failure)."""
        try:
            if not self.ws.closed:
                self.ws.close()
        except Exception:  # noqa: BLE001 - a stream a failed save left half closed
            pass
        writer = getattr(self.ws, "_writer", None)
        if writer is not None:
            try:
                writer.cleanup()
            except (OSError, ValueError):
                pass


def _styles(wb) -> dict:
    """The style arrays of a header cell and a body cell of ``wb``."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet("styles")  # a scratch sheet: its cells only carry the styles
    head = WriteOnlyCell(ws, value="")
    head.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    head.font = Font(bold=True)
    head.fill = PatternFill("solid", fgColor="DDEBF7")
    body = WriteOnlyCell(ws, value="")
    body.alignment = Alignment(wrap_text=True, vertical="top")
    wb.remove(ws)
    return {"head": head._style, "body": body._style}


class Workbook:
    """The parse ledger: add documents one by one, then :meth:`save`."""

    def __init__(self, *, several: bool):
        from openpyxl import Workbook as _Workbook

        self.wb = _Workbook(write_only=True)
        styles = _styles(self.wb)
        file_cols = (FILE,) if several else ()
        unit_cols = tuple(c for c in UNIT_TASK_COLUMNS if several or c.key != "document")
        self.tasks = Sheet(self.wb, SHEETS[0], file_cols + TASK_COLUMNS, styles)
        self.units = Sheet(self.wb, SHEETS[1], unit_cols, styles)
        self.warnings = Sheet(self.wb, SHEETS[2], WARNING_COLUMNS, styles)
        self.documents = Sheet(self.wb, SHEETS[3], DOCUMENT_ROW_COLUMNS, styles)
        self.count = 0

    def add(self, doc: dict) -> None:
        rows = DocumentRows(doc)
        for task in rows.tasks:
            self.tasks.add(task)
        for row in rows.unit_tasks():
            self.units.add(row)
        for w in rows.warnings:
            self.warnings.add(w)
        self.documents.add(rows.document_row())
        self.count += 1

    def sheets(self) -> tuple[Sheet, ...]:
        return (self.tasks, self.units, self.warnings, self.documents)

    def save(self, target) -> None:
        """``target``: a path or a binary file object."""
        for sheet in self.sheets():
            sheet.finish()
        self.wb.save(target)

    def discard(self) -> None:
        for sheet in self.sheets():
            sheet.discard()


class UnitsWorkbook:
    """`dutysplit units -f xlsx`: 单位汇总 (one row per unit) and 按单位 (one row per unit × task)."""

    def __init__(self):
        from openpyxl import Workbook as _Workbook

        self.wb = _Workbook(write_only=True)
        styles = _styles(self.wb)
        self.summary = Sheet(self.wb, "单位汇总", UNIT_SUMMARY_COLUMNS, styles)
        self.rows = Sheet(self.wb, SHEETS[1], UNIT_TASK_COLUMNS, styles)

    def save(self, target) -> None:
        self.summary.finish()
        self.rows.finish()
        self.wb.save(target)

    def discard(self) -> None:
        self.summary.discard()
        self.rows.discard()
