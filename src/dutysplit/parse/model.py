"""The intermediate records every layout family produces: parts → sections → items → clauses.

An :class:`Item` is one task whatever family wrote it (numbered lines, inline brackets, prose, any table):
its number, text, clauses (each a list of :class:`~dutysplit.statements.Statement`), fields, leaders,
source lines, and the rule that made it. ``resolve`` turns these into the output document.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..statements import Statement


@dataclass(slots=True)
class Clause:
    statements: list[Statement] = field(default_factory=list)
    text: str = ""  # the part of the task this clause covers (inline: the text before its bracket)
    inherited: bool = False  # units handed down from a heading (joint or unit-led section, table group)
    rule: str = ""  # the family that wrote it: units_line, inline_label, prose, table_pipe …

    def roles(self) -> set[str]:
        return {u.role for st in self.statements for u in st.units}


@dataclass(slots=True)
class Item:
    label: str  # the number as written: `9`, `(一)`, `⑴`; "" when the task has none
    number: int
    first: int  # line ids of the first and last line (a table's task: its first and last row line)
    last: int
    style: str  # arabic | cn | none
    text_parts: list[tuple[int, str]] = field(default_factory=list)
    statements: list[tuple[int, str, bool]] = field(default_factory=list)  # statement lines: (line, text,
    # continues the line before); read when the task is finished
    clauses: list[Clause] = field(default_factory=list)
    subheading: str | None = None
    text: str = ""
    fields: list[tuple[str, str, str, int | None]] = field(default_factory=list)  # (name, kind, value, line)
    rule: str = ""
    in_table: bool = False  # read from a table: its lines are claimed by the table block
    closed: bool = False  # its statements are complete (a later text line is no continuation)

    @property
    def has_units(self) -> bool:
        return bool(self.statements) or any(st.units for c in self.clauses for st in c.statements)


@dataclass(slots=True)
class Subheading:
    label: str
    number: int
    text: str
    lines: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Section:
    label: str  # the numeral as written (`一`), "" for tasks before any heading
    number: int
    heading: str
    line: int | None
    items: list[Item] = field(default_factory=list)
    subheadings: list[Subheading] = field(default_factory=list)
    text_parts: list[tuple[int, str]] = field(default_factory=list)
    statements: list[tuple[int, str, bool]] = field(default_factory=list)  # statement lines before any task
    kind: str = "topic"  # leader | joint | unit | topic | prose (resolve decides from the heading)
    leaders: list[dict] = field(default_factory=list)  # a leader section's persons (resolve)
    style: str = "cn"  # cn (一、) | paren ((一) used as sections) | unit (a heading that is a unit name)
    last_arabic: int = 0
    last_cn: int = 0
    unnumbered: int = 0  # unnumbered tasks opened so far (their labels)
    handed: list[tuple[str, str]] = field(default_factory=list)  # (unit, role) its heading hands down


@dataclass(slots=True)
class Part:
    title: str | None
    line: int | None
    first: int | None = None
    sections: list[Section] = field(default_factory=list)
    text_parts: list[tuple[int, str]] = field(default_factory=list)

    def last_number(self) -> int:
        for sec in reversed(self.sections):
            if sec.last_arabic:
                return sec.last_arabic
        return 0

    def items(self):
        for sec in self.sections:
            yield from sec.items


@dataclass(slots=True)
class Kept:
    kind: str
    lines: list[int]
    texts: list[str]


@dataclass(slots=True)
class Doc:
    meta: list[dict] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    unparsed: list[dict] = field(default_factory=list)
    diagnostics: list[dict] = field(default_factory=list)
    last_line: int = 0
    conventions: list[tuple[str, str, int | None]] = field(default_factory=list)  # (rule, note, line)
    standing: list[tuple[str, int | None]] = field(default_factory=list)  # standing defaults (document facts)
    families: frozenset[str] = frozenset()  # the rules enabled (--layout)

    def diag(self, level: str, code: str, line: int | None, message: str) -> None:
        if code in ("truncated", "lead_missing") and any(d["code"] == code and d["line"] == line
                                                         for d in self.diagnostics):
            return  # said once per line
        self.diagnostics.append({"level": level, "code": code, "line": line, "message": message})

    def keep(self, kind: str, no: int, text: str) -> None:
        last = self.kept[-1] if self.kept else None
        if last and last.kind == kind and last.lines[-1] < no:
            last.lines.append(no)
            last.texts.append(text)
        else:
            self.kept.append(Kept(kind, [no], [text]))

    def unparse(self, no: int, text: str, reason: str) -> None:
        self.unparsed.append({"line": no, "text": text, "reason": reason})
