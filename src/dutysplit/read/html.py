"""HTML pages (a government site's article page as saved or fetched; HTML saved as ``.txt``) → :class:`Blocks`.

Lines are the page's blocks in document order: every block element (``p``, ``div``, ``li``, ``h1``…) and every
``<br>`` ends a line, inline elements are joined, white space collapses as a browser does (``&nbsp;`` is a
plain space), ``<pre>`` keeps its lines. A ``<table>`` is read by structure: rows (``thead``/``tbody``/
``tfoot`` included) and cells spread over their ``rowspan``/``colspan`` into a grid (a merged cell repeated
where it spans); the paragraphs of a cell are lines (position ``t1 r2 c3``); a table inside a cell is read
as lines of that cell. A layout table (fewer than two rows of two cells, or holding in a cell a data table
as wide as itself or with as many cells, or a whole page) is read as paragraphs. Script, style, templates
and frames are not text; page chrome (nav, page header/footer, menus, breadcrumbs, share bars, copyright
lines) becomes lines marked as debris. The page's title and publication date (``<meta>``) are facts.

Cost is linear: the tree is walked without recursion, and nesting deeper than :data:`MAX_DEPTH` is
flattened before parsing (the parser's scope checks walk its stack of open elements).
"""
from __future__ import annotations

import codecs
import re
from itertools import accumulate
from operator import sub

from ..errors import InputError
from .blocks import Blocks
from .text import _BOMS, decode_with_notes

MAX_DEPTH = 256  # element nesting kept; deeper start/end tags are dropped (their text stays)
MAX_SPREAD = 20  # a table whose spans would multiply its cells more than this is read as paragraphs
CHROME_SCAN = 3000  # nodes looked at to decide that a chrome-named element is small enough to be chrome
LAYOUT_SCAN = 2000  # nodes looked at per cell to decide that a table is a layout table

_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre section article main address figure figcaption "
    "form fieldset legend center hr caption details summary dialog menu table tr td th tbody thead tfoot "
    "textarea option optgroup title body html header footer nav aside".split())
_DROP = frozenset("script style noscript template iframe frame frameset object embed svg math canvas audio "
                  "video map head input img link meta base".split())
_CHROME_TAGS = frozenset(("nav", "aside", "select"))
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr basefont bgsound frame "
                  "keygen".split())
_IMPLIED = frozenset("p li td th tr dt dd option optgroup thead tbody tfoot rb rt rp colgroup caption".split())
_CHROME_NAME = re.compile(r"nav|menu|footer|breadcrumb|crumb|share|copyright|sitemap|toolbar|(?<![a-z])foot(?![a-z])")
# page chrome written as text, one generic rule (short lines only)
_CHROME_LINE = re.compile(
    r"版权所有|版权声明|copyright|©|ICP备|ICP证|公网安备|网站标识码|网站地图|打印本页|打印此页|关闭窗口|分享到"
    r"|[【\[]\s*字体\s*[:：]|字号\s*[:：]\s*[【\[]?\s*大|^(?:网站)?首页$|^返回(?:首页|顶部)$|^(?:网站)?首页\s*[>»›＞]",
    re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"[ \t\n\r\f]+")
_NAME = re.compile(r"<(/?[A-Za-z][A-Za-z0-9]{0,30})")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,30})[^<>]*>")


class _Steps(dict):
    """Tag name (``div``, ``/div``) → +1 (an element opens), -1 (one closes), 0 (void, or closed by the parser)."""

    def __missing__(self, key: str) -> int:
        name = key.lstrip("/").lower()
        value = 0 if name in _VOID or name in _IMPLIED else (-1 if key[0] == "/" else 1)
        self[key] = value
        return value


_STEP = _Steps()
_RAW = re.compile(r"<!--|<(script|style|textarea|title|xmp|noscript|iframe|noembed|noframes|svg|math)(?=[\s>/])", re.I)
_FRAGMENT_ROW = re.compile(r"\A(?:\ufeff)?\s*(?:<!--.*?-->\s*)*<(?:tr|td|th|tbody|thead|tfoot)[\s>]", re.I | re.S)
_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{2,40})", re.I)
_GB = {"gb2312", "gbk", "gb_2312-80", "gb_2312", "x-gbk", "cp936", "euc-cn", "gb18030", "csgb2312", "936", "ms936"}
_DATE_META = {"pubdate", "publishdate", "firstpublishedtime", "article:published_time", "published_time",
              "publish_date", "pubtime", "publishtime", "datepublished"}
_TITLE_META = {"articletitle"}
_TITLE_SEP = re.compile(r"\s*(?:_|\||｜|——|—|－|\s-\s|-{2,})\s*")


def read(data: bytes, *, max_bytes: int, encoding: str | None = None) -> Blocks:
    if len(data) > max_bytes:
        raise InputError(f"HTML of {len(data)} bytes, over the limit of {max_bytes} (--max-bytes)")
    text, used, notes = _decode(data, encoding)
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError("reading HTML needs the selectolax package (pip install selectolax)") from None
    if _FRAGMENT_ROW.match(text):
        text = "<table>" + text  # table rows saved without their table: rows stay rows
    text = _bound_depth(text)
    try:
        tree = LexborHTMLParser(text)
    except Exception as e:  # noqa: BLE001 - a library error is an input error with one line
        raise InputError(f"HTML cannot be parsed ({type(e).__name__})") from None
    reader = _Reader()
    reader.b.diagnostics.extend(notes)
    reader.b.encoding = used
    reader.b.facts.extend(_facts(tree))
    root = tree.body or tree.root
    if root is not None:
        reader.walk(root, in_cell=False)
        reader.flush()
    if not any(line.strip() for line in reader.b.lines):
        raise InputError("HTML page holds no text")
    return reader.b


def _decode(data: bytes, encoding: str | None) -> tuple[str, str, list[dict]]:
    """Bytes → text: ``encoding`` if given; a BOM; a declared ``<meta charset>`` when the bytes are not
    UTF-8 (gb2312/gbk are read as GB18030, invalid sequences replaced and reported); else by evidence."""
    if encoding or any(data.startswith(bom) for bom, _ in _BOMS):
        return decode_with_notes(data, encoding)
    m = _CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii").lower() if m else None
    if declared in _GB:
        declared = "gb18030"
    if declared:
        try:
            declared = codecs.lookup(declared).name
        except LookupError:
            declared = None
    if declared and declared != "utf-8" and not _is_utf8(data):
        try:
            return data.decode(declared), declared, []
        except UnicodeDecodeError as e:
            text = data.decode(declared, errors="replace")
            return text, declared, [{"level": "warning", "code": "invalid_bytes", "line": None,
                           "message": f"bytes not valid {declared} (the page's declared charset) from byte "
                                      f"{e.start}; read as U+FFFD"}]
    return decode_with_notes(data, None)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _bound_depth(text: str) -> str:
    """Drop start and end tags nested deeper than MAX_DEPTH (their text stays where it is)."""
    if text.count("<") <= MAX_DEPTH:
        return text
    regions = list(_markup(text))
    # the deepest nesting, floored at 0 after stray end tags, counted at C speed: the largest rise of the
    # running sum of +1 (start) / -1 (end) above its lowest point so far
    found = [x for a, b in regions for x in _NAME.findall(text, a, b)]
    sums = list(accumulate(map(_STEP.__getitem__, found), initial=0))
    if max(map(sub, sums, accumulate(sums, min))) <= MAX_DEPTH:
        return text
    out, last, depth = [], 0, 0
    for a, b in regions:
        for m in _TAG.finditer(text, a, b):
            step = _STEP[m.group(1) + m.group(2)]
            if not step:
                continue
            if step < 0:
                drop, depth = depth > MAX_DEPTH, max(depth - 1, 0)
            else:
                depth += 1
                drop = depth > MAX_DEPTH
            if drop:
                out.append(text[last:m.start()])
                last = m.end()
    out.append(text[last:])
    return "".join(out)


def _markup(text: str):
    """(start, end) of the stretches a parser reads as markup: not comments, nor the raw text of script,
    style and their kin (a script's `i<n` is no tag)."""
    pos, n = 0, len(text)
    while pos < n:
        m = _RAW.search(text, pos)
        if m is None:
            yield pos, n
            return
        yield pos, m.start()
        if m.group(1) is None:
            end = text.find("-->", m.end())
            pos = n if end < 0 else end + 3
        else:
            close = re.compile(rf"</{m.group(1)}\s*>", re.I).search(text, m.end())
            pos = n if close is None else close.end()


def _facts(tree) -> list[dict]:
    """The page's title (``ArticleTitle`` meta, else ``<title>`` without the site's name) and its publication
    date, under the keys the text parser gives such web metadata (``标题``, ``发布时间``)."""
    title = date = None
    for node in tree.css("meta"):
        attrs = node.attributes
        name = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").strip().lower()
        content = _WS.sub(" ", attrs.get("content") or "").strip()
        if not content:
            continue
        if name in _DATE_META and date is None:
            date = content[:64]
        elif name in _TITLE_META and title is None:
            title = content[:300]
    if title is None:
        node = tree.css_first("title")
        raw = _WS.sub(" ", node.text() if node is not None else "").replace("\xa0", " ").strip()
        if raw:
            title = max(_TITLE_SEP.split(raw), key=len).strip()[:300] or None
    facts = []
    if title:
        facts.append({"key": "标题", "value": title, "kind": "kv"})
    if date:
        facts.append({"key": "发布时间", "value": date, "kind": "kv"})
    return facts


def _scan(node, budget: int):
    """Descendants of ``node`` in document order, at most ``budget`` of them."""
    stack, cur = [], node.child
    while cur is not None and budget > 0:
        budget -= 1
        yield cur
        if cur.child is not None:
            stack.append(cur)
            cur = cur.child
            continue
        while cur is not None and cur.next is None:
            cur = stack.pop() if stack else None
        cur = cur.next if cur is not None else None


def _rows(table) -> tuple[list[list], list]:
    """The table's own rows (cells ``td``/``th``) and its other children (caption, stray content)."""
    rows, other = [], []
    for child in _children(table):
        tag = child.tag
        if tag == "tr":
            rows.append([c for c in _children(child) if c.tag in ("td", "th")])
        elif tag in ("thead", "tbody", "tfoot"):
            for tr in _children(child):
                if tr.tag == "tr":
                    rows.append([c for c in _children(tr) if c.tag in ("td", "th")])
        elif tag not in ("colgroup", "col", "-text", "-comment") and tag not in _DROP:
            other.append(child)
    return rows, other


def _children(node):
    cur = node.child
    while cur is not None:
        yield cur
        cur = cur.next


def _span(cell, name: str, limit: int) -> int:
    raw = (cell.attributes.get(name) or "1").strip()
    m = re.match(r"\d{1,6}", raw)
    value = int(m.group()) if m else 1
    if value == 0 and name == "rowspan":
        return limit
    return max(1, min(value, limit))


# what a browser draws before each item of an <ol>: `type` or CSS list-style-type → (numFmt, suffix)
_LIST_TYPES = {"1": ("decimal", "."), "a": ("lowerLetter", "."), "A": ("upperLetter", "."),
               "i": ("lowerRoman", "."), "I": ("upperRoman", "."), "decimal": ("decimal", "."),
               "decimal-leading-zero": ("decimalZero", "."), "lower-alpha": ("lowerLetter", "."),
               "lower-latin": ("lowerLetter", "."), "upper-alpha": ("upperLetter", "."),
               "upper-latin": ("upperLetter", "."), "lower-roman": ("lowerRoman", "."),
               "upper-roman": ("upperRoman", "."), "cjk-ideographic": ("chineseCounting", "、"),
               "cjk-decimal": ("chineseCounting", "、"), "simp-chinese-informal": ("chineseCounting", "、"),
               "trad-chinese-informal": ("chineseCounting", "、"), "none": (None, "")}
_LIST_STYLE = re.compile(r"list-style(?:-type)?\s*:\s*([a-z-]+)", re.I)


def _list_style(node, tag: str) -> list:
    """[numFmt (None: no number drawn), suffix, next number] of an <ol>/<ul>."""
    attrs = node.attributes
    m = _LIST_STYLE.search(attrs.get("style") or "")
    kind = m.group(1).lower() if m else (attrs.get("type") or "").strip()
    fmt, suffix = _LIST_TYPES.get(kind, ("decimal", ".") if tag == "ol" else (None, ""))
    if tag == "ul" and not m:
        fmt, suffix = None, ""
    try:
        start = int((attrs.get("start") or "1").strip())
    except ValueError:
        start = 1
    return [fmt, suffix, start]


def _marker(node, state: list) -> str:
    """The number of this <li> (its ``value`` resets the count), as a browser draws it."""
    from .docx_numbering import fmt_number

    value = (node.attributes.get("value") or "").strip()
    if value.lstrip("-").isdigit():
        state[2] = int(value)
    n, state[2] = state[2], state[2] + 1
    return fmt_number(n, state[0]) + state[1]


class _Reader:
    def __init__(self):
        self.b = Blocks()
        self.buf: list[str] = []
        self.debris = False
        self.pre = 0
        self.article = 0
        self.paras = 0
        self.tables = 0
        self.cell: list[int] | None = None  # line numbers of the cell being read
        self.cell_pos = ""
        self.lists: list[list] = []  # open <ol>/<ul>: [numFmt or None (bullets), suffix, next number]
        self.marker = ""  # the number a browser draws before the next line (an <li> of an <ol>)

    # -- lines
    def flush(self) -> None:
        if not self.buf:
            return
        raw = "".join(self.buf)
        self.buf.clear()
        text = raw if self.pre else _WS.sub(" ", raw)
        text = text.replace("\xa0", " ")
        text = text.rstrip() if self.pre else text.strip(" ")
        if not text.strip():
            return
        if self.marker:
            text, self.marker = self.marker + text, ""
        debris = self.debris or (len(text) <= 100 and _CHROME_LINE.search(text) is not None)
        if self.cell is not None:
            pos = self.cell_pos if not self.cell else f"{self.cell_pos} p{len(self.cell) + 1}"
        else:
            self.paras += 1
            pos = f"p{self.paras}"
        no = self.b.add(text, pos, debris=debris)
        if self.cell is not None and not debris:
            self.cell.append(no)

    def text(self, s: str) -> None:
        if self.pre and "\n" in s:
            first, *rest = s.split("\n")
            self.buf.append(first)
            for piece in rest:
                self.flush()
                self.buf.append(piece)
        else:
            self.buf.append(s)

    # -- the walk
    def walk(self, root, *, in_cell: bool) -> None:
        """Every descendant of ``root``, iteratively (no recursion: nesting depth costs nothing)."""
        stack: list[tuple[object, tuple]] = []
        node = root.child
        while True:
            if node is None:
                if not stack:
                    return
                node, saved = stack.pop()
                self.leave(node.tag, saved)
                node = node.next
                continue
            tag = node.tag
            if tag == "-text":
                self.text(node.text_content or "")
            elif tag == "br":
                self.flush()
            elif tag and tag[0] not in "-!_" and tag not in _DROP:
                if tag == "table" and not in_cell and not self.debris and self.grid(node):
                    node = node.next
                    continue
                saved = self.enter(node, tag)
                if node.child is not None:
                    stack.append((node, saved))
                    node = node.child
                    continue
                self.leave(tag, saved)
            node = node.next

    def enter(self, node, tag: str) -> tuple:
        saved = (self.debris, self.pre, self.article)
        if tag in _BLOCK:
            self.flush()
        if tag in ("ol", "ul"):
            self.lists.append(_list_style(node, tag))
        elif tag == "li" and self.lists and self.lists[-1][0]:
            self.marker = _marker(node, self.lists[-1])
        if tag == "pre" or tag == "textarea":
            self.pre += 1
        if tag in ("article", "main"):
            self.article += 1
        if not self.debris and self._chrome(node, tag):
            self.debris = True
        return saved

    def leave(self, tag: str, saved: tuple) -> None:
        if tag in _BLOCK:
            self.flush()
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        elif tag == "li":
            self.marker = ""
        self.debris, self.pre, self.article = saved

    def _chrome(self, node, tag: str) -> bool:
        if tag in _CHROME_TAGS or tag in ("header", "footer") and not self.article:
            return True
        attrs = node.attributes
        if "hidden" in attrs or _HIDDEN.search(attrs.get("style") or ""):
            return True
        words = f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower()
        if not _CHROME_NAME.search(words):
            return False
        # a chrome-named element that holds a document is no chrome: small elements only
        size = chars = 0
        for el in _scan(node, CHROME_SCAN + 1):
            size += 1
            if el.tag == "-text":
                chars += len((el.text_content or "").strip())
        return size <= CHROME_SCAN and chars <= 3000

    # -- tables
    def grid(self, table) -> bool:
        """Read ``table`` as a grid; False (nothing read) when it is a layout table."""
        rows, other = _rows(table)
        if sum(len(r) >= 2 for r in rows) < 2 or self._layout(rows):
            return False
        spread = sum(min(_span(c, "rowspan", len(rows) - i), len(rows) - i) * _span(c, "colspan", 1000)
                     for i, r in enumerate(rows) for c in r)
        cells = sum(len(r) for r in rows)
        if spread > MAX_SPREAD * cells + 1000:
            self.b.diagnostics.append({"level": "warning", "code": "table_spans", "line": len(self.b.lines) + 1,
                                       "message": f"a table whose row and column spans make {spread} cells out of "
                                                  f"{cells}: read as paragraphs"})
            return False
        from ..grid.cells import Cell
        from ..grid.split import Grid

        self.flush()
        for node in other:  # a caption, content the page put among the rows
            self.walk_one(node)
        self.tables += 1
        t = self.tables
        out: list[list[Cell]] = []
        pending: dict[int, tuple[Cell, int]] = {}
        for i, tds in enumerate(rows):
            row: dict[int, Cell] = {}
            for col, (cell, left) in list(pending.items()):
                row[col] = Cell(cell.text, list(cell.lines), col=col)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (cell, left - 1)
            x = 0
            for td in tds:
                while x in row:
                    x += 1
                rs, cs = _span(td, "rowspan", len(rows) - i), _span(td, "colspan", 1000)
                self.cell, self.cell_pos = [], f"t{t} r{i + 1} c{x + 1}"
                self.walk(td, in_cell=True)
                self.flush()
                lines, self.cell = self.cell, None
                text = "\n".join(self.b.lines[n - 1] for n in lines)
                placed = 0
                for dx in range(cs):
                    if x + dx in row:  # a span running into a cell spread from above ends there
                        break
                    row[x + dx] = Cell(text, list(lines), col=x + dx)
                    if rs > 1:
                        pending[x + dx] = (row[x + dx], rs - 1)
                    placed += 1
                x += max(placed, 1)
            out.append([row[c] for c in sorted(row)])
        self.b.grids.append(Grid(form="html", start=0, end=0, rows=out))
        return True

    def walk_one(self, node) -> None:
        saved = self.enter(node, node.tag)
        self.walk(node, in_cell=False)
        self.leave(node.tag, saved)

    def _layout(self, rows: list[list]) -> bool:
        """A layout table: a cell holds a data table (a nested table of at least two rows of two cells) that is
        the bulk of the table, not a detail of one cell: as wide as the table or with as many cells, whatever
        the row counts (a page's short data table in a tall frame of logo, navigation and footer rows). A
        narrower, smaller nested table is read as lines of its cell. A cell holding a page's worth of blocks
        also makes a layout table."""
        width, cells = _width(rows), sum(len(r) for r in rows)
        for r in rows:
            for td in r:
                blocks = 0
                for el in _scan(td, LAYOUT_SCAN):
                    tag = el.tag
                    if tag == "table":
                        inner, _ = _rows(el)
                        if sum(len(x) >= 2 for x in inner) >= 2 and (
                                _width(inner) >= width or sum(len(x) for x in inner) >= cells):
                            return True
                    elif tag in _BLOCK or tag == "br":
                        blocks += 1
                        if blocks >= 30:
                            return True
        return False


def _width(rows: list[list]) -> int:
    """Columns of the widest row, column spans counted."""
    return max((sum(_span(c, "colspan", 1000) for c in r) for r in rows), default=0)
