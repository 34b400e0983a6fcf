"""Fixture pairs, discovered by glob (as jc does): ``NAME.txt`` beside ``NAME.expected.json``.

The expected files hold the whole output (minus ``source``), reviewed by hand when written. After a
deliberate change, rewrite them with ``python tests/test_fixtures.py --regen`` and review the diff.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dutysplit.api import parse_file_dict

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


def pairs():
    for expected in sorted(FIXTURES.rglob("*.expected.json")):
        name = expected.name[: -len(".expected.json")]
        data = json.loads(expected.read_text(encoding="utf-8"))
        yield pytest.param(data.pop("_input"), expected, id=name)


def output_of(input_path: str) -> dict:
    doc = parse_file_dict(str(ROOT / input_path))
    doc.pop("source")
    return doc


@pytest.mark.parametrize("input_path,expected", list(pairs()))
def test_fixture(input_path, expected):
    want = json.loads(expected.read_text(encoding="utf-8"))
    want.pop("_input")
    assert output_of(input_path) == want


def test_every_sample_has_a_fixture():
    inputs = {p.values[0] for p in pairs()}
    assert {f"samples/{p.name}" for p in (ROOT / "samples").glob("*.txt")} <= inputs


def regen() -> None:
    for expected in sorted(FIXTURES.rglob("*.expected.json")):
        input_path = json.loads(expected.read_text(encoding="utf-8"))["_input"]
        write(input_path, expected)


def write(input_path: str, expected: Path) -> None:
    doc = {"_input": input_path, **output_of(input_path)}
    expected.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--regen"]:
        regen()
