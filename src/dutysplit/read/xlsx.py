"""Excel (.xlsx) → :class:`Blocks`, with openpyxl (imported here, on first use).

Every worksheet, hidden ones too (an ``info`` diagnostic names them), in workbook order. Each non-empty
cell gives one line per non-blank paragraph (position ``Sheet1!B7``), row by row. A merged range's value
sits in its top-left cell: it gives the lines once, and the grid repeats it in every row and column it
spans. A sheet's rows are cut into blocks at two or more empty rows; in each block:

* a row holding one value only (a title, a subtitle, `附件1`, prose pasted into column A) before the first
  row of several values, or after the last, is a plain line, not a grid row;
* such a row inside the table (a section row `一、…` merged across) stays in the grid as a row of one cell
  without a column, where the grid reader reads it as a group heading (the rows below it need the header
  above it) — unless the row after it is a header again: then the grid ends, the row is a plain line and
  a new grid starts;
* a row whose every value comes down from merged cells above adds nothing and is left out of the grid.

Values are written as a person sees them: integers without `.0`, percentages as formatted, dates as
`2024-06-30` (`2024年6月30日` when the cell's format writes 年). Formulas give their cached value; one
without a cached value gives its formula text and a warning. Work is bounded before openpyxl runs: the
cells and merged areas declared in each sheet's XML are counted (openpyxl builds one object per merged
cell) and a sheet over :data:`MAX_CELLS` is refused; a grid's area is bounded by :data:`MAX_AREA`.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import re
import warnings

from ..errors import InputError
from .blocks import Blocks
from .guard import checked_zip

MAX_CELLS = 300_000  # cells (values and merged cells) a workbook may declare: openpyxl holds ~1.4 KB and
# ~12 µs per cell (300,000: ~400 MB, ~5 s); task sheets hold a few thousand
MAX_AREA = 1_000_000  # rows × used columns of one grid
_WHAT = ".xlsx workbook"
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\"")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_DECIMALS = re.compile(r"\.([0#]+)")
_PLAIN_NUMBER = re.compile(r"^[#,0]*(?:\.[0#]+)?$")


def read(data: bytes, *, max_bytes: int) -> Blocks:
    z = checked_zip(data, max_bytes=max_bytes, what=_WHAT)
    has_formulas = _prescan(z)
    import openpyxl

    wb = _load(openpyxl, data, data_only=True)
    formulas = _load(openpyxl, data, data_only=False) if has_formulas else None
    out = Blocks()
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                out.diagnostics.append({"level": "info", "code": "hidden_sheet", "line": None,
                                        "message": f"sheet {ws.title!r} is hidden; it is read too"})
            fws = formulas[ws.title] if formulas is not None and ws.title in formulas.sheetnames else None
            _Sheet(ws, fws, out).read()
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - a library failure on a damaged file is the file's problem
        raise InputError(f"a damaged {_WHAT} ({_short(e)})") from None
    return out


def _load(openpyxl, data: bytes, *, data_only: bool):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=data_only,
                                          keep_links=False)
    except Exception as e:  # noqa: BLE001 - openpyxl raises anything on a damaged part
        raise InputError(f"a damaged {_WHAT} ({_short(e)})") from None


def _prescan(z) -> bool:
    """Count the cells and merged areas each sheet declares (openpyxl would build them all) and refuse a
    workbook over :data:`MAX_CELLS`; True when some sheet has formulas."""
    total, formulas = 0, False
    names = _sheet_names(z)
    for info in z.infolist():
        part = info.filename
        if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
            continue
        cells = merged = 0
        widest = (0, "")
        tail = b""
        try:
            with z.open(info) as fh:
                while True:
                    chunk = fh.read(1 << 20)
                    buf = tail + chunk
                    cut = max(0, len(buf) - 256) if chunk else len(buf)  # a tag cut by the chunk end: next time
                    cells += sum(1 for m in _CELL_TAG.finditer(buf) if m.start() < cut)
                    formulas = formulas or any(m.start() < cut for m in _FORMULA_TAG.finditer(buf))
                    for m in _MERGE_REF.finditer(buf):
                        if m.start() < cut:
                            area = _area(m)
                            merged += area
                            widest = max(widest, (area, b"%s%s:%s%s" % m.groups()))
                    tail = buf[cut:]
                    if not chunk or total + cells + merged > MAX_CELLS:
                        break
        except Exception as e:  # noqa: BLE001 - a damaged zip member
            raise InputError(f"a damaged {_WHAT}: part {part} cannot be read ({_short(e)})") from None
        total += cells + merged
        if total > MAX_CELLS:
            what = f"sheet {names.get(part, part)!r}"
            if widest[0] > MAX_CELLS // 2:
                raise InputError(f"{what} merges {widest[1].decode()} ({widest[0]} cells); at most {MAX_CELLS} "
                                 f"cells are read")
            raise InputError(f"{what} holds over {MAX_CELLS} cells (with the sheets before it); at most "
                             f"{MAX_CELLS} are read")
    return formulas


def _sheet_names(z) -> dict[str, str]:
    """Sheet part → sheet name, best effort (for messages)."""
    try:
        wb = z.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except Exception:  # noqa: BLE001
        return {}
    targets = {m[0]: m[1] for m in re.findall(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m[1]: m[0] for m in re.findall(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    out = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", wb):
        name, rid = re.search(r'\bname="([^"]*)"', tag), re.search(r'\br:id="([^"]*)"', tag)
        if name and rid and rid[1] in targets:
            target = targets[rid[1]].lstrip("/")
            out[target if target.startswith("xl/") else "xl/" + target] = html.unescape(name[1])
    return out


def _area(m) -> int:
    from openpyxl.utils import column_index_from_string as ci

    try:
        c1, c2 = ci(m.group(1).decode()), ci(m.group(3).decode())
    except ValueError:
        return 0
    r1, r2 = int(m.group(2)), int(m.group(4))
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)


class _Sheet:
    def __init__(self, ws, fws, out: Blocks):
        from openpyxl.utils import get_column_letter

        from ..grid.cells import Cell

        self.letter, self.Cell = get_column_letter, Cell
        self.ws, self.fws, self.out = ws, fws, out
        self.title = ws.title
        self.values: dict[tuple[int, int], list[str]] = {}  # anchor → paragraphs
        self.span: dict[tuple[int, int], tuple[int, int]] = {}  # anchor → (last row, last column)
        self.lines: dict[tuple[int, int], list[int]] = {}

    def read(self) -> None:
        from openpyxl.cell.cell import MergedCell

        for (r, c), cell in list(self.ws._cells.items()):
            if isinstance(cell, MergedCell):
                continue
            paras = self._paragraphs(cell, r, c)
            if paras:
                self.values[(r, c)] = paras
        for mr in self.ws.merged_cells.ranges:
            anchor = (mr.min_row, mr.min_col)
            if anchor in self.values:
                self.span[anchor] = (mr.max_row, mr.max_col)
        at: dict[int, dict[int, tuple[int, int]]] = {}  # row → column → anchor, merged cells spread
        for (r, c) in self.values:
            r2, c2 = self.span.get((r, c), (r, c))
            for rr in range(r, r2 + 1):
                row = at.setdefault(rr, {})
                for cc in range(c, c2 + 1):
                    row[cc] = (r, c)
        for rows in _blocks(sorted(at)):
            self._block(rows, at)

    def _paragraphs(self, cell, r: int, c: int) -> list[str]:
        value = cell.value
        if value is None and self.fws is not None:
            f = self.fws._cells.get((r, c))
            fv = getattr(f, "value", None)
            fv = getattr(fv, "text", fv)  # an array formula
            if isinstance(fv, str) and fv.startswith("="):
                self.out.diagnostics.append({
                    "level": "warning", "code": "formula_no_value", "line": None,
                    "message": f"{self.title}!{cell.coordinate}: a formula without a saved value ({fv[:60]}); "
                               f"its text is read"})
                value = fv
        text = render(value, cell.number_format or "General")
        return [p for p in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if p.strip()]

    def _block(self, rows: list[int], at: dict) -> None:
        cols = sorted({c for r in rows for c in at[r]})
        width = len(cols)
        index = {c: k for k, c in enumerate(cols)}
        if len(rows) * width > MAX_AREA:
            from openpyxl.utils import get_column_letter as L

            raise InputError(f"sheet {self.title!r}: its used range {L(cols[0])}{rows[0]}:{L(cols[-1])}{rows[-1]} "
                             f"holds {len(rows) * width} cells; at most {MAX_AREA} are read")
        kinds = []
        for r in rows:
            anchors = set(at[r].values())
            own = [a for a in anchors if a[0] == r]
            kinds.append("skip" if not own else "single" if len(anchors) == 1 else "multi")
        multi = [k for k, kind in enumerate(kinds) if kind == "multi"]
        first, last = (multi[0], multi[-1]) if multi else (len(rows), -1)
        nxt = [len(rows)] * len(rows)  # the next row of several values after each row
        for k in range(len(rows) - 2, -1, -1):
            nxt[k] = k + 1 if kinds[k + 1] == "multi" else nxt[k + 1]
        heads: dict[int, bool] = {}
        grid: list[list] = []
        for k, r in enumerate(rows):
            kind = kinds[k]
            if kind == "skip":
                continue
            if kind == "single" and (k < first or k > last or self._is_header(rows[nxt[k]], at, index, heads)):
                self._flush(grid)
                anchor = next(iter(at[r].values()))
                self._lines(anchor)
                continue
            self._row(r, at, index, width, grid, single=kind == "single")
        self._flush(grid)

    def _is_header(self, r: int, at, index, heads: dict[int, bool]) -> bool:
        """Whether row ``r`` names columns (after single rows inside a table: a second table starts)."""
        if r not in heads:
            from ..grid.header import columns_of, settle, valid

            names = [""] * len(index)
            for c, a in at[r].items():
                names[index[c]] = " ".join(self.values[a])
            heads[r] = valid(settle(columns_of(names)))
        return heads[r]

    def _lines(self, anchor) -> list[int]:
        got = self.lines.get(anchor)
        if got is None:
            pos = f"{self.title}!{self.letter(anchor[1])}{anchor[0]}"
            got = self.lines[anchor] = [self.out.add(p, pos) for p in self.values[anchor]]
        return got

    def _row(self, r: int, at: dict, index: dict, width: int, grid: list, *, single: bool) -> None:
        Cell = self.Cell
        row = at[r]
        for c in sorted(row):  # lines in reading order: each value where it starts
            if row[c][0] == r and row[c][1] == c:
                self._lines(row[c])
        if single:
            anchor = next(iter(row.values()))
            _, c2 = self.span.get(anchor, anchor)
            wide = c2 - anchor[1] + 1 >= max(2, (2 * width + 2) // 3) or index[anchor[1]] == 0
            text = "\n".join(self.values[anchor])
            grid.append([Cell(text, list(self._lines(anchor)), col=None if wide else index[anchor[1]])])
            return
        cells = [Cell("", [], col=k) for k in range(width)]
        for c, a in row.items():
            cells[index[c]] = Cell("\n".join(self.values[a]), list(self._lines(a)), col=index[c])
        grid.append(cells)

    def _flush(self, grid: list) -> None:
        from ..grid.split import Grid

        if len(grid) >= 2:
            self.out.grids.append(Grid(form="xlsx", start=0, end=0, rows=list(grid)))
        grid.clear()


def _blocks(rows: list[int]) -> list[list[int]]:
    """Rows cut where two or more empty rows lie between."""
    out: list[list[int]] = []
    for r in rows:
        if out and r - out[-1][-1] <= 2:
            out[-1].append(r)
        else:
            out.append([r])
    return out


def render(value, fmt: str = "General") -> str:
    """A cell's value as Excel shows it (the common formats)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) or "h" not in fmt.lower():
            return _date(value.date(), fmt)
        return value.strftime("%Y-%m-%d %H:%M" + (":%S" if value.second else ""))
    if isinstance(value, dt.date):
        return _date(value, fmt)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M" + (":%S" if value.second else ""))
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        return _number(value, fmt)
    return str(value)


def _date(d: dt.date, fmt: str) -> str:
    if "年" in fmt:
        return f"{d.year}年{d.month}月" + (f"{d.day}日" if "日" in fmt or "d" in fmt.lower() else "")
    return d.isoformat()


def _number(v, fmt: str) -> str:
    f = fmt.split(";")[0]
    if "%" in f:
        m = _DECIMALS.search(f)
        return f"{v * 100:.{len(m.group(1)) if m else 0}f}%"
    if f != "General" and _PLAIN_NUMBER.match(f) and any(ch in f for ch in "0#"):
        m = _DECIMALS.search(f)
        return f"{v:{',' if ',' in f else ''}.{len(m.group(1)) if m else 0}f}"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if isinstance(v, float):
        return f"{v:.15g}"
    return str(v)


def _short(e: BaseException) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return text[:80]
