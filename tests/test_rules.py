"""Every layout family is a named rule (dutysplit.rules) with at least one fixture that it reads.

Fixtures: ``tests/fixtures/rules/<rule>--<case>.<ext>`` beside ``<rule>--<case>.expected.json`` (checked by
test_fixtures.py like every other pair). ``<ext>`` is ``txt``, or for the tables a reader cuts itself ``docx``,
``html``, ``pdf``, ``xlsx`` (made by ``python -m tests.docmake``). Here: each rule has a fixture, each fixture is read by its rule,
the README's rule table names every rule and its fixture, and ``--layout`` selects rules by name.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from dutysplit.api import parse_file_dict, parse_text_dict, source_text
from dutysplit.audit import lossless_problems
from dutysplit.rules import FAMILIES, GROUPS, names, select

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "tests" / "fixtures" / "rules"
INPUTS = (".txt", ".docx", ".html", ".pdf", ".xlsx")
FIXTURES = sorted(p for p in RULES_DIR.iterdir() if p.suffix in INPUTS)


def rules_in(doc: dict) -> set[str]:
    items = [it for p in doc["parts"] for s in p["sections"] for it in s["items"]]
    return {it["rule"] for it in items} | {c["rule"] for it in items for c in it["clauses"]}


@pytest.mark.parametrize("rule", names())
def test_every_rule_has_a_fixture(rule):
    assert [p for p in FIXTURES if p.name.startswith(f"{rule}--")], f"no fixture tests/fixtures/rules/{rule}--<case>.txt"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_each_fixture_is_read_by_its_rule(path):
    rule = path.stem.split("--")[0]
    assert rule in names(), f"{path.name} names no rule"
    doc = parse_file_dict(str(path))
    assert rule in rules_in(doc)
    assert lossless_problems(doc, source_text(str(path))) == []
    assert path.with_name(path.stem + ".expected.json").exists()


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_disabling_the_rule_stops_it(path):
    rule = path.stem.split("--")[0]
    doc = parse_file_dict(str(path), layout=f"-{rule}")
    assert rule not in rules_in(doc)


def test_the_readme_table_lists_every_rule_with_its_family_and_fixture():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for f in FAMILIES:
        row = next((line for line in readme.splitlines() if line.startswith(f"| `{f.name}` |")), None)
        assert row is not None, f"README has no row for {f.name}"
        assert f.letter in row and f"{f.name}--" in row


def test_layout_groups_and_lists():
    assert select("auto") == frozenset(names())
    assert select("table") == frozenset(n for n in names() if n.startswith("table_"))
    assert "table_pipe" not in select("inline") and "inline_label" in select("inline")
    assert select("-table_box") == frozenset(names()) - {"table_box"}
    assert select("table_pipe,inline_label") == {"table_pipe", "inline_label"}
    assert select("lines,-units_line") == GROUPS["lines"] - {"units_line"}
    with pytest.raises(ValueError):
        select("no_such_rule")


def test_layout_lines_reads_no_brackets():
    text = "一、重点工作\n1.甲(省农业厅牵头)。\n责任单位:县发改局\n"
    auto = parse_text_dict(text)["parts"][0]["sections"][0]["items"][0]["clauses"]
    lines = parse_text_dict(text, layout="lines")["parts"][0]["sections"][0]["items"][0]["clauses"]
    assert [c["lead"] for c in auto] == ["省农业厅", "县发改局"]
    assert [c["lead"] for c in lines] == ["县发改局"]
