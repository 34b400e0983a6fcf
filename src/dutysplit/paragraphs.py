"""Several paragraphs on one line, cut apart before anything else reads them.

Rules, tried in order on each physical line:

* ``html_blocks``   a line holding HTML paragraphs (`<p>…</p><p>…</p>`, `<br>`): one paragraph each (a
                    page's source saved as text, a document inside an SQL `INSERT`);
* ``run_together``  task M and task M+1 on one line (`…前。3、完成…`): cut before M+1;
* ``one_line_doc``  a whole document on one line (a docx preview, a flattened page): cut before every
                    heading or task number that follows a sentence end or a space.

Line numbers in the output count these paragraphs: a file that needs no cut keeps its own line numbers;
``source.split_lines`` says which physical lines were cut, and into how many.
"""
from __future__ import annotations

import regex

_BLOCK = regex.compile(r"(?i)</p\s*>|<br\s*/?>|</div\s*>|</li\s*>|</tr\s*>|</h[1-6]\s*>|(?=<p[\s>])")
_HAS_BLOCK = regex.compile(r"(?i)</p\s*>|<br\s*/?>|</div\s*>|</li\s*>|</tr\s*>")
_LEAD = regex.compile(r"^\s*(?P<n>\d{1,3})\s*[、.．](?!\d)")
# a cut just before a heading or task number that follows a sentence end or a space (no `\s*` scan: a
# long run of spaces would be rescanned from every position)
_MARK = regex.compile(r"(?<=[。;；!！?？\s])(?=(?:[一二三四五六七八九十]{1,3}\s?、|[(（][一二三四五六七八九十]{1,3}[)）]"
                      r"|\d{1,3}\s?[.．、](?!\d)))")
LONG = 300


def _html(raw: str) -> list[str]:
    if len(_HAS_BLOCK.findall(raw)) < 2:
        return [raw]
    pieces = [p for p in _BLOCK.split(raw)]
    return [p for p in pieces if p is not None]


_NEXT_NUMBER = regex.compile(r"(?<=。)\s*(?=(\d+)\s*[、.．](?!\d))")  # a number after a full stop


def _run_together(raw: str) -> list[str]:
    """Tasks run together on one line: `1.甲。2.乙。3.丙。` — cut before each next number in turn."""
    m = _LEAD.match(raw)
    if not m or "。" not in raw:
        return [raw]
    n = int(m["n"])
    out, start = [], 0
    for m2 in _NEXT_NUMBER.finditer(raw, 1):
        if m2.start() <= start or m2.group(1) != str(n + 1):
            continue
        out.append(raw[start:m2.start()])
        start = m2.end()
        n += 1
    out.append(raw[start:])
    return out


def _one_line(raw: str) -> list[str]:
    if len(raw) < LONG:
        return [raw]
    cuts = [m.start() for m in _MARK.finditer(raw)]
    if len(cuts) < 3:
        return [raw]
    out, start = [], 0
    for c in cuts:
        if c > start:
            out.append(raw[start:c])
            start = c
    out.append(raw[start:])
    return out


RULES = (("html_blocks", _html), ("run_together", _run_together), ("one_line_doc", _one_line))


def pieces(raw: str) -> list[str]:
    """The paragraphs of one physical line (the line itself when it holds one)."""
    if len(raw) < 40 or not raw.strip():
        return [raw]
    for _, rule in RULES:
        got = rule(raw)
        if len(got) > 1:
            out = []
            for p in got:
                out.extend(pieces(p) if p is not raw and len(p) < len(raw) else [p])
            return [p for p in out if p.strip()] or [raw]
    return [raw]


def split(lines: list[str]) -> tuple[list[str], list[dict]]:
    """Physical lines → paragraphs, and for every line cut: {line, first, count} (first: its first
    paragraph's number)."""
    out: list[str] = []
    cuts: list[dict] = []
    for no, raw in enumerate(lines, 1):
        got = pieces(raw)
        if len(got) > 1:
            cuts.append({"line": no, "first": len(out) + 1, "count": len(got)})
        out.extend(got)
    return out, cuts
