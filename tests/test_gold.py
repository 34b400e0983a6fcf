"""The acceptance contract: every sample against its gold files (tests/gold, a copy of shared/gold).

Rules from tests/gold/README.md: compare after NFKC and removing all white space; nothing else folded;
an empty gold text is not checked.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from dutysplit.emit import clause_rows

from .conftest import GOLD, ROOT, SAMPLES

EXPECTED_ROWS = {"000": 142, "001": 71, "002": 163, "003": 134, "004": 121}


def norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def read_tsv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_every_sample_has_gold():
    assert [p.stem for p in SAMPLES] == sorted(p.stem for p in GOLD.glob("0*.tsv"))
    assert len(SAMPLES) == 5


def test_gold_copy_matches_shared_gold():
    shared = ROOT.parent / "shared" / "gold"
    if not shared.is_dir():
        pytest.skip("../shared/gold not beside the checkout")
    for p in shared.iterdir():
        assert (GOLD / p.name).read_bytes() == p.read_bytes(), f"tests/gold/{p.name} is stale"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem[:3])
def test_clause_rows_match_gold(sample, sample_docs):
    gold = read_tsv(GOLD / f"{sample.stem}.tsv")
    assert len(gold) == EXPECTED_ROWS[sample.stem[:3]]
    got = list(clause_rows(sample_docs[sample.name]))
    keys = [tuple(norm(c) for c in row[:4]) for row in got]
    dupes = [k for k, n in Counter(keys).items() if n > 1]
    assert not dupes, f"duplicate rows {dupes[:5]}"
    got_by_key = dict(zip(keys, got))
    diffs = []
    for g in gold:
        key = tuple(norm(g[c]) for c in ("part", "section", "item", "clause"))
        row = got_by_key.pop(key, None)
        if row is None:
            diffs.append(f"missing {key}")
            continue
        for col, i in (("lead", 4), ("units", 5), ("text", 6)):
            if col == "text" and not g[col]:
                continue
            if norm(g[col]) != norm(row[i]):
                diffs.append(f"{key} {col}: gold {g[col]!r} got {row[i]!r}")
    diffs.extend(f"extra {k}" for k in got_by_key)
    assert diffs == []


DOCUMENTS = read_tsv(GOLD / "documents.tsv")


@pytest.mark.parametrize("row", DOCUMENTS, ids=lambda r: r["file"][:3])
def test_document_facts(row, sample_docs):
    doc = sample_docs[row["file"]]
    meta = doc["meta"]
    assert str(meta["year"]) == row["year"]
    assert (meta["doc_number"] or "") == row["doc_number"]
    assert (meta["date"] or "") == row["date"]
    assert meta["issuer"] in [s.strip() for s in row["issuer"].split(" / ")]
    assert norm(meta["title"]) == norm(row["title"])
    assert doc["convention"]["rule"] == row["convention"]
    assert doc["convention"]["declared"] == (row["convention"] != "none")


LEADERS = read_tsv(GOLD / "leaders.tsv")


@pytest.mark.parametrize("name", sorted({r["file"] for r in LEADERS}), ids=lambda n: n[:3])
def test_sections_and_leaders(name, sample_docs):
    doc = sample_docs[name]
    expected = [(r["part"], r["section"], r["kind"], r["leaders"]) for r in LEADERS if r["file"] == name]
    got = []
    for p_no, part in enumerate(doc["parts"], 1):
        for sec in part["sections"]:
            leaders = "|".join(f"{ld['name']}:{ld['title']}" for ld in sec["leaders"])
            got.append((str(p_no), sec["label"], sec["kind"], leaders))
    assert got == expected


def test_convention_note_recorded_once_and_not_a_unit(sample_docs):
    doc = sample_docs["003_719cf200315b4f34.txt"]
    conv = doc["convention"]
    assert conv["rule"] == "marked" and conv["line"] == 53 and "标者为牵头" in conv["text"]
    units = [u["name"] for p in doc["parts"] for s in p["sections"] for it in s["items"]
             for c in it["clauses"] for u in c["units"]]
    assert not any("下同" in u or "牵头" in u for u in units)
    # the mark was lost in extraction: say so once, and fall back to first-listed
    assert [d["code"] for d in doc["diagnostics"]].count("marks_lost") == 1
