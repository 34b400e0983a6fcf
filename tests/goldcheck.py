#!/usr/bin/env python3
"""(A copy of ../shared/tools/goldcheck.py, so that the corpus ratchet runs on a clean clone.)
Compare dutysplit's JSON output with a gold TSV (part, section, item, clause, lead, units, text).

usage: goldcheck.py GOLD.tsv OUTPUT.json [--verbose] [--unordered]
Prints per-document figures; the last line is a summary:
  clauses=N found=M units_ok=U lead_ok=L text_ok=T/Tn exact=E
Exit 0 when every gold clause is found with exactly the right units, lead and text.
Comparison ignores white space and folds full/half width (NFKC); units are compared as
ordered lists of names (with --unordered as sets), 、 counting as a boundary inside names; item labels
fold brackets and leading zeros.
"""
import json
import re
import sys
import unicodedata


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def split_units(names):
    """Units compared with 、 as a boundary on both sides: a collective name such as 各县、市、区政府 may be
    read as one unit or as its parts, and both readings count the same (a 、 inside brackets is no boundary)."""
    out = []
    for n in names:
        depth, start = 0, 0
        for i, ch in enumerate(n):
            depth += (ch in "([（〔【［") - (ch in ")]）〕】］")
            if ch == "、" and depth <= 0:
                out.append(n[start:i])
                start = i + 1
        out.append(n[start:])
    return list(dict.fromkeys(x for x in out if x))  # a unit named twice (lead, then again as 责任) counts once


def item_key(label):
    """An item label as compared: brackets dropped, NFKC (⑴ → 1), leading zeros dropped (01 → 1)."""
    s = norm(label).strip("()（）")
    return s.lstrip("0") or s


def label_of(x, *keys):
    """The first key present wins: a label written as "" is no label (a number 0 is not one either)."""
    for k in keys:
        if isinstance(x, dict) and k in x and x[k] is not None:
            v = x[k]
            return "" if v in ("", 0) else item_key(norm(str(v)).strip("()（）、."))
    return ""


def unit_name(u):
    if isinstance(u, str):
        return u
    for k in ("name", "raw", "text"):
        if isinstance(u, dict) and u.get(k):
            return u[k]
    return ""


def walk(doc):
    """yield (part_index, section_label, item_label, clause_index, lead, [units], item_text)"""
    parts = doc.get("parts")
    if parts is None and "sections" in doc:
        parts = [doc]
    # A part is a task list: parts without a single item (a notice's numbered paragraphs) are not counted.
    parts = [p for p in parts or [] if any(s.get("items") for s in p.get("sections") or [])]
    for p_i, part in enumerate(parts, 1):
        for sec in part.get("sections") or []:
            s_lab = label_of(sec, "label", "number", "ordinal")
            items = list(sec.get("items") or [])
            for sub in sec.get("subsections") or sec.get("groups") or []:
                items.extend(sub.get("items") or [])
            for it in items:
                i_lab = label_of(it, "label", "number")
                text = it.get("text") or ""
                clauses = it.get("clauses")
                if clauses is None:
                    clauses = [{"units": it.get("units") or [], "lead": it.get("lead")}]
                for c_i, cl in enumerate(clauses, 1):
                    raw_units = cl.get("units") or []
                    units = split_units(norm(unit_name(u)) for u in raw_units)
                    if any(isinstance(u, dict) and "role" in u for u in raw_units):
                        leads = split_units(norm(unit_name(u)) for u in raw_units
                                            if isinstance(u, dict) and u.get("role") == "lead")
                    elif isinstance(cl.get("leads"), list):
                        leads = split_units(norm(unit_name(u)) for u in cl["leads"])
                    else:
                        lead = cl.get("lead")
                        leads = split_units([norm(unit_name(lead))]) if lead else []
                    yield p_i, s_lab, i_lab, c_i, leads, units, norm(text)


def load_gold(gold_path):
    """{(part, section, item, clause): (leads, units, text)} from a gold TSV."""
    gold = {}
    with open(gold_path, encoding="utf-8") as f:
        next(f)
        for line in f:
            if not line.strip():
                continue
            part, sec, item, clause, lead, units, text = line.rstrip("\n").split("\t")
            key = (int(part), norm(sec), item_key(item), int(clause))
            gold[key] = (split_units(norm(x) for x in lead.split("|") if x),
                         split_units(norm(u) for u in units.split("|") if u), norm(text))
    return gold


def compare(gold, doc, unordered=True):
    """Counts for one document, and a list of human-readable differences."""
    got = {}
    for p, s, i, c, lead, units, text in walk(doc):
        got.setdefault((p, s, i, c), (lead, units, text))
    n = dict(clauses=len(gold), found=0, units_ok=0, lead_ok=0, text_ok=0, text_n=0, exact=0, extra=0)
    diffs = []
    for key, (g_lead, g_units, g_text) in gold.items():
        if key not in got:
            diffs.append(f"missing {key}")
            continue
        n["found"] += 1
        lead, units, text = got[key]
        if unordered:
            u_ok, l_ok = sorted(units) == sorted(g_units), sorted(lead) == sorted(g_lead)
        else:
            u_ok, l_ok = units == g_units, lead == g_lead
        t_ok = not g_text or text == g_text
        n["text_n"] += bool(g_text)
        n["units_ok"] += u_ok
        n["lead_ok"] += l_ok
        n["text_ok"] += bool(g_text) and t_ok
        n["exact"] += u_ok and l_ok and t_ok
        if not (u_ok and l_ok and t_ok):
            d = [f"differs {key} " + " ".join(w for w, ok in (("units", u_ok), ("lead", l_ok), ("text", t_ok)) if not ok)]
            if not u_ok:
                d.append(f"   gold: {'|'.join(g_units)}\n   got:  {'|'.join(units)}")
            if not l_ok:
                d.append(f"   gold lead: {'|'.join(g_lead)}  got: {'|'.join(lead)}")
            if not t_ok:
                d.append(f"   gold text: {g_text[:60]} … {g_text[-30:]}\n   got text:  {text[:60]} … {text[-30:]}")
            diffs.append("\n".join(d))
    n["extra"] = len(set(got) - set(gold))
    return n, diffs


def summary_line(n):
    return (f"clauses={n['clauses']} found={n['found']} units_ok={n['units_ok']} lead_ok={n['lead_ok']} "
            f"text_ok={n['text_ok']}/{n['text_n']} exact={n['exact']} extra={n['extra']}")


def main():
    gold_path, out_path = sys.argv[1], sys.argv[2]
    verbose = "--verbose" in sys.argv
    unordered = "--unordered" in sys.argv
    gold = load_gold(gold_path)
    try:
        with open(out_path, encoding="utf-8") as f:
            doc = json.load(f)
    except Exception as e:  # noqa: BLE001
        print(f"output is not JSON: {e}")
        print(summary_line(dict(clauses=len(gold), found=0, units_ok=0, lead_ok=0, text_ok=0, text_n=0,
                                exact=0, extra=0)))
        return 1
    n, diffs = compare(gold, doc, unordered)
    if verbose:
        print("\n".join(diffs))
    print(summary_line(n))
    return 0 if n["exact"] == n["clauses"] and n["extra"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
