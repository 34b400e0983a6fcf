"""CSV and TSV: one row per task (``per="task"``, the default: the units of all its clauses joined) or one
row per clause (``per="clause"``: the first seven columns are the shape of the gold files), with English
(``lang="en"``) or Chinese (``lang="zh"``) headers; the document's columns in every row."""
from __future__ import annotations

from .rows import DOCUMENT_COLUMNS, TASK_COLUMNS, Column, DocumentRows, cell, text_cell

TSV_COLUMNS = ("part", "section", "item", "clause", "lead", "units", "text")

# The clause table: the seven columns of the gold files first, so that `cut -f1-7` gives exactly that
# shape, then what a spreadsheet user needs beside them, then the document's columns and the checks.
CLAUSE_COLUMNS = tuple(Column(k, zh) for k, zh in (
    ("part", "部分序号"), ("section", "板块序号"), ("item", "编号"), ("clause", "条"), ("lead", "牵头单位"),
    ("units", "单位"), ("text", "内容"), ("document", "文件"), ("year", "年度"), ("title", "标题"),
    ("section_heading", "板块"), ("section_kind", "板块类型"), ("leaders", "分管领导"), ("support", "配合单位"),
    ("inherited", "继承"), ("fields", "其他字段"), ("first_line", "起始行"), ("last_line", "结束行"),
    ("lead_canonical", "牵头单位规范名"), ("units_canonical", "单位规范名"), ("units_kind", "单位类别"),
    ("issuer", "发文单位"), ("place", "地区"), ("doc_number", "文号"), ("needs_check", "需核对"),
))
TABLE_COLUMNS = tuple(c.key for c in CLAUSE_COLUMNS)
_CHECKS = CLAUSE_COLUMNS[-1]

PERS = ("task", "clause")
LANGS = ("en", "zh")


def task_columns() -> tuple[Column, ...]:
    """The task CSV: the 任务台账 columns, then the document's."""
    return TASK_COLUMNS + DOCUMENT_COLUMNS


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


def table_rows(doc: dict, lang: str = "en", rows: DocumentRows | None = None):
    """The clause table's rows (all strings)."""
    rows = rows or DocumentRows(doc)
    facts = rows.facts
    meta = doc["meta"]
    tasks = iter(rows.tasks)
    for p_no, part in enumerate(doc["parts"], 1):
        for sec in part["sections"]:
            sec_leaders = [f"{ld['name']}:{ld['title'] or ''}" for ld in sec["leaders"]]
            for item in sec["items"]:
                task = next(tasks)
                checks = text_cell(cell(_CHECKS, task["needs_check"], lang))
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
                        facts["issuer"] or "", facts["place"] or "", facts["doc_number"] or "", checks,
                    )


def task_rows(doc: dict, lang: str = "en", rows: DocumentRows | None = None):
    """The task table's rows (all strings): one per task."""
    rows = rows or DocumentRows(doc)
    cols = task_columns()
    for task in rows.tasks:
        yield tuple(text_cell(cell(c, task.get(c.key), lang)) for c in cols)


def headers(per: str = "task", lang: str = "en") -> tuple[str, ...]:
    cols = task_columns() if per == "task" else CLAUSE_COLUMNS
    return tuple(c.zh if lang == "zh" else c.key for c in cols)


def header(*, sep: str = "\t", per: str = "task", lang: str = "en") -> str:
    return format_rows([headers(per, lang)], sep)


def to_table(doc: dict, *, sep: str = "\t", header: bool = True, per: str = "task", lang: str = "en") -> str:
    """The table as TSV (``sep="\t"``) or CSV (``sep=","``, RFC 4180 quoting)."""
    rows = task_rows(doc, lang) if per == "task" else table_rows(doc, lang)
    return format_rows([headers(per, lang), *rows] if header else rows, sep)


def format_rows(rows, sep: str) -> str:
    """Rows of strings as TSV lines (tabs and newlines in a cell become spaces) or CSV records."""
    if sep == "\t":
        return "".join("\t".join(_cell(v) for v in row) + "\n" for row in rows)
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def _cell(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def to_tsv(doc: dict, *, header: bool = True) -> str:
    lines = ["\t".join(TSV_COLUMNS)] if header else []
    lines.extend("\t".join(_cell(v) for v in row) for row in clause_rows(doc))
    return "\n".join(lines) + "\n"
