"""Splitters: one small function per cell-border form, each turning lines of text into a :class:`Grid`.

* ``pipe``   rows of cells separated by `|` (markdown rows, a stray `?` after each cell, a cell wrapped onto
             the next line, a line ending without `|` continuing on the next);
* ``bars``   one cell per line, cells closed by `|` lines or a trailing ` |` (`||`, `|||` end a row);
* ``lines``  one cell per line, nothing between (rows found by the assembler);
* ``spaces`` one row per line, cells separated by spaces or tabs (`序号 类别 主要任务 牵头单位`);
* ``box``    box drawing (`│`, `┼`, `+--+`), merged cells read column by column;
* ``kv``     key–value rows (`牵头单位: | 市执法局 |`): a table written transposed.

A splitter only cuts text into cells and says which line each came from; finding the header and
assembling rows is :mod:`.header` and :mod:`.assemble`, the same for every form. Readers of Word, HTML,
PDF and Excel hand over grids that are already cut.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from ..vocab import is_word, role_of
from .cells import Cell

_DIGIT_START = regex.compile(r"^\s*\d")

_CELL_END_Q = regex.compile(r"\?+(?=\s|$)|(?<=\s)\?+")
_MD_SEP = regex.compile(r"^:?-{3,}:?$")
_BARS_ONLY = regex.compile(r"^[|｜\s]+$")
_BOX_SPLIT = regex.compile(r"[│┃║├┤┼┬┴╋┣┫╠╣╬┝┥┿╂┠┨╞╡╪╟╢╫]")
_BOX_RULE = regex.compile(r"^[─━═┄┈\-=+\s]*$")
_BOX_CHARS = frozenset("─━═│┃║├┤┼┬┴╋┣┫╠╣╬┌┐└┘┏┓┗┛╔╗╚╝┝┥┿╂┠┨╞╡╪╟╢╫")
_STRONG_END = regex.compile(r"^(?:附\s*件|抄\s*送|.{0,40}印\s*发$|.{2,80}关于.{2,120}的通知$|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$)")
_HEADING = regex.compile(r"^[一二三四五六七八九十]{1,3}\s*[、．.]")
_NUM_CELL = regex.compile(r"^\d{1,3}[.、]?$")
_RUN_ROW = regex.compile(r"^\d{1,3}\D{4,}")
_KV = regex.compile(r"^(?P<key>[^|｜:：]{2,30}?)\s*[:：]\s*[|｜](?P<value>.*)$")


@dataclass(slots=True)
class Grid:
    form: str
    start: int  # index (into the lines given) of the first line
    end: int  # index just past the last line used
    rows: list[list[Cell]] | None = None  # row forms: the rows as cut (header row included)
    cells: list[Cell] | None = None  # stream forms: every cell in reading order (header cells included)
    breaks: set[int] = field(default_factory=set)  # stream: cell indices a row may end after (`||`)
    used: list[int] = field(default_factory=list)  # line ids the splitter consumed (separators included)
    columns: list[list[tuple[str, int, int]]] | None = None  # box: per column, its segments (text, first, last)
    note: str | None = None  # what the splitter could not read (cells run together): reported, not guessed


def _clean_cell(t: str) -> str:
    return _CELL_END_Q.sub("", t).strip()


def pipe_pieces(text: str) -> tuple[list[str], bool]:
    """Cells of a pipe line and whether the line closes its last cell with `|`."""
    t = text.strip().replace("｜", "|")
    closed = t.endswith("|")
    parts = t.split("|")
    if closed:
        parts = parts[:-1]
    if t.startswith("|") and parts and not parts[0].strip():
        parts = parts[1:]
    return [_clean_cell(p) for p in parts], closed


def pipe(lines, i: int) -> Grid | None:
    if lines[i].text.replace("｜", "|").count("|") < 2:
        return None
    rows: list[list[Cell]] = []
    used: list[int] = []
    open_row = False
    j, n = i, len(lines)
    while j < n:
        line = lines[j]
        t = line.text
        if line.debris:
            used.append(line.no)
            j += 1
            continue
        if "|" in t or "｜" in t:
            pieces, closed = pipe_pieces(t)
            if pieces and all(_MD_SEP.match(p) for p in pieces if p):
                used.append(line.no)
                j += 1
                continue
            if open_row and rows and pieces:
                last = rows[-1][-1]
                last.text += "\n" + pieces[0]
                last.lines.append(line.no)
                rows[-1].extend(Cell(p, [line.no]) for p in pieces[1:])
            else:
                rows.append([Cell(p, [line.no]) for p in pieces])
            open_row = not closed
        elif open_row and rows:
            last = rows[-1][-1]
            last.text += "\n" + _clean_cell(t)
            last.lines.append(line.no)
        elif rows and j + 1 < n and "|" in lines[j + 1].text and not _DIGIT_START.match(lines[j + 1].text):
            rows.append([Cell(_clean_cell(t), [line.no])])  # a first cell wrapped onto the next (pipe) line
            open_row = True
        else:
            break
        used.append(line.no)
        j += 1
    if len(rows) < 2:
        return None
    return Grid("pipe", i, j, rows=rows, used=used)


def _single_bar(t: str) -> str | None:
    """`名称 |` → `名称`; None when the line is no single cell closed by `|`."""
    s = t.strip().replace("｜", "|")
    if s.endswith("|") and not _BARS_ONLY.match(s):
        body = s.rstrip("|").rstrip()
        if "|" not in body:
            return body
    return None


def bars(lines, i: int) -> Grid | None:
    n = len(lines)
    first = lines[i].text.strip()
    nxt = lines[i + 1].text.strip() if i + 1 < n else ""
    if _single_bar(first) is None and not (_BARS_ONLY.match(nxt.replace("｜", "|") or "x") and "|" not in first):
        return None
    cells: list[Cell] = []
    breaks: set[int] = set()
    used: list[int] = []
    cur: Cell | None = None
    plain_run = 0
    j = i
    while j < n:
        line = lines[j]
        t = line.text.strip().replace("｜", "|")
        if line.debris:
            used.append(line.no)
            j += 1
            continue
        if _BARS_ONLY.match(t):
            if cur is not None:
                cells.append(cur)
                cur = None
            if t.count("|") >= 2 and cells:
                breaks.add(len(cells) - 1)
            plain_run = 0
        else:
            body = _single_bar(t)
            text = body if body is not None else t
            if body is None and "|" in t:
                break
            if cur is None:
                cur = Cell(_clean_cell(text), [line.no])
            else:
                cur.text += "\n" + _clean_cell(text)
                cur.lines.append(line.no)
            if body is not None:
                cells.append(cur)
                cur = None
                if t.endswith("||") and cells:
                    breaks.add(len(cells) - 1)
                plain_run = 0
            else:
                plain_run += 1
                if plain_run > 3:
                    # prose after the table: give the lines of the open cell back
                    j -= plain_run - 1
                    used = used[: len(used) - (plain_run - 1)]
                    cur = None
                    break
        used.append(line.no)
        j += 1
    if cur is not None:
        cells.append(cur)
    if len(cells) < 4:
        return None
    return Grid("bars", i, j, cells=cells, breaks=breaks, used=used)


def lines_stream(lines, i: int) -> Grid | None:
    """One cell per line from a header run of column names (at least three, split names joined)."""
    n = len(lines)
    names, j = [], i
    while j < n and len(names) < 16:
        line = lines[j]
        if line.debris:
            j += 1
            continue
        t = line.text.strip()
        if not t or len(t) > 24 or (role_of(t) is None and not _part_of_word(t, lines, j)):
            break
        names.append(t)
        j += 1
    if len(names) < 3:
        return None
    cells: list[Cell] = []
    used: list[int] = []
    j = i
    while j < n:
        line = lines[j]
        if line.debris:
            used.append(line.no)
            j += 1
            continue
        t = line.text.strip()
        if _STRONG_END.match(t) and j > i + len(names):
            break
        cells.append(Cell(_clean_cell(t), [line.no]))
        used.append(line.no)
        j += 1
    return Grid("lines", i, j, cells=cells, used=used)


def _part_of_word(t: str, lines, j: int) -> bool:
    """A header cell split over lines (`牵头` / `部门`): with the next line it makes a column name."""
    if j + 1 >= len(lines) or len(t) > 8:
        return False
    joined = t + lines[j + 1].text.strip()
    if is_word(joined):
        return True
    return j + 2 < len(lines) and is_word(joined + lines[j + 2].text.strip())


_TOKENS = regex.compile(r"[ \t\u3000]+")


def spaces(lines, i: int) -> Grid | None:
    """Rows whose cells are separated by runs of spaces or tabs; the header line names the columns."""
    raw = lines[i].raw.strip()
    tokens = [x for x in _TOKENS.split(raw) if x]
    if len(tokens) < 3 or "|" in raw:
        return None
    known = sum(1 for x in tokens if role_of(x) is not None)
    if known < 3 or known * 10 < len(tokens) * 6:
        return None
    rows = [[Cell(x, [lines[i].no]) for x in tokens]]
    used = [lines[i].no]
    j, n = i + 1, len(lines)
    while j < n:
        line = lines[j]
        if line.debris:
            used.append(line.no)
            j += 1
            continue
        toks = [x for x in _TOKENS.split(line.raw.strip()) if x]
        if len(toks) < 2 or _STRONG_END.match(line.text):
            break
        rows.append([Cell(x, [line.no]) for x in toks])
        used.append(line.no)
        j += 1
    if len(rows) < 2:
        return None
    return Grid("spaces", i, j, rows=rows, used=used)


def kv(lines, i: int) -> Grid | None:
    """`重点工作: | 135.… |` / `牵头单位: | … |`: each key a column, each run of keys a row."""
    m = _KV.match(lines[i].text.strip())
    if not m or role_of(m["key"]) is None:
        return None
    keys: list[str] = []
    rows: list[list[Cell]] = []
    used: list[int] = []
    row: list[Cell] = []
    j, n = i, len(lines)
    pending: Cell | None = None
    while j < n:
        line = lines[j]
        t = line.text.strip()
        m = _KV.match(t)
        if m and role_of(m["key"]) is not None:
            key = m["key"].strip()
            if key in keys and keys.index(key) == 0 and row:
                rows.append(row)
                row = []
            if key not in keys:
                keys.append(key)
            value = m["value"].strip().rstrip("|｜").strip()
            cell = Cell(value, [line.no], col=keys.index(key))
            row.append(cell)
            pending = None if value else cell
        elif pending is not None and t:
            pending.text = t.rstrip("|｜").strip()
            pending.lines.append(line.no)
            pending = None
        else:
            break
        used.append(line.no)
        j += 1
    if row:
        rows.append(row)
    if len(keys) < 2:
        return None
    header = [Cell(k, [], col=c) for c, k in enumerate(keys)]
    return Grid("kv", i, j, rows=[header] + rows, used=used)


def _box_line(t: str) -> bool:
    s = t.strip()
    return bool(s) and (s[0] in _BOX_CHARS or s[0] == "+" and "-" in s)


def box(lines, i: int) -> Grid | None:
    """Box drawing: every line of the region is cut at its column bars; a run of `─` in one column ends that
    column's cell (merged cells keep going in the other columns)."""
    if not _box_line(lines[i].text):
        return None
    n = len(lines)
    j = i
    region = []
    while j < n and (_box_line(lines[j].text) or lines[j].debris):
        if not lines[j].debris:
            s0 = lines[j].text.strip()[:1]
            if region and s0 in "┌┏╔" and region[-1].text.strip()[:1] in "└┗╚":
                break  # the next table begins
            region.append(lines[j])
        j += 1
    columns: list[list[tuple[str, int, int]]] = []
    open_: list[tuple[str, int, int] | None] = []
    width = 0
    for line in region:
        s = line.text.strip()
        if s.startswith("+"):
            s = s.replace("+", "│")
            if _BOX_RULE.match(s.replace("│", "")):
                parts = [p for p in s.split("│")]
            else:
                parts = s.split("|")
        else:
            parts = _BOX_SPLIT.split(s.replace("|", "│"))
        parts = parts[1:] if parts and (not parts[0].strip() or set(parts[0]) <= _BOX_CHARS) else parts
        if parts and (not parts[-1].strip() or set(parts[-1].strip()) <= _BOX_CHARS):
            parts = parts[:-1]
        if not parts:
            continue
        top = all(_BOX_RULE.match(p) for p in parts)
        if top and not columns:
            continue
        if not columns:
            width = len(parts)
            columns = [[] for _ in range(width)]
            open_ = [None] * width
        if top and len(parts) != width:
            parts = ["─"] * width
        for c in range(min(width, len(parts))):
            p = parts[c]
            if _BOX_RULE.match(p) and set(p.strip()) & set("─━═-="):
                if open_[c] is not None:
                    columns[c].append(open_[c])
                    open_[c] = None
                continue
            text = p.strip()
            cur = open_[c]
            if cur is None:
                open_[c] = (text, line.no, line.no)
            else:
                open_[c] = (cur[0] + text, cur[1], line.no)  # a cell wrapped by the column's width
    for c in range(width):
        if open_[c] is not None:
            columns[c].append(open_[c])
    if width < 2 or not any(len(col) > 1 for col in columns):
        columns = []  # box lines with no table in them: the caller skips the region
    return Grid("box", i, j, columns=columns, used=[x.no for x in lines[i:j]])


@lru_cache(maxsize=1)
def _longest_word() -> int:
    from ..vocab import _words

    return max(len(w) for w in _words()[0])


def segment(text: str, limit: int = 60) -> list[str] | None:
    """`实事内容工作任务责任单位进展情况` → the column names it is made of (every character covered by an exact
    vocabulary word, fewest words); None when it is not made of column names."""
    from ..vocab import _words, fold

    s = fold(text)
    if not s or len(s) > limit:
        return None
    words = _words()[0]
    longest = _longest_word()
    best: list[list[str] | None] = [None] * (len(s) + 1)
    best[0] = []
    for p in range(len(s)):
        if best[p] is None:
            continue
        for q in range(p + 2, min(len(s), p + longest) + 1):
            if s[p:q] in words and (best[q] is None or len(best[p]) + 1 < len(best[q])):
                best[q] = best[p] + [s[p:q]]
    return best[len(s)]


def joined(lines, i: int) -> Grid | None:
    """A header whose names run together (`实事内容工作任务责任单位进展情况`), then one cell per line."""
    t = lines[i].text.strip().lstrip("?？")
    if "|" in t or " " in t:
        return None
    names = segment(t)
    if not names or len(names) < 3:
        return None
    head = [Cell(n, [lines[i].no]) for n in names]
    cells: list[Cell] = []
    used = [lines[i].no]
    j, n = i + 1, len(lines)
    while j < n:
        line = lines[j]
        t2 = line.text.strip()
        if line.debris or t2 in ("?", "？") or (not cells and segment(t2)):
            used.append(line.no)  # stray `?`, a second header line (`一季度二季度三季度四季度`)
            j += 1
            continue
        if _STRONG_END.match(t2) or _HEADING.match(t2):
            break
        cells.append(Cell(_clean_cell(t2), [line.no]))
        used.append(line.no)
        j += 1
    if not cells:
        return None
    if "序号" in names and not any(_NUM_CELL.match(c.text) for c in cells) and any(_RUN_ROW.match(c.text) for c in cells):
        return Grid("joined", i, j, cells=head, used=used,
                    note="a table whose cells run together with no separator: not read (its lines are kept)")
    return Grid("joined", i, j, cells=head + cells, used=used)


# the order splitters are probed at a line: the first that yields a grid with a header wins
SPLITTERS = (("box", box), ("kv", kv), ("pipe", pipe), ("bars", bars), ("spaces", spaces), ("lines", lines_stream),
             ("joined", joined))
