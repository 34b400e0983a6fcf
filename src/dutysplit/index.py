"""The per-unit index across documents (`dutysplit units`): for each canonical unit of each place, what
it leads and what it takes part in, with document/section/item references."""
from __future__ import annotations

from dataclasses import dataclass, field


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
    led: list[dict] = field(default_factory=list)
    joined: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"unit": self.unit, "place": self.place, "kind": self.kind, "jurisdiction": self.jurisdiction,
                "names": sorted(self.names), "led": self.led, "joined": self.joined}


def build(docs: list[dict]) -> list[Entry]:
    """One entry per (place, canonical unit); a task counts once per unit (led if any clause leads)."""
    entries: dict[tuple[str | None, str], Entry] = {}
    for doc in docs:
        place = document_place(doc)
        for p_no, part in enumerate(doc["parts"], 1):
            for sec in part["sections"]:
                for item in sec["items"]:
                    roles: dict[str, str] = {}
                    for clause in item["clauses"]:
                        for u in clause["units"]:
                            key = (place, u["canonical"])
                            if key not in entries:
                                entries[key] = Entry(u["canonical"], place, u["kind"], u["jurisdiction"])
                            entries[key].names.add(u["name"])
                            if roles.get(u["canonical"]) != "lead":
                                roles[u["canonical"]] = u["role"]
                    for canon, role in roles.items():
                        ref = {"document": doc["source"]["path"], "year": doc["meta"]["year"], "part": p_no,
                               "section": sec["label"], "item": item["label"], "role": role,
                               "text": item["text"]}
                        target = entries[(place, canon)]
                        (target.led if role == "lead" else target.joined).append(ref)
    return sorted(entries.values(), key=lambda e: (-len(e.led), -len(e.joined), e.place or "", e.unit))


def select(entries: list[Entry], name: str, aliases: dict[str, str] | None = None) -> list[Entry]:
    """Entries for a unit as a user writes it: its canonical name or any name it was written as."""
    from .units import canonical

    want = {name, canonical(name, aliases=aliases)}
    return [e for e in entries if e.unit in want or e.names & want]
