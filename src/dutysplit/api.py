"""The pipeline, end to end: read → clean → lex → parse → resolve → facts. Returns plain dicts (fast path)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .clean import clean_lines
from .errors import InputError
from .facts import annotate
from .lex import lex
from .parse import parse_tokens
from .read import DEFAULT_MAX_BYTES, Source, read_bytes, read_path, split_lines
from .resolve import resolve


LAYOUTS = ("auto", "lines", "inline", "table")


@dataclass(slots=True)
class Blocks:
    """What a reader of a structured format (Word, HTML, PDF, Excel) hands to the pipeline.

    ``lines``: every paragraph, and every paragraph of every table cell, in reading order; line n of the
    output is ``lines[n - 1]`` (lossless accounting is over these). ``positions``: where each line is in
    the source (`p12`, `t1 r2 c3`, `page 3 line 4`), same length as ``lines``. ``grids``: the tables the
    reader cut itself — :class:`dutysplit.grid.Grid` with ``rows`` of ``Cell(text, lines=[line numbers],
    col=k)``, a merged cell repeated in every row and column it spans; the grid reader finds the header
    and assembles the rows as for any other form. ``facts``: metadata the reader found (an HTML page's
    title and publication date) as meta fields ``{key, value, kind: "kv"}``."""

    lines: list[str]
    positions: list[str]
    grids: list = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)


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
    """The pipeline over what a structured-format reader produced (no paragraph cutting: the reader knows
    its paragraphs)."""
    from .rules import select

    families = select(layout)
    if not any(line.strip() for line in blocks.lines):
        raise InputError("document holds no text")
    tokens = lex(clean_lines(blocks.lines))
    parsed = parse_tokens(tokens, families, grids=blocks.grids)
    if blocks.facts:
        parsed.meta[:0] = [dict(f, lines=f.get("lines") or [0, 0]) for f in blocks.facts]
    source = {**source, "split_lines": [], "positions": list(blocks.positions)}
    doc = resolve(parsed, source, text="\n".join(blocks.lines), aliases=aliases)
    return annotate(doc)


def _source_dict(src: Source) -> dict:
    return {"path": src.path, "sha256": src.sha256, "encoding": src.encoding}


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
                     layout: str = "auto", aliases: dict[str, str] | None = None) -> dict:
    src = read_bytes(data, path=source, encoding=encoding)
    return _with_reading_notes(run_text(src.text, _source_dict(src), layout=layout, aliases=aliases), src)


def parse_file_dict(path: str, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                    layout: str = "auto", aliases: dict[str, str] | None = None) -> dict:
    src = read_path(path, encoding=encoding, max_bytes=max_bytes)
    return _with_reading_notes(run_text(src.text, _source_dict(src), layout=layout, aliases=aliases), src)
