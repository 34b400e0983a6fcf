"""Every output validates against schemas/document.schema.json and the pydantic model."""
from __future__ import annotations

import json

import jsonschema
import pytest

import dutysplit
from dutysplit.models import Document

from .conftest import ROOT, SAMPLES

SCHEMA = json.loads((ROOT / "schemas" / "document.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem[:3])
def test_output_validates(sample, sample_docs):
    doc = sample_docs[sample.name]
    jsonschema.validate(doc, SCHEMA)
    Document.model_validate(doc)


def test_library_api_returns_the_model():
    doc = dutysplit.parse_file(SAMPLES[2])
    assert isinstance(doc, Document)
    assert doc.parts[1].sections[0].items[0].text.startswith("2024年")
    same = dutysplit.parse_text(SAMPLES[2].read_text(encoding="utf-8"), source="x.txt")
    assert same.source.path == "x.txt" and same.parts == doc.parts


def test_keys_are_static_snake_case(sample_docs):
    import re

    def keys(o):
        if isinstance(o, dict):
            for k, v in o.items():
                yield k
                yield from keys(v)
        elif isinstance(o, list):
            for v in o:
                yield from keys(v)

    all_keys = {k for d in sample_docs.values() for k in keys(d)}
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in all_keys)
    declared = {k for d in SCHEMA["$defs"].values() for k in d.get("properties", {})} | set(SCHEMA["properties"])
    assert all_keys <= declared


def test_schema_rejects_an_unknown_key(sample_docs):
    doc = dict(next(iter(sample_docs.values())))
    doc["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)


def test_empty_text_is_an_input_error():
    with pytest.raises(dutysplit.InputError):
        dutysplit.parse_text("  \n\u3000\n")
