"""Word (.docx): body paragraphs and tables in document order, as a reader of the document sees them.

- Automatic numbering is drawn as Word draws it: a paragraph's ``numPr`` (its own, or its style's) is
  resolved through ``numbering.xml`` (num → abstractNum, ``lvlOverride``/``startOverride``,
  ``numStyleLink``); counters are kept per list definition (abstractNum, shared by its nums) and level,
  a num with a ``startOverride`` restarting its level where it is first used, a level restarting when a
  shallower one is used (``lvlRestart``); ``lvlText`` (``%1.``, ``（%1）``, ``第%1条``, ``%1.%2``) is rendered with
  each level's ``numFmt`` and put before the text (a space after it unless it ends in a mark).
- A paragraph is one line; a line break inside it (``<w:br/>``, Shift+Enter) starts a new line, as in the
  document's text saved as plain text (position ``p12 l2``). Tabs are spaces.
- Tables: every paragraph of every cell is one line (``t1 r2 c3``, ``t1 r2 c3 p2``) and each top-level
  table is one :class:`~dutysplit.grid.split.Grid`; a merged cell (``gridSpan``, ``vMerge``) is repeated in
  every row and column it spans, its lines once in the document. A nested table's text stays in its cell.
- Text boxes: their paragraphs follow the paragraph that anchors them (``p12 box``).
- Headers, footers, footnotes and endnotes come last, as debris (kept apart from the tasks).
"""
from __future__ import annotations

import io
import re

from ..errors import InputError
from .blocks import Blocks
from .docx_numbering import Numbering, W, as_int, joined, xml_val
from .guard import checked_zip

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_MATH_T = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
_SKIP = frozenset(W + t for t in ("pPr", "rPr", "del", "delText", "instrText", "moveFrom", "fldData", "rt",
                                  "footnoteReference", "endnoteReference", "commentReference"))


def read(data: bytes, *, max_bytes: int) -> Blocks:
    checked_zip(data, max_bytes=max_bytes, what="Word document").close()
    try:
        from docx.package import Package

        part = Package.open(io.BytesIO(data)).main_document_part  # .docx, .docm, .dotx alike
        body = _root(part).find(W + "body")
    except Exception as e:  # noqa: BLE001 — python-docx raises many kinds on a damaged package
        raise InputError(f"a damaged Word document ({_short(e)})") from None
    if body is None:
        raise InputError("a damaged Word document (its main part has no body)")
    try:
        parts = _related(part)
        out = Blocks()
        reader = _Reader(out, Numbering(parts.get("numbering", [None])[0], parts.get("styles", [None])[0]))
        reader.story(body)
        for kind in ("footnotes", "endnotes", "header", "footer"):
            for root in parts.get(kind, []):
                reader.notes(root, kind)
        if body.find(f".//{W}altChunk") is not None:
            reader.unread.add("an imported chunk (altChunk)")
        for what in sorted(reader.unread):
            out.diagnostics.append({"level": "warning", "code": "docx_unread", "line": None,
                                    "message": f"{what} in the Word document is not read"})
    except InputError:
        raise
    except (RecursionError, MemoryError):
        raise InputError("a Word document nested too deeply to read") from None
    except Exception as e:  # noqa: BLE001
        raise InputError(f"a damaged Word document ({_short(e)})") from None
    return out


def _related(part) -> dict[str, list]:
    """The XML roots of the parts the document refers to, by kind (each part once)."""
    out: dict[str, list] = {}
    seen: set[str] = set()
    for rel in part.rels.values():
        if rel.is_external:
            continue
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind not in ("numbering", "styles", "header", "footer", "footnotes", "endnotes"):
            continue
        target = rel.target_part
        if str(target.partname) in seen:
            continue
        seen.add(str(target.partname))
        out.setdefault(kind, []).append(_root(target))
    return out


def _root(part):
    element = getattr(part, "element", None)
    if element is not None:
        return element
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(part.blob, parser)


def _short(e: BaseException) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    text = re.sub(r"\s*\(<string>, line \d+\)$", "", text)  # lxml: the line is in the message already
    return text if len(text) <= 100 else text[:99] + "…"


# ---- the document's stories ---------------------------------------------------------------------------

class _Reader:
    def __init__(self, out: Blocks, numbering: Numbering) -> None:
        self.out = out
        self.numbering = numbering
        self.numbered = True  # headers and footers draw no list numbers (nor advance the body's counters)
        self.debris = False
        self.paragraphs = 0
        self.tables = 0
        self.unread: set[str] = set()

    def story(self, root) -> None:
        for el in _blocks(root):
            if el.tag == W + "p":
                self.paragraphs += 1
                self.paragraph(el, f"p{self.paragraphs}")
            else:
                self.tables += 1
                self.out.grids.append(self.table(el, f"t{self.tables}"))

    def paragraph(self, p, position: str) -> list[int]:
        pieces, boxes = _text(p, self.unread)
        number = self.numbering.render(p) if self.numbered else None
        if number:
            pieces[0] = joined(number, pieces[0].strip())
        nos = []
        several = sum(1 for x in pieces if x.strip()) > 1
        for k, piece in enumerate(pieces, 1):
            if piece.strip():
                nos.append(self.out.add(piece.strip(), f"{position} l{k}" if several else position,
                                        debris=self.debris))
        for box in boxes:
            for q in _blocks(box):
                if q.tag == W + "p":
                    nos.extend(self.paragraph(q, f"{position} box"))
                else:
                    nos.extend(n for row in self.table(q, f"{position} box").rows for c in row for n in c.lines)
        return nos

    def table(self, tbl, position: str):
        from ..grid.cells import Cell
        from ..grid.split import Grid

        rows: list[list] = []
        above: dict[int, tuple[str, list[int]]] = {}  # grid column → the cell a vMerge continues
        for r, tr in enumerate(_children(tbl, "tr"), 1):
            col = as_int(xml_val(tr.find(W + "trPr"), "gridBefore"), 0)
            row = [Cell("", [], col=k) for k in range(col)]
            for tc in _children(tr, "tc"):
                tc_pr = tc.find(W + "tcPr")
                span = max(as_int(xml_val(tc_pr, "gridSpan"), 1), 1)
                merge = tc_pr.find(W + "vMerge") if tc_pr is not None else None
                if merge is not None and merge.get(W + "val") in (None, "continue") and col in above \
                        and not _has_text(tc):
                    text, lines = above[col]
                else:
                    lines = self.cell(tc, f"{position} r{r} c{col + 1}")
                    text = "\n".join(self.out.lines[n - 1] for n in lines)
                    for k in range(col, col + span):
                        if merge is not None and merge.get(W + "val") == "restart":
                            above[k] = (text, lines)
                        else:
                            above.pop(k, None)
                row.extend(Cell(text, list(lines), col=k) for k in range(col, col + span))
                col += span
            rows.append(row)
        return Grid(form="docx", start=0, end=0, rows=rows)

    def cell(self, tc, where: str) -> list[int]:
        """The lines of a cell: each paragraph (and a nested table's paragraphs) one line; the position
        names the paragraph (`p2`) when the cell holds more than one line."""
        first = len(self.out.lines)
        sources = set()
        for k, el in enumerate(_blocks(tc), 1):
            here = f"{where} p{k}"
            if el.tag == W + "p":
                got = self.paragraph(el, here)
            else:
                got = [n for row in self.table(el, here).rows for c in row for n in c.lines]
            if got:
                sources.add(here)
        nos = list(range(first + 1, len(self.out.lines) + 1))
        if len(sources) == 1:
            (here,) = sources
            for n in nos:
                self.out.positions[n - 1] = where + self.out.positions[n - 1][len(here):]
        return nos

    def notes(self, root, kind: str) -> None:
        self.numbered, self.debris = False, True
        if kind in ("footnotes", "endnotes"):
            notes = [n for n in root if n.tag in (W + "footnote", W + "endnote") and n.get(W + "type") is None]
            named = [(f"{kind[:-1]} {k}", n) for k, n in enumerate(notes, 1)]
        else:
            named = [(kind, root)]
        for here, note in named:
            for el in _blocks(note):
                if el.tag == W + "p":
                    self.paragraph(el, here)
                else:
                    self.table(el, here)


def _children(el, name: str):
    """Direct children named ``name``, looking through content controls and custom XML wrappers."""
    return _blocks(el, (W + name,))


def _blocks(el, tags=(W + "p", W + "tbl")):
    """Paragraphs and tables of a story (body, cell, text box, header), in order."""
    for child in el:
        if child.tag in tags:
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if inner is not None:
                yield from _blocks(inner, tags)


def _hidden(run) -> bool:
    """A run Word does not show (``w:vanish``)."""
    vanish = run.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(W + "val") not in ("0", "false", "off")


def _has_text(el) -> bool:
    return any((t.text or "").strip() for t in el.iter(W + "t"))


def _text(p, unread: set[str]) -> tuple[list[str], list]:
    """A paragraph's text cut at its line breaks, and the text boxes it anchors."""
    pieces: list[list[str]] = [[]]
    boxes: list = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP or tag == _MC_FALLBACK:
                continue
            if tag == W + "t" or tag == _MATH_T:
                if child.text:
                    pieces[-1].append(child.text)
            elif tag in (W + "tab", W + "ptab"):
                pieces[-1].append(" ")
            elif tag in (W + "br", W + "cr"):
                pieces.append([])
            elif tag == W + "noBreakHyphen":
                pieces[-1].append("-")
            elif tag == W + "txbxContent":
                boxes.append(child)
            elif tag == W + "object":
                unread.add("an embedded object (an OLE object such as a pasted workbook)")
            elif len(child) and not (tag == W + "r" and _hidden(child)):
                walk(child)

    walk(p)
    return ["".join(x).replace("\t", " ") for x in pieces], boxes
