"""Passes over the whole structure once the lines are read.

* A document with no task list at all may still name who does what in prose: a report that names tasks
  of an attached list by number (`由县民政局负责的第1件`, family ``referenced``), or a news item whose
  responsibility sentences are the tasks (`由鎮公路站負責的農村道路硬化項目`, family ``prose_list``); these are
  numbered 1, 2, 3 … in order.
* A section number seen only after the tasks (`…23.各区县政府:…` then `六、工作措施`) says which section
  the tasks before it were in (五); a `(一)`-numbered document likewise.
* `上述项目由…牵头负责` closes the sub-projects before it.
"""
from __future__ import annotations

import re

from ..lex import Token
from ..statements import read_prose, referenced_items
from .finish import family_of
from .model import Clause, Doc, Item, Part, Section

_PROSE_ROLES = ("text", "section", "subsection", "item", "list_title", "bracket_line")


def prose_fallback(doc: Doc, tokens: list[Token], families: frozenset[str]) -> None:
    """No task anywhere: tasks from prose (numbered in order) or from references to numbered tasks."""
    if any(it for p in doc.parts for it in p.items()):
        return
    claimed = _claimed_lines(doc)
    found: list[tuple[Token, list[tuple[list[int], object]]]] = []
    if "referenced" in families:
        for t in tokens:
            if t.role in _PROSE_ROLES and ("负责的第" in t.text or "負責的第" in t.text):
                refs = referenced_items(t.text)
                if refs:
                    found.append((t, refs))
    if found:
        part = Part(title=None, line=None)
        sec = Section(label="", number=0, heading="", line=None)
        part.sections.append(sec)
        for t, refs in found:
            for nums, st in refs:
                st.lines = [t.no]
                for n in nums:
                    it = Item(label=str(n), number=n, first=t.no, last=t.no, style="arabic", rule="referenced",
                              in_table=True)
                    it.clauses.append(Clause([st], rule="referenced"))
                    sec.items.append(it)
        doc.parts.insert(0, part)
        return
    if "prose_list" not in families:
        return
    items: list[tuple[Token, list]] = []
    for t in tokens:
        if t.role not in _PROSE_ROLES or t.no not in claimed:
            continue
        sts = [st for st in read_prose(t.text) if st.scope == "task" and st.units]
        if sts:
            items.append((t, sts))
    if not items:
        return
    part = Part(title=None, line=None)
    sec = Section(label="", number=0, heading="", line=None)
    part.sections.append(sec)
    n = 0
    for t, sts in items:
        for st in sts:
            n += 1
            st.lines = [t.no]
            it = Item(label=str(n), number=n, first=t.no, last=t.no, style="none", rule="prose_list",
                      in_table=True)
            it.clauses.append(Clause([st], rule=family_of(st)))
            sec.items.append(it)
    doc.parts.insert(0, part)


def _claimed_lines(doc: Doc) -> set[int]:
    """Lines that went to part or section text (prose not claimed by any task)."""
    out: set[int] = set()
    for p in doc.parts:
        out.update(n for n, _ in p.text_parts)
        for s in p.sections:
            out.update(n for n, _ in s.text_parts)
            if s.line is not None:
                out.add(s.line)
    for k in doc.kept:
        out.update(k.lines)
    return out


_TITLE_UNIT = re.compile(r"^(?P<unit>[^\d\s，,。:：]{2,20}?)(?:19|20)\d{2}\s*年")
_DEPARTMENT = ("局", "委", "办", "厅", "委员会", "中心", "院", "部")


def title_unit(doc: Doc, tokens: list[Token]) -> None:
    """A list whose tasks name no unit at all, under a title that starts with a department's name and a
    year (`教育体育局2020年为民办实事`): the department leads every task (family ``unit_heading``)."""
    items = [it for p in doc.parts for it in p.items()]
    if not items or any(it.clauses or it.statements for it in items):
        return
    first = next((t for t in tokens if t.role != "debris"), None)
    if first is None:
        return
    from ..statements import unit_like

    m = _TITLE_UNIT.match(first.text.strip())
    if not m or not unit_like(m["unit"]) or not m["unit"].endswith(_DEPARTMENT):
        return
    for p in doc.parts:
        for sec in p.sections:
            if sec.items and sec.kind not in ("joint", "unit"):
                sec.kind = "unit"
                sec.statements.append((first.no, m["unit"], False))


def infer_sections(doc: Doc) -> None:
    """Tasks before the first heading of a part, followed by heading N (N > 1): they were in section N−1
    (the heading above them is outside the excerpt). Also a prose heading (总体要求) that holds the only
    tasks before a jump to N."""
    for part in doc.parts:
        secs = part.sections
        for k, sec in enumerate(secs[:-1]):
            nxt = secs[k + 1]
            if not sec.items or not nxt.number or nxt.number < 2 or any(it.style == "heading" for it in sec.items):
                continue
            if sec.label == "" and sec.line is None and sec.style == "cn":
                sec.label = _numeral(nxt.number - 1)
                sec.number = nxt.number - 1
                sec.style = nxt.style
            elif sec.number and nxt.number > sec.number + 1 and sec.kind == "prose":
                sec.label = _numeral(nxt.number - 1)
                sec.number = nxt.number - 1


def _numeral(n: int) -> str:
    from .structure import cn_label

    return cn_label(n)


def unique_labels(doc: Doc) -> None:
    """A task label names one task in its section (a ledger's key): a label written twice (a repeated
    line or row, a table after a prose list under one heading) becomes `8-2`, with a warning. Linear."""
    for part in doc.parts:
        for sec in part.sections:
            seen: dict[str, int] = {}
            for it in sec.items:
                k = seen.get(it.label, 0) + 1
                seen[it.label] = k
                if k > 1:
                    new = f"{it.label}-{k}"
                    while new in seen:
                        k += 1
                        new = f"{it.label}-{k}"
                    seen[new] = 1
                    doc.diag("warning", "item_label_repeated", it.first,
                             f"task label {it.label} already used in this section: read as {new}")
                    it.label = new
