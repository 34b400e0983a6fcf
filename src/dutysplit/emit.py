"""Stage 7: output formats. Works on the plain document dict (no pydantic needed)."""
from __future__ import annotations

import json

TSV_COLUMNS = ("part", "section", "item", "clause", "lead", "units", "text")


def to_json(doc: dict, *, pretty: bool = False) -> str:
    if pretty:
        return json.dumps(doc, ensure_ascii=False, indent=2)
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def to_yaml(doc: dict) -> str:
    import yaml  # only this format needs it

    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000)


def item_label(item: dict) -> str:
    """The task's number as written, without brackets: `9`, or `一` for a `(一)` task."""
    return item["label"].strip("()（）")


def clause_rows(doc: dict):
    """One row per clause: part, section, item, clause, lead(s), units, text."""
    for p_no, part in enumerate(doc["parts"], 1):
        for sec in part["sections"]:
            for item in sec["items"]:
                for c_no, clause in enumerate(item["clauses"], 1):
                    leads = [u["name"] for u in clause["units"] if u["role"] == "lead"]
                    yield (
                        str(p_no),
                        sec["label"],
                        item_label(item),
                        str(c_no),
                        "|".join(leads),
                        "|".join(u["name"] for u in clause["units"]),
                        clause["text"],
                    )


def _cell(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def to_tsv(doc: dict, *, header: bool = True) -> str:
    lines = ["\t".join(TSV_COLUMNS)] if header else []
    lines.extend("\t".join(_cell(v) for v in row) for row in clause_rows(doc))
    return "\n".join(lines) + "\n"
