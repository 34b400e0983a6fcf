"""Persons and posts in charge, as statements and leader headings write them: `于会游市长` (name + title),
`胡选坤 市委副书记`, `张三(副县长)`, a bare name, or a post (`省政府分管领导同志`). Never units."""
from __future__ import annotations

from functools import lru_cache

import regex

from ..data import table
from .unitlist import split_top

_BRACKET_ROLE = regex.compile(r"^(?P<name>\p{Han}{2,4})[(（](?P<title>[^)）]+)[)）]$")
_SPACED = regex.compile(r"\s+")


@lru_cache(maxsize=None)
def _titles() -> regex.Pattern:
    alt = "|".join(regex.escape(t) for t, _ in sorted(table("titles"), key=lambda r: -len(r[0])))
    return regex.compile(rf"^(?P<name>\p{{Han}}{{2,4}}?)\s*(?P<title>{alt})$")


def parse_leaders(who: str) -> list[dict]:
    """Each person or post in ``who``: ``{"name": …, "title": … or None}``."""
    leaders = []
    for piece in split_top(who, "、,，;；和及"):
        piece = piece.strip()
        if not piece:
            continue
        m = _BRACKET_ROLE.match(piece)
        if m:
            leaders.append({"name": m["name"], "title": m["title"]})
            continue
        m = _titles().match(_SPACED.sub("", piece)) or _titles().match(piece)
        if m:
            leaders.append({"name": m["name"], "title": m["title"]})
        else:
            leaders.append({"name": _SPACED.sub("", piece) if len(piece) <= 6 else piece, "title": None})
    return leaders


__all__ = ["parse_leaders"]
