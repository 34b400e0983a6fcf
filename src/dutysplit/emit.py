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


# The flat clause table (--format tsv|csv): the seven columns of the gold files first, so that
# `cut -f1-7` gives exactly that shape, then what a spreadsheet user needs beside them.
TABLE_COLUMNS = TSV_COLUMNS + (
    "document", "year", "title", "section_heading", "section_kind", "leaders", "support", "inherited",
    "fields", "first_line", "last_line", "lead_canonical", "units_canonical", "units_kind",
)


def table_rows(doc: dict):
    meta = doc["meta"]
    for p_no, part in enumerate(doc["parts"], 1):
        for sec in part["sections"]:
            sec_leaders = [f"{ld['name']}:{ld['title'] or ''}" for ld in sec["leaders"]]
            for item in sec["items"]:
                leaders = sec_leaders + [f"{ld['name']}:{ld['title'] or ''}" for ld in item["leaders"]]
                fields = "; ".join(f"{f['name']}: {f['value']}" for f in item["fields"])
                for c_no, clause in enumerate(item["clauses"], 1):
                    units = clause["units"]
                    yield (
                        str(p_no), sec["label"], item_label(item), str(c_no),
                        "|".join(u["name"] for u in units if u["role"] == "lead"),
                        "|".join(u["name"] for u in units),
                        clause["text"],
                        doc["source"]["path"] or "", str(meta["year"] or ""), part["title"] or meta["title"] or "",
                        sec["heading"], sec["kind"], "|".join(leaders),
                        "|".join(u["name"] for u in units if u["role"] == "support"),
                        "yes" if clause["inherited"] else "",
                        fields, str(clause["lines"][0]), str(clause["lines"][1]),
                        "|".join(u["canonical"] for u in units if u["role"] == "lead"),
                        "|".join(u["canonical"] for u in units),
                        "|".join(u["kind"] for u in units),
                    )


def header(*, sep: str = "\t") -> str:
    return sep.join(TABLE_COLUMNS) + ("\r\n" if sep == "," else "\n")


def to_table(doc: dict, *, sep: str = "\t", header: bool = True) -> str:
    """The flat clause table as TSV (``sep="\t"``) or CSV (``sep=","``, RFC 4180 quoting)."""
    rows = table_rows(doc)
    if sep == "\t":
        lines = ["\t".join(TABLE_COLUMNS)] if header else []
        lines.extend("\t".join(_cell(v) for v in row) for row in rows)
        return "".join(line + "\n" for line in lines)
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if header:
        w.writerow(TABLE_COLUMNS)
    w.writerows(rows)
    return buf.getvalue()


def _cell(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def to_tsv(doc: dict, *, header: bool = True) -> str:
    lines = ["\t".join(TSV_COLUMNS)] if header else []
    lines.extend("\t".join(_cell(v) for v in row) for row in clause_rows(doc))
    return "\n".join(lines) + "\n"
