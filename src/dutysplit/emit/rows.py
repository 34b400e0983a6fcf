"""The rows every tabular output shares, defined once: csv/tsv, xlsx, sqlite and `dutysplit units` read
them, so that they never disagree.

- the task row: one per task, the units of all its clauses joined (任务台账, the task CSV, sqlite `tasks`);
- the document columns, in every task row of a CSV (文件, 发文单位, 地区, 文号, 年度);
- the unit × task row: one per canonical unit of a task with its role (按单位, `dutysplit units --unit`);
- the warning row: one per warning diagnostic (需核对);
- the document row: a document's facts (文件信息, sqlite `documents`).

A row is a dict of plain values (str, int, None, lists of str). :func:`cell` renders a value for a
language: ``en`` for machines (lists joined by ``|``, codes as they are, lines ``23-25``), ``zh`` for
people (lists joined by ``、``, codes in words, ``第23–25行``).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

ROLE_ORDER = {"lead": 0, "participant": 1, "support": 2}


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # static snake_case: the CSV header with --columns en, the sqlite column
    zh: str  # the Chinese header: --columns zh, xlsx
    width: int = 12  # xlsx column width, in Latin characters (a Chinese character is two)
    kind: str = "text"  # how a value renders: text, int, names, checks, lines, role, kind, level


# The task row. The first columns are the 任务台账 sheet; the task CSV adds DOCUMENT_COLUMNS to them.
TASK_COLUMNS = (
    Column("seq", "序号", 7, "int"),
    Column("part", "部分", 18),
    Column("section", "板块", 22),
    Column("item", "编号", 7),
    Column("task", "工作任务", 60),
    Column("lead", "牵头单位", 22, "names"),
    Column("participants", "责任单位", 34, "names"),
    Column("support", "配合单位", 26, "names"),
    Column("leaders", "分管领导", 16, "names"),
    Column("deadline", "完成时限", 16),
    Column("needs_check", "需核对", 20, "checks"),
    Column("lines", "来源", 14, "lines"),
)

DOCUMENT_COLUMNS = (
    Column("document", "文件", 28),
    Column("issuer", "发文单位", 24),
    Column("place", "地区", 10),
    Column("doc_number", "文号", 20),
    Column("year", "年度", 7, "int"),
)

UNIT_TASK_COLUMNS = (
    Column("unit", "单位", 24),
    Column("names", "原文写法", 24, "names"),
    Column("place", "地区", 10),
    Column("kind", "类别", 12, "kind"),
    Column("role", "角色", 7, "role"),
    Column("document", "文件", 28),
    Column("year", "年度", 7, "int"),
    Column("seq", "序号", 7, "int"),
    Column("part", "部分", 18),
    Column("section", "板块", 22),
    Column("item", "编号", 7),
    Column("task", "工作任务", 60),
    Column("deadline", "完成时限", 16),
)

UNIT_SUMMARY_COLUMNS = (
    Column("unit", "单位", 24),
    Column("place", "地区", 10),
    Column("kind", "类别", 12, "kind"),
    Column("led", "牵头任务数", 11, "int"),
    Column("joined", "参与任务数", 11, "int"),
    Column("names", "原文写法", 30, "names"),
)

WARNING_COLUMNS = (
    Column("document", "文件", 28),
    Column("line", "行", 7, "int"),
    Column("level", "级别", 7, "level"),
    Column("code", "问题", 18, "checks"),
    Column("message", "说明", 60),
    Column("seq", "序号", 7, "int"),
    Column("task", "工作任务", 50),
)

DOCUMENT_ROW_COLUMNS = (
    Column("document", "文件", 28),
    Column("title", "标题", 40),
    Column("notice_title", "通知标题", 40),
    Column("doc_number", "文号", 20),
    Column("issuer", "发文单位", 24),
    Column("place", "地区", 10),
    Column("date", "成文日期", 12),
    Column("published", "发布日期", 12),
    Column("year", "年度", 7, "int"),
    Column("tasks", "任务数", 8, "int"),
    Column("warnings", "需核对数", 9, "int"),
    Column("encoding", "编码", 10),
    Column("sha256", "SHA-256", 66),
)


@lru_cache(maxsize=None)
def words(group: str) -> dict[str, str]:
    """Chinese words for the codes of one group of ``data/labels_zh.tsv`` (check, role, kind, level)."""
    from ..data import table

    return {r[1]: r[2] for r in table("labels_zh") if r[0] == group}


def cell(col: Column, value, lang: str = "en"):
    """A value as one output cell: a str, or an int for an int column (None stays None)."""
    if value is None:
        return None
    kind = col.kind
    if kind == "int":
        return value
    if kind == "names":
        return ("、" if lang == "zh" else "|").join(value)
    if kind == "checks":
        if isinstance(value, str):
            value = [value]
        if lang == "zh":
            table = words("check")
            return "、".join(table.get(c, c) for c in value)
        return "|".join(value)
    if kind == "lines":
        first, last = value
        if lang == "zh":
            return f"第{first}行" if first == last else f"第{first}–{last}行"
        return f"{first}-{last}"
    if kind in ("role", "kind", "level") and lang == "zh":
        return words(kind).get(value, value)
    return value


def render(columns, row: dict, lang: str = "en") -> list:
    return [cell(c, row.get(c.key), lang) for c in columns]


def text_cell(value) -> str:
    """A cell for CSV/TSV: None is empty."""
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------------------
# building the rows from a document dict


def document_facts(doc: dict) -> dict:
    """The document columns of every task row (source path, issuer, place, 文号, year)."""
    from ..index import document_place

    meta = doc["meta"]
    return {"document": doc["source"]["path"] or "", "issuer": meta["issuer"], "place": document_place(doc),
            "doc_number": meta["doc_number"], "year": meta["year"]}


def deadline(item: dict) -> tuple[str | None, str | None]:
    """The task's deadline as written and as an ISO date: the item's ``deadline`` ({raw, date, kind})
    where the parser gives one, else the first field of kind ``deadline`` (no date)."""
    d = item.get("deadline")
    if d and d.get("raw"):
        return d.get("raw"), d.get("date")
    for f in item["fields"]:
        if f["kind"] == "deadline":
            return f["value"], None
    return None, None


def _leader(ld: dict) -> str:
    return ld["name"] + (ld["title"] or "")


def part_name(part: dict, number: int) -> str:
    return part["title"] or str(number)


def section_name(sec: dict) -> str:
    if sec["label"] and sec["heading"]:
        return f"{sec['label']}、{sec['heading']}"
    return sec["heading"] or sec["label"]


def _unit_roles(item: dict, key: str) -> dict[str, str]:
    """Each unit of a task once (by ``key``: its name or canonical name), in order of first mention, with
    its strongest role over all clauses (lead, then participant, then support)."""
    roles: dict[str, str] = {}
    for clause in item["clauses"]:
        for u in clause["units"]:
            k = u[key]
            if k not in roles or ROLE_ORDER[u["role"]] < ROLE_ORDER[roles[k]]:
                roles[k] = u["role"]
    return roles


def _warning(d: dict) -> bool:
    return d["level"] in ("warning", "error")


class _Spans:
    """Which task a line belongs to: tasks' line spans, sorted by first line."""

    def __init__(self):
        self.firsts: list[int] = []
        self.spans: list[tuple[int, int, int]] = []

    def add(self, first: int, last: int, seq: int) -> None:
        self.firsts.append(first)
        self.spans.append((first, last, seq))

    def find(self, line: int | None) -> int | None:
        if line is None:
            return None
        i = bisect_right(self.firsts, line) - 1  # tasks do not overlap: the nearest one before, or none
        if i >= 0 and self.spans[i][0] <= line <= self.spans[i][1]:
            return self.spans[i][2]
        return None


class DocumentRows:
    """All rows of one document, computed in one pass over it (linear in its size)."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.facts = document_facts(doc)
        self.tasks: list[dict] = []
        self.items: list[tuple[int, dict, dict, dict]] = []  # (part number, part, section, item) per task
        self.spans = spans = _Spans()
        order = []
        for p_no, part in enumerate(doc["parts"], 1):
            for sec in part["sections"]:
                for item in sec["items"]:
                    seq = len(self.items) + 1
                    self.items.append((p_no, part, sec, item))
                    order.append((item["lines"][0], item["lines"][1], seq))
        for first, last, seq in sorted(order):
            spans.add(first, last, seq)
        checks: dict[int, list[str]] = {}
        self.warnings: list[dict] = []
        for d in doc["diagnostics"]:
            if not _warning(d):
                continue
            seq = spans.find(d["line"])
            self.warnings.append({"document": self.facts["document"], "line": d["line"], "level": d["level"],
                                  "code": d["code"], "message": d["message"], "seq": seq, "task": None})
            if seq is not None:
                codes = checks.setdefault(seq, [])
                if d["code"] not in codes:
                    codes.append(d["code"])
        for seq, (p_no, part, sec, item) in enumerate(self.items, 1):
            self.tasks.append(self._task(seq, p_no, part, sec, item, checks.get(seq, [])))
        for w in self.warnings:
            if w["seq"] is not None:
                w["task"] = self.tasks[w["seq"] - 1]["task"]

    def task_of_line(self, line: int | None) -> int | None:
        """The ``seq`` of the task whose lines hold ``line``, None when no task does."""
        return self.spans.find(line)

    def _task(self, seq: int, p_no: int, part: dict, sec: dict, item: dict, checks: list[str]) -> dict:
        roles = _unit_roles(item, "name")
        by_role = {"lead": [], "participant": [], "support": []}
        for name, role in roles.items():
            by_role[role].append(name)
        raw, date = deadline(item)
        return {
            "seq": seq, "part": part_name(part, p_no), "section": section_name(sec),
            "item": item["label"].strip("()（）"), "task": item["text"],
            "lead": by_role["lead"], "participants": by_role["participant"], "support": by_role["support"],
            "leaders": [_leader(ld) for ld in sec["leaders"]] + [_leader(ld) for ld in item["leaders"]],
            "deadline": raw, "needs_check": checks, "lines": (item["lines"][0], item["lines"][1]),
            # beyond the columns: for sqlite and the units index
            "part_no": p_no, "section_label": sec["label"], "section_heading": sec["heading"],
            "section_kind": sec["kind"], "deadline_date": date, **self.facts,
        }

    def unit_tasks(self) -> list[dict]:
        """One row per canonical unit of each task, with its strongest role."""
        out = []
        for task, (_, _, _, item) in zip(self.tasks, self.items):
            names: dict[str, list[str]] = {}
            described: dict[str, dict] = {}
            for clause in item["clauses"]:
                for u in clause["units"]:
                    seen = names.setdefault(u["canonical"], [])
                    if u["name"] not in seen:
                        seen.append(u["name"])
                    described.setdefault(u["canonical"], u)
            for canon, role in _unit_roles(item, "canonical").items():
                u = described[canon]
                out.append({"unit": canon, "names": names[canon], "place": self.facts["place"], "kind": u["kind"],
                            "jurisdiction": u["jurisdiction"], "role": role,
                            "document": self.facts["document"], "year": self.facts["year"], "seq": task["seq"],
                            "part": task["part"], "section": task["section"], "item": task["item"],
                            "task": task["task"], "deadline": task["deadline"]})
        return out

    def document_row(self) -> dict:
        meta, src = self.doc["meta"], self.doc["source"]
        return {**self.facts, "title": meta["title"], "notice_title": meta["notice_title"],
                "date": meta["date"], "published": meta["published"], "tasks": len(self.tasks),
                "warnings": len(self.warnings), "encoding": src["encoding"], "sha256": src["sha256"]}
