"""The records every reader of statements produces."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class UnitRef:
    """A unit named by a statement, as written (separators, marks and notes removed)."""

    name: str
    role: str = "participant"  # lead | participant | support
    explicit: bool = False  # the role is said (a lead label, a verb, 分别牵头); else the convention decides
    marked: bool = False  # written with a lead mark (`*`, `★`)


@dataclass(slots=True)
class Statement:
    """Who is responsible, as one statement says it."""

    rule: str  # the grammar rule that read it: label, labels, bracket, bare_bracket, verb, prose, duty, cell …
    units: list[UnitRef] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)  # persons or posts in charge: never units
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name as written, kind, value)
    notes: list[str] = field(default_factory=list)  # bracket notes, standing rules, remarks
    convention: tuple[str, str] | None = None  # (rule, note text) when a note declares the lead convention
    scope: str = "task"  # task | preceding (上述…) | document (以下…均需…, a standing default)
    raw: str = ""
    lines: list[int] = field(default_factory=list)  # line ids it was read from (empty for inline)
    lead_missing: bool = False  # the source has a place for the lead (a 牵头单位 column) and it is empty
    people: list[dict] = field(default_factory=list)  # ``leaders`` read as {name, title} (parse.sections)

    @property
    def has_units(self) -> bool:
        return bool(self.units)

    def add(self, other: "Statement") -> None:
        """Merge ``other`` into this statement (several labels of one clause)."""
        seen = {u.name: u for u in self.units}
        for u in other.units:
            old = seen.get(u.name)
            if old is None:
                self.units.append(u)
                seen[u.name] = u
            elif u.role == "lead" and old.role != "lead":
                old.role, old.explicit = "lead", True
        self.leaders.extend(other.leaders)
        self.fields.extend(other.fields)
        self.notes.extend(other.notes)
        self.convention = self.convention or other.convention
        self.lines.extend(n for n in other.lines if n not in self.lines)
