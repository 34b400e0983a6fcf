"""PDF → :class:`Blocks` with pdfplumber (imported on first use).

Per page, in reading order (top to bottom): tables found by their ruling lines become grids (a merged
cell spread over the rows and columns it covers; a table going on over a page break stays one grid, a
header row repeated on the next page is debris), and the text outside them becomes lines. Paragraphs the
layout wrapped over several lines are joined back (:mod:`.pdflines`); running headers, footers and page
numbers are debris. Positions are `page 3 line 4` (the first physical line of a paragraph) and
`page 3 t1 r2 c3` (a table cell).

Refused, each with one clear reason: no text layer (a scan), a password, more than ``MAX_PAGES`` pages
(counted before any page is read), extracted text over ``max_bytes``, anything pdfminer cannot parse.
"""
from __future__ import annotations

import bisect
import io
import logging
import statistics
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..errors import InputError
from .blocks import Blocks
from .pdflines import Margins, PLine, is_han, join, margins, mark_chrome, paragraphs

MAX_PAGES = 5000
_NO_TEXT = "no text layer (a scanned PDF?); run OCR first"


@dataclass(slots=True)
class PTable:
    page: int
    k: int  # the table's number on its page (1-based)
    top: float
    bottom: float
    edges: list[float]  # the x of the column boundaries
    owner: list[list[int | None]]  # (row, col) → the cell covering it
    texts: list[str]  # per cell, its text (lines joined)
    cont: PTable | None = None  # the table on the page before that this one goes on from
    grid: object = None
    head: list[str] = field(default_factory=list)


@contextmanager
def _quiet():
    """pdfminer logs warnings about damaged files: the reader reports its own errors, one line each."""
    loggers = [logging.getLogger(n) for n in ("pdfminer", "pdfplumber")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, lv in zip(loggers, levels):
            lg.setLevel(lv)


def read(data: bytes, *, max_bytes: int) -> Blocks:
    try:
        with _quiet():
            return _read(data, max_bytes)
    except InputError:
        raise
    except RecursionError:
        raise InputError("a damaged PDF (objects nested too deeply)") from None
    except MemoryError:
        raise InputError("a PDF too large to read in memory") from None
    except Exception as e:  # noqa: BLE001 - pdfminer raises PSSyntaxError, PDFSyntaxError, KeyError, ValueError...
        raise InputError(f"a damaged PDF ({_short(e)})") from None


def _short(e: BaseException) -> str:
    inner = e.args[0] if type(e).__name__ == "PdfminerException" and e.args else e
    if isinstance(inner, BaseException):
        e = inner
    text = str(e).splitlines()[0][:80] if str(e).strip() else ""
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def _open(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - pdfplumber wraps whatever pdfminer raised
        inner = e.args[0] if e.args and isinstance(e.args[0], BaseException) else e
        if isinstance(inner, PDFEncryptionError):
            raise InputError("an encrypted PDF (password-protected, or an encryption pdfminer cannot open); "
                             "save an unprotected copy") from None
        raise InputError(f"a damaged PDF ({_short(inner)})") from None


def _page_count(pdf) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        pages = resolve1(pdf.doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    except Exception:  # noqa: BLE001 - no usable count: the pages are counted as they are read
        return None
    return count if isinstance(count, int) else None


def _read(data: bytes, max_bytes: int) -> Blocks:
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    pdf = _open(data)
    count = _page_count(pdf)
    if count is not None and count > MAX_PAGES:
        raise InputError(f"a PDF of {count} pages; at most {MAX_PAGES} are read")
    pages: list[list] = []
    widths: list[float] = []
    budget = [max_bytes]
    has_text: list[bool] = []
    for i, page_obj in enumerate(PDFPage.create_pages(pdf.doc)):
        if i >= MAX_PAGES:
            raise InputError(f"a PDF of more than {MAX_PAGES} pages; at most {MAX_PAGES} are read")
        page = Page(pdf, page_obj, page_number=i + 1, initial_doctop=0)
        try:
            items, text = _page_items(page, i + 1, budget, max_bytes)
        finally:
            page.close()
        pages.append(items)
        widths.append(float(page.width))
        has_text.append(text)
        pdf.flush_cache()
    if not pages:
        raise InputError("a PDF with no pages")
    if not any(has_text):
        raise InputError(_NO_TEXT)
    return _blocks(pages, widths, has_text)


def _page_items(page, no: int, budget: list[int], max_bytes: int) -> tuple[list, bool]:
    chars = page.chars
    if not chars:
        return [], False
    if sum(c["text"].startswith("(cid:") for c in chars) * 2 > len(chars):
        if getattr(page.pdf.doc, "encryption", None):
            raise InputError("an encrypted PDF whose text cannot be decoded; save an unprotected copy")
        raise InputError("a PDF whose fonts map no characters to text (cid codes only); run OCR first")
    page = page.dedupe_chars()
    chars = page.chars
    # a frame round a paragraph (one row or one column) is no table: its text stays body text
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    body = page.filter(outside) if boxes else page
    items: list = []
    for ln in body.extract_text_lines(strip=True, return_chars=True):
        text = ln["text"]
        if not text.strip():
            continue
        budget[0] -= len(text.encode("utf-8"))
        cs = ln["chars"]
        size = statistics.median(c["size"] for c in cs) if cs else 10.0
        items.append(PLine(text, ln["x0"], ln["x1"], ln["top"], ln["bottom"], size, _first_width(cs, size), no, 0))
    for k, t in enumerate(tables, 1):
        tb = _table(t, chars, no, k)
        budget[0] -= sum(len(x.encode("utf-8")) for x in tb.texts)
        items.append(tb)
    if budget[0] < 0:
        raise InputError(f"the text of the PDF is over the limit of {max_bytes} bytes (--max-bytes)")
    items.sort(key=lambda x: x.top)
    n = 0
    for x in items:
        if isinstance(x, PLine):
            n += 1
            x.no = n
    return items, True


_NO_LINE_START = set("、，,。．：:；;！!？?）)」』】〕》〉”’…%％")  # marks a typesetter never starts a line with


def _first_width(cs: list[dict], size: float) -> float:
    """The width of the first word of a line: a CJK character, or a Latin run up to a space or a gap, with
    the marks that may not start a line and so travel with it (`17、` moves down whole)."""
    if not cs:
        return 0.0
    first = cs[0]
    k = 0
    if not is_han(first["text"][:1] or " "):
        for k in range(1, len(cs)):
            c, prev = cs[k], cs[k - 1]
            if not c["text"].strip() or is_han(c["text"][:1]) or c["x0"] - prev["x1"] > 0.25 * size:
                k -= 1
                break
        else:
            k = len(cs) - 1
    while k + 1 < len(cs) and cs[k + 1]["text"][:1] in _NO_LINE_START:
        k += 1
    return cs[k]["x1"] - first["x0"]


def _bounds(values: list[float], tol: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _table(t, chars: list[dict], page: int, k: int) -> PTable:
    """A ruled table: every (row, column) slot owned by the cell covering its centre (a merged cell owns
    several); each cell's text is its lines joined."""
    from pdfplumber.utils import extract_text

    cells = list(t.cells)
    x0, top, x1, bottom = t.bbox
    cols = _bounds([c[0] for c in cells]) + [x1]
    rows = _bounds([c[1] for c in cells]) + [bottom]
    owner: list[list[int | None]] = []
    for r in range(len(rows) - 1):
        cy = (rows[r] + rows[r + 1]) / 2
        line = []
        for c in range(len(cols) - 1):
            cx = (cols[c] + cols[c + 1]) / 2
            line.append(next((i for i, b in enumerate(cells) if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None))
        owner.append(line)
    mine: list[list[dict]] = [[] for _ in cells]
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            continue
        r = min(max(bisect.bisect_right(rows, cy) - 1, 0), len(owner) - 1)
        c = min(max(bisect.bisect_right(cols, cx) - 1, 0), len(cols) - 2)
        i = owner[r][c]
        if i is not None:
            mine[i].append(ch)
    texts = [join(extract_text(cs).split("\n")) if cs else "" for cs in mine]
    return PTable(page, k, top, bottom, cols, owner, texts)


def _blocks(pages: list[list], widths: list[float], has_text: list[bool]) -> Blocks:
    from ..grid.cells import Cell
    from ..grid.split import Grid

    mark_chrome(pages)
    by_width = margins(pages, widths)
    default = next(iter(by_width.values()), Margins(0.0, 0.0))

    def page_margins(p: int) -> Margins:
        return by_width.get(round(widths[p - 1]), default)

    items = [x for page in pages for x in page]
    _link_tables(items)
    blocks = Blocks()
    for el in paragraphs(items, page_margins):
        if isinstance(el, PLine):
            blocks.add(el.text, f"page {el.page} line {el.no}", debris=True)
        elif isinstance(el, list):
            blocks.add(join([x.text for x in el]), f"page {el[0].page} line {el[0].no}")
        else:
            _emit_table(el, blocks, Grid, Cell)
    blank = [str(k) for k, t in enumerate(has_text, 1) if not t]
    if blank:
        shown = ", ".join(blank[:10]) + (" …" if len(blank) > 10 else "")
        blocks.diagnostics.append({"level": "warning", "code": "pdf_no_text", "line": None,
                                   "message": f"page(s) {shown} have no text layer (scanned?): not read"})
    return blocks


def _link_tables(items: list) -> None:
    """A table that opens a page (only chrome above it) right after a table that closed the page before,
    with the same columns, goes on from it."""
    last = None  # the last item that is not chrome
    for x in items:
        if isinstance(x, PLine):
            if not x.debris:
                last = x
            continue
        if isinstance(last, PTable) and last.page == x.page - 1 and len(last.edges) == len(x.edges) and \
                all(abs(a - b) <= 3 for a, b in zip(last.edges, x.edges)):
            x.cont = last
        last = x


def _emit_table(tb: PTable, blocks: Blocks, Grid, Cell) -> None:
    start = 0
    grid = tb.cont.grid if tb.cont is not None else None
    if grid is not None and tb.owner and tb.cont.head:
        first = [tb.texts[i] if i is not None else "" for i in tb.owner[0]]
        if first == tb.cont.head:  # the header row repeated on the new page
            for i in dict.fromkeys(i for i in tb.owner[0] if i is not None):
                if tb.texts[i].strip():
                    blocks.add(tb.texts[i], f"page {tb.page} t{tb.k} r1 c{tb.owner[0].index(i) + 1}", debris=True)
            start = 1
    if grid is None:
        grid = Grid(form="pdf", start=0, end=0, rows=[])
        blocks.grids.append(grid)
    tb.grid = grid
    tb.head = tb.cont.head if tb.cont is not None else \
        [tb.texts[i] if i is not None else "" for i in (tb.owner[0] if tb.owner else [])]
    line_of: dict[int, int] = {}
    carried = _carried(tb, grid, start)
    for r in range(start, len(tb.owner)):
        row = []
        for c, i in enumerate(tb.owner[r]):
            if i in carried:
                row.append(Cell(carried[i].text, list(carried[i].lines), col=c))
                continue
            if i is None or not tb.texts[i].strip():
                row.append(Cell("", [], col=c))
                continue
            if i not in line_of:
                line_of[i] = blocks.add(tb.texts[i], f"page {tb.page} t{tb.k} r{r + 1} c{c + 1}")
            row.append(Cell(tb.texts[i], [line_of[i]], col=c))
        grid.rows.append(row)


def _carried(tb: PTable, grid, start: int) -> dict[int, object]:
    """A merged cell cut by the page break: its text printed on the page before only. An empty cell that
    opens the continued table under a cell that spanned several rows at the end of the page before is
    the rest of that cell."""
    out: dict[int, object] = {}
    if tb.cont is None or len(grid.rows) < 2 or start >= len(tb.owner):
        return out
    last, before = grid.rows[-1], grid.rows[-2]
    for c, i in enumerate(tb.owner[start]):
        if i is None or tb.texts[i].strip() or c >= len(last):
            continue
        cell = last[c]
        if cell.lines and c < len(before) and before[c].lines == cell.lines:
            out[i] = cell
    return out
