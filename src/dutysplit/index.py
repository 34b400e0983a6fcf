"""The per-unit index across documents (`dutysplit units`): for each canonical unit of each place, what
it leads and what it takes part in. Built from the unit × task rows of :mod:`dutysplit.emit.rows`, the
same rows as the 按单位 sheet."""
from __future__ import annotations

from dataclasses import dataclass, field

# the keys of a reference to a task in `led` / `joined` (the rest of a unit × task row is the entry's)
REF_KEYS = ("role", "document", "year", "seq", "part", "section", "item", "task", "deadline")


def document_place(doc: dict) -> str | None:
    """The place a document speaks for (`嵊泗县`): from its issuer, else its title or signature."""
    return meta_place(doc["meta"])


def meta_place(meta: dict) -> str | None:
    from .units import issuer_place

    for text in (meta["issuer"], meta["title"], *(f["value"] for f in meta["fields"] if f["kind"] == "signature")):
        place = issuer_place(text)
        if place:
            return place
    return None


@dataclass(slots=True)
class Entry:
    unit: str  # canonical name
    place: str | None  # the documents' place: 县发改局 of 嵊泗县 is not 县发改局 of 长兴县
    kind: str
    jurisdiction: str
    names: set[str] = field(default_factory=set)
    led: list[dict] = field(default_factory=list)  # unit × task rows where the unit leads
    joined: list[dict] = field(default_factory=list)  # … where it takes part (participant or support)

    def as_dict(self) -> dict:
        return {"unit": self.unit, "place": self.place, "kind": self.kind, "jurisdiction": self.jurisdiction,
                "names": sorted(self.names), "led": [_ref(r) for r in self.led],
                "joined": [_ref(r) for r in self.joined]}

    def rows(self) -> list[dict]:
        """Its unit × task rows in document order."""
        return sorted(self.led + self.joined, key=lambda r: (r["_doc"], r["seq"]))

    def summary(self) -> dict:
        return {"unit": self.unit, "place": self.place, "kind": self.kind, "led": len(self.led),
                "joined": len(self.joined), "names": sorted(self.names)}


def _ref(row: dict) -> dict:
    return {k: row[k] for k in REF_KEYS}


def group(rows) -> list[Entry]:
    """Entries from unit × task rows (one per canonical unit of a task, with its strongest role)."""
    entries: dict[tuple[str | None, str], Entry] = {}
    for row in rows:
        key = (row["place"], row["unit"])
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = Entry(row["unit"], row["place"], row["kind"], row["jurisdiction"])
        entry.names.update(row["names"])
        (entry.led if row["role"] == "lead" else entry.joined).append(row)
    return sorted(entries.values(), key=lambda e: (-len(e.led), -len(e.joined), e.place or "", e.unit))


def rows_of(doc: dict, n: int = 0) -> list[dict]:
    """The unit × task rows of the ``n``-th document."""
    from .emit.rows import DocumentRows

    rows = DocumentRows(doc).unit_tasks()
    for row in rows:
        row["_doc"] = n
    return rows


def unit_rows(docs) -> list[dict]:
    return [row for n, doc in enumerate(docs) for row in rows_of(doc, n)]


def build(docs: list[dict]) -> list[Entry]:
    """One entry per (place, canonical unit); a task counts once per unit (led if any clause leads)."""
    return group(unit_rows(docs))


def select(entries: list[Entry], name: str, aliases: dict[str, str] | None = None) -> list[Entry]:
    """Entries for a unit as a user writes it exactly: its canonical name or any name it was written as."""
    from .units import canonical

    want = {name, canonical(name, aliases=aliases)}
    return [e for e in entries if e.unit in want or e.names & want]


def find(entries: list[Entry], query: str, aliases: dict[str, str] | None = None,
         cutoff: float = 65) -> tuple[list[Entry], str]:
    """Entries for ``query``, best first, and how they matched: ``exact`` (the name as written or its
    canonical name: that unit only), else ``similar``: every unit a name of which contains the query, then
    names close to it (rapidfuzz WRatio ≥ ``cutoff``), by score. Empty list when nothing matches."""
    exact = select(entries, query, aliases)
    if exact:
        return exact, "exact"
    found: list[tuple[int, float, int, Entry]] = []
    rest = []
    for n, e in enumerate(entries):
        names = {e.unit, *e.names}
        if any(query in x for x in names):
            found.append((0, min(len(x) for x in names if query in x), n, e))
        else:
            rest.append((n, e, names))
    if rest:
        from rapidfuzz import fuzz

        for n, e, names in rest:
            score = max(fuzz.WRatio(query, x) for x in names)
            if score >= cutoff:
                found.append((1, -score, n, e))
    found.sort(key=lambda t: t[:3])
    return [t[3] for t in found], "similar"
