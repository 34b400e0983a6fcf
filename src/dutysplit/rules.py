"""Every layout family is a rule with a name (the ``layout``/``rule`` values of the output).

A family is a way a document states who is responsible for a task. Each rule names its family in
``LAYOUTS.md`` and has at least one fixture ``tests/fixtures/<rule>--<case>.txt`` (a test checks it).
``--layout`` enables or disables rules by name or group: ``auto`` (all), ``lines``, ``inline``, ``table``,
or a comma list such as ``-table_spaces`` or ``table,inline_label``.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    letter: str  # the family in LAYOUTS.md
    group: str  # lines | inline | prose | table
    shape: str  # what it looks like


FAMILIES: tuple[Family, ...] = (
    Family("units_line", "A", "lines", "`1.任务` then `责任单位:X、Y` (the first listed leads)"),
    Family("lead_line", "C/D", "lines", "`牵头单位:X` with `责任单位:`/`配合单位:` lines"),
    Family("leader_line", "E", "lines", "`牵头市领导:张三` before the units lines"),
    Family("multi_label", "J", "lines", "`责任领导:王五;责任单位:外贸局;配合单位:相关镇街` on one line"),
    Family("division_line", "E", "lines", "`部门分工:省发改委牵头,各地配合。`"),
    Family("unit_heading", "L", "lines", "`一、县示范区管委会牵头工作(8项)`, or a unit's name heading its tasks"),
    Family("joint_heading", "B", "lines", "`八、各乡镇人民政府,县政府直属各单位共同落实工作` over tasks with no units"),
    Family("inline_label", "F/G/H", "inline", "`(牵头单位:X;责任单位:Y)`, `[…]`, `〔…〕` in the paragraph"),
    Family("inline_verb", "I", "inline", "`(X牵头,Y配合)`, `(X、Y等负责)`"),
    Family("bare_bracket", "I", "inline", "`(市发展改革委,各县〔市、区〕政府)` closing the task"),
    Family("run_in_label", "label forms", "inline", "`1、项目名,牵头部门:市交通局。进展…` on one line"),
    Family("bracket_line", "label forms", "lines", "the bracket on its own line after the task"),
    Family("prose_line", "M", "lines", "`X为责任单位,Y协办。` on its own line after the task"),
    Family("prose", "M", "prose", "`由X牵头,Y配合` inside the task"),
    Family("duty_clause", "M", "prose", "`14.市卫生局:负责…` (the unit first)"),
    Family("prose_list", "M", "prose", "responsibility sentences with no list (news, reports)"),
    Family("referenced", "M", "prose", "`由X负责的第1件…` naming tasks of an attached list"),
    Family("table_pipe", "K1", "table", "`12 | 任务 | 单位 |` rows"),
    Family("table_bars", "K3", "table", "one cell per line, `|` between cells or after each"),
    Family("table_lines", "K2", "table", "one cell per line, nothing between"),
    Family("table_joined", "K5", "table", "a header whose names run together, cells one per line"),
    Family("table_spaces", "K", "table", "cells separated by runs of spaces or tabs"),
    Family("table_box", "K6", "table", "box drawing, merged cells, side-by-side column pairs"),
    Family("table_kv", "K4", "table", "`牵头单位: | 市执法局 |` key–value rows"),
    # tables a reader cuts itself (issue 12: Word, web pages, PDF, Excel)
    Family("table_docx", "K", "table", "a Word table (merged cells spread over the rows they span)"),
    Family("table_html", "K", "table", "an HTML `<table>` (rowspan/colspan spread)"),
    Family("table_pdf", "K", "table", "a PDF table found by its ruling lines"),
    Family("table_xlsx", "K", "table", "an Excel sheet's used range (merged cells spread)"),
)

GROUPS = {
    "auto": {f.name for f in FAMILIES},
    "lines": {f.name for f in FAMILIES if f.group in ("lines", "prose")},
    "inline": {f.name for f in FAMILIES if f.group != "table"},
    "table": {f.name for f in FAMILIES if f.group == "table"},
}


def all_families() -> frozenset[str]:
    return frozenset(f.name for f in FAMILIES)


def names() -> list[str]:
    return [f.name for f in FAMILIES]


def select(spec: str | None) -> frozenset[str]:
    """The families a ``--layout`` value enables. ``auto``, a group, or a comma list of names and groups,
    each optionally prefixed with ``-`` (disable) or ``+`` (enable, starting from ``auto``)."""
    spec = (spec or "auto").strip()
    if spec in GROUPS:
        return frozenset(GROUPS[spec])
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    known = set(names())
    relative = all(p[0] in "+-" for p in parts)
    chosen: set[str] = set(GROUPS["auto"]) if relative else set()
    for p in parts:
        sign, name = (p[0], p[1:]) if p[0] in "+-" else ("+", p)
        members = GROUPS.get(name) or ({name} if name in known else None)
        if members is None:
            raise ValueError(f"unknown layout rule {name!r} (choose from {', '.join(sorted(GROUPS))}, "
                             f"{', '.join(names())})")
        if sign == "-":
            chosen -= members
        else:
            chosen |= members
    return frozenset(chosen)
