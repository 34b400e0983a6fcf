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
EDGE = 2  # how many lines at the top and at the bottom of a page may be chrome


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def mark_chrome(pages: list[list]) -> None:
    """Mark as debris the page numbers and the running headers and footers: among the first or last
    ``EDGE`` lines of a page, set apart from the text next to them (a gap of more than a line), those
    that look like a page number, or whose shape (digits aside) recurs at the same height on at least
    half of the pages (two at least). Items other than lines need ``top`` and ``bottom``."""
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
    need = max(2, (len(pages) + 1) // 2)
    for found in cands:
        for x in found:
            t = x.text.strip()
            key = (_shape(t), round(x.top / 4))
            near = seen[key] + seen[(key[0], key[1] - 1)] + seen[(key[0], key[1] + 1)]
            if _PAGE_NO.match(t) or len(pages) >= 2 and near >= need:
                x.debris = True


def is_han(c: str) -> bool:
    return bool(_HAN.match(c))


def join(parts: list[str]) -> str:
    """Pieces of one paragraph or cell: no space where either side is CJK, one space between Latin."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and not is_han(out[-1]) and not is_han(p[0]):
            out += " "
        out += p
    return out


@dataclass(slots=True)
class Margins:
    left: float
    right: float


def margins(pages: list[list], widths: list[float]) -> dict[float, Margins]:
    """The text column of each page width (a document may mix portrait and landscape pages): the left
    margin is where lines start (the most common start, or less), the right margin the median end of the
    lines that end near the farthest one (a ragged right edge, punctuation hanging past it)."""
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
        common = Counter(xs).most_common(1)[0][0]
        far, size = max(ends[key]), statistics.median(sizes[key])
        out[key] = Margins(min(min(xs), common), statistics.median(e for e in ends[key] if e >= far - 3 * size))
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
    if a.text.rstrip()[-1:] in _OPENING:
        return True  # a bracket or a quote opened at the end of a line never ends a paragraph
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
