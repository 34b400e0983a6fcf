"""What each section heading says, read once the structure is complete: its kind (a leader's tasks, a
joint heading, a unit that leads everything under it, a topic, prose), its leaders, and the units it
hands down to tasks that name none; and the persons each statement names. ``resolve`` only uses these."""
from __future__ import annotations

from functools import lru_cache

import regex

from ..data import table
from ..statements import split_units, unit_like
from ..statements.leaders import parse_leaders
from ..statements.unitlist import split_top
from ..vocab import simplify
from .model import Doc, Section

_COLON = regex.compile(r"[:：]")


@lru_cache(maxsize=None)
def _section_kinds() -> tuple[tuple[str, regex.Pattern], ...]:
    return tuple((kind, regex.compile(pat)) for kind, pat in table("sections"))


def classify_section(sec: Section) -> list[str]:
    """Kind and leaders of a section from its heading; returns the unit lists it hands down (joint, unit)."""
    heading = simplify(sec.heading)
    if sec.kind == "unit":
        return [st for _, st, _ in sec.statements]
    for kind, pat in _section_kinds():
        m = pat.match(heading)
        if not m:
            continue
        who = sec.heading[: len(m.group("who"))] if m.groupdict().get("who") else ""
        if kind == "leader":
            leaders = parse_leaders(who)
            if any(ld["title"] for ld in leaders):
                sec.kind, sec.leaders = "leader", leaders
                return []
            pieces = [p for p in split_top(who) if p.strip()]
            if pieces and all(unit_like(p) for p in pieces):
                sec.kind = "unit"
                return [who]
            continue
        if kind == "joint":
            sec.kind = "joint"
            return [who]
        sec.kind = kind
        break
    else:
        sec.kind = "topic"
    if sec.kind == "prose" and sec.items:
        sec.kind = "topic"
    if not sec.items and sec.kind == "topic":
        sec.kind = "prose"
    return []


def read_headings(doc: Doc) -> None:
    """Every section's kind, leaders and handed-down units; every statement's persons."""
    for part in doc.parts:
        for sec in part.sections:
            lists = classify_section(sec)  # sets the kind first
            role = "lead" if sec.kind == "unit" else "participant"
            handed: list[tuple[str, str]] = []
            for who in lists:
                for u in split_units(who, role, role == "lead")[0]:
                    handed.append((u.name, u.role))
            if sec.kind == "joint" and sec.statements:
                for _, text, _ in sec.statements:
                    body = _COLON.split(text, maxsplit=1)[-1]
                    handed.extend((u.name, "participant") for u in split_units(body)[0])
            sec.handed = handed
            for item in sec.items:
                for c in item.clauses:
                    for st in c.statements:
                        st.people = [ld for raw in st.leaders for ld in parse_leaders(raw)]


__all__ = ["read_headings", "classify_section"]
