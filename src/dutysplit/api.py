"""The pipeline, end to end: read → clean → lex → parse → resolve. Returns plain dicts (fast path)."""
from __future__ import annotations

import hashlib

from .clean import clean_lines
from .errors import InputError
from .lex import lex
from .parse import parse_tokens
from .read import DEFAULT_MAX_BYTES, Source, read_bytes, read_path, split_lines
from .resolve import resolve


LAYOUTS = ("auto", "lines", "inline", "table")


def run_text(text: str, source: dict, *, layout: str = "auto", aliases: dict[str, str] | None = None) -> dict:
    """``layout`` forces how units are read when detection is wrong: ``lines`` (no inline brackets, no
    tables), ``inline`` (no tables), ``table`` (tables only), ``auto``."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    if not text.strip():
        raise InputError("empty document" if not text else "document holds only white space")
    tokens = lex(clean_lines(split_lines(text)))
    return resolve(parse_tokens(tokens, layout=layout), source, text=text, aliases=aliases)


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
