"""Tables (layout family K): find them in the cleaned lines and cut them into rows and cells.

Tables arrive in several shapes after conversion from Word/PDF/HTML:

* ``pipe``        K1 rows ``12 | 扩大有效投资… | 市发改委 |`` (a wrapped cell continues on a line without pipes)
* ``cells``       K2 one cell per line: the header names, then for each row its number and its cells;
                  a category cell (``发展目标``) may stand before the first row of its group
* ``cells_pipe``  K3 one cell per line ending `` |``; ``|`` / ``||`` lines end a row
* ``box``         K6 ``│序号│任务│牵头单位│`` rows between box-drawing borders, cells wrapped over lines
* ``unseparated`` K5 a header whose names run together (``序号任务责任单位完成时限``): reported, not guessed

K4 key–value rows (``牵头单位: | 市执法局 |``) are not tables and are left alone.

Line numbers (``Line.no``) are used everywhere except ``Table.start`` / ``Table.end``, which index the
``lines`` list. Every scan is linear: look-aheads are bounded and no line is read by more than a bounded
number of header probes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .clean import Line
from .data import table

__all__ = ["Cell", "Row", "Table", "find_tables", "column_kind"]


@dataclass(slots=True)
class Cell:
    column: str  # header name as written, white space removed ("牵头单位")
    kind: str  # number, task, units, lead, support, leader, deadline, status, category, other
    text: str  # cell text; a cell wrapped over several lines is joined without inserting characters
    lines: list[int]  # line numbers it came from


@dataclass(slots=True)
class Row:
    number: str | None  # the 序号 cell as written ("12"), None if the table has no number column
    cells: list[Cell]  # every non-number cell of the row, in column order (empty cells omitted)
    category: str | None  # the category (分类) in force for this row, if the table has such a column
    lines: list[int]  # every line number the row consumed (number cell included)
    truncated: bool  # the row ended before all its columns (input cut off)


@dataclass(slots=True)
class Table:
    start: int  # index into `lines` of the first line of the table (header)
    end: int  # index just past its last line
    style: str  # pipe, cells, cells_pipe, box, unseparated
    header: list[tuple[str, str]]  # (column name, kind) in order
    header_lines: list[int]
    rows: list[Row]
    category_lines: list[int]
    leftover: list[int]  # lines inside [start, end) not used by header/rows/categories


# ---------------------------------------------------------------------------------------------- rules

_WS = regex.compile(r"\s+")
_NUM = regex.compile(r"[0-9]{1,3}[.、．]?")
_HEADING = regex.compile(
    r"[一二三四五六七八九十百]{1,4}[、．.]"
    r"|[（(][一二三四五六七八九十百]{1,4}[）)]"
    r"|第[一二三四五六七八九十百0-9]{1,4}[章节部分篇]"
)
_BOX_BAR = "│┃║"
_BOX_BORDER = set("─━═┼╋╬├┤┣┫╠╣┌┐└┘┏┓┗┛╔╗╚╝┬┴┳┻╦╩╪╫╞╡╟╢╤╧╥╨╒╓╕╖╘╙╛╜+-=│┃║ \t")
_BOX_LINE = set("─━═")
_UNIT_KINDS = ("units", "lead")
_PEOPLE_KINDS = ("units", "lead", "support", "leader", "deadline")
_SENTENCE_END = tuple("。；;！!？")
_MAX_HEADER = 30  # header probes read at most this many lines
_MAX_COLUMNS = 60  # a header row has at most this many cells (a 1 MB line of cells is not a header)
_LOOKAHEAD = 2  # non-debris lines a category or an extra wrapped line may stand before the next row


def _norm(name: str) -> str:
    s = _WS.sub("", name)
    return s.rstrip(":：?")


@lru_cache(maxsize=1)
def _columns() -> tuple[dict[str, str], tuple[tuple[str, str], ...], frozenset[int]]:
    exact: dict[str, str] = {}
    suffix: list[tuple[str, str]] = []
    for r in table("columns"):
        if len(r) < 2:
            continue
        name, kind = _norm(r[0]), r[1].strip()
        how = r[2].strip() if len(r) > 2 else "exact"
        if how == "suffix":
            suffix.append((name, kind))
        else:
            exact.setdefault(name, kind)
    suffix.sort(key=lambda p: len(p[0]), reverse=True)
    return exact, tuple(suffix), frozenset(len(n) for n in exact)


def column_kind(name: str) -> str | None:
    """The kind of a header name (white space ignored), or None when it is no known column name."""
    n = _norm(name)
    if not n:
        return None
    exact, suffix, _ = _columns()
    kind = exact.get(n)
    if kind is not None:
        return kind
    for s, k in suffix:
        if len(n) > len(s) and n.endswith(s) and len(n) <= len(s) + 12:
            return k
    return None


@lru_cache(maxsize=1)
def _unit_suffixes() -> tuple[str, ...]:
    return tuple(sorted((r[0] for r in table("unit_suffixes") if r and r[0]), key=len, reverse=True))


def _unit_like(text: str) -> bool:
    t = text.strip().rstrip("?、，,;；。")
    if not t:
        return False
    if t.endswith((")", "）")):
        return True
    return t.endswith(_unit_suffixes())


def _category_like(text: str) -> bool:
    t = text.strip()
    if not (2 <= len(t) <= 20) or _unit_like(t):
        return False
    if any(ch in t for ch in "。，,；;、:：|"):
        return False
    return sum(1 for ch in t if "\u4e00" <= ch <= "\u9fff") >= 2


def _header(names: list[str]) -> list[tuple[str, str]] | None:
    """(name, kind) for a header row, or None when the row is not a recognised header."""
    if not 3 <= len(names) <= _MAX_COLUMNS:
        return None
    out = []
    for raw in names:
        n = _norm(raw)
        out.append((n, column_kind(n) or "other"))
    kinds = {k for _, k in out}
    if "task" in kinds and kinds & set(_UNIT_KINDS) and sum(1 for n, _ in out if n) >= 3:
        return out
    return None


def _num(text: str) -> int | None:
    t = text.strip()
    if _NUM.fullmatch(t):
        return int(t.rstrip(".、．"))
    return None


def _heading(text: str) -> bool:
    return bool(_HEADING.match(text.strip()))


def _cell_text(s: str) -> str:
    t = s.strip()
    while t.endswith("?"):
        t = t[:-1].rstrip()
    return t


# --------------------------------------------------------------------------------------------- rows


@dataclass(slots=True)
class _Raw:
    """A cell before it is given a column: its pieces of text and their line numbers."""

    text: str = ""
    lines: list[int] = field(default_factory=list)

    def add(self, text: str, no: int) -> None:
        self.text += text
        if no not in self.lines:
            self.lines.append(no)


class _Layout:
    """The columns of a header and how a row's cells map onto them."""

    def __init__(self, header: list[tuple[str, str]]):
        self.header = header
        kinds = [k for _, k in header]
        self.num_col = kinds.index("number") if "number" in kinds else None
        self.cat_col = kinds.index("category") if "category" in kinds else None
        # columns a row's cells fill, in order (number and category columns excluded)
        self.data = [i for i, k in enumerate(kinds) if k not in ("number", "category")]
        first_task = next((p for p, i in enumerate(self.data) if kinds[i] == "task"), 0)
        self.keep_left = first_task + 1  # short rows: this many cells from the left, the rest from the right
        self.unit_cols = {i for i in self.data if kinds[i] in _UNIT_KINDS}

    def aligned(self, cells: list[str]) -> list[int]:
        """Column positions (in ``data``) for the cells of a row. A short row keeps its left-most cells up
        to the task column on the left and puts the others on the right-most columns, unless moving the
        gap further right puts more unit names into unit columns (``[任务, 区住建局]`` under
        ``任务 | 牵头单位 | 完成时限 | 备注``)."""
        n, m = len(cells), len(self.data)
        if n >= m:
            return list(range(n))
        k = min(self.keep_left, n)
        kinds = [self.header[i][1] for i in self.data]
        unitish = [_unit_like(c) for c in cells]
        best, best_score = None, None
        for g in range(k, n + 1):  # cells[g:] are moved right by the gap
            pos = list(range(g)) + list(range(m - (n - g), m))
            score = 0
            for c, p in enumerate(pos):
                if unitish[c]:
                    score += 1 if kinds[p] in ("units", "lead", "support") else -1
            if best_score is None or score > best_score:
                best, best_score = pos, score
        return best if best is not None else list(range(n))

    def build(
        self,
        number: str | None,
        number_lines: list[int],
        raws: list[_Raw],
        positions: list[int],
        category: str | None,
        extra_lines: list[int],
        truncated: bool,
    ) -> Row:
        m = len(self.data)
        by_pos: dict[int, _Raw] = {}
        for raw, pos in zip(raws, positions):
            if pos >= m:  # more cells than columns: they belong to the last column
                pos = m - 1
            if pos < 0:
                continue
            if pos in by_pos:
                prev = by_pos[pos]
                prev.text += "|" + raw.text
                prev.lines.extend(x for x in raw.lines if x not in prev.lines)
            else:
                by_pos[pos] = _Raw(raw.text, list(raw.lines))
        cells = []
        for pos in sorted(by_pos):
            raw = by_pos[pos]
            text = _cell_text(raw.text)
            if not text:
                continue
            name, kind = self.header[self.data[pos]]
            cells.append(Cell(name, kind, text, sorted(raw.lines)))
        lines = set(number_lines) | set(extra_lines)
        for raw in raws:
            lines.update(raw.lines)
        return Row(number, cells, category, sorted(lines), truncated)

    def cut_off(self, row: Row) -> bool:
        """The last units/lead cell of a row at the very end of the input is a fragment (``市发``)."""
        last = None
        for c in row.cells:
            if c.kind in _UNIT_KINDS or c.kind == "support":
                last = c
        if last is None or row.cells[-1] is not last:
            return False
        return not _unit_like(last.text) and "/" not in last.text and last.text not in ("无", "—", "-")


def _skip_debris(lines: list[Line], j: int) -> int:
    n = len(lines)
    while j < n and lines[j].debris:
        j += 1
    return j


def _finish(lines: list[Line], style: str, start: int, end: int, header, header_lines, rows,
            category_lines) -> Table:
    used = set(header_lines) | set(category_lines)
    for r in rows:
        used.update(r.lines)
    leftover = [lines[k].no for k in range(start, end) if lines[k].no not in used]
    return Table(start, end, style, header, sorted(header_lines), rows, sorted(category_lines), leftover)


# -------------------------------------------------------------------------------------------- pipe


def _pipe_pieces(text: str) -> tuple[list[str], bool]:
    """Cells of a pipe line and whether the line closes its last cell with ``|``."""
    t = text.strip()
    closed = t.endswith("|")
    parts = [p.strip() for p in t.split("|")]
    if closed:
        parts = parts[:-1]
    if t.startswith("|") and parts and parts[0] == "":
        parts = parts[1:]
    return parts, closed


def _pipe(lines: list[Line], i: int) -> Table | None:
    names, _ = _pipe_pieces(lines[i].text)
    header = _header(names)
    if header is None:
        return None
    lay = _Layout(header)
    n = len(lines)
    ncols = len(header)

    rows_raw: list[dict] = []  # {"num": str|None, "num_lines": [...], "cells": [_Raw], "open": bool}
    last_used = i
    j = i + 1

    def is_start(pieces: list[str], cur) -> bool:
        if lay.num_col is not None:
            return len(pieces) > lay.num_col and _num(pieces[lay.num_col]) is not None
        return cur is None or not cur["open"]

    def complete(cur) -> bool:
        return len(cur["cells"]) + (1 if lay.num_col is not None else 0) >= ncols

    while j < n:
        line = lines[j]
        if line.debris:
            j += 1
            continue
        t = line.text
        cur = rows_raw[-1] if rows_raw else None
        if "|" in t:
            pieces, closed = _pipe_pieces(t)
            if is_start(pieces, cur):
                num = None
                num_lines: list[int] = []
                if lay.num_col is not None:
                    num = pieces[lay.num_col]
                    num_lines = [line.no]
                    pieces = pieces[: lay.num_col] + pieces[lay.num_col + 1:]
                cells = [_Raw(p, [line.no]) for p in pieces]
                rows_raw.append({"num": num, "num_lines": num_lines, "cells": cells, "open": not closed,
                                 "lines": [line.no]})
            elif cur is not None and (cur["open"] or not complete(cur)):
                if cur["open"] and cur["cells"] and pieces:
                    cur["cells"][-1].add(pieces[0], line.no)
                    pieces = pieces[1:]
                cur["cells"].extend(_Raw(p, [line.no]) for p in pieces)
                cur["open"] = not closed
                cur["lines"].append(line.no)
            else:
                break
        else:
            if cur is None or _heading(t):
                break
            last_kind = header[lay.data[min(len(cur["cells"]), len(lay.data)) - 1]][1] if cur["cells"] else "task"
            if not (cur["open"] or not complete(cur)):
                nxt = _skip_debris(lines, j + 1)
                if lay.num_col is None and nxt < n and "|" in lines[nxt].text:
                    # an unnumbered row whose first cell wraps onto the next (pipe) line
                    rows_raw.append({"num": None, "num_lines": [], "cells": [_Raw(t, [line.no])],
                                     "open": True, "lines": [line.no]})
                    last_used = j
                    j += 1
                    continue
                break
            if complete(cur) and len(t) > 40 and last_kind in _PEOPLE_KINDS:
                break
            target = next((c for c in reversed(cur["cells"]) if c.text.strip()), None)
            if target is None:
                target = _Raw()
                cur["cells"].append(target)
            target.add(t, line.no)
            cur["lines"].append(line.no)
        last_used = j
        j += 1

    end = last_used + 1
    at_end = _skip_debris(lines, end) >= n
    rows = []
    for k, r in enumerate(rows_raw):
        cells: list[_Raw] = r["cells"]
        have = len(cells) + (1 if lay.num_col is not None else 0)
        missing = set(lay.data[len(cells):]) if have < ncols else set()
        truncated = bool(missing) and bool(lay.unit_cols) and lay.unit_cols <= missing
        row = lay.build(r["num"], r["num_lines"], cells, list(range(len(cells))), None, r["lines"], truncated)
        if k == len(rows_raw) - 1 and at_end and not row.truncated and lay.cut_off(row):
            row.truncated = True
        rows.append(row)
    return _finish(lines, "pipe", i, end, header, [lines[i].no], rows, [])


# ------------------------------------------------------------------------------ cells (K2) / K3


def _single_pipe_cell(text: str) -> str | None:
    """``名称 |`` → ``名称``; None when the line is not one cell closed by a pipe."""
    t = text.strip()
    if t.endswith("|") and t.count("|") == 1:
        return t[:-1].strip()
    return None


def _header_run(lines: list[Line], i: int, piped: bool) -> tuple[list[str], list[int]] | None:
    """A run of header lines starting at ``i``: (names, indices)."""
    n = len(lines)
    names: list[str] = []
    idx: list[int] = []
    j = i
    while j < n and len(idx) < _MAX_HEADER:
        line = lines[j]
        if line.debris:
            break
        if piped:
            c = _single_pipe_cell(line.text)
            if c is None or not c or _num(c) is not None:
                break
        else:
            c = line.text
            if column_kind(c) is None:
                break
        names.append(c)
        idx.append(j)
        j += 1
    if len(idx) < 3:
        return None
    return names, idx


def _merge(raws: list[_Raw], m: int) -> list[_Raw]:
    """Join extra lines of a K2 row into ``m`` cells: first where a line was plainly cut (no closing
    punctuation, next piece not a unit list), else into the last cell."""
    raws = list(raws)
    while len(raws) > m and len(raws) > 1:
        k = None
        for p in range(len(raws) - 1):
            a, b = raws[p].text.strip(), raws[p + 1].text.strip()
            if a and not a.endswith(_SENTENCE_END) and not _unit_like(a) and not _unit_like(b):
                k = p
                break
        if k is None:
            k = len(raws) - 2
        a, b = raws[k], raws[k + 1]
        raws[k] = _Raw(a.text + b.text, a.lines + [x for x in b.lines if x not in a.lines])
        del raws[k + 1]
    return raws


def _cells(lines: list[Line], i: int, piped: bool) -> Table | None:
    run = _header_run(lines, i, piped)
    if run is None:
        return None
    names, hidx = run
    header = _header(names)
    if header is None:
        return None
    lay = _Layout(header)
    m1 = len(lay.data)
    n = len(lines)
    hend = hidx[-1] + 1
    if lay.num_col is None:
        return _cells_unnumbered(lines, i, hidx, header, lay, piped)

    def content(t: str) -> str | None:
        if not piped:
            return t
        c = _single_pipe_cell(t)
        return c

    def number_of(t: str) -> int | None:
        c = content(t)
        if c is None:
            c = t if "|" not in t else None
        return _num(c) if c is not None else None

    def next_start(j: int, last: int | None, budget: int = _LOOKAHEAD) -> bool:
        seen = 0
        while j < n and seen < budget:
            if lines[j].debris:
                j += 1
                continue
            v = number_of(lines[j].text)
            if v is not None and (last is None or v == last + 1):
                return True
            seen += 1
            j += 1
        return False

    # groups: {"num", "num_j", "raws": [_Raw], "cats": [j], "lines": [no], "term": bool}
    groups: list[dict] = []
    pending: list[int] = []
    last_num: int | None = None
    last_used = hend - 1
    j = hend
    cur: dict | None = None
    open_cell: _Raw | None = None

    def close_row(term: bool) -> None:
        nonlocal cur, open_cell
        if cur is not None:
            cur["term"] = term
        cur = None
        open_cell = None

    while j < n:
        line = lines[j]
        if line.debris:
            j += 1
            continue
        t = line.text.strip()
        v = number_of(t)
        filled = len(cur["raws"]) if cur is not None else 0
        if v is not None and open_cell is None and (
            last_num is None and cur is None
            or last_num is not None and v == last_num + 1
            or cur is not None and filled >= m1 and last_num is not None and last_num < v <= last_num + 5
            or cur is None and last_num is not None and last_num < v <= last_num + 5
        ):
            if cur is not None:
                close_row(True)  # the next row begins: this one ended (without its terminator)
            cur = {"num": content(t) if content(t) is not None else t, "num_j": j, "raws": [],
                   "cats": pending, "lines": [line.no], "term": False}
            groups.append(cur)
            pending = []
            last_num = v
            last_used = j
            j += 1
            continue
        if cur is None:
            # where a row start is expected: a category cell (or leftover) just before the next row
            c = content(t)
            if c is not None and len(pending) < _LOOKAHEAD and next_start(j + 1, last_num):
                pending.append(j)
                last_used = j
                j += 1
                continue
            break
        if piped:
            if t == "|" or t.endswith("||"):
                c = t[:-2].strip() if t.endswith("||") else ""
                if open_cell is not None:
                    open_cell.add(c, line.no)
                elif t.endswith("||"):
                    cur["raws"].append(_Raw(c, [line.no]))
                cur["lines"].append(line.no)
                close_row(True)
                last_used = j
                j += 1
                continue
            if t.endswith("|"):
                pieces = [p.strip() for p in t[:-1].split("|")]
                if open_cell is not None:
                    open_cell.add(pieces[0], line.no)
                    pieces = pieces[1:]
                    open_cell = None
                cur["raws"].extend(_Raw(p, [line.no]) for p in pieces)
                cur["lines"].append(line.no)
                last_used = j
                j += 1
                continue
            # no pipe: a cell wrapped over lines (or the end of the table)
            if open_cell is None and (_heading(t) or filled >= m1 + 1):
                break
            if open_cell is None:
                open_cell = _Raw()
                cur["raws"].append(open_cell)
            open_cell.add(t, line.no)
            cur["lines"].append(line.no)
            last_used = j
            j += 1
            continue
        # K2: one cell per line
        if filled < m1 and not _heading(t):
            kind = header[lay.data[filled]][1]
            plausible = not (kind in _PEOPLE_KINDS and (len(t) > 80 or t.endswith("。")))
            if plausible or next_start(j + 1, last_num):
                cur["raws"].append(_Raw(t, [line.no]))
                cur["lines"].append(line.no)
                last_used = j
                j += 1
                continue
            break
        if next_start(j + 1, last_num):  # an extra line: a wrapped cell or the next group's category
            cur["raws"].append(_Raw(t, [line.no]))
            cur["lines"].append(line.no)
            last_used = j
            j += 1
            continue
        break
    if cur is not None and piped:
        cur["term"] = False
    elif cur is not None:
        cur["term"] = True  # K2 rows have no terminator; truncation is judged by the cell count

    end = last_used + 1
    at_end = _skip_debris(lines, end) >= n

    # a group's last line may be the category cell of the next group (K2)
    if lay.cat_col is not None and not piped:
        for k in range(len(groups) - 1):
            g = groups[k]
            if not g["raws"]:
                continue
            last = g["raws"][-1]
            if _category_like(last.text) and (len(g["raws"]) > m1 or not _unit_like(last.text)):
                g["raws"].pop()
                for no in last.lines:
                    if no in g["lines"]:
                        g["lines"].remove(no)
                groups[k + 1]["cats"] = [_lines_index(lines, no, g["num_j"]) for no in last.lines] + groups[k + 1]["cats"]

    rows: list[Row] = []
    category_lines: list[int] = []
    category: str | None = None
    last_map: list[int] | None = None
    expected = m1
    for k, g in enumerate(groups):
        if g["cats"]:
            if lay.cat_col is not None:
                category = "".join(_cell_text(lines[x].text if not piped else (content(lines[x].text) or ""))
                                   for x in g["cats"])
                category_lines.extend(lines[x].no for x in g["cats"])
            # without a category column these lines stay leftover
        raws = g["raws"]
        is_last = k == len(groups) - 1
        if not piped and len(raws) > m1:
            raws = _merge(raws, m1)
        truncated = False
        if piped and not g["term"]:
            truncated = len(raws) < expected
        elif not piped and is_last and at_end and len(raws) < m1:
            truncated = True
        if truncated:
            if last_map is not None and len(last_map) >= len(raws):
                positions = last_map[: len(raws)]
            else:
                positions = list(range(len(raws)))
        else:
            positions = lay.aligned([r.text for r in raws])
            last_map = positions
            expected = len(raws)
        row = lay.build(g["num"], [lines[g["num_j"]].no], raws, positions,
                        category if lay.cat_col is not None else None, g["lines"], truncated)
        if is_last and at_end and not row.truncated and lay.cut_off(row):
            row.truncated = True
        rows.append(row)

    header_lines = [lines[x].no for x in hidx]
    return _finish(lines, "cells_pipe" if piped else "cells", i, end, header, header_lines, rows,
                   category_lines)


def _lines_index(lines: list[Line], no: int, near: int) -> int:
    """Index in ``lines`` of line number ``no`` (searching forward from ``near``)."""
    for k in range(near, len(lines)):
        if lines[k].no == no:
            return k
    return near


def _cells_unnumbered(lines, i, hidx, header, lay: _Layout, piped: bool) -> Table:
    """A one-cell-per-line table without a number column: every ``len(data)`` cells make a row."""
    n = len(lines)
    m1 = len(lay.data)
    j = hidx[-1] + 1
    rows: list[Row] = []
    chunk: list[_Raw] = []
    last_used = hidx[-1]
    while j < n:
        line = lines[j]
        if line.debris:
            j += 1
            continue
        t = line.text.strip()
        c = _single_pipe_cell(t) if piped else t
        if c is None or _heading(t) or (not piped and column_kind(t) is not None and not chunk):
            break
        chunk.append(_Raw(c, [line.no]))
        last_used = j
        j += 1
        if len(chunk) == m1:
            rows.append(lay.build(None, [], chunk, list(range(m1)), None, [], False))
            chunk = []
    if chunk:
        rows.append(lay.build(None, [], chunk, list(range(len(chunk))), None, [], True))
    return _finish(lines, "cells_pipe" if piped else "cells", i, last_used + 1, header,
                   [lines[x].no for x in hidx], rows, [])


# --------------------------------------------------------------------------------------------- box


def _box_border(t: str) -> bool:
    s = t.strip()
    # set operations run in C: this is asked of every line of every document
    return bool(s) and s[0] in _BOX_BORDER and not _BOX_LINE.isdisjoint(s) and set(s) <= _BOX_BORDER


def _box_row(t: str) -> list[str] | None:
    s = t.strip()
    if not s or s[0] not in _BOX_BAR:
        return None
    for bar in _BOX_BAR[1:]:
        s = s.replace(bar, _BOX_BAR[0])
    parts = s.split(_BOX_BAR[0])
    if len(parts) < 3:
        return None
    parts = parts[1:]
    if parts and parts[-1].strip() == "":
        parts = parts[:-1]
    return [p.strip() for p in parts]


def _box(lines: list[Line], i: int) -> Table | None:
    n = len(lines)
    # the header block first, at most _MAX_HEADER lines: a probe that fails must not walk the whole
    # region (find_tables probes again at the next line: quadratic over a long run of box lines)
    k = i
    while k < n and _box_border(lines[k].text):
        k += 1
    h = k
    while h < n and h - k <= _MAX_HEADER and not _box_border(lines[h].text) and _box_row(lines[h].text) is not None:
        h += 1
    if h == k or h - k > _MAX_HEADER:
        return None
    head = [_box_row(lines[x].text) or [] for x in range(k, h)]
    if _header(["".join(p[c] if c < len(p) else "" for p in head) for c in range(max(map(len, head)))]) is None:
        return None
    # the region: consecutive border and row lines
    j = i
    blocks: list[tuple[list[int], list[int]]] = []  # (row line indices, border line indices after)
    content: list[int] = []
    borders: list[int] = []
    lead_borders: list[int] = []
    while j < n:
        t = lines[j].text
        if _box_border(t):
            if content:
                blocks.append((content, [j]))
                content = []
            elif blocks:
                blocks[-1][1].append(j)
            else:
                lead_borders.append(j)
            borders.append(j)
        elif _box_row(t) is not None:
            content.append(j)
        else:
            break
        j += 1
    if content:
        blocks.append((content, []))
    end = j
    if not blocks:
        return None
    head_idx, head_borders = blocks[0]
    pieces = [_box_row(lines[x].text) or [] for x in head_idx]
    width = max(len(p) for p in pieces)
    names = ["".join(p[c] if c < len(p) else "" for p in pieces) for c in range(width)]
    header = _header(names)
    if header is None:
        return None
    lay = _Layout(header)
    at_end = _skip_debris(lines, end) >= n
    header_lines = [lines[x].no for x in lead_borders + head_idx + head_borders]

    # logical rows: the lines between two borders; a new number in the number column also starts a row
    logical: list[tuple[list[int], list[int]]] = []
    for idx, after in blocks[1:]:
        part: list[int] = []
        for x in idx:
            cells = _box_row(lines[x].text) or []
            if (part and lay.num_col is not None and lay.num_col < len(cells)
                    and _num(cells[lay.num_col]) is not None):
                logical.append((part, []))
                part = []
            part.append(x)
        logical.append((part, after))

    rows: list[Row] = []
    for k, (idx, after) in enumerate(logical):
        cols: list[_Raw] = [_Raw() for _ in header]
        for x in idx:
            cells = _box_row(lines[x].text) or []
            for c, text in enumerate(cells):
                c2 = min(c, len(header) - 1)
                if text:
                    if c2 != c:
                        cols[c2].add("|" + text, lines[x].no)
                    else:
                        cols[c2].add(text, lines[x].no)
        number = None
        if lay.num_col is not None:
            number = _cell_text(cols[lay.num_col].text) or None
        raws = [cols[c] for c in lay.data]
        truncated = False
        if k == len(logical) - 1 and at_end and not after:
            truncated = bool(lay.unit_cols) and all(not cols[c].text.strip() for c in lay.unit_cols)
        category = None
        if lay.cat_col is not None:
            category = _cell_text(cols[lay.cat_col].text) or (rows[-1].category if rows else None)
        row = lay.build(number, [lines[x].no for x in idx], raws, list(range(len(raws))), category,
                        [lines[x].no for x in after], truncated)
        rows.append(row)
    return _finish(lines, "box", i, end, header, header_lines, rows, [])


# ------------------------------------------------------------------------------------ unseparated


def _run_together(text: str) -> int:
    """How many known column names ``text`` splits into exactly (0 when it does not)."""
    if text.lstrip()[:1] not in _first_chars():
        return 0  # fast path: a run of names starts with a column name's first character
    s = _WS.sub("", text)
    if not s or len(s) > 80:
        return 0
    exact, _, lengths = _columns()
    if not any(s[:ln] in exact for ln in lengths):
        return 0  # fast path for ordinary lines: a header starts with a column name
    best = [-1] * (len(s) + 1)  # best[p]: most names covering s[:p]
    best[0] = 0
    for p in range(len(s)):
        if best[p] < 0:
            continue
        for ln in lengths:
            q = p + ln
            if q <= len(s) and s[p:q] in exact and best[p] + 1 > best[q]:
                best[q] = best[p] + 1
    return max(best[len(s)], 0)


@lru_cache(maxsize=1)
def _first_chars() -> frozenset[str]:
    return frozenset(name[0] for name in _columns()[0])


def _unseparated(lines: list[Line], i: int) -> Table | None:
    t = lines[i].text
    if t[:1] not in _first_chars():  # fast path: a run-together header starts with a column name
        return None
    if "|" in t or any(b in t for b in _BOX_BAR) or _run_together(t) < 3:
        return None
    n = len(lines)
    j = i + 1
    while j < n:
        u = lines[j].text
        if _heading(u) or _starts_table(lines, j):
            break
        j += 1
    return Table(i, j, "unseparated", [], [lines[i].no], [], [], [lines[k].no for k in range(i + 1, j)])


def _starts_table(lines: list[Line], j: int) -> bool:
    t = lines[j].text
    if _box_border(t) or _box_row(t) is not None:
        return True
    if t.count("|") >= 2:
        return _header(_pipe_pieces(t)[0]) is not None
    return column_kind(t) is not None or _run_together(t) >= 3


# -------------------------------------------------------------------------------------------- main


def find_tables(lines: list[Line]) -> list[Table]:
    """All tables in the document, in order, non-overlapping. Lines outside every table are not touched."""
    out: list[Table] = []
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        tab: Table | None = None
        if not line.debris:
            try:
                tab = _probe(lines, i)
            except Exception:  # never raise on odd input: an unreadable table is left to the parser
                tab = None
        if tab is not None and tab.end > i:
            out.append(tab)
            i = tab.end
        else:
            i += 1
            if not line.debris and _box_border(line.text):  # a box probe failed here: from the next border lines it reads the
                while i < n and _box_border(lines[i].text):  # same header and fails alike
                    i += 1
    return out


def _probe(lines: list[Line], i: int) -> Table | None:
    t = lines[i].text.strip()
    if not t:
        return None
    if t[0] in _BOX_BAR or _box_border(t):
        return _box(lines, i)
    if "|" in t:
        if t.count("|") >= 2:
            tab = _pipe(lines, i)
            if tab is not None:
                return tab
        if _single_pipe_cell(t):
            return _cells(lines, i, piped=True)
        return None
    if column_kind(t) is not None:
        return _cells(lines, i, piped=False)
    return _unseparated(lines, i)
