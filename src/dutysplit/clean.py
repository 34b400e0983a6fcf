"""Stage 2: clean each line (HTML left-overs, odd spaces) and flag web/file debris.

A line keeps its 1-based number; cleaning never moves text between lines.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import regex

from .data import table

_TAG = regex.compile(r"</?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>]{0,300})?/?>")
_SPACES = regex.compile(r"[ \u00a0\u2002-\u200b\u3000\ufeff]+")
# tabs are kept one by one (empty table cells); the spaces beside them go, and any other run of spaces
# becomes one space
_TAB_SPACES = regex.compile(r"[ \u00a0\u2002-\u200b\u3000\ufeff]+(?=\t)|(?<=\t)[ \u00a0\u2002-\u200b\u3000\ufeff]+")
_CJK = r"\p{Han}\p{Ps}\p{Pe}\p{Pi}\p{Pf}、。，：；！？,;:"
# white space between two CJK characters, or between CJK and a figure/percent, is extraction damage
_GAP = regex.compile(
    rf"(?<=[{_CJK}])\s+(?=[{_CJK}0-9%])|(?<=[0-9%])\s+(?=[{_CJK}])"
    # figures broken by extraction: `5. 4 %`, `1 0 . 6 %`
    r"|(?<=[0-9])\s+(?=[0-9.%])|(?<=[0-9]\.)\s+(?=[0-9])"
)


@dataclass(slots=True)
class Line:
    no: int  # 1-based line number in the input
    raw: str  # as read
    text: str  # cleaned
    debris: str | None = None  # name of the debris rule that matched


def _debris_rule() -> tuple[regex.Pattern, list[str]]:
    """All debris rules as one alternation (one match per line); group ``d<N>`` is rule N."""
    global _DEBRIS
    if _DEBRIS is None:
        rows = table("debris")
        names = [name for name, _ in rows]
        alt = "|".join(f"(?P<d{n}>{pat})" for n, (_, pat) in enumerate(rows))
        _DEBRIS = (regex.compile(alt), names)
    return _DEBRIS


_DEBRIS: tuple[regex.Pattern, list[str]] | None = None


def clean_text(s: str) -> str:
    if "<" in s:
        s = _TAG.sub("", s)
    if "&" in s:
        s = html.unescape(s)
    if '\\"' in s:
        s = s.replace('\\"', '"')
    if "\t" in s:
        s = _TAB_SPACES.sub("", s)
    return _SPACES.sub(" ", s).strip()


def tidy(s: str) -> str:
    """Remove white space that extraction put inside CJK text (``2024 年`` → ``2024年``)."""
    return _GAP.sub("", s) if " " in s else s


def clean_lines(raw_lines: list[str]) -> list[Line]:
    rule, names = _debris_rule()
    out = []
    for no, raw in enumerate(raw_lines, 1):
        text = clean_text(raw)
        if not text:
            if raw.strip():  # markup only (`<br>`, `&nbsp;`): not blank as read, so it must land somewhere
                out.append(Line(no, raw, raw.strip(), "markup"))
            continue
        m = rule.match(text)
        kind = names[int(m.lastgroup[1:])] if m else None
        out.append(Line(no, raw, text, kind))
    return out
