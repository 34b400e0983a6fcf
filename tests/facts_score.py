"""Compare the deadlines and targets dutysplit extracts with the hand count in tests/data/facts_hand.tsv.

``python tests/facts_score.py`` prints the figures (found, correct, precision, recall) per file and in
total; tests/test_facts.py holds them to floors. How the hand count was made: tests/data/facts_review.md.
"""
from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAND = ROOT / "tests" / "data" / "facts_hand.tsv"


def hand_rows() -> dict[str, list[dict]]:
    by_file: dict[str, list[dict]] = defaultdict(list)
    with open(HAND, encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    for r in csv.DictReader(lines, delimiter="\t"):
        by_file[r["file"]].append(r)
    return by_file


def parse_targets(cell: str) -> list[tuple[float, str, str | None]]:
    out = []
    for t in filter(None, (x.strip() for x in cell.split(";"))):
        parts = t.split()
        qual = parts[2] if len(parts) > 2 else None
        if qual and "-" in qual:  # a range `1-2` (its low end): no qualifier word
            qual = None
        out.append((float(parts[0]), parts[1], qual))
    return out


def _items(doc: dict):
    for p_no, part in enumerate(doc["parts"], 1):
        for sec in part["sections"]:
            for item in sec["items"]:
                yield f"{p_no}/{sec['label']}/{item['label'].strip('()（）')}", item


def _key(value: float, unit: str) -> tuple[str, str]:
    return (f"{value:.6g}", unit)


def score_file(path: str, rows: list[dict]) -> dict:
    from dutysplit.api import parse_file_dict

    doc = parse_file_dict(str(ROOT / path))
    items = list(_items(doc))
    by_key = dict(items)

    def item_for(row: dict) -> dict | None:
        if row["text_start"]:  # a corpus excerpt: the item whose text holds the task's first words
            return next((it for _, it in items if row["text_start"] in it["text"]), None)
        return by_key.get(row["key"])

    d = Counter()
    misses = []
    for row in rows:
        item = item_for(row)
        got = item["deadline"] if item else {"kind": "none", "date": None}
        truth = (row["deadline_kind"], row["deadline_date"] or None)
        if truth[0] != "none":
            d["true"] += 1
        if got["kind"] != "none":
            d["found"] += 1
            if (got["kind"], got["date"]) == truth:
                d["correct"] += 1
        if (got["kind"], got["date"]) != truth and not (truth[0] == "none" and got["kind"] == "none"):
            misses.append(("deadline", row["key"], truth, (got["kind"], got["date"], got.get("raw"))))
    # targets: the document's multiset of (value, unit), written by hand vs extracted from every item
    truth_t = Counter()
    truth_q: dict[tuple, list] = defaultdict(list)
    for row in rows:
        for value, unit, qual in parse_targets(row["targets"]):
            truth_t[_key(value, unit)] += 1
            truth_q[_key(value, unit)].append(qual)
    got_t = Counter()
    got_q: dict[tuple, list] = defaultdict(list)
    for _, item in items:
        for t in item["targets"]:
            got_t[_key(t["value"], t["unit"])] += 1
            got_q[_key(t["value"], t["unit"])].append(t["qualifier"])
    correct = truth_t & got_t
    qual_ok = sum(min(n, sum((Counter(truth_q[k]) & Counter(got_q[k])).values())) for k, n in correct.items())
    for k in (got_t - truth_t):
        misses.append(("target found, not in the hand count", k, None, None))
    for k in (truth_t - got_t):
        misses.append(("target missed", k, None, None))
    return {"deadline": d, "targets": Counter(true=sum(truth_t.values()), found=sum(got_t.values()),
                                              correct=sum(correct.values()), qualifier=qual_ok),
            "tasks": len(rows), "misses": misses}


def score_all() -> dict[str, dict]:
    return {path: score_file(path, rows) for path, rows in hand_rows().items()}


def pr(c: Counter) -> tuple[float, float]:
    p = c["correct"] / c["found"] if c["found"] else 1.0
    r = c["correct"] / c["true"] if c["true"] else 1.0
    return p, r


def report(scores: dict[str, dict]) -> str:
    out = ["| file | tasks | deadlines true / found / correct | P | R | targets true / found / correct | P | R |",
           "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    tot_d, tot_t, tasks = Counter(), Counter(), 0
    for path, s in scores.items():
        d, t = s["deadline"], s["targets"]
        tot_d += d
        tot_t += t
        tasks += s["tasks"]
        out.append(f"| {Path(path).name} | {s['tasks']} | {d['true']} / {d['found']} / {d['correct']} | "
                   f"{pr(d)[0]:.2f} | {pr(d)[1]:.2f} | {t['true']} / {t['found']} / {t['correct']} | "
                   f"{pr(t)[0]:.2f} | {pr(t)[1]:.2f} |")
    out.append(f"| **all** | {tasks} | {tot_d['true']} / {tot_d['found']} / {tot_d['correct']} | "
               f"{pr(tot_d)[0]:.2f} | {pr(tot_d)[1]:.2f} | {tot_t['true']} / {tot_t['found']} / "
               f"{tot_t['correct']} | {pr(tot_t)[0]:.2f} | {pr(tot_t)[1]:.2f} |")
    return "\n".join(out)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    scores = score_all()
    print(report(scores))
    if sys.argv[1:] == ["-v"]:
        for path, s in scores.items():
            for m in s["misses"]:
                print(Path(path).name, *m, sep="\t")
