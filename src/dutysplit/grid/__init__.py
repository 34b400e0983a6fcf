"""Tables (layout family K), read one way whatever their form.

``find_tables(lines)`` probes each line with the splitters of :mod:`.split` (one per cell-border form);
the first grid that has a header (:mod:`.header`) is assembled into rows (:mod:`.assemble`) and becomes a
:class:`Table`. Readers of Word, HTML, PDF and Excel hand over grids already cut (``read_grid``). Cost is
linear: a splitter reads forward from the probe and a grid without a header is skipped as a whole.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .assemble import Group, Row, build_rows, split_stream
from .cells import Cell, cell_type
from .header import Column, columns_of, join_split, parallel_pairs, settle, valid
from .split import SPLITTERS, Grid

__all__ = ["Cell", "Column", "Grid", "Group", "Row", "Table", "find_tables", "read_grid", "FORMS"]

FORMS = tuple(name for name, _ in SPLITTERS)


@dataclass(slots=True)
class Table:
    form: str  # the splitter (or reader) that cut it: pipe, bars, lines, spaces, box, kv, html, docx …
    start: int  # index of its first line in the lines given
    end: int  # index just past its last line
    header: list[Column]
    header_lines: list[int]
    rows: list[Row]
    groups: list[Group]
    used: list[int] = field(default_factory=list)  # every line id inside the table
    part: int = 0  # side-by-side column pairs: the pair's index
    notes: list[str] = field(default_factory=list)  # what the reader could not do (diagnostics)


def _probe_ok(name: str, text: str, nxt: str) -> bool:
    t = text.strip()
    if name == "box":
        return bool(t) and (t[0] in "┌├│┏┃╔║+" )
    if name == "kv":
        return ("|" in t or "｜" in t) and (":" in t or "：" in t)
    if name == "pipe":
        return t.replace("｜", "|").count("|") >= 2
    if name == "bars":
        return t.endswith(("|", "｜")) or nxt.strip() in ("|", "｜")
    if name == "spaces":
        return t.count(" ") >= 2 and "|" not in t
    if name == "lines":
        return len(t) <= 24
    if name == "joined":
        return 6 <= len(t) <= 61 and " " not in t and "|" not in t and _vocab_first(t)
    return True


def _vocab_first(t: str) -> bool:
    from ..vocab import _words, fold

    global _FIRSTS
    if _FIRSTS is None:
        _FIRSTS = frozenset(w[0] for w in _words()[0])
    f = fold(t)
    return bool(f) and f[0] in _FIRSTS


_FIRSTS: frozenset[str] | None = None


def find_tables(lines, forms: tuple[str, ...] | None = None, errors: list | None = None) -> list[Table]:
    """Every table in ``lines`` (objects with ``no``, ``text``, ``raw``, ``debris``), in order. A splitter
    or reader that fails on some input is reported in ``errors`` as (line, message) — the line is then
    left to the line parser — never swallowed."""
    out: list[Table] = []
    i, n = 0, len(lines)
    enabled = [(name, fn) for name, fn in SPLITTERS if forms is None or name in forms]
    while i < n:
        line = lines[i]
        if line.debris or not line.text.strip():
            i += 1
            continue
        nxt = lines[i + 1].text if i + 1 < n else ""
        found: list[Table] = []
        skip_to = i + 1
        for name, fn in enabled:
            if not _probe_ok(name, line.text, nxt):
                continue
            try:
                grid = fn(lines, i)
                found = read_grid(grid, lines) if grid is not None else []
            except Exception as e:  # noqa: BLE001 - reported to the caller as a diagnostic
                if errors is None:
                    raise
                errors.append((line.no, f"{name} table reader failed: {type(e).__name__}: {e}"))
                continue
            if grid is None:
                continue
            if found:
                break
            if name in ("pipe", "box", "kv", "bars"):
                skip_to = max(skip_to, grid.end)  # a grid without a header is no table: skip it whole
        if found:
            out.extend(found)
            i = max(t.end for t in found)
        else:
            i = skip_to
    return out


def read_grid(grid: Grid, lines=None) -> list[Table]:
    """Header and rows of a grid: the tables it holds (two for side-by-side column pairs)."""
    if grid.columns is not None:
        return _box_tables(grid, lines)
    if grid.rows is not None:
        return _row_table(grid, lines)
    return _stream_table(grid, lines)


def _at_end(grid: Grid, lines) -> bool:
    if lines is None:
        return True
    return all(x.debris or not x.text.strip() for x in lines[grid.end:])


def _row_table(grid: Grid, lines) -> list[Table]:
    rows = grid.rows or []
    for h, first in enumerate(rows[:12]):
        names = [c.text for c in first]
        if grid.form == "spaces":
            names = [name for name, _ in join_split(names)]
        cols = settle(columns_of(names))
        if valid(cols):
            break
    else:
        return []
    head_rows = [rows[h]]
    names = _header_continues(rows[h], rows[h + 1]) if h + 1 < len(rows) and grid.form != "spaces" else None
    if names is not None:  # a two-row header: `责任单位` over `牵头单位 | 配合单位`
        sub = settle(columns_of(names))
        if valid(sub):
            cols = sub
            head_rows.append(rows[h + 1])
    head_lines = sorted({n for r in head_rows for c in r for n in c.lines})
    fixed = grid.form in ("pipe", "kv")
    body = rows[h + len(head_rows):]
    if grid.form == "kv":
        body = [_kv_row(r, len(cols)) for r in body]
    built, groups = build_rows(body, cols, fixed, _at_end(grid, lines), [])
    start = grid.start
    if lines is not None and h:
        first_line = min(head_lines) if head_lines else None
        while start < grid.end and lines[start].no != first_line:
            start += 1
    used = [n for n in grid.used if not head_lines or n >= head_lines[0]]
    return [Table(grid.form, start, grid.end, cols, head_lines, built, groups, used)]


def _header_continues(head: list[Cell], nxt: list[Cell]) -> list[str] | None:
    """The column names of a header written over two rows, or None: every cell of the row under the header
    is the header's cell spread down (a merged cell: the same lines), empty, or a column name, and at least
    one is a column name (`责任单位` spanning `牵头单位 | 配合单位` below it). The lower name wins."""
    if len(nxt) != len(head):
        return None
    names, lower = [], 0
    for above, cell in zip(head, nxt):
        if not cell.text.strip() or (cell.lines and cell.lines == above.lines):
            names.append(above.text)
        elif len(cell.text.strip()) <= 24 and _is_col(cell.text):
            names.append(cell.text)
            lower += 1
        else:
            return None
    return names if lower else None


def _kv_row(cells: list[Cell], width: int) -> list[Cell]:
    row = [Cell("", []) for _ in range(width)]
    for c in cells:
        if c.col is not None and c.col < width:
            row[c.col] = c
    return row


def _stream_table(grid: Grid, lines) -> list[Table]:
    cells = grid.cells or []
    if grid.note:
        cols = settle(columns_of([c.text for c in cells]))
        return [Table(grid.form, grid.start, grid.end, cols, [lines[grid.start].no] if lines else [], [], [],
                      list(grid.used), notes=[grid.note])]
    names = [c.text for c in cells[:20]]
    joined = join_split(names)
    head: list[tuple[str, list[int]]] = []
    for k, (name, idx) in enumerate(joined):
        if cell_type(name) != "header" and not (len(name) <= 24 and _is_col(name)):
            # an unknown column name between known ones still belongs to the header
            nxt = joined[k + 1][0] if k + 1 < len(joined) else ""
            if not (head and len(name) <= 8 and cell_type(name) in ("short", "person") and _is_col(nxt)):
                break
        head.append((name, idx))
    cols = settle(columns_of([name for name, _ in head]))
    if len(cols) < 3 or not valid(cols):
        return []
    k = head[-1][1][-1] + 1
    head_lines = sorted({n for _, idx in head for x in idx for n in cells[x].lines})
    body = cells[k:]
    # a repeated header run inside the table (a page break) is header, not a row
    kept: list[Cell] = []
    x = 0
    while x < len(body):
        c = body[x]
        if cell_type(c.text) == "header":
            run = _header_run([b.text for b in body[x:x + 16]])
            for b in body[x:x + max(run, 1)]:
                head_lines.extend(b.lines)
            x += max(run, 1)
            continue
        kept.append(c)
        x += 1
    raw_rows, groups = split_stream(kept, cols, grid.breaks, k)
    raw_rows, groups = _trim(raw_rows, groups, cols)
    built, out_groups = build_rows(raw_rows, cols, False, _at_end(grid, lines) if raw_rows and
                                   _last_line(raw_rows) == _last_line([kept]) else False, groups)
    last = max([n for r in raw_rows for c in r for n in c.lines] + [n for _, g in groups for n in g.lines]
               + head_lines)
    end = grid.start
    if lines is not None:
        while end < grid.end and lines[end].no <= last:
            end += 1
    else:
        end = grid.end
    used = [n for n in grid.used if n <= last]
    return [Table(grid.form, grid.start, end, cols, sorted(head_lines), built, out_groups, used)]


def _header_run(names: list[str]) -> int:
    """How many of ``names`` (from the first) are column names, split names joined; 0 if fewer than 3."""
    count = taken = 0
    for name, idx in join_split(names):
        if not _is_col(name):
            break
        count += 1
        taken = idx[-1] + 1
    return taken if count >= 3 else 0


def _is_col(name: str) -> bool:
    from ..vocab import role_of

    return role_of(name) is not None


def _last_line(rows: list[list[Cell]]) -> int:
    return max((n for r in rows for c in r for n in c.lines), default=-1)


def _trim(rows: list[list[Cell]], groups, cols: list[Column]):
    """A stream ends after its last row that names someone responsible: what follows is prose."""
    roles = [c.role for c in cols]
    keep = len(rows)
    while keep > 0:
        r = rows[keep - 1]
        types = [cell_type(c.text) for c in r]
        if any(t in ("units", "person", "none") for t in types) or "number" in roles and "num" in types[:2] \
                or "number" not in roles and len(r) >= max(2, len(roles) - 2):
            break
        keep -= 1
    return rows[:keep], [(i, c) for i, c in groups if i <= keep]


def _box_tables(grid: Grid, lines) -> list[Table]:
    columns = grid.columns or []
    if not columns:
        return []
    names = [col[0][0] if col else "" for col in columns]
    cols = settle(columns_of(names))
    pairs = parallel_pairs(cols)
    if not valid(cols) and pairs is None:
        return []
    head_lines = sorted({n for col in columns if col for n in range(col[0][1], col[0][2] + 1)})
    body = [col[1:] for col in columns]
    counts = {len(b) for b in body}
    raw_rows: list[list[Cell]] = []
    if len(counts) == 1:
        for r in range(counts.pop()):
            raw_rows.append([Cell(b[r][0], list(range(b[r][1], b[r][2] + 1)), col=c) for c, b in enumerate(body)])
    else:
        raw_rows = _box_by_task(body, cols)
    at_end = _at_end(grid, lines)
    tables: list[Table] = []
    if pairs is not None:
        for p_i, group_cols in enumerate(pairs):
            sub_cols = [Column(cols[c].name, cols[c].role if cols[c].role != "other" or cols[c].name else "number")
                        for c in group_cols]
            sub_rows, groups = [], []
            for row in raw_rows:
                filled = [c for c in row if not c.empty]
                if len(filled) == 1 and cell_type(filled[0].text) == "group":
                    groups.append((len(sub_rows), filled[0]))
                    continue
                sub_rows.append([Cell(row[c].text, row[c].lines, col=k) for k, c in enumerate(group_cols)])
            built, out_groups = build_rows(sub_rows, sub_cols, True, at_end, groups)
            tables.append(Table(grid.form, grid.start, grid.end, sub_cols, head_lines, built, out_groups,
                                list(grid.used), part=p_i))
        return tables
    built, groups = build_rows(raw_rows, cols, True, at_end, [])
    return [Table(grid.form, grid.start, grid.end, cols, head_lines, built, groups, list(grid.used))]


_BULLETS = ("△", "▲", "•", "·", "●", "○", "◆", "■", "-", "—")


def _box_by_task(body: list[list[tuple[str, int, int]]], cols: list[Column]) -> list[list[Cell]]:
    """Merged cells: rows are the task column's cells (bulleted sub-points join the task above); another
    column's cells go with the task whose lines they start in, or in order when the counts match."""
    roles = [c.role for c in cols]
    tcol = roles.index("task") if "task" in roles else 0
    tasks: list[list] = []
    for text, a, b in body[tcol]:
        if tasks and (not text or text.lstrip().startswith(_BULLETS)):
            tasks[-1][0] += text
            tasks[-1][2] = b
        else:
            tasks.append([text, a, b])
    rows: list[list[Cell]] = []
    for t_i, (text, a, b) in enumerate(tasks):
        row = []
        for c, segs in enumerate(body):
            if c == tcol:
                row.append(Cell(text, list(range(a, b + 1)), col=c))
                continue
            segs = [s for s in segs if s[0].strip()]
            if len(segs) == len(tasks):
                mine = [segs[t_i]]
            else:
                mine = [s for s in segs if a <= s[1] <= b]
            row.append(Cell("".join(s[0] for s in mine), [n for s in mine for n in range(s[1], s[2] + 1)], col=c))
        rows.append(row)
    return rows
