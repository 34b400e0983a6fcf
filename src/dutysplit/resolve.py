"""Stage 5: the parsed structure → the output document (a plain dict with the shape of :mod:`.models`).

Statements arrive already read (:mod:`.statements`); this stage never reads their text again. It decides
what the statements leave open — the lead where none is said (the first-listed unit, or the marked ones),
units handed down by a heading (joint and unit-led sections), a name cut off by the end of an excerpt —
and adds canonical names, kinds and jurisdictions, leaders with titles, and the document facts.
"""
from __future__ import annotations

from collections import Counter

from . import SCHEMA_VERSION
from .clean import tidy
from .docmeta import meta
from .parse.model import Clause, Doc, Item, Section
from .statements import unit_like

# tasks whose lines are claimed by a block elsewhere (a table, a prose paragraph): they point into it
POINTER_RULES = ("referenced", "prose_list")


class Resolver:
    def __init__(self, doc: Doc, source: dict, aliases: dict[str, str] | None = None, text: str | None = None):
        self.doc = doc
        self.source = source
        self.aliases = aliases
        self.text = text
        self.convention = {"rule": "none", "declared": False, "text": None, "line": None}
        self.first_listed_used = 0
        self.marked_fallback_said = False
        items = [it for p in doc.parts for it in p.items()]
        self.last_item = items[-1] if items else None

    def diag(self, level: str, code: str, line: int | None, message: str) -> None:
        self.doc.diag(level, code, line, message)

    def find_convention(self) -> None:
        for part in self.doc.parts:
            for it in part.items():
                for c in it.clauses:
                    for st in c.statements:
                        if st.convention is not None:
                            rule, note = st.convention
                            line = st.lines[0] if st.lines else it.first
                            self.convention = {"rule": rule, "declared": True, "text": note, "line": line}
                            return

    def clause(self, c: Clause, item: Item, handed: list[tuple[str, str]], extra: dict) -> dict:
        lines = [item.first, item.last]
        if c.inherited:
            units = [{"name": n, "role": role} for n, role in handed]
            lead = next((u["name"] for u in units if u["role"] == "lead"), None)
            return {"text": c.text, "units": units, "lead": lead, "inherited": True, "note": None, "lines": lines,
                    "rule": c.rule}
        units: list[dict] = []
        seen: dict[str, dict] = {}
        notes: list[str] = []
        marked: set[str] = set()
        explicit_lead = False
        for st in c.statements:
            extra["leaders"].extend(st.people)
            for name, kind, value in st.fields:
                extra["fields"].append({"name": name, "kind": kind, "value": tidy(value),
                                        "line": st.lines[0] if st.lines else item.first})
            notes.extend(st.notes)
            for u in st.units:
                if u.marked:
                    marked.add(u.name)
                if u.role == "lead" and u.explicit:
                    explicit_lead = True
                old = seen.get(u.name)
                if old is not None:
                    if u.role == "lead" and old["role"] != "lead":
                        old["role"] = "lead"
                    continue
                seen[u.name] = {"name": u.name, "role": u.role}
                units.append(seen[u.name])
        if item is self.last_item and item.clauses and c is item.clauses[-1] and units and self._at_end(item, c):
            last = units[-1]["name"]
            if not unit_like(last) and (len(units) > 1 or len(last) <= 4):
                units.pop()
                seen.pop(last, None)
                extra["truncated"] = True
                self.diag("warning", "truncated", item.last,
                          f"task {item.label}: the input ends inside its units; fragment {last!r} is not a unit")
        if any(st.lead_missing for st in c.statements) and not any(u["role"] == "lead" for u in units):
            self.diag("warning", "lead_missing", item.last,
                      f"task {item.label}: its lead cell is empty or cut off; no lead is guessed")
        elif not explicit_lead and not any(u["role"] == "lead" for u in units):
            if marked:
                for u in units:
                    if u["name"] in marked:
                        u["role"] = "lead"
            else:
                first = next((u for u in units if u["role"] == "participant"), None)
                if first is not None:
                    first["role"] = "lead"
                    self.first_listed_used += 1
                    if self.convention["rule"] == "marked" and not self.marked_fallback_said:
                        self.marked_fallback_said = True
                        self.diag("warning", "marks_lost", self.convention["line"],
                                  "the document says marked units lead, but no unit carries a mark "
                                  "(lost in extraction?): the first-listed unit is taken as lead")
        lead = next((u["name"] for u in units if u["role"] == "lead"), None)
        return {"text": c.text, "units": units, "lead": lead, "inherited": False,
                "note": "；".join(notes) or None, "lines": lines, "rule": c.rule}

    def _at_end(self, item: Item, c: Clause) -> bool:
        last = max((n for st in c.statements for n in st.lines), default=item.last)
        return max(last, item.last) >= self.doc.last_line

    def item(self, item: Item, sec: Section, handed: list[tuple[str, str]]) -> dict:
        clauses = list(item.clauses)
        family = "unit_heading" if sec.kind == "unit" else "joint_heading"
        if handed and family not in self.doc.families:
            handed = []
        if not clauses and handed:
            clauses = [Clause(text=item.text, inherited=True, rule="unit_heading" if sec.kind == "unit"
                              else "joint_heading")]
        elif not clauses:
            clauses = [Clause(text=item.text, rule="none")]  # a task names no units: still one (empty) clause
        extra = {"leaders": [], "fields": [{"name": n, "kind": k, "value": v, "line": ln}
                                           for n, k, v, ln in item.fields], "truncated": False}
        out_clauses = [self.clause(c, item, handed, extra) for c in clauses]
        if not any(c["units"] for c in out_clauses) and not extra["truncated"]:
            at_end = item is self.last_item and item.last >= self.doc.last_line
            if at_end:
                self.diag("warning", "truncated", item.last,
                          f"task {item.label}: the last task names no units: the input may end before them")
            else:
                self.diag("warning", "no_units", item.first, f"task {item.label} names no units")
        rule = item.rule if item.rule not in ("", "numbered", "cn_item", "unnumbered") else (
            clauses[0].rule if clauses and clauses[0].rule != "none" else item.rule or "numbered")
        return {
            "label": item.label,
            "number": item.number,
            "subheading": item.subheading,
            "text": item.text,
            "lines": [item.first, item.last],
            "rule": rule,
            "leaders": extra["leaders"],
            "fields": extra["fields"],
            "clauses": out_clauses,
        }

    def section(self, sec: Section) -> dict:
        handed = sec.handed  # read from the heading by the parser (parse.sections)
        text_lines = [n for n, _ in sec.text_parts]
        return {
            "label": sec.label,
            "number": sec.number,
            "heading": tidy(sec.heading),
            "line": sec.line,
            "kind": sec.kind if sec.kind in ("leader", "joint", "topic", "prose", "unit") else "topic",
            "leaders": sec.leaders,
            "units": [n for n, _ in handed],
            "text": tidy("\n".join(t for _, t in sec.text_parts)) or None,
            "text_lines": sorted(set(text_lines)),
            "subheadings": [{"label": s.label, "number": s.number, "text": tidy(s.text),
                             "lines": [s.lines[0], s.lines[-1]] if s.lines else [0, 0]} for s in sec.subheadings],
            "items": [self.item(it, sec, handed) for it in sec.items],
        }

    def run(self) -> dict:
        self.find_convention()
        parts = []
        for p in self.doc.parts:
            sections = [self.section(s) for s in p.sections]
            rules = Counter(it["rule"] for s in sections for it in s["items"])
            parts.append({
                "layout": rules.most_common(1)[0][0] if rules else "none",
                "title": tidy(p.title) if p.title else None,
                "lines": [p.first, p.line] if p.line is not None else None,
                "text": tidy("\n".join(t for _, t in p.text_parts)) or None,
                "text_lines": [n for n, _ in p.text_parts],
                "sections": sections,
            })
        if self.convention["rule"] == "none" and self.first_listed_used:
            self.diag("info", "lead_assumed", None,
                      "no lead-unit convention is declared: the first-listed unit is taken as lead")
        if not any(s["items"] for p in parts for s in p["sections"]):
            self.diag("warning", "no_tasks", None, "no tasks found")
        kept_texts = [t for k in self.doc.kept for t in k.texts]
        facts = meta(self.doc.meta, parts, kept_texts)
        from .index import meta_place

        self.describe_units(parts, meta_place(facts) or facts["issuer"])
        layouts = Counter(p["layout"] for p in parts if p["layout"] != "none")
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "layout": layouts.most_common(1)[0][0] if layouts else "none",
            "meta": facts,
            "convention": self.convention,
            "leaders": people(parts),
            "parts": parts,
            "kept": [{"kind": k.kind, "lines": [k.lines[0], k.lines[-1]], "line_numbers": k.lines,
                      "text": "\n".join(k.texts)} for k in self.doc.kept],
            "diagnostics": sorted(self.doc.diagnostics, key=lambda d: (d["line"] is None, d["line"] or 0)),
            "unparsed": sorted(self.doc.unparsed, key=lambda u: u["line"]),
        }

    def describe_units(self, parts: list[dict], issuer: str | None) -> None:
        """Canonical name, kind and jurisdiction of every unit; normalised titles of leaders; names that look
        like extraction damage of another name of the document."""
        from . import units as u

        seen: dict[str, tuple[str, str, str]] = {}
        first_line: dict[str, int] = {}
        names: list[str] = []
        for p in parts:
            for sec in p["sections"]:
                for ld in sec["leaders"]:
                    describe_leader(ld)
                for it in sec["items"]:
                    for ld in it["leaders"]:
                        describe_leader(ld)
                    for c in it["clauses"]:
                        for unit in c["units"]:
                            name = unit["name"]
                            if name not in seen:
                                canon = u.canonical(name, aliases=self.aliases, issuer=issuer)
                                seen[name] = (canon, u.kind(canon), u.jurisdiction(name, issuer))
                                first_line[name] = c["lines"][0]
                            unit["canonical"], unit["kind"], unit["jurisdiction"] = seen[name]
                            if not c["inherited"]:
                                names.append(name)
        for rare, frequent in u.typo_suggestions(names, self.text):
            if self.aliases and rare in self.aliases:
                continue
            self.diag("warning", "possible_typo", first_line[rare],
                      f"unit {rare!r} differs from {frequent!r} (written {names.count(frequent)}×) "
                      f"in one character: extraction damage?")


def describe_leader(ld: dict) -> None:
    from . import units as u

    ld["title"] = u.normalise_title(ld["title"])
    ld["rank"] = u.title_rank(ld["title"])


def people(parts: list[dict]) -> list[dict]:
    """Every leader of the document once, with where they lead, ordered by rank."""
    index: dict[str, dict] = {}
    for p_no, p in enumerate(parts, 1):
        for sec in p["sections"]:
            for ld in sec["leaders"]:
                entry = index.setdefault(ld["name"], {"name": ld["name"], "title": ld["title"], "rank": ld["rank"],
                                                      "sections": [], "items": 0})
                entry["sections"].append(f"{p_no}/{sec['label']}")
                entry["items"] += len(sec["items"])
            for it in sec["items"]:
                for ld in it["leaders"]:
                    entry = index.setdefault(ld["name"], {"name": ld["name"], "title": ld["title"],
                                                          "rank": ld["rank"], "sections": [], "items": 0})
                    entry["items"] += 1
                    if entry["title"] is None and ld["title"]:
                        entry["title"], entry["rank"] = ld["title"], ld["rank"]
    return sorted(index.values(), key=lambda e: (e["rank"], e["sections"][:1] or ["~"]))


def resolve(doc: Doc, source: dict, *, text: str | None = None, aliases: dict[str, str] | None = None) -> dict:
    return Resolver(doc, source, aliases, text).run()
