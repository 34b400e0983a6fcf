"""Stage 5: resolve the parse tree into the output document.

Units are split and cleaned, the lead-unit convention is found and applied, leaders are read from
section headings, joint sections hand their units down, and the document facts are chosen from the
metadata lines. The result is a plain dict with the shape of :mod:`dutysplit.models` (the CLI emits it
without importing pydantic; the library API validates it into the model).
"""
from __future__ import annotations

from functools import lru_cache

import regex

from . import SCHEMA_VERSION
from .clean import tidy
from .data import table
from .parse import Clause, Doc, Item, Section, Statement, _scan_brackets

_SEPARATORS = "、,，;；"
_OPENERS = "(（[［【〔"
_DATE = regex.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
_YEAR = regex.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*年")
_NAME = regex.compile(r"^\p{Han}{2,4}$")


# ---------------------------------------------------------------------------------------------------
# rule tables


@lru_cache(maxsize=None)
def _conventions() -> tuple[tuple[str, regex.Pattern], ...]:
    return tuple((rule, regex.compile(pat)) for rule, pat in table("conventions"))


@lru_cache(maxsize=None)
def _note() -> regex.Pattern:
    return regex.compile("|".join(r[0] for r in table("notes")))


@lru_cache(maxsize=None)
def _markers() -> tuple[str, tuple[str, ...]]:
    marks = "".join(v for k, v in table("markers") if k == "mark")
    each = tuple(v for k, v in table("markers") if k == "each-leads")
    return marks, each


@lru_cache(maxsize=None)
def _titles() -> tuple[regex.Pattern, dict[str, int]]:
    rows = table("titles")
    ranks = {t: int(r) for t, r in rows}
    alt = "|".join(regex.escape(t) for t in sorted(ranks, key=len, reverse=True))
    return regex.compile(rf"^(?P<name>\p{{Han}}{{2,4}}?)(?P<title>{alt})$"), ranks


@lru_cache(maxsize=None)
def _section_kinds() -> tuple[tuple[str, regex.Pattern], ...]:
    return tuple((kind, regex.compile(pat)) for kind, pat in table("sections"))


@lru_cache(maxsize=None)
def _meta_fields() -> dict[str, tuple[str, int]]:
    return {key: (fieldname, int(prio)) for key, fieldname, prio in table("meta_keys")}


# ---------------------------------------------------------------------------------------------------
# units


def split_top(text: str, seps: str = _SEPARATORS) -> list[str]:
    """Split on separators that are not inside brackets or quotes."""
    out, buf, depth = [], [], 0
    for c in text:
        if c in _OPENERS or c in "“‘《":
            depth += 1
        elif c in ")）]］】〕”’》":
            depth = max(0, depth - 1)
        if depth == 0 and c in seps:
            out.append("".join(buf))
            buf = []
        else:
            buf.append(c)
    out.append("".join(buf))
    return out


def extract_notes(body: str) -> tuple[str, list[str]]:
    """Remove bracketed notes (`（排位第一的为牵头单位，下同）`) from a units statement."""
    notes = []
    note = _note()
    i = 0
    out = []
    while i < len(body):
        c = body[i]
        if c in _OPENERS:
            end = _scan_brackets(body, i)
            if end > 0 and note.search(body[i + 1:end - 1]):
                notes.append(body[i:end])
                i = end
                continue
        out.append(c)
        i += 1
    return "".join(out), notes


def convention_of(note: str) -> str | None:
    for rule, pat in _conventions():
        if pat.search(note):
            return rule
    return None


def split_units(body: str) -> tuple[list[tuple[str, bool]], bool]:
    """Units of a statement body (notes already removed): [(name, marked)], each_leads."""
    marks, each = _markers()
    body = body.strip()
    each_leads = False
    for phrase in each:
        if body.endswith(phrase):
            body = body[: -len(phrase)]
            each_leads = True
            break
    units = []
    for piece in split_top(body):
        name = regex.sub(r"\s+", "", piece).strip("。.;；")
        marked = False
        while name and name[0] in marks:
            name = name[1:]
            marked = True
        if name:
            units.append((name, marked))
    return units, each_leads


# ---------------------------------------------------------------------------------------------------
# leaders and sections


def parse_leaders(who: str) -> list[dict]:
    pat, ranks = _titles()
    leaders = []
    for piece in split_top(who, "、,，;；和及"):
        piece = piece.strip()
        if not piece:
            continue
        m = regex.match(r"^(?P<name>\p{Han}{2,4})[(（](?P<title>[^)）]+)[)）]$", piece)
        if m:
            leaders.append({"name": m["name"], "title": m["title"]})
            continue
        m = pat.match(piece)
        if m:
            leaders.append({"name": m["name"], "title": m["title"]})
        else:
            leaders.append({"name": piece, "title": None})
    return leaders


def classify_section(sec: Section) -> None:
    for kind, pat in _section_kinds():
        m = pat.match(sec.heading)
        if not m:
            continue
        who = m.groupdict().get("who")
        if kind == "leader":
            leaders = parse_leaders(who)
            if not any(ld["title"] for ld in leaders):
                continue  # `X牵头重点工作` where X is no person with a title: a topic
            sec.kind, sec.leaders = "leader", leaders
        elif kind == "joint":
            sec.kind = "joint"
            sec.units = [n for n, _ in split_units(extract_notes(who)[0])[0]]
        else:
            sec.kind = kind
        break
    else:
        sec.kind = "topic"
    if not sec.items and sec.kind == "topic":
        sec.kind = "prose"


# ---------------------------------------------------------------------------------------------------
# the document


class Resolver:
    def __init__(self, doc: Doc, source: dict):
        self.doc = doc
        self.source = source
        self.convention = {"rule": "none", "declared": False, "text": None, "line": None}
        self.marked_fallback_said = False

    def diag(self, level: str, code: str, line: int | None, message: str) -> None:
        self.doc.diag(level, code, line, message)

    def find_convention(self) -> None:
        for part in self.doc.parts:
            for sec in part.sections:
                statements = list(sec.statements)
                for it in sec.items:
                    for c in it.clauses:
                        statements.extend(c.statements)
                for st in statements:
                    for note in extract_notes(st.body)[1]:
                        rule = convention_of(note)
                        if rule:
                            line = st.lines[0] if st.lines else None
                            self.convention = {"rule": rule, "declared": True, "text": note, "line": line}
                            return

    def resolve_clause(self, c: Clause, item: Item, sec: Section) -> dict:
        units: list[dict] = []
        each_leads = False
        any_mark = False
        notes: list[str] = []
        for st in c.statements:
            body, found = extract_notes(st.body)
            notes.extend(found)
            names, each = split_units(body)
            each_leads = each_leads or each
            for name, marked in names:
                any_mark = any_mark or marked
                units.append({"name": name, "role": "participant", "marked": marked})
        if c.inherited:
            return {"text": c.text, "units": [{"name": u, "role": "participant"} for u in sec.units],
                    "lead": None, "inherited": True, "lines": c.lines}
        if not units:
            self.diag("warning", "no_units", item.first, f"task {item.label} names no units")
        rule = self.convention["rule"]
        if each_leads:
            leads = units
        elif any_mark:
            leads = [u for u in units if u["marked"]]
        else:
            if rule == "marked" and units and not self.marked_fallback_said:
                self.marked_fallback_said = True
                self.diag("warning", "marks_lost", self.convention["line"],
                          "the document says marked units lead, but no unit carries a mark "
                          "(lost in extraction?): the first-listed unit is taken as lead")
            leads = units[:1]
        for u in leads:
            u["role"] = "lead"
        out_units = [{"name": u["name"], "role": u["role"]} for u in units]
        return {"text": c.text, "units": out_units, "lead": leads[0]["name"] if leads else None,
                "inherited": False, "lines": c.lines}

    def resolve_item(self, item: Item, sec: Section) -> dict:
        if not item.clauses:
            inherited = sec.kind == "joint" and bool(sec.units)
            item.clauses.append(Clause(text=item.text, inherited=inherited, lines=[item.first, item.last]))
        return {
            "label": item.label,
            "number": item.number,
            "subheading": item.subheading,
            "text": item.text,
            "lines": [item.first, item.last],
            "clauses": [self.resolve_clause(c, item, sec) for c in item.clauses],
        }

    def resolve_section(self, sec: Section) -> dict:
        classify_section(sec)
        if sec.kind == "joint" and sec.statements:
            units = []
            for st in sec.statements:
                units.extend(n for n, _ in split_units(extract_notes(st.body)[0])[0])
            sec.units = units
        text_lines = [n for n, _ in sec.text_parts] + [n for st in sec.statements for n in st.lines]
        return {
            "label": sec.label,
            "number": sec.number,
            "heading": sec.heading,
            "line": sec.line,
            "kind": sec.kind,
            "leaders": sec.leaders,
            "units": sec.units,
            "text": tidy("\n".join(t for _, t in sec.text_parts)) or None,
            "text_lines": sorted(text_lines),
            "subheadings": [
                {"label": s.label, "number": s.number, "text": tidy(s.text), "lines": [s.lines[0], s.lines[-1]]}
                for s in sec.subheadings
            ],
            "items": [self.resolve_item(it, sec) for it in sec.items],
        }

    def meta(self, parts: list[dict]) -> dict:
        fields = _meta_fields()
        chosen: dict[str, tuple[int, str]] = {}

        def offer(fieldname: str, value: str | None, prio: int) -> None:
            if value and (fieldname not in chosen or prio < chosen[fieldname][0]):
                chosen[fieldname] = (prio, value)

        for m in self.doc.meta:
            key, value, kind = m["key"], (m["value"] or "").strip(), m["kind"]
            if value in ("-", "—", "无"):
                value = ""
            if kind in ("kv", "bullet") and key in fields:
                fieldname, prio = fields[key]
                if fieldname in ("date", "published"):
                    value = iso_date(value)
                if fieldname != "-":
                    offer(fieldname, value, prio)
            elif kind == "notice_title":
                offer("notice_title", tidy(value), 0)
            elif kind == "doc_number":
                offer("doc_number", regex.sub(r"\s+", "", value), 0)
            elif kind == "signature":
                offer("issuer", value, 0)
            elif kind == "date":
                offer("date", iso_date(value), 0)
        title = next((p["title"] for p in parts if p["title"]), None)
        notice = chosen.get("notice_title", (0, None))[1]
        if not title and notice:
            m = regex.search(r"《(?P<t>[^《》]+)》", notice) or regex.search(r"关于印发(?P<t>.+)的通知", notice)
            title = tidy(m["t"]) if m else None
        year = None
        for s in (title, notice):
            m = _YEAR.search(s or "")
            if m:
                year = int(m.group(1))
                break
        date = chosen.get("date", (0, None))[1]
        if year is None and date:
            year = int(date[:4])
        return {
            "title": title,
            "notice_title": notice,
            "doc_number": chosen.get("doc_number", (0, None))[1],
            "issuer": chosen.get("issuer", (0, None))[1],
            "date": date,
            "published": chosen.get("published", (0, None))[1],
            "index_no": chosen.get("index_no", (0, None))[1],
            "year": year,
            "fields": [
                {"key": m["key"], "value": m["value"], "kind": m["kind"], "lines": m["lines"]}
                for m in self.doc.meta
            ],
        }

    def run(self) -> dict:
        self.find_convention()
        if not self.convention["declared"]:
            self.convention["rule"] = "none"
        parts = []
        for p in self.doc.parts:
            parts.append({
                "title": tidy(p.title) if p.title else None,
                "line": p.line,
                "text": tidy("\n".join(t for _, t in p.text_parts)) or None,
                "text_lines": [n for n, _ in p.text_parts],
                "sections": [self.resolve_section(s) for s in p.sections],
            })
        if self.convention["rule"] == "none" and any(
            c["units"] for p in parts for s in p["sections"] for it in s["items"] for c in it["clauses"]
        ):
            self.diag("info", "lead_assumed", None,
                      "no lead-unit convention is declared: the first-listed unit is taken as lead")
        if not any(s["items"] for p in parts for s in p["sections"]):
            self.diag("warning", "no_tasks", None, "no tasks found")
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "meta": self.meta(parts),
            "convention": self.convention,
            "parts": parts,
            "kept": [{"kind": k.kind, "lines": [k.lines[0], k.lines[-1]], "line_numbers": k.lines,
                      "text": "\n".join(k.texts)} for k in self.doc.kept],
            "diagnostics": sorted(self.doc.diagnostics, key=lambda d: (d["line"] is None, d["line"] or 0)),
            "unparsed": sorted(self.doc.unparsed, key=lambda u: u["line"]),
        }


def iso_date(value: str) -> str | None:
    m = _DATE.search(value or "")
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def resolve(doc: Doc, source: dict) -> dict:
    return Resolver(doc, source).run()
