"""Stage 5: resolve the parse tree into the output document.

Units are split and cleaned, the lead-unit convention is found and applied, leaders are read from
section headings, joint sections hand their units down, and the document facts are chosen from the
metadata lines. The result is a plain dict with the shape of :mod:`dutysplit.models` (the CLI emits it
without importing pydantic; the library API validates it into the model).
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

import regex

from . import SCHEMA_VERSION
from .clean import tidy
from .data import table
from .lex import cn_number
from .parse import Clause, Doc, Item, Section, Statement, bracket_pairs, label_field, verb_segments

_SEPARATORS = "、,，;；"
_OPENERS = "(（[［【〔"
_DATE = regex.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
_YEAR = regex.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*年")
_NAME = regex.compile(r"^\p{Han}{2,4}$")
_WS = regex.compile(r"\s+")
_NESTING = regex.compile(r"[(（\[［【〔“‘《]")
_OPEN_RE = regex.compile(r"[(（\[［【〔]")
_BRACKET_ROLE = regex.compile(r"^(?P<name>\p{Han}{2,4})[(（](?P<title>[^)）]+)[)）]$")
_TRAILING_ETC = regex.compile(r"(?<=\p{Han}{2})(等|等单位|等部门)$")


@lru_cache(maxsize=None)
def _suffixes() -> regex.Pattern:
    alt = "|".join(regex.escape(r[0]) for r in sorted(table("unit_suffixes"), key=lambda r: -len(r[0])))
    return regex.compile(rf"(?:{alt})$")


@lru_cache(maxsize=None)
def _conjunction() -> regex.Pattern:
    """`X局等市级有关部门`, `X局及Y委`: a conjunction right after a complete name joins two names."""
    alt = "|".join(regex.escape(r[0]) for r in sorted(table("unit_suffixes"), key=lambda r: -len(r[0])))
    return regex.compile(rf"(?<=(?:{alt}))(?:等|及|和|以及)(?=\p{{Han}}{{3}})")


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


@lru_cache(maxsize=8)
def _separator_re(seps: str) -> regex.Pattern:
    return regex.compile(f"[{regex.escape(seps)}]")


def split_top(text: str, seps: str = _SEPARATORS) -> list[str]:
    """Split on separators that are not inside brackets or quotes."""
    if not _NESTING.search(text):
        return _separator_re(seps).split(text)
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
    if not _OPEN_RE.search(body):
        return body, []
    notes = []
    note = _note()
    pairs = bracket_pairs(body)
    i = 0
    out = []
    while i < len(body):
        end = pairs.get(i)
        if end is not None:  # an outermost group: a note, or part of a name (`市财政局(国资委)`)
            group = body[i:end]
            if note.search(group[1:-1]):
                notes.append(group)
            else:
                out.append(group)
            i = end
            continue
        out.append(body[i])
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
    pieces = []
    for piece in split_top(body):
        pieces.extend(_conjunction().split(piece))
    for piece in pieces:
        name = _WS.sub("", piece).strip("。.;；?？")
        name = _TRAILING_ETC.sub("", name)
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
        m = _BRACKET_ROLE.match(piece)
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
    if sec.kind == "prose" and sec.items:
        sec.kind = "topic"  # a heading like 发展目标 over tasks (a table's category) is a topic
    if not sec.items and sec.kind == "topic":
        sec.kind = "prose"


# ---------------------------------------------------------------------------------------------------
# the document


class Resolver:
    def __init__(self, doc: Doc, source: dict, aliases: dict[str, str] | None = None, text: str | None = None):
        self.doc = doc
        self.source = source
        self.aliases = aliases
        self.text = text  # the document's text: the typo rule weighs characters by their frequency in it
        self.convention = {"rule": "none", "declared": False, "text": None, "line": None}
        self.marked_fallback_said = False
        self.first_listed_used = 0  # clauses whose lead is the first-listed unit by convention
        items = [it for p in doc.parts for sec in p.sections for it in sec.items]
        self.last_item = items[-1] if items else None

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

    def segments(self, st: Statement) -> list[tuple[str, str]]:
        """A statement as (field, text) segments: `责任领导:王五;责任单位:外贸局` holds two."""
        if st.field == "division":
            return verb_segments(st.body) or [("units", st.body)]
        out = []
        pos, fieldname = 0, st.field
        for m in _inner_label().finditer(st.body):
            out.append((fieldname, st.body[pos:m.start()]))
            fieldname = label_field(m.group("label"))
            pos = m.end()
        out.append((fieldname, st.body[pos:]))
        expanded = []
        for f, text in out:
            text = text.strip().strip(";；,，|").strip()
            if f == "division":
                expanded.extend(verb_segments(text) or [("units", text)])
            elif text or f in _UNIT_ROLES:
                expanded.append((f, text))
        return expanded

    def resolve_clause(self, c: Clause, item: Item, sec: Section, extra: dict) -> dict:
        if c.inherited:
            return {"text": c.text, "units": [{"name": u, "role": "participant"} for u in sec.units],
                    "lead": None, "inherited": True, "note": None, "lines": c.lines}
        named: list[dict] = []  # in the order written
        explicit_lead = each_leads = any_mark = False
        notes: list[str] = []
        for st in c.statements:
            for fieldname, text in self.segments(st):
                if fieldname == "leader":
                    extra["leaders"].extend(parse_leaders(text))
                    continue
                if fieldname not in _UNIT_ROLES:
                    if fieldname == "note":
                        notes.append(text)
                    else:
                        extra["fields"].append({"name": st.label if fieldname == st.field else fieldname,
                                                "kind": fieldname, "value": tidy(text),
                                                "line": (st.lines or [None])[0]})
                    continue
                body, found = extract_notes(text)
                names, each = split_units(body)
                if st is c.statements[-1] and extra["last"] and names and (st.lines or [0])[-1] == self.doc.last_line:
                    names = self.drop_fragment(names, item, extra)
                each_leads = each_leads or (each and fieldname == "units") or fieldname == "each-leads"
                explicit_lead = explicit_lead or fieldname in ("lead", "each-leads")
                for name, marked in names:
                    any_mark = any_mark or marked
                    named.append({"name": name, "field": fieldname, "marked": marked})
        units: list[dict] = []
        seen: dict[str, dict] = {}
        for u in named:
            if explicit_lead:
                role = "lead" if u["field"] in ("lead", "each-leads") else "support" if u["field"] == "support" else "participant"
            elif u["field"] == "support":
                role = "support"
            elif each_leads or (any_mark and u["marked"]):
                role = "lead"
            else:
                role = "participant"
            if u["name"] in seen:
                if role == "lead":
                    seen[u["name"]]["role"] = "lead"
                continue
            seen[u["name"]] = {"name": u["name"], "role": role}
            units.append(seen[u["name"]])
        if not explicit_lead and not each_leads and not any_mark:
            first = next((u for u in units if u["role"] == "participant"), None)
            if first is not None:
                first["role"] = "lead"
                self.first_listed_used += 1
                if self.convention["rule"] == "marked" and not self.marked_fallback_said:
                    self.marked_fallback_said = True
                    self.diag("warning", "marks_lost", self.convention["line"],
                              "the document says marked units lead, but no unit carries a mark "
                              "(lost in extraction?): the first-listed unit is taken as lead")
        if not units and not extra["truncated"]:
            self.diag("warning", "no_units", item.first, f"task {item.label} names no units")
        lead = next((u["name"] for u in units if u["role"] == "lead"), None)
        return {"text": c.text, "units": units, "lead": lead, "inherited": False,
                "note": "；".join(notes) or None, "lines": c.lines}

    def drop_fragment(self, names: list[tuple[str, bool]], item: Item, extra: dict) -> list[tuple[str, bool]]:
        """The input ends inside this units statement: a last name that is no complete unit is cut off."""
        name = names[-1][0]
        if len(name) <= 2 or not _suffixes().search(name):
            self.diag("warning", "truncated", self.doc.last_line,
                      f"task {item.label}: the input ends inside its units; fragment {name!r} is not a unit")
            extra["truncated"] = True  # said once: no `no_units` besides
            return names[:-1]
        return names

    def resolve_item(self, item: Item, sec: Section, last: bool) -> dict:
        if not item.clauses:
            inherited = sec.kind == "joint" and bool(sec.units)
            item.clauses.append(Clause(text=item.text, inherited=inherited, lines=[item.first, item.last]))
        extra = {"leaders": [], "fields": [], "last": last, "truncated": False}
        if last and item.last == self.doc.last_line and not item.clauses[-1].inherited \
                and not any(st.field in _UNIT_ROLES or st.field == "division" for c in item.clauses for st in c.statements):
            extra["truncated"] = True
            self.diag("warning", "truncated", item.last,
                      f"task {item.label}: the last task names no units: the input may end before them")
        clauses = [self.resolve_clause(c, item, sec, extra) for c in item.clauses]
        return {
            "label": item.label,
            "number": item.number,
            "subheading": item.subheading,
            "text": item.text,
            "lines": [item.first, item.last],
            "leaders": extra["leaders"],
            "fields": extra["fields"],
            "clauses": clauses,
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
                {"label": s.label, "number": s.number, "text": tidy(s.text + "".join(s.text_parts)),
                 "lines": [s.lines[0], s.lines[-1]]}
                for s in sec.subheadings
            ],
            "items": [self.resolve_item(it, sec, it is self.last_item) for it in sec.items],
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
                offer("doc_number", _WS.sub("", value), 0)
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
        texts = [title, notice]
        if title and not _YEAR.search(title):
            # `政府工作报告重点工作责任分解` with the year only in the news lead or notice that announces it
            bare = regex.sub(r"\s+", "", title)
            texts += [t for k in self.doc.kept for t in k.texts if bare in regex.sub(r"\s+", "", t)]
        for s in texts:
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

    def describe_units(self, parts: list[dict], issuer: str | None) -> None:
        """Give every unit its canonical name, kind and jurisdiction; every leader a normalised title and
        rank; report names that look like extraction damage of another name of the document."""
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
                continue  # the user's alias file already says what this name is
            self.diag("warning", "possible_typo", first_line[rare],
                      f"unit {rare!r} differs from {frequent!r} (written {names.count(frequent)}×) "
                      f"in one character: extraction damage?")

    def run(self) -> dict:
        self.find_convention()
        if not self.convention["declared"]:
            self.convention["rule"] = "none"
        parts = []
        for p in self.doc.parts:
            layout = part_layout(p)
            parts.append({
                "layout": layout,
                "title": tidy(p.title) if p.title else None,
                "lines": [p.first, p.line] if p.line is not None else None,
                "text": tidy("\n".join(t for _, t in p.text_parts)) or None,
                "text_lines": [n for n, _ in p.text_parts],
                "sections": [self.resolve_section(s) for s in p.sections],
            })
        if self.convention["rule"] == "none" and self.first_listed_used:
            self.diag("info", "lead_assumed", None,
                      "no lead-unit convention is declared: the first-listed unit is taken as lead")
        if not any(s["items"] for p in parts for s in p["sections"]):
            self.diag("warning", "no_tasks", None, "no tasks found")
        meta = self.meta(parts)
        from .index import meta_place

        # the document's place localises unit names (`嵊泗县供电公司` → `县供电公司` in a 嵊泗县 document)
        self.describe_units(parts, meta_place(meta) or meta["issuer"])
        layouts = Counter(p["layout"] for p in parts if p["layout"] != "none")
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "layout": layouts.most_common(1)[0][0] if layouts else "none",
            "meta": meta,
            "convention": self.convention,
            "leaders": people(parts),
            "parts": parts,
            "kept": [{"kind": k.kind, "lines": [k.lines[0], k.lines[-1]], "line_numbers": k.lines,
                      "text": "\n".join(k.texts)} for k in self.doc.kept],
            "diagnostics": sorted(self.doc.diagnostics, key=lambda d: (d["line"] is None, d["line"] or 0)),
            "unparsed": sorted(self.doc.unparsed, key=lambda u: u["line"]),
        }


_UNIT_ROLES = {"units", "lead", "support", "each-leads"}


@lru_cache(maxsize=None)
def _inner_label() -> regex.Pattern:
    labels = "|".join(regex.escape(r[0]) for r in sorted(table("labels"), key=lambda r: -len(r[0])))
    return regex.compile(rf"(?:^|(?<=[;；,，。\s|]))(?P<label>{labels})\s*[:：]")


def describe_leader(ld: dict) -> None:
    from . import units as u

    ld["title"] = u.normalise_title(ld["title"])
    ld["rank"] = u.title_rank(ld["title"])


def people(parts: list[dict]) -> list[dict]:
    """Every leader of the document once, by name, with where they lead (the same person across sections
    and parts), ordered by rank."""
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


def part_layout(part) -> str:
    """Which family states the units in this part (LAYOUTS.md): the most common over its tasks.

    units-line (A: `责任单位:` lines), lead-line (C/D: `牵头单位:` lines, with units or support lines),
    leader-line (E: a leader line per task), multi-label (J: several labels on one line), inline (F–J:
    brackets in the text), table (K), none."""
    seen: Counter = Counter()
    for sec in part.sections:
        for it in sec.items:
            if getattr(it, "layout", None):
                seen[it.layout] += 1
                continue
            statements = [st for c in it.clauses for st in c.statements] or it.statements
            if not statements:
                continue
            if any(st.inline for st in statements):
                seen["inline"] += 1
            elif any(_inner_label().search(st.body) for st in statements):
                seen["multi-label"] += 1
            elif any(st.field == "leader" for st in statements):
                seen["leader-line"] += 1
            elif any(st.field in ("lead", "support", "division") for st in statements):
                seen["lead-line"] += 1
            else:
                seen["units-line"] += 1
    return seen.most_common(1)[0][0] if seen else "none"


_CN_DATE = regex.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_CN_DIGIT = {c: str(n) for n, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


def iso_date(value: str) -> str | None:
    """`2024年2月18日`, `2024-02-18 09:12`, or `二〇二五年三月五日` → ISO; None when no date is there."""
    m = _DATE.search(value or "")
    if m:
        y, mo, d = (int(x) for x in m.groups())
    else:
        m = _CN_DATE.search(value or "")
        if not m:
            return None
        y = int("".join(_CN_DIGIT[c] for c in m.group(1)))
        mo, d = cn_number(m.group(2)), cn_number(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def resolve(doc: Doc, source: dict, *, text: str | None = None, aliases: dict[str, str] | None = None) -> dict:
    return Resolver(doc, source, aliases, text).run()
