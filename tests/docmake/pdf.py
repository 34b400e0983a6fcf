"""PDF files made by reportlab from a text document (``from_text``), and the hostile PDFs of issue 12.

Paragraphs are laid out as a word processor would print them: A4, a CJK font without font files
(``STSong-Light``), CJK line wrapping (a long paragraph WRAPS over several lines: the reader must join
them back), the first line indented by two characters, a running header and a page number footer
``- n -`` on every page. Tables (runs of `|` rows) become ruled tables (GRID lines) whose cells wrap, and
vertically adjacent equal cells are merged (SPAN), as in the published forms.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from . import Para, TableBlock, blocks_of

FONT = "STSong-Light"
HEADER = "工作简报（内部资料）"
RULE_TEXT = """2024年重点工作责任分解
序号 | 主 要 工 作 任 务 | 责任单位 |
1 | 地区生产总值增长6%左右。 | 市发展改革委 |
2 | 规上工业增加值增长6%以上。 | 市经信局 |
3 | 服务业增加值增长6%以上。 | 市发展改革委 |
4 | 固定资产投资增长6%以上。 | 市发展改革委 |
5 | 完善科技创新激励机制,营造鼓励创新、支持创新、参与创新的社会氛围。 | 市科技局、市财政局、市科协 |
"""


# characters the CID font does not encode (reportlab drops them): drawn in a standard font instead
_FALLBACK = re.compile("([·•]+)")


def _markup(text: str) -> str:
    return _FALLBACK.sub(r'<font name="Helvetica">\1</font>', escape(text))


def _font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _styles(indent: bool):
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=18, wordWrap="CJK",
                          firstLineIndent=24 if indent else 0,
                          spaceAfter=2)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=13, wordWrap="CJK")
    return body, cell


def _chrome(header: str | None):
    from reportlab.lib.pagesizes import A4

    width, height = A4

    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 9)
        if header:
            canvas.drawCentredString(width / 2, height - 40, header)
        canvas.drawCentredString(width / 2, 30, f"- {doc.page} -")
        canvas.restoreState()

    return draw


def _table(block: TableBlock, style, merge: bool):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    ncols = max(len(r) for r in block.rows)
    # a short row lost its leading cells to merges above it (the text form writes a merged cell once):
    # they are the cells above, merged with them
    rows: list[list[str]] = []
    filled: set[tuple[int, int]] = set()
    for r, row in enumerate(block.rows):
        miss = ncols - len(row)
        if miss and r > 0:
            row = rows[-1][:miss] + row
            filled.update((c, r) for c in range(miss))
        rows.append(row + [""] * (ncols - len(row)))
    spans = []
    covered: set[tuple[int, int]] = set()
    for c in range(ncols):
        r = 1
        while r < len(rows):
            end = r
            while end + 1 < len(rows) and rows[end + 1][c] == rows[r][c] and rows[r][c].strip() and \
                    ((c, end + 1) in filled or merge and c > 0):
                end += 1
            if end > r:
                spans.append(("SPAN", (c, r), (c, end)))
                covered.update((c, k) for k in range(r + 1, end + 1))
            r = end + 1
    # width: each column by its longest cell, within the frame (A4 less the margins)
    avail = 595.27 - 2 * 72 - 12
    longest = [max(min(len(r[c]), 40) for r in rows) + 2 for c in range(ncols)]
    widths = [avail * n / sum(longest) for n in longest]
    data = [[Paragraph(_markup(rows[r][c]), style) if (c, r) not in covered and rows[r][c] else ""
             for c in range(ncols)] for r in range(len(rows))]
    t = Table(data, colWidths=widths)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           *spans]))
    return t


def from_text(text: str, *, merge: bool = True, header: str | None = HEADER, indent: bool = True) -> bytes:
    """A PDF of ``text``: one paragraph per non-blank line (its first line indented by two characters
    unless ``indent`` is false), ruled tables for runs of `|` rows (equal cells one above the other
    merged unless ``merge`` is false), ``header`` at the top of every page, `- n -` at the bottom."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    _font()
    body, cell = _styles(indent)
    story = []
    for block in blocks_of(text):
        if isinstance(block, Para):
            story.append(Paragraph(_markup(block.text), body))
        else:
            story.append(_table(block, cell, merge))
            story.append(Spacer(1, 6))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title="", author="", invariant=1)
    chrome = _chrome(header)
    doc.build(story, onFirstPage=chrome, onLaterPages=chrome)
    return buf.getvalue()


def scan() -> bytes:
    """Two pages that hold only drawings (what a scanner gives, but for the image): no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for k in range(2):
        for y in range(100, 760, 14):
            c.rect(72, y, 450 - (y * 7 + k) % 120, 8, fill=1, stroke=0)
        c.showPage()
    c.save()
    return buf.getvalue()


def many_pages(n: int = 20000) -> bytes:
    """A minimal PDF written by hand: ``n`` empty pages sharing one content stream."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []

    def obj(num: int, body: bytes) -> None:
        offsets.append((num, len(out)))
        out.extend(b"%d 0 obj\n" % num + body + b"\nendobj\n")

    kids = b" ".join(b"%d 0 R" % (k + 4) for k in range(n))
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (n, kids))
    stream = b"0 0 m 10 10 l S"
    obj(3, b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    for k in range(n):
        obj(k + 4, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>")
    xref = len(out)
    out.extend(b"xref\n0 %d\n0000000000 65535 f \n" % (n + 4))
    for _, off in sorted(offsets):
        out.extend(b"%010d 00000 n \n" % off)
    out.extend(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n + 4, xref))
    return bytes(out)


def broken_xref(text: str = RULE_TEXT) -> bytes:
    """A valid PDF whose xref table (every offset) and startxref offset are corrupted; the trailer stays."""
    data = bytearray(from_text(text))
    at = data.rfind(b"startxref")
    data[at:] = b"startxref\n999999\n%%EOF\n"
    x, end = data.rfind(b"xref\n0 "), data.rfind(b"trailer")
    body = data[x:end].split(b"\n")
    entries = [b"%010d %s" % (int(e[:10]) * 7 + 13, e[11:]) if len(e) >= 18 and e[:10].isdigit() else e
               for e in body]
    data[x:end] = b"\n".join(entries)
    return bytes(data)


def encrypted(user: str = "secret") -> bytes:
    """A PDF encrypted with a user password (``user=""``: an owner password only, readable by anyone)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    _font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, encrypt=StandardEncryption(user, "owner-pass", canPrint=1,
                                                                                  canCopy=0))
    c.setFont(FONT, 12)
    for k, line in enumerate(RULE_TEXT.splitlines()):
        c.drawString(72, 760 - 18 * k, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def garbage() -> bytes:
    """`%PDF-1.4` and then junk."""
    junk = bytes((k * 37 + 11) % 256 for k in range(3000))
    return b"%PDF-1.4\n" + junk.replace(b"%", b"#")


def write_rule_fixture(directory: str | Path) -> Path:
    """``table_pdf--basic.pdf``: a title and a ruled table with merged unit cells."""
    path = Path(directory) / "table_pdf--basic.pdf"
    path.write_bytes(from_text(RULE_TEXT, header=None))
    return path
