"""`dutysplit diff OLD NEW`: what changed between two task lists (last year's and this year's).

Works on document dicts (``dutysplit.api.parse_file_dict``). Tasks are matched one to one:

* texts are compared with their numbers masked (a target that went from 5个 to 8个 leaves the task the same
  task). rapidfuzz's ``ratio`` is computed for every pair, row by row with ``process.extract`` (C code,
  O(n·m) pairs; numpy, which ``process.cdist`` needs, is not a dependency); the pairs over 15 get the
  dearer ``WRatio`` (which sees a short text inside a longer one), and a pair under ``TEXT_CUTOFF`` is
  never looked at again. The text score is the mean of that and the cosine of the TF-IDF vectors of the
  texts' character bigrams (×100): a rare shared phrase (`海上环卫`) counts more than `推进` or `建设`;
* ``score = 0.70·text + 0.20·units + 0.10·section``, units the Jaccard overlap of the canonical unit names
  (×100), section the similarity of the two section headings;
* the pairs are sorted by score and taken greedily, each task at most once; a pair under ``min_score``
  (default ``MIN_SCORE``) is no match: the old task is *removed*, the new one *added*. Measured on two
  years of one county's list (tests/data/diff_real_pair.tsv): no false match at 50 on the pairs read by
  hand, about half of the reworded tasks found; a lower ``--min-score`` finds more and starts to pair
  tasks that are not the same.

A matched pair lists its ``changes``: ``text``, ``lead`` (the set of lead units), ``units`` (any unit added
or removed), ``section`` (another heading), ``deadline``, ``targets``. ``units[]`` counts, for every
canonical unit, the tasks it leads and those it supports (takes part in without leading) in each document.
The report's shape is ``schemas/diff.schema.json`` (``dutysplit.diff_models``), version ``SCHEMA_VERSION``.
"""
from __future__ import annotations

import math
import os
import re
from collections import Counter

SCHEMA_VERSION = "1.0"
MIN_SCORE = 50.0
TEXT_CUTOFF = 30.0
WEIGHTS = (0.70, 0.20, 0.10)  # text, units, section

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NOISE = re.compile(r"[\s,，、;；:：.。!！?？()（）“”\"'《》〈〉【】\[\]-]+")


def _norm(text: str) -> str:
    return _NOISE.sub("", _NUMBER.sub("#", text or ""))


def tasks(doc: dict) -> list[dict]:
    """Every task of a document, flat: where it is, its text, lead and units (canonical), deadline, targets."""
    out = []
    for p_no, part in enumerate(doc["parts"], 1):
        for sec in part["sections"]:
            for item in sec["items"]:
                lead: list[str] = []
                units: list[str] = []
                for clause in item["clauses"]:
                    for u in clause["units"]:
                        if u["canonical"] not in units:
                            units.append(u["canonical"])
                        if u["role"] == "lead" and u["canonical"] not in lead:
                            lead.append(u["canonical"])
                dl = item.get("deadline") or {}
                out.append({"part": p_no, "section": sec["label"], "section_heading": sec["heading"],
                            "item": item["label"], "lines": list(item["lines"]), "text": item["text"],
                            "lead": lead, "units": units, "deadline": dl.get("date"),
                            "deadline_kind": dl.get("kind", "none"),
                            "targets": [t["raw"] for t in item.get("targets", ())]})
    return out


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _bigram_vectors(texts: list[str]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors of character bigrams: a rare shared phrase (`海上环卫`) weighs more than a
    common one (`推进`, `建设`)."""
    grams = [Counter(t[k:k + 2] for k in range(len(t) - 1)) or Counter([t]) for t in texts]
    df = Counter(g for c in grams for g in c)
    n = len(texts)
    out = []
    for c in grams:
        v = {g: k * math.log(n / df[g]) for g, k in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({g: x / norm for g, x in v.items()})
    return out


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(g, 0.0) for g, w in a.items())


def match(old: list[dict], new: list[dict], min_score: float = MIN_SCORE) -> list[tuple[int, int, float, float]]:
    """One-to-one matches ``(old index, new index, score, text score)``, best first."""
    from rapidfuzz import fuzz, process

    old_norm = [_norm(t["text"]) for t in old]
    new_norm = [_norm(t["text"]) for t in new]
    vectors = _bigram_vectors(old_norm + new_norm)
    new_units = [set(t["units"]) for t in new]
    heads: dict[tuple[str, str], float] = {}
    pairs = []
    for i, t in enumerate(old):
        units = set(t["units"])
        # the cheap ratio over every pair (C code) keeps the few worth the dearer WRatio (substrings count)
        for _, _, j in process.extract(old_norm[i], new_norm, scorer=fuzz.ratio, limit=None, score_cutoff=15):
            fuzzy = fuzz.WRatio(old_norm[i], new_norm[j], score_cutoff=TEXT_CUTOFF)
            if not fuzzy:
                continue
            text_score = (fuzzy + 100 * _cosine(vectors[i], vectors[len(old) + j])) / 2
            key = (t["section_heading"], new[j]["section_heading"])
            if key not in heads:
                heads[key] = fuzz.ratio(_norm(key[0]), _norm(key[1])) if key[0] != key[1] else 100.0
            score = (WEIGHTS[0] * text_score + WEIGHTS[1] * 100 * _jaccard(units, new_units[j])
                     + WEIGHTS[2] * heads[key])
            if score >= min_score:
                pairs.append((score, text_score, -abs(i / max(len(old), 1) - j / max(len(new), 1)), i, j))
    pairs.sort(reverse=True)  # best score first; on a tie the better text, then the nearer place
    used_old: set[int] = set()
    used_new: set[int] = set()
    out = []
    for score, text_score, _, i, j in pairs:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            out.append((i, j, round(score, 1), round(text_score, 1)))
    return out


def _changes(a: dict, b: dict) -> list[str]:
    out = []
    if a["text"] != b["text"]:
        out.append("text")
    if set(a["lead"]) != set(b["lead"]):
        out.append("lead")
    if set(a["units"]) != set(b["units"]):
        out.append("units")
    if _norm(a["section_heading"]) != _norm(b["section_heading"]):
        out.append("section")
    if (a["deadline"], a["deadline_kind"]) != (b["deadline"], b["deadline_kind"]):
        out.append("deadline")
    if a["targets"] != b["targets"]:
        out.append("targets")
    return out


def _unit_counts(ts: list[dict]) -> tuple[Counter, Counter]:
    lead, support = Counter(), Counter()
    for t in ts:
        for u in t["units"]:
            (lead if u in t["lead"] else support)[u] += 1
    return lead, support


def _doc_ref(doc: dict, n: int) -> dict:
    meta = doc["meta"]
    return {"path": doc["source"]["path"], "sha256": doc["source"]["sha256"], "title": meta["title"],
            "year": meta["year"], "issuer": meta["issuer"], "tasks": n}


def compare(old_doc: dict, new_doc: dict, min_score: float = MIN_SCORE) -> dict:
    """The diff report of two document dicts (see the module docstring and schemas/diff.schema.json)."""
    old, new = tasks(old_doc), tasks(new_doc)
    matched = []
    for i, j, score, text_score in match(old, new, min_score):
        a, b = old[i], new[j]
        matched.append({"old": a, "new": b, "score": score, "text_score": text_score, "changes": _changes(a, b),
                        "units_added": [u for u in b["units"] if u not in a["units"]],
                        "units_removed": [u for u in a["units"] if u not in b["units"]]})
    matched.sort(key=lambda m: (m["new"]["part"], m["new"]["lines"][0]))
    seen_old = {id(m["old"]) for m in matched}
    seen_new = {id(m["new"]) for m in matched}
    removed = [t for t in old if id(t) not in seen_old]
    added = [t for t in new if id(t) not in seen_new]
    lead_a, sup_a = _unit_counts(old)
    lead_b, sup_b = _unit_counts(new)
    names = set(lead_a) | set(sup_a) | set(lead_b) | set(sup_b)
    units = [{"unit": u, "lead_before": lead_a[u], "lead_after": lead_b[u], "support_before": sup_a[u],
              "support_after": sup_b[u]} for u in names]
    units.sort(key=lambda r: (-abs(r["lead_after"] - r["lead_before"]) - abs(r["support_after"] - r["support_before"]),
                              -(r["lead_after"] + r["lead_before"]), r["unit"]))
    kinds = Counter(c for m in matched for c in m["changes"])
    summary = {"old_tasks": len(old), "new_tasks": len(new), "matched": len(matched),
               "unchanged": sum(not m["changes"] for m in matched), "changed": sum(bool(m["changes"]) for m in matched),
               "added": len(added), "removed": len(removed),
               **{f"{k}_changed": kinds[k] for k in ("text", "lead", "units", "section", "deadline", "targets")}}
    return {"schema_version": SCHEMA_VERSION, "old": _doc_ref(old_doc, len(old)), "new": _doc_ref(new_doc, len(new)),
            "min_score": min_score, "summary": summary, "matched": matched, "added": added, "removed": removed,
            "units": units}


# ------------------------------------------------------------------------------------------------ views


def _key(t: dict) -> str:
    return f"{t['part']}/{t['section']}/{t['item']}" if t["section"] else f"{t['part']}/{t['item']}"


def render(report: dict, console) -> None:
    """A rich view for people: summary, added, removed, changed tasks, and units whose load changed."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    o, n, s = report["old"], report["new"], report["summary"]
    console.print(Text.assemble((o["title"] or o["path"] or "", "bold"), f" ({o['year'] or '?'}, {o['tasks']} tasks)",
                                " → ", (n["title"] or n["path"] or "", "bold"),
                                f" ({n['year'] or '?'}, {n['tasks']} tasks)"))
    console.print(Text.assemble((f"{s['matched']} matched", "bold"), f" ({s['unchanged']} unchanged, ",
                                (f"{s['changed']} changed", "yellow"), "), ", (f"{s['added']} added", "green"), ", ",
                                (f"{s['removed']} removed", "red"), f"; lead changed {s['lead_changed']}, units "
                                f"changed {s['units_changed']}, text changed {s['text_changed']}"))

    from .show import hanging

    def task_line(mark: str, style: str, t: dict):
        body = [Text(t["text"] or "(no text)")]
        if t["lead"]:
            body.append(Text("、".join(t["lead"]), style="bold"))
        return hanging(Text(f"{mark} {_key(t)}", style=style), body, indent=0)

    changed = [m for m in report["matched"] if m["changes"]]
    if changed:
        console.rule(f"[yellow]changed ({len(changed)})")
        for m in changed:
            a, b = m["old"], m["new"]
            head = Text(f"~ {_key(a)} → {_key(b)} ", style="yellow")
            head.append(f"score {m['score']:g}  ", style="dim")
            head.append(", ".join(m["changes"]), style="yellow")
            console.print(head)
            if "lead" in m["changes"]:
                console.print(Text.assemble("    lead: ", ("、".join(a["lead"]) or "-", "red"), " → ",
                                            ("、".join(b["lead"]) or "-", "green bold")))
            if m["units_added"] or m["units_removed"]:
                console.print(Text.assemble("    units: ", ("".join(f"+{u} " for u in m["units_added"]), "green"),
                                            ("".join(f"-{u} " for u in m["units_removed"]), "red")))
            if "text" in m["changes"]:
                console.print(hanging(Text("old:"), [Text(a["text"], style="dim")], indent=4))
                console.print(hanging(Text("new:"), [Text(b["text"])], indent=4))
            if "deadline" in m["changes"]:
                console.print(f"    deadline: {escape(str(a['deadline'] or a['deadline_kind']))} → "
                              f"{escape(str(b['deadline'] or b['deadline_kind']))}")
    if report["added"]:
        console.rule(f"[green]added ({len(report['added'])})")
        for t in report["added"]:
            console.print(task_line("+", "green", t))
    if report["removed"]:
        console.rule(f"[red]removed ({len(report['removed'])})")
        for t in report["removed"]:
            console.print(task_line("-", "red", t))
    moved = [u for u in report["units"]
             if u["lead_before"] != u["lead_after"] or u["support_before"] != u["support_after"]]
    if moved:
        console.rule(f"units whose load changed ({len(moved)})")
        table = Table("unit", "lead", "support", box=None, pad_edge=False)
        for u in moved:
            table.add_row(u["unit"], _arrow(u["lead_before"], u["lead_after"]),
                          _arrow(u["support_before"], u["support_after"]))
        console.print(table)


def _arrow(a: int, b: int) -> str:
    if a == b:
        return str(a)
    return f"{a} → {b} [{'green' if b > a else 'red'}]({b - a:+d})[/]"


def write_xlsx(report: dict, path: str) -> None:
    """The report as a workbook (summary, matched, added, removed, units), written atomically."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from .batch import TMP_PREFIX

    class _Sheet:  # every text is a text: `=…` never becomes a formula, control characters are dropped
        def __init__(self, title: str):
            self.ws = wb.create_sheet(title)

        def append(self, row: list) -> None:
            cells = []
            for v in row:
                if isinstance(v, str):
                    c = WriteOnlyCell(self.ws, value=ILLEGAL_CHARACTERS_RE.sub("", v))
                    c.data_type = "s"
                    cells.append(c)
                else:
                    cells.append(v)
            self.ws.append(cells)

    wb = Workbook(write_only=True)
    ws = _Sheet("summary")
    for side in ("old", "new"):
        for k, v in report[side].items():
            ws.append([f"{side}_{k}", v])
    ws.append(["min_score", report["min_score"]])
    for k, v in report["summary"].items():
        ws.append([k, v])
    ws = _Sheet("matched")
    ws.append(["old_task", "new_task", "score", "text_score", "changes", "old_lead", "new_lead", "units_added",
               "units_removed", "old_deadline", "new_deadline", "old_text", "new_text"])
    for m in report["matched"]:
        a, b = m["old"], m["new"]
        ws.append([_key(a), _key(b), m["score"], m["text_score"], ", ".join(m["changes"]), "|".join(a["lead"]),
                   "|".join(b["lead"]), "|".join(m["units_added"]), "|".join(m["units_removed"]), a["deadline"],
                   b["deadline"], a["text"], b["text"]])
    for name in ("added", "removed"):
        ws = _Sheet(name)
        ws.append(["task", "section_heading", "first_line", "lead", "units", "deadline", "targets", "text"])
        for t in report[name]:
            ws.append([_key(t), t["section_heading"], t["lines"][0], "|".join(t["lead"]), "|".join(t["units"]),
                       t["deadline"], " ".join(t["targets"]), t["text"]])
    ws = _Sheet("units")
    ws.append(["unit", "lead_before", "lead_after", "support_before", "support_after"])
    for u in report["units"]:
        ws.append([u["unit"], u["lead_before"], u["lead_after"], u["support_before"], u["support_after"]])
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f"{TMP_PREFIX}{os.getpid()}-{os.path.basename(path)}")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:  # Ctrl-C included: never leave the temporary file behind
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
