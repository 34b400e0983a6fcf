"""What a reader of a structured format (Word, HTML, PDF, Excel) hands to the pipeline."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Blocks:
    """``lines``: every paragraph, and every paragraph of every table cell, in reading order; line n of the
    output is ``lines[n - 1]`` (lossless accounting is over these). ``positions``: where each line is in
    the source (`p12`, `t1 r2 c3`, `page 3 line 4`), same length as ``lines``. ``grids``: the tables the
    reader cut itself — :class:`dutysplit.grid.split.Grid` (``form`` = the format: ``docx``, ``html``,
    ``pdf``, ``xlsx``) with ``rows`` of ``Cell(text, lines=[line numbers, 1-based], col=k)``, a merged
    cell repeated in every row and column it spans; the grid reader finds the header and assembles the
    rows as for any other form. ``facts``: metadata the reader found (an HTML page's title and
    publication date) as meta fields ``{key, value, kind: "kv"}``. ``debris``: line numbers (1-based) the
    reader knows are no part of the document (page chrome, page headers/footers, page numbers): they are
    reported as unparsed debris. ``diagnostics``: what reading found, as document diagnostics
    (``{level, code, line, message}``)."""

    lines: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    grids: list = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    debris: set[int] = field(default_factory=set)
    diagnostics: list[dict] = field(default_factory=list)
    encoding: str | None = None  # the text encoding used (HTML); None for Word, PDF, Excel

    def add(self, text: str, position: str, *, debris: bool = False) -> int:
        """Append one line; returns its line number (1-based). Line breaks inside ``text`` are spaces."""
        self.lines.append(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
        self.positions.append(position)
        if debris:
            self.debris.add(len(self.lines))
        return len(self.lines)
