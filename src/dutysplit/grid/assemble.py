"""The one row assembler: a grid and its header → rows of cells by column, for every form.

Rows are cut where the form says (pipes, box rules) or, for a stream of cells, where a row number
appears, where a task cell carries the next task number (`12.强化…`), or where the next cell can only
belong to a column to the left of the last one. Each row's cells are then aligned to the columns by
:func:`.cells.align`. Afterwards:

* items and clauses: rows with their own number are tasks; rows without one under a task (a merged number
  cell: sub-projects, stray rows left by merged cells) are further clauses of that task. When the number
  column numbers groups instead (it repeats), the numbers the task cells carry are the tasks';
* group rows (`一、…`, `(十一)省轻纺集团总公司`, `…(15项)`) and category cells head the rows after them;
* a responsible cell missing from a row (merged over several rows) is taken from the row above, except in
  a last row cut off by the end of the input.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .cells import MISS, Cell, align, cell_type, fit, is_group, lead_number
from .header import RESPONSIBLE, Column, task_column

UNIT_ROLES = ("units", "lead", "support")


@dataclass(slots=True)
class Row:
    number: str | None  # the task's number as written (序号 cell, or the number its task cell carries)
    cells: list[tuple[int, Cell]]  # (column index, cell), non-empty cells in column order
    lines: list[int]
    group: str | None = None  # group heading or category in force
    continuation: bool = False  # a further clause of the task above
    truncated: bool = False
    inherited: list[int] = field(default_factory=list)  # columns filled from the row above (merged cells)
    text: str = ""  # the task's own text (task column, number removed)
    own: tuple[int, str] | None = None  # the number a task cell carries (`12.强化…` → 12), and the rest


@dataclass(slots=True)
class Group:
    text: str
    lines: list[int]
    before: int  # index of the row it heads


def _types(cells: list[Cell]) -> list[str]:
    return [cell_type(c.text) for c in cells]


def align_row(cells: list[Cell], roles: list[str], fixed: bool) -> list[tuple[int, Cell]]:
    """Columns for a row: by position when the form fixed them and the count matches (unless aligning by
    content fits clearly better: `2021.8 | 城投集团 | ||` left by merged cells), else aligned."""
    if cells and all(c.col is not None for c in cells):
        return [(c.col, c) for c in cells if not c.empty and c.col < len(roles)]
    full = [c for c in cells if not c.empty]
    if not full:
        return []
    types = _types(full)
    cols = align(types, roles)
    if fixed and len(cells) == len(roles):
        by_pos = [(k, c) for k, c in enumerate(cells) if not c.empty]
        if _score(by_pos, roles) + 1 >= _score(list(zip(cols, full)), roles):
            return by_pos
    return list(zip(cols, full))


def _score(placed: list[tuple[int, Cell]], roles: list[str]) -> float:
    have = {k for k, _ in placed}
    return sum(fit(roles[k], cell_type(c.text)) for k, c in placed) - sum(
        MISS.get(r, 0.3) for k, r in enumerate(roles) if k not in have)


def split_stream(cells: list[Cell], header: list[Column], breaks: set[int], offset: int
                 ) -> tuple[list[list[Cell]], list[tuple[int, Cell]]]:
    """Cut a stream of cells (after the header) into rows. Returns (rows, group cells with the index of the
    row they come before). ``offset``: index of the first cell in the grid's cell list (for ``breaks``)."""
    roles = [c.role for c in header]
    num_col = roles.index("number") if "number" in roles else None
    rows: list[list[Cell]] = []
    groups: list[tuple[int, Cell]] = []
    cur: list[Cell] = []
    ptr = -1
    last_num: int | None = None
    last_task_num: int | None = None
    for k, c in enumerate(cells):
        if c.empty:
            continue
        t = cell_type(c.text)
        new = False
        if num_col is not None and t == "num":
            v = _num_value(c.text)
            if v is not None and (last_num is None or last_num < v <= last_num + 5 or v == 1 and cur):
                new, last_num = True, v
        if not new:
            ln = lead_number(c.text)
            if ln is not None and cur and last_task_num is not None and ln[0] == last_task_num + 1 \
                    and ptr >= 0 and _best_col(roles, t, 0) <= ptr:
                new = True
        if not new and cur and ptr >= 0:
            fwd = max(fit(roles[j], t) for j in range(ptr, len(roles)))
            back = max((fit(roles[j], t) for j in range(0, ptr)), default=-9.0)
            if back > fwd + 1 and t in ("long", "short", "group") and (
                    len(cur) >= 2 or any(cell_type(x.text) in ("long", "short", "group") for x in cur)):
                new = True
        if not new and not cur and t == "group" and (num_col is not None or not rows or is_group(c.text)):
            groups.append((len(rows), c))
            continue
        if new and cur and not (t == "num" and num_col and not any(cell_type(x.text) == "num" for x in cur)
                                and all(max(fit(roles[j], cell_type(x.text)) for j in range(num_col)) >= 1
                                        for x in cur)):
            rows.append(cur)
            cur = []
            ptr = -1
        if num_col is not None and not cur and rows and t == "group" and _next_type(cells, k) == "num":
            groups.append((len(rows), c))
            continue
        cur.append(c)
        ln = lead_number(c.text)
        if ln is not None and t in ("long", "short", "group"):
            last_task_num = ln[0]
        ptr = max(ptr, _best_col(roles, t, max(ptr, 0)))
        if (k + offset) in breaks and ptr >= len(roles) - 2:
            rows.append(cur)
            cur, ptr = [], -1
    if cur:
        rows.append(cur)
    return rows, groups


def _next_type(cells: list[Cell], k: int) -> str | None:
    for c in cells[k + 1:k + 4]:
        if not c.empty:
            return cell_type(c.text)
    return None


def _best_col(roles: list[str], t: str, start: int) -> int:
    best, arg = -99.0, start
    for j in range(start, len(roles)):
        v = fit(roles[j], t) - 0.01 * (j - start)
        if v > best:
            best, arg = v, j
    return arg


def _num_value(text: str) -> int | None:
    from ..lex import cn_number

    t = text.strip().rstrip(".．、")
    if t.isdigit():
        return int(t)
    return cn_number(t)


def build_rows(raw_rows: list[list[Cell]], header: list[Column], fixed: bool, at_end: bool,
               groups: list[tuple[int, Cell]]) -> tuple[list[Row], list[Group]]:
    roles = [c.role for c in header]
    num_col = roles.index("number") if "number" in roles else None
    tcol = task_column(header)
    first_resp = next((k for k, r in enumerate(roles) if r in RESPONSIBLE), len(roles))
    rows: list[Row] = []
    out_groups: list[Group] = []
    group_at = {}
    for idx, c in groups:
        group_at.setdefault(idx, []).append(c)
    group: str | None = None
    align_roles = ["task2" if r == "task" and k != tcol else r for k, r in enumerate(roles)]
    for r_i, cells in enumerate(raw_rows):
        for g in group_at.get(r_i, []):
            out_groups.append(Group(g.text.strip(), list(g.lines), len(rows)))
            group = g.text.strip()
        placed = align_row(cells, align_roles, fixed)
        if not placed:
            continue
        lines = sorted({n for c in cells for n in c.lines})
        filled = [c for _, c in placed]
        across = len(filled) > 1 and bool(filled[0].lines) and all(
            c.lines == filled[0].lines and c.text == filled[0].text for c in filled)
        if across and is_group(filled[0].text):  # one cell merged across the row (a reader spread it)
            placed = placed[:1]
            filled = filled[:1]
        if len(filled) == 1 and is_group(filled[0].text) and (across or roles[placed[0][0]] not in ("number",)
                                                             and not any(roles[k] in RESPONSIBLE for k, _ in placed)):
            out_groups.append(Group(filled[0].text.strip(), lines, len(rows)))
            group = filled[0].text.strip()
            continue
        row = Row(number=None, cells=placed, lines=lines)
        for k, c in placed:
            if roles[k] == "category":
                group = c.text.strip()
        row.group = group
        if num_col is not None:
            row.number = next((c.text.strip().rstrip(".．、") for k, c in placed if k == num_col), None)
        own, own_k = None, None
        for k, c in placed:
            if k < first_resp and roles[k] not in ("number", "deadline", "status", "leader"):
                ln = lead_number(c.text)
                if ln is not None:
                    own, own_k = ln, k
                    break
        if tcol is not None:
            text = next((c.text for k, c in placed if k == tcol), "")
            if own is not None and text.strip().startswith(str(own[0])):
                text = own[1]
            row.text = text
        row.own = own
        if rows and _spread(rows[-1], row, num_col if row.number else own_k):
            row.number, row.own = None, None  # a merged cell a reader repeated from the row above: no new task
        rows.append(row)
    _numbers(rows)
    _inherit(rows, roles, at_end)
    return rows, out_groups


def _spread(prev: Row, row: Row, k: int | None) -> bool:
    """Whether the cell that numbers ``row`` (column ``k``) is the very cell of ``prev`` (the same lines): a
    merged cell that a Word, HTML, PDF or Excel reader repeated in every row it spans, not a new number."""
    mine, above = dict(row.cells).get(k), dict(prev.cells).get(k)
    return mine is not None and above is not None and bool(mine.lines) and mine.lines == above.lines


def _numbers(rows: list[Row]) -> None:
    """Which rows are tasks, and their numbers."""
    given = [r for r in rows if r.number]
    values = [_num_value(r.number) for r in given]
    increasing = all(v is not None for v in values) and all(b > a for a, b in zip(values, values[1:]))
    own_nums = [r for r in rows if r.own is not None]
    own_values = [r.own[0] for r in own_nums]
    own_increasing = all(b > a for a, b in zip(own_values, own_values[1:]))
    if own_nums and own_increasing and len(own_nums) > len(given):
        given = []
    if given and increasing:
        for r in rows:
            r.continuation = not r.number and bool(rows) and r is not rows[0]
    elif own_nums:
        for r in rows:
            own = r.own
            if own is not None:
                r.number, r.continuation = str(own[0]), False
            else:
                r.number, r.continuation = None, r is not rows[0]
    # a continuation row before any task is a task of its own
    seen_task = False
    for r in rows:
        if not r.continuation:
            seen_task = True
        elif not seen_task:
            r.continuation = False


def _inherit(rows: list[Row], roles: list[str], at_end: bool) -> None:
    """Fill responsible columns a row lacks (a merged cell) from the row above; a cut-off last row gets
    nothing and is marked truncated."""
    unit_cols = [k for k, r in enumerate(roles) if r in UNIT_ROLES]
    if not unit_cols:
        return
    prev: Row | None = None
    lead_cols = [c for c in unit_cols if roles[c] == "lead"] or unit_cols[:1]
    for k, row in enumerate(rows):
        have = {c for c, _ in row.cells}
        if k == len(rows) - 1 and at_end and not have & set(unit_cols) and max(have, default=-1) < max(unit_cols):
            row.truncated = True  # cut off before its units: nothing is guessed
        if prev is not None and not row.truncated:
            if not have & set(unit_cols):
                lacking = unit_cols  # the whole responsible block was merged with the row above
            elif set(lead_cols) - have and row.continuation:
                lacking = [c for c in lead_cols if c not in have]  # the lead cell spans the task's rows
            else:
                lacking = []
            for c in lacking:
                cell = next((x for col, x in prev.cells if col == c), None)
                if cell is not None:
                    row.cells.append((c, cell))
                    row.inherited.append(c)
            row.cells.sort(key=lambda p: p[0])
        prev = row
