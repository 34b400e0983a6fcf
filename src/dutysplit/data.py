"""Load the rule tables shipped in ``dutysplit/data`` (TSV: cheap to read, no YAML import at start-up)."""
from __future__ import annotations

import os
from functools import lru_cache

import regex

# the tables sit next to this module (a package on disk: importlib.resources would cost ~10 ms of
# imports at every start for the same path)
_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def rows(name: str) -> list[list[str]]:
    """The rows of ``data/<name>.tsv``: comment (``#``) and blank lines skipped, cells split on TAB."""
    with open(os.path.join(_DIR, f"{name}.tsv"), encoding="utf-8") as fh:
        text = fh.read()
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(line.split("\t"))
    return out


@lru_cache(maxsize=None)
def table(name: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(r) for r in rows(name))


@lru_cache(maxsize=None)
def alternation(name: str, column: int = 0) -> regex.Pattern:
    """One regex matching any value of ``column`` of a table, longest first."""
    values = sorted({r[column] for r in table(name)}, key=len, reverse=True)
    return regex.compile("|".join(regex.escape(v) for v in values))


@lru_cache(maxsize=None)
def spaced_alternation(name: str, column: int = 0) -> regex.Pattern:
    """Like :func:`alternation`, but a value may be written with single spaces between its characters
    (`索 引 号` for `索引号`), as converted web pages often have."""
    values = sorted({r[column] for r in table(name)}, key=len, reverse=True)
    return regex.compile("|".join(" ?".join(regex.escape(c) for c in v) for v in values))
