"""The pipeline, end to end: read → clean → lex → parse → resolve → facts. Returns plain dicts (fast path)."""
from __future__ import annotations

import hashlib
from .clean import clean_lines
from .errors import InputError
from .facts import annotate
from .lex import lex
from .parse import parse_tokens
from .read import DEFAULT_MAX_BYTES, Blocks, Source, read_bytes, split_lines
from .read.detect import TEXT, detect
from .read.text import read_file_bytes
from .resolve import resolve


LAYOUTS = ("auto", "lines", "inline", "table")


def run_text(text: str, source: dict, *, layout: str = "auto", aliases: dict[str, str] | None = None) -> dict:
    """``layout`` chooses the families read (:mod:`dutysplit.rules`): ``auto``, a group (``lines``: no
    inline brackets, no tables; ``inline``: no tables; ``table``: tables only) or a comma list of rule
    names, each optionally prefixed with ``-`` or ``+``."""
    from .rules import select

    families = select(layout)
    if not text.strip():
        raise InputError("empty document" if not text else "document holds only white space")
    from .paragraphs import split as split_paragraphs

    lines, cuts = split_paragraphs(split_lines(text))
    tokens = lex(clean_lines(lines))
    source = {**source, "split_lines": cuts}
    doc = resolve(parse_tokens(tokens, families), source, text=text, aliases=aliases)
    return annotate(doc)  # deadlines and targets: a post-pass over the resolved document


def run_blocks(blocks: Blocks, source: dict, *, layout: str = "auto", aliases: dict[str, str] | None = None) -> dict:
    """The pipeline over what a structured-format reader produced. Paragraphs outside tables are cut as
    in text (tasks run together, a whole document in one paragraph: ``source.split_lines``); a table
    cell is never cut."""
    from .rules import select

    families = select(layout)
    if not any(line.strip() for line in blocks.lines):
        raise InputError("document holds no text")
    blocks, cuts = cut_paragraphs(blocks)
    cleaned = clean_lines(blocks.lines)
    for line in cleaned:
        if line.no in blocks.debris:
            line.debris = line.debris or "reader"
    tokens = lex(cleaned)
    parsed = parse_tokens(tokens, families, grids=blocks.grids)
    if blocks.facts:
        parsed.meta[:0] = [dict(f, lines=f.get("lines") or [0, 0]) for f in blocks.facts]
    source = {**source, "split_lines": cuts, "positions": list(blocks.positions)}
    doc = resolve(parsed, source, text="\n".join(blocks.lines), aliases=aliases)
    if blocks.diagnostics:
        doc["diagnostics"][:0] = list(blocks.diagnostics)
    return annotate(doc)


def cut_paragraphs(blocks: Blocks) -> tuple[Blocks, list[dict]]:
    """Each line that is neither a table cell nor debris cut into its paragraphs (:mod:`.paragraphs`), the
    grids' and the debris' line numbers moved to match; a piece keeps the position of its line."""
    from .paragraphs import pieces

    fixed = {n for g in blocks.grids for row in (g.rows or []) for c in row for n in c.lines} | blocks.debris
    lines: list[str] = []
    positions: list[str] = []
    moved: dict[int, int] = {}
    cuts: list[dict] = []
    for no, (raw, pos) in enumerate(zip(blocks.lines, blocks.positions), 1):
        got = [raw] if no in fixed else pieces(raw)
        moved[no] = len(lines) + 1
        if len(got) > 1:
            cuts.append({"line": no, "first": len(lines) + 1, "count": len(got)})
        lines.extend(got)
        positions.extend([pos] * len(got))
    if not cuts:
        return blocks, []
    seen: set[int] = set()  # a merged cell may be one object repeated in several rows: moved once
    for g in blocks.grids:
        for row in g.rows or []:
            for c in row:
                if id(c) not in seen:
                    seen.add(id(c))
                    c.lines = [moved.get(n, n) for n in c.lines]
    out = Blocks(lines=lines, positions=positions, grids=blocks.grids, facts=blocks.facts,
                 debris={moved[n] for n in blocks.debris if n in moved}, diagnostics=blocks.diagnostics,
                 encoding=blocks.encoding)
    for d in out.diagnostics:
        if isinstance(d.get("line"), int) and d["line"] in moved:
            d["line"] = moved[d["line"]]
    return out, cuts


def _source_dict(src: Source) -> dict:
    return {"path": src.path, "sha256": src.sha256, "encoding": src.encoding, "format": TEXT}


def read_structured(fmt: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES,
                    encoding: str | None = None) -> Blocks:
    """The reader of a structured format (its library is imported here, on first use)."""
    if fmt == "docx":
        from .read.docx import read
    elif fmt == "xlsx":
        from .read.xlsx import read
    elif fmt == "pdf":
        from .read.pdf import read
    elif fmt == "html":
        from .read.html import read

        return read(data, max_bytes=max_bytes, encoding=encoding)
    else:
        raise InputError(f"no reader for format {fmt!r}")
    return read(data, max_bytes=max_bytes)


def _parse_data(data: bytes, path: str | None, *, encoding: str | None, max_bytes: int, layout: str,
                aliases: dict[str, str] | None, fmt: str | None = None) -> dict:
    fmt = fmt or detect(data, path)
    if fmt == TEXT:
        src = read_bytes(data, path=path, encoding=encoding)
        return _with_reading_notes(run_text(src.text, _source_dict(src), layout=layout, aliases=aliases), src)
    blocks = read_structured(fmt, data, max_bytes=max_bytes, encoding=encoding)
    source = {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "encoding": blocks.encoding, "format": fmt}
    return run_blocks(blocks, source, layout=layout, aliases=aliases)


def _with_reading_notes(doc: dict, src: Source) -> dict:
    """What reading found (invalid UTF-8 bytes replaced) goes first among the diagnostics."""
    if src.diagnostics:
        doc["diagnostics"][:0] = list(src.diagnostics)
    return doc


def parse_text_dict(text: str, *, source: str | None = None, layout: str = "auto",
                    aliases: dict[str, str] | None = None) -> dict:
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return run_text(text, {"path": source, "sha256": sha, "encoding": None}, layout=layout, aliases=aliases)


def parse_bytes_dict(data: bytes, *, source: str | None = None, encoding: str | None = None,
                     layout: str = "auto", aliases: dict[str, str] | None = None,
                     max_bytes: int = DEFAULT_MAX_BYTES, fmt: str | None = None) -> dict:
    """Bytes of any format (found by content unless ``fmt`` names it)."""
    return _parse_data(data, source, encoding=encoding, max_bytes=max_bytes, layout=layout, aliases=aliases,
                       fmt=fmt)


def parse_file_dict(path: str, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                    layout: str = "auto", aliases: dict[str, str] | None = None, fmt: str | None = None) -> dict:
    """A file of any format: text, HTML, Word (.docx), PDF, Excel (.xlsx), found by its content."""
    data = read_file_bytes(path, max_bytes=max_bytes)
    return _parse_data(data, path, encoding=encoding, max_bytes=max_bytes, layout=layout, aliases=aliases,
                       fmt=fmt)


def source_text(path: str, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text that a document's line numbers count: the decoded file for plain text (its paragraphs are
    cut by the check itself), the reader's lines as the parser saw them (one per paragraph or cell, joined
    by newlines) for Word, HTML, PDF and Excel. For the lossless check."""
    return source_text_of(read_file_bytes(path, max_bytes=max_bytes), path, encoding=encoding, max_bytes=max_bytes)


def source_text_of(data: bytes, path: str | None = None, *, encoding: str | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """:func:`source_text` of bytes (standard input)."""
    fmt = detect(data, path)
    if fmt == TEXT:
        return read_bytes(data, path=path, encoding=encoding).text
    blocks, _ = cut_paragraphs(read_structured(fmt, data, max_bytes=max_bytes, encoding=encoding))
    return "\n".join(blocks.lines)
