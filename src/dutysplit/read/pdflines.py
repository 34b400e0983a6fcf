"""The layout decisions of the PDF reader, over plain records (no PDF library here): which lines are page
chrome (running headers and footers, page numbers), and which physical lines are one paragraph wrapped
by the layout (joined back: the parser expects one paragraph per line).

A line is a :class:`PLine` (its text, box, font size, the width of its first word). A page is a list of
items in reading order: ``PLine`` or a table (any other object, passed through).
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from ..vocab import label_at


@dataclass(slots=True)
class PLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # font size (≈ the width of a CJK character)
    first_w: float  # width of the first word (a CJK character, or a Latin run up to a space)
    page: int  # 1-based
    no: int  # the line's number on its page (1-based, top to bottom)
    debris: bool = False


# page numbers as printed: `- 3 -`, `— 3 —`, `第3页`, `第 3 页 共 12 页`, `3/12`, `Page 3 of 12`, `3`
_PAGE_NO = re.compile(r"^(?:[-－—–~～]\s*\d{1,5}\s*[-－—–~～]|第\s*\d{1,5}\s*页(?:\s*[,，/]?\s*共\s*\d{1,5}\s*页)?|"
                      r"共\s*\d{1,5}\s*页\s*[,，]?\s*第\s*\d{1,5}\s*页|\d{1,5}\s*/\s*\d{1,5}|"
                      r"(?i:page)\s*\d{1,5}(?:\s*(?i:of)\s*\d{1,5})?|\d{1,5})$")
# a line that opens a new paragraph whatever the line before it: a heading or item number, a bullet
_OPENS = re.compile(r"^\s*(?:[一二三四五六七八九十百]{1,3}\s*[、.．]|[(（]\s*[一二三四五六七八九十百\d]{1,3}\s*[)）]|"
                    r"\d{1,3}\s*(?:[、．]|\.(?!\d))|[①-⑳⑴-⒇⒈-⒛]|第[一二三四五六七八九十百\d]{1,4}[章节条部分篇]|"
                    r"[•·●◆◇■□▪▶►★☆※]|附件\s*\d*\s*(?:[:：]|$))")
_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_OPENING = set("(（[［【〔{「『“‘《〈")
# what a line may end with when its paragraph ends there: a sentence end, a colon, a closing bracket/quote
_GOES_ON = set(",，、;；—-第")  # a line ending so is cut inside its sentence
EDGE = 2  # how many lines at the top and at the bottom of a page may be chrome


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def mark_chrome(pages: list[list]) -> None:
    """Mark as debris the page numbers and the running headers and footers: among the first or last
    ``EDGE`` lines of a page, set apart from the text next to them (a gap of more than a line), those
    that look like a page number, or whose shape (digits aside) recurs at the same height on at least
    half of the pages (three at least; both of two). Items other than lines need ``top`` and ``bottom``."""
    cands: list[list[PLine]] = []
    for items in pages:
        n = len(items)

        def apart(i: int, j: int, items: list = items) -> bool:  # item i, and its neighbour j inward
            above, below = items[min(i, j)], items[max(i, j)]
            return below.top - above.bottom > 1.2 * (getattr(items[i], "size", 0) or 10.0)

        band = [0] if n == 1 else []
        for k in range(min(EDGE, n - 1)):  # the header band: lines above the first wide gap
            if apart(k, k + 1):
                band.extend(range(k + 1))
                break
        for k in range(n - 1, max(n - 1 - EDGE, 0), -1):  # the footer band: below the last wide gap
            if apart(k, k - 1):
                band.extend(range(k, n))
                break
        cands.append([items[k] for k in sorted(set(band)) if isinstance(items[k], PLine)])
    seen: Counter = Counter()
    for found in cands:
        seen.update({(_shape(x.text), round(x.top / 4)) for x in found})
    # two pages: both; more: half of them and at least three (a body line may sit at the top of two pages
    # by chance — a units line in a table cut by page breaks — and marking it would cost a task its units)
    need = 2 if len(pages) <= 2 else max(3, (len(pages) + 1) // 2)
    for found in cands:
        for x in found:
            t = x.text.strip()
            key = (_shape(t), round(x.top / 4))
            near = seen[key] + seen[(key[0], key[1] - 1)] + seen[(key[0], key[1] + 1)]
            if _PAGE_NO.match(t) or len(pages) >= 2 and near >= need:
                x.debris = True


def is_han(c: str) -> bool:
    return bool(_HAN.match(c))


def _latin(c: str) -> bool:
    return c.isascii() and c.isalnum()


def join(parts: list[str]) -> str:
    """Pieces of one paragraph or cell, joined with no space but one between Latin words: a letter or
    digit on both sides, or ASCII punctuation after a Latin word (`and,` + `then`). A line of CJK text
    wraps anywhere, so `(二期)` + `;` and `元,` + `GDP` join with no space."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and _latin(p[0]) and (_latin(out[-1]) or out[-1] in ",.;:!?" and _latin(out[-2:-1])):
            out += " "
        out += p
    return out


@dataclass(slots=True)
class Margins:
    left: float
    right: float


def margins(pages: list[list], widths: list[float]) -> dict[float, Margins]:
    """The text column of each page width (a document may mix portrait and landscape pages).

    The right margin is the median end of the lines that end within about a character of the farthest
    one (a ragged right edge, punctuation hanging past it), but only when that edge is borne out: by two
    lines at least, ending about where a column symmetric to the first start would end (or farther); or
    by a line ending past that point by more than a character. Otherwise no line reached the edge
    (nothing wrapped) and the longest line says nothing: the column is taken as symmetric on the page
    (width − left).

    The left margin is where lines start (the most common start, or less). When every line starts there
    (no line starts about two characters in from another), that start may be the first-line indent of
    paragraphs that all fit on one line: the left margin is then the start mirrored from the right margin,
    when that lies up to about two characters before it."""
    starts: dict[float, list[float]] = {}
    ends: dict[float, list[float]] = {}
    sizes: dict[float, list[float]] = {}
    for items, w in zip(pages, widths):
        key = round(w)
        for x in items:
            if isinstance(x, PLine) and not x.debris:
                starts.setdefault(key, []).append(round(x.x0))
                ends.setdefault(key, []).append(x.x1)
                sizes.setdefault(key, []).append(x.size or 10.0)
    out = {}
    for key, xs in starts.items():
        width = float(key)
        left = min(min(xs), Counter(xs).most_common(1)[0][0])
        far, size = max(ends[key]), statistics.median(sizes[key])
        mirror = width - left  # where a column symmetric to the first start ends
        near = [e for e in ends[key] if e >= far - 1.5 * size]
        if len(near) >= 2 and far >= mirror - 3 * size or far >= mirror + size:
            right = statistics.median(near)
            indented = any(left + size <= x <= left + 2.6 * size for x in xs)
            if not indented and size <= left - (width - right) <= 2.6 * size:
                left = width - right
        else:
            right = mirror
        out[key] = Margins(left, right)
    return out


def _wrapped(a: PLine, b: PLine, m: Margins, cont_x0: float | None) -> bool:
    """Whether ``b`` continues the paragraph whose last physical line is ``a``."""
    size = a.size or 10.0
    if a.x0 > m.left + 2.6 * size:  # centred or right-aligned: the layout did not wrap it
        return False
    room = m.right - a.x1
    if room > max(1.5 * size, min(b.first_w, 4 * size) + 0.3 * size):
        return False  # the next word would have fitted: the paragraph ended
    if abs((b.size or size) - size) > 0.15 * size:
        return False
    limit = (cont_x0 if cont_x0 is not None else m.left) + 0.5 * size
    if b.x0 > max(limit, m.left + 0.5 * size):
        return False  # indented: a new paragraph
    if b.page == a.page and b.top - a.bottom > 2.5 * size:
        return False
    last = a.text.rstrip()[-1:]
    if last in _OPENING or last in _GOES_ON:
        return True  # a bracket opened, a comma, a 、, an ordinal 第 at the end of a line: the sentence goes on
    # a full line ending in a mark or mid-word (a units line, a task without its full stop) before a
    # numbered item or a label: a new paragraph
    return not (_OPENS.match(b.text) or label_at(b.text.strip()))


def paragraphs(items: list, page_margins) -> list:
    """``items`` (all pages, reading order; chrome marked) → a list whose elements are either a table
    (passed through), a debris :class:`PLine`, or a list of PLines making one paragraph. Debris met while a
    paragraph may go on (a page break in mid-paragraph) comes right after that paragraph."""
    out: list = []
    para: list[PLine] = []
    pending: list[PLine] = []

    def flush():
        if para:
            out.append(para[:])
            para.clear()
        out.extend(pending)
        pending.clear()

    for x in items:
        if not isinstance(x, PLine):
            flush()
            out.append(x)
            continue
        if x.debris:
            if para and m_room(para[-1], page_margins) > 1.5 * (para[-1].size or 10.0):
                flush()  # the paragraph ended on its page: the chrome after it stays in order
            (pending if para else out).append(x)
            continue
        if para:
            a = para[-1]
            cont = para[1].x0 if len(para) >= 2 else None
            if _wrapped(a, x, page_margins(a.page), cont):
                para.append(x)
                continue
            flush()
        para.append(x)
    flush()
    return out


def m_room(a: PLine, page_margins) -> float:
    return page_margins(a.page).right - a.x1


def median_size(sizes: list[float]) -> float:
    return statistics.median(sizes) if sizes else 10.0
