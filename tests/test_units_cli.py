"""`dutysplit units` and --aliases, end to end on the samples."""
from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from dutysplit.api import parse_file_dict
from dutysplit.cli import main
from dutysplit.index import build, document_place

from .conftest import ROOT, SAMPLES

FILES = [str(p) for p in SAMPLES]


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_the_same_unit_of_two_counties_is_kept_apart():
    r = run("units", *FILES, "--unit", "县发改局", "-f", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    by_place = {}
    for row in rows:
        by_place.setdefault(row["place"], []).append(row)
    assert set(by_place) == {"嵊泗县", "长兴县"}
    assert {row["unit"] for row in rows} == {"县发改局"}
    # every reference is a task whose clauses name the unit with that role
    docs = {p: parse_file_dict(p) for p in FILES}
    for row in rows:
        doc = docs[row["document"]]
        item = [it for p in doc["parts"] for s in p["sections"] for it in s["items"]][int(row["seq"]) - 1]
        assert item["text"] == row["task"] and item["label"].strip("()") == row["item"]
        roles = {u["role"] for c in item["clauses"] for u in c["units"] if u["canonical"] == "县发改局"}
        assert (row["role"] == "lead") == ("lead" in roles)


def test_counts_in_the_summary_match_the_documents():
    docs = [parse_file_dict(p) for p in FILES]
    entries = build(docs)
    e = next(e for e in entries if e.unit == "县发改局" and e.place == "长兴县")
    doc = docs[3]
    led = sum(1 for p in doc["parts"] for s in p["sections"] for it in s["items"]
              if any(u["canonical"] == "县发改局" and u["role"] == "lead" for c in it["clauses"] for u in c["units"]))
    assert len(e.led) == led > 0
    assert document_place(docs[1]) == "嵊泗县"  # issuer 县发改局 names no place: the title does


def test_variants_are_listed_under_one_canonical_name():
    r = run("units", *FILES, "-f", "json")
    entries = json.loads(r.stdout)
    health = next(e for e in entries if e["unit"] == "县卫生健康局" and e["place"] == "嵊泗县")
    assert health["names"] == ["县卫健局", "县卫生健康局"] and health["kind"] == "government"


def test_table_output_when_not_a_terminal_is_tab_separated():
    r = run("units", FILES[0])
    lines = r.stdout.splitlines()
    assert lines[0] == "unit\tplace\tkind\tled\tjoined\tnames"
    assert all(len(line.split("\t")) == 6 for line in lines)


def test_unknown_unit_is_exit_1():
    r = run("units", FILES[0], "--unit", "不存在的局")
    assert r.exit_code == 1 and "no unit" in r.stderr


def test_aliases_file_overrides(tmp_path):
    f = tmp_path / "aliases.tsv"
    f.write_text("# mine\n县文广旅体局\t县文化和广电旅游体育局\n", encoding="utf-8")
    r = run("parse", FILES[0], "--aliases", str(f))
    doc = json.loads(r.stdout)
    canon = {u["name"]: u["canonical"] for p in doc["parts"] for s in p["sections"] for it in s["items"]
             for c in it["clauses"] for u in c["units"]}
    assert canon["县文广旅体局"] == "县文化和广电旅游体育局"
    assert canon["县财政局"] == "县财政局"  # no rule: unchanged, never guessed
    r = run("units", FILES[0], "--aliases", str(f), "--unit", "县文广旅体局", "-f", "csv")
    assert r.exit_code == 0 and "县文化和广电旅游体育局" in r.stdout


def test_malformed_aliases_file_is_a_usage_error(tmp_path):
    f = tmp_path / "bad.tsv"
    f.write_text("only-one-column\n", encoding="utf-8")
    r = run("parse", FILES[0], "--aliases", str(f))
    assert r.exit_code == 2 and "--aliases" in r.output


def test_possible_typo_is_reported_in_002():
    doc = parse_file_dict(str(ROOT / "samples" / "002_943b2e701313101a.txt"))
    typos = [d for d in doc["diagnostics"] if d["code"] == "possible_typo"]
    assert len(typos) == 4 and all("嵎" in d["message"] for d in typos)


def test_canonical_columns_in_the_clause_table():
    r = run("parse", FILES[0], "-f", "csv", "--per", "clause")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert all(len(row["units_canonical"].split("|")) == len(row["units"].split("|")) for row in rows)
    assert any(row["units"] != row["units_canonical"] for row in rows)


def test_document_place_localises_names_when_the_issuer_names_none():
    # 001's issuer is 县发改局 (no place); its title names the county, so 国网嵊泗县供电公司 there meets
    # 国网县供电公司 (002) and 县供电公司 (000) under one name, apart from 长兴县's company
    entries = [e for e in build([parse_file_dict(p) for p in FILES]) if e.unit == "县供电公司"]
    assert {e.place for e in entries} == {"嵊泗县", "长兴县"}
    shengsi = next(e for e in entries if e.place == "嵊泗县")
    assert shengsi.names == {"国网嵊泗县供电公司", "国网县供电公司", "县供电公司"}
    assert {r["document"].split("/")[-1][:3] for r in shengsi.led + shengsi.joined} == {"000", "001", "002"}


def test_a_name_the_user_aliases_is_no_longer_reported_as_a_typo(tmp_path):
    f = tmp_path / "fix.tsv"
    f.write_text("嵎山镇人民政府\t嵊山镇人民政府\n", encoding="utf-8")
    s002 = str(ROOT / "samples" / "002_943b2e701313101a.txt")
    doc = json.loads(run("parse", s002, "--aliases", str(f)).stdout)
    typos = [d["message"] for d in doc["diagnostics"] if d["code"] == "possible_typo"]
    assert len(typos) == 3 and not any("嵎山镇" in m for m in typos)
