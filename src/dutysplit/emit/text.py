"""JSON and YAML: the whole document dict as it is."""
from __future__ import annotations

import json


def to_json(doc: dict, *, pretty: bool = False) -> str:
    if pretty:
        return json.dumps(doc, ensure_ascii=False, indent=2)
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def to_yaml(doc: dict) -> str:
    import yaml  # only this format needs it

    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000)
