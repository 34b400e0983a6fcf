"""The lossless check: every non-blank input line is claimed by exactly one place of the output.

Places: a metadata field (``meta.fields[].lines``), a part title or part text, a section heading or
section text, a sub-heading, a task (``items[].lines``), a kept block (``kept[].line_numbers``), or
``unparsed``. A debris line inside a range (a task, a sub-heading, a bullet and its value) is listed in
``unparsed`` and counts once.
"""
from __future__ import annotations

from collections import defaultdict

from .read import split_lines


def points(item: dict) -> bool:
    """A task read from a table or from prose points into the block that claims its lines."""
    rule = item.get("rule") or ""
    return rule.startswith("table_") or rule in ("referenced", "prose_list")


def claims(doc: dict, nonblank: set[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)

    spanned: set[int] = set()  # lines claimed through a [first, last] range, not one by one

    def span(a: int, b: int, where: str) -> None:
        for n in range(a, b + 1):
            if n in nonblank:
                out[n].append(where)
                spanned.add(n)

    meta_lines: set[int] = set()  # several `key: value` pairs may share a line: one place, the metadata
    for f in doc["meta"]["fields"]:
        meta_lines.update(range(f["lines"][0], f["lines"][1] + 1))
    for n in sorted(meta_lines & nonblank):
        out[n].append("meta")
        spanned.add(n)
    for p_no, part in enumerate(doc["parts"], 1):
        if part["lines"] is not None:
            span(*part["lines"], f"part{p_no}:title")
        for n in part["text_lines"]:
            out[n].append(f"part{p_no}:text")
        for sec in part["sections"]:
            where = f"part{p_no}/{sec['label']}"
            if sec["line"] is not None:
                out[sec["line"]].append(where + ":heading")
            for n in sec["text_lines"]:
                out[n].append(where + ":text")
            for sub in sec["subheadings"]:
                span(*sub["lines"], f"{where}/({sub['label']})")
            for item in sec["items"]:
                if not points(item):
                    span(*item["lines"], f"{where}/{item['label']}")
    for k in doc["kept"]:
        for n in k["line_numbers"]:
            out[n].append(f"kept:{k['kind']}")
    for u in doc["unparsed"]:
        places = out[u["line"]]
        if u["reason"] == "debris" and len(places) == 1 and u["line"] in spanned:
            continue  # debris inside a task's (or bullet's) range: counted once, as unparsed
        places.append("unparsed")
    return out


def lossless_problems(doc: dict, text: str) -> list[str]:
    """Empty when the output accounts for every non-blank line of ``text`` exactly once."""
    from .paragraphs import split

    lines = split_lines(text)
    if (doc.get("source") or {}).get("format", "text") == "text":  # a reader's lines come already cut
        lines = split(lines)[0]
    nonblank = {n for n, line in enumerate(lines, 1) if line.strip()}
    got = claims(doc, nonblank)
    problems = []
    for n in sorted(nonblank):
        places = got.get(n, [])
        if len(places) != 1:
            problems.append(f"line {n}: {'nowhere' if not places else ', '.join(places)}")
    for n in sorted(set(got) - nonblank):
        problems.append(f"line {n}: claimed but blank or out of range")
    return problems
