"""Tables into the structure: every row a task (or a further clause of the task above), group rows and
categories into sections, the whole table region kept as one ``table`` block that the tasks point into."""
from __future__ import annotations

import regex

from ..grid import Table
from ..lex import cn_number
from ..statements import Statement
from ..statements.unitlist import split_units, unit_like
from ..vocab import UNIT_ROLES
from .model import Clause, Item, Part, Section, Subheading

_LIST_SEPS = regex.compile(r"[\s、,，;；]+")

_CN_HEAD = regex.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})\s*[、．.]\s*(?P<title>.*)$")
_PAREN_HEAD = regex.compile(r"^[(（](?P<num>[一二三四五六七八九十]{1,3})[)）]\s*(?P<title>.*)$")
_ROLE_OF = {"lead": ("lead", True), "support": ("support", True), "units": ("participant", False)}


def cell_statement(role: str, text: str, lines: list[int]) -> Statement:
    """The statement a unit cell makes: every unit in the column's role (`牵头单位` cells lead)."""
    body = text.replace("\n", "、").strip()
    units, notes, leaders = split_units(body, *_ROLE_OF.get(role, ("participant", False)))
    return Statement("cell", units=units, notes=notes, leaders=leaders, raw=body, lines=list(lines))


def _clean_text(text: str) -> str:
    return text.replace("\n", "").strip().rstrip("?？").strip()


class TableReader:
    """Adds the tasks of grid tables to a :class:`~dutysplit.parse.structure.Structure`."""

    def __init__(self, structure):
        self.s = structure
        self.parallel: dict[tuple[int, int], Part] = {}

    def add(self, tb: Table, tokens) -> None:
        s = self.s
        s.close_item()
        doc = s.doc
        # a group row heads the rows after it; one after the last row heads nothing and stays in the block
        group_lines = {g.lines[0] for g in tb.groups if g.lines and g.before < len(tb.rows)}
        if tb.part == 0:
            for tok in tokens:
                if tok.role == "debris":
                    doc.unparse(tok.no, tok.text, "debris")
                elif tok.no not in group_lines or tb.form == "box":
                    doc.keep("table", tok.no, tok.text)
        if s.part is None:
            s.new_part(None, None)
        if tb.part:
            key = (tb.start, tb.part)
            if key not in self.parallel:
                self.parallel[key] = Part(title=None, line=None)
                doc.parts.append(self.parallel[key])
            part = self.parallel[key]
            sec = None
        else:
            part = s.part
            sec = s.section
        roles = [c.role for c in tb.header]
        groups = {}
        for g in tb.groups:
            groups.setdefault(g.before, []).append(g)
        category = None
        last: Item | None = None
        count = 0
        for r_i, row in enumerate(tb.rows):
            for g in groups.get(r_i, []):
                sec = self._group(part, sec, g.text, g.lines[0] if g.lines and tb.form != "box" and not tb.part
                                  else None)
            if row.group and row.group != category and not any(row.group == g.text for g in tb.groups):
                category = row.group
                sec = self._group(part, sec, row.group, None)
            if sec is None:
                sec = Section(label="", number=0, heading="", line=None)
                part.sections.append(sec)
            clause = self._clause(row, roles, tb)
            if row.continuation and last is not None:
                if clause.statements[0].units or clause.statements[0].leaders:
                    last.clauses.append(clause)
                last.last = max(last.last, max(row.lines, default=last.last))
                continue
            count += 1
            number = _number(row.number) or (sec.last_arabic + 1 if row.number is None else count)
            item = Item(label=row.number or str(number), number=number, first=min(row.lines, default=0),
                        last=max(row.lines, default=0), style="arabic", rule=f"table_{tb.form}", in_table=True)
            item.text_parts = [(item.first, _clean_text(row.text))]
            item.text = _clean_text(row.text)
            if clause.statements[0].units or clause.statements[0].leaders or clause.statements[0].fields:
                item.clauses.append(clause)
            for k, c in row.cells:
                r = roles[k]
                if r not in UNIT_ROLES and r not in ("leader", "number", "task") and r != "division":
                    item.fields.append((tb.header[k].name, r, _clean_text(c.text), c.lines[0] if c.lines else None))
                elif r == "task" and c.text.strip() and _clean_text(c.text) != item.text:
                    item.fields.append((tb.header[k].name, "task", _clean_text(c.text), c.lines[0] if c.lines else None))
            if row.truncated:
                s.doc.diag("warning", "truncated", item.last,
                           f"table row {item.label} ends before its units: the input was cut off")
            sec.items.append(item)
            sec.last_arabic = max(sec.last_arabic, number)
            last = item
        if not tb.part:
            s.section = sec
            s.item = None
        for note in tb.notes:
            s.doc.diag("warning", "table", tb.header_lines[0] if tb.header_lines else None, note)

    def _clause(self, row, roles: list[str], tb: Table) -> Clause:
        st = Statement("cell", raw="")
        for k, c in row.cells:
            r = roles[k]
            if r in UNIT_ROLES and c.text.strip():
                st.add(cell_statement(r, c.text, c.lines))
            elif r == "leader" and c.text.strip():
                st.leaders.extend(p for p in _LIST_SEPS.split(_clean_text(c.text)) if p)
        st.lines = sorted(row.lines)
        if "lead" in roles and st.units and not any(roles[k] == "lead" for k, _ in row.cells):
            st.lead_missing = True  # the table says who leads in its own column: none is guessed
        return Clause([st], text="", rule=f"table_{tb.form}")

    def _group(self, part: Part, sec: Section | None, text: str, line: int | None) -> Section:
        """A group row or category: a section when numbered `一、` (or `(十一)` where the document has no
        `一、` headings), else a sub-heading of the section in force (or a section of its own)."""
        s = self.s
        m = _CN_HEAD.match(text)
        paren = _PAREN_HEAD.match(text)
        if m is None and paren is not None and not s.has_cn:
            m = paren
        if m is not None:
            new = Section(label=m["num"], number=cn_number(m["num"]) or 0, heading=m["title"].strip(), line=line,
                          style="cn" if m is not paren else "paren")
            if unit_like(m["title"]) and len(m["title"]) <= 30:
                new.kind = "unit"
                new.statements.append((line or 0, m["title"].strip(), False))
            part.sections.append(new)
            return new
        if sec is not None and sec.label:
            sub = Subheading(label=paren["num"] if paren else "", number=0, text=text,
                             lines=[line] if line is not None else [])
            if line is not None:
                sec.subheadings.append(sub)
            return sec
        new = Section(label="", number=0, heading=text, line=line)
        part.sections.append(new)
        return new


def _number(label: str | None) -> int | None:
    if not label:
        return None
    t = label.strip().rstrip(".．、")
    return int(t) if t.isdigit() else cn_number(t)
