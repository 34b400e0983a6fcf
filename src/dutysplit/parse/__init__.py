"""Stage 4: tokens → parts, sections, tasks and clauses (the intermediate records of :mod:`.model`).

:mod:`.front` handles document facts and finds where the list begins; :mod:`.structure` is the state
machine over lines; :mod:`.tables` adds the tasks of tables (:mod:`dutysplit.grid`); :mod:`.finish` turns a
task's lines into clauses; :mod:`.post` runs the passes over the whole structure. Which families are read
is decided by :mod:`dutysplit.rules` (``--layout``).
"""
from __future__ import annotations

from ..lex import Token
from .front import find_body_start, mark_signatures, title_head
from .model import Doc
from .post import infer_sections, prose_fallback, title_unit, unique_labels
from .sections import read_headings
from .structure import Structure
from .tables import TableReader


def _given_tables(tokens: list[Token], grids: list) -> dict[int, list]:
    """Tables a reader cut itself: the grid reader finds their header and rows; their place among the
    tokens comes from the lines their cells hold."""
    from ..grid import read_grid

    index = {t.no: k for k, t in enumerate(tokens)}
    lines = [t.line for t in tokens]
    out: dict[int, list] = {}
    for grid in grids:
        nos = sorted({n for row in grid.rows or [] for c in row for n in c.lines if n in index})
        if not nos:
            continue
        grid.start, grid.end = index[nos[0]], index[nos[-1]] + 1
        grid.used = [tokens[k].no for k in range(grid.start, grid.end)]
        for tb in read_grid(grid, lines):
            out.setdefault(tb.start, []).append(tb)
    return out


def parse_tokens(tokens: list[Token], families: frozenset[str] | None = None, grids: list | None = None) -> Doc:
    from ..rules import all_families

    families = all_families() if families is None else families
    doc = Doc(families=families)
    s = Structure(tokens, doc, families)
    mark_signatures(tokens)
    start = find_body_start(tokens)
    grids = [g for g in grids or [] if f"table_{g.form}" in families]  # a reader's tables: their rule enabled
    tables = _given_tables(tokens, grids) if grids else {}
    covered = {k for tbs in tables.values() for tb in tbs for k in range(tb.start, tb.end)}
    table_forms = tuple(f[len("table_"):] for f in families if f.startswith("table_"))
    if table_forms:
        from ..grid import find_tables

        errors: list[tuple[int, str]] = []
        for tb in find_tables([t.line for t in tokens], forms=table_forms, errors=errors):
            if tb.start not in covered:
                tables.setdefault(tb.start, []).append(tb)
        for line, message in errors:
            doc.diag("error", "table_reader", line, message)
        if tables:
            start = min(start, min(tables))
    notice_seen = False
    head = title_head(tokens, start) if start not in tables else None
    for tok in tokens[:start]:
        if tok is head:
            continue
        if s.front.line(tok):
            notice_seen = notice_seen or tok.role in ("notice_title", "doc_number")
            continue
        doc.keep("notice" if notice_seen else "preamble", tok.no, tok.text)
    reader = TableReader(s)
    s.start = start
    i = start
    while i < len(tokens):
        tbs = tables.get(i)
        if tbs and s.mode == "body":
            s.front.bullet = None  # a `• key:` bullet's value never comes from after a table
            for tb in tbs:
                reader.add(tb, tokens[tb.start:tb.end] if tb.part == 0 else [])
            i = max(max(tb.end for tb in tbs), i + 1)
            continue
        s.body(i)
        i += 1
    s.close_item()
    doc.last_line = max((t.no for t in tokens if t.role != "debris"), default=0)
    prose_fallback(doc, tokens, families)
    if "unit_heading" in families:
        title_unit(doc, tokens)
    infer_sections(doc)
    unique_labels(doc)
    read_headings(doc)
    return doc


__all__ = ["parse_tokens", "Doc"]
