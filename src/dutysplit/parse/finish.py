"""Finishing a task: its statement lines and its own text → clauses, each tagged with its family.

In order of precedence: inline brackets in the text (one clause each: families ``inline_label``,
``inline_verb``, ``bare_bracket``); a run-in label after the task text (``run_in_label``); the statement
lines (one clause, or more when a role repeats: `组长单位…副组长单位…组长单位…`; families ``units_line``,
``lead_line``, ``leader_line``, ``multi_label``, ``division_line``, ``bracket_line``, ``prose_line``); and,
when none of those, a duty clause that names its unit first (``duty_clause``) or prose statements in the
text (``prose``).
"""
from __future__ import annotations

import regex

from ..clean import tidy
from ..statements import Statement, duty_clause, find_inline, find_run_in, read_prose
from ..statements.inline import has_label_start, read_labels
from ..statements.unitlist import unit_like
from ..vocab import role_of
from .model import Clause, Doc, Item

_LABEL_END = regex.compile(r"[:：(（]")

_ORG_END = regex.compile(r"(办公室|人民政府|政府|委员会|管委会|局|委|办|厅|部|中心|公司)$")
_JUR_START = regex.compile(r"[县市区省各镇乡]")


def join_units(parts: list[str]) -> str:
    """Join a units statement wrapped over lines. A name broken over lines (`县交通运` / `输局`) is joined as
    is; a break between two whole names with no separator gets one."""
    out = [parts[0]]
    last = parts[0]
    for nxt in parts[1:]:
        if last and nxt and last[-1] not in "、,，;；" and nxt[0] not in "、,，;；":
            if _ORG_END.search(last[-12:]) and _JUR_START.match(nxt):
                out.append("、")
        out.append(nxt)
        last = nxt or last
    return "".join(out)


def family_of(st: Statement) -> str:
    """The family (a rule name of :mod:`dutysplit.rules`) a statement belongs to."""
    if st.rule in ("inline_label", "inline_verb", "bare_bracket", "prose", "duty", "referenced", "cell",
                   "bracket_line", "prose_line", "run_in_label"):
        return {"duty": "duty_clause", "cell": "table"}.get(st.rule, st.rule)
    if st.rule == "labels":
        return "multi_label"
    if st.rule == "division":
        return "division_line"
    if st.rule == "label":
        if st.leaders and not st.units:
            return "leader_line"
        if any(u.role == "lead" and u.explicit for u in st.units) or any(u.role == "support" for u in st.units):
            return "lead_line"
        return "units_line"
    return st.rule


def family_of_lines(group: list[Statement]) -> str:
    """The family of a clause written as statement lines: a 部门分工 line (``division_line``), several labels
    on one line (``multi_label``), a leader line before the units (``leader_line``), a lead or support line
    (``lead_line``), else units lines (``units_line``); other line forms keep their own family."""
    rules = [st.rule for st in group]
    if "division" in rules:
        return "division_line"
    if "labels" in rules:
        return "multi_label"
    if not set(rules) <= {"label"}:
        return family_of(next((st for st in group if st.units), group[0]))
    if any(st.leaders and not st.units for st in group) and any(st.units for st in group):
        return "leader_line"
    if any(u.role == "support" or u.role == "lead" and u.explicit for st in group for u in st.units):
        return "lead_line"
    return "units_line"


def read_line_statement(text: str) -> list[Statement]:
    """The statements of one statement line (a label line, a bracket on its own line, `第一组:组长单位(…)`,
    a prose sentence closing sub-projects)."""
    if has_label_start(text):
        _, st = read_labels(text)
        return [st] if st is not None else []
    found = find_inline(text)
    if found and text.strip()[:1] in "(（[［【〔":
        for _, _, st in found:
            st.rule = "bracket_line"
        return [st for _, _, st in found]
    run = find_run_in(text)
    if run is not None:
        run[1].rule = "run_in_label"
        return [run[1]]
    out = read_prose(text)
    for st in out:
        st.rule = "prose_line"
    return out


def _label_role(st: Statement) -> str | None:
    if st.rule not in ("label", "labels", "run_in_label"):
        return None
    return role_of(_LABEL_END.split(st.raw, maxsplit=1)[0])


def group_clauses(sts: list[Statement]) -> list[list[Statement]]:
    """Statement lines of one task → clauses: consecutive lines form one clause; a unit label met again
    (a second `组长单位`, a second `责任单位`) starts the next."""
    groups: list[list[Statement]] = []
    seen: set[str] = set()
    for st in sts:
        role = _label_role(st)
        if groups and role in ("lead", "units") and role in seen and st.units:
            groups.append([st])
            seen = {role}
            continue
        if not groups or st.rule in ("prose", "prose_line", "inline_label", "inline_verb", "bare_bracket",
                                     "bracket_line") and \
                any(s.units for s in groups[-1]) and st.units:
            groups.append([st])
            seen = set()
        else:
            groups[-1].append(st)
        if role:
            seen.add(role)
    return groups


def finish_item(item: Item, doc: Doc, families: frozenset[str]) -> None:
    blocks: list[tuple[list[str], list[int]]] = []
    for no, text, cont in item.statements:
        if cont and blocks:
            blocks[-1][0].append(text)
            blocks[-1][1].append(no)
        else:
            blocks.append(([text], [no]))
    line_sts: list[Statement] = []
    for texts, nos in blocks:
        for st in read_line_statement(join_units(texts)):
            st.lines = list(nos)
            if family_of(st) in families or st.rule in ("label", "labels", "division"):
                line_sts.append(st)  # label lines: their family is the clause's (family_of_lines)
    full = "".join(t for _, t in item.text_parts).strip()
    clauses: list[Clause] = []
    pieces: list[str] = []
    pos = 0
    for start, end, st in find_inline(full) if families & {"inline_label", "inline_verb", "bare_bracket"} else []:
        if family_of(st) not in families:
            continue
        seg = full[pos:start].strip()
        pieces.append(seg)
        clauses.append(Clause([st], text=tidy(seg), rule=family_of(st)))
        pos = end
    rest = full[pos:].strip()
    text = "".join(pieces) + rest
    if not clauses and "run_in_label" in families:
        # a run-in label per paragraph: `…。主要责任单位:X` after each paragraph of the task
        texts: list[str] = []
        for _, line in item.text_parts:
            run = find_run_in(line)
            if run is not None and (run[1].units or not line_sts and run[1].leaders):
                idx, st = run
                texts.append(line[:idx].rstrip(" ,，;；:："))
                clauses.append(Clause([st], text=tidy(texts[-1]), rule="run_in_label"))
            elif not clauses:
                texts.append(line)
        if clauses:
            text = "".join(texts)
            rest = ""
    if line_sts:
        for group in group_clauses(line_sts):
            fam = family_of_lines(group)
            if fam in families:
                clauses.append(Clause(group, text=tidy(rest if clauses else text), rule=fam))
    if not clauses:
        duty = duty_clause(full) if "duty_clause" in families else None
        if duty is not None:
            clauses.append(Clause([duty], text="", rule="duty_clause"))
        elif "prose" in families:
            for st in read_prose(full):
                clauses.append(Clause([st], text="", rule="prose"))
    item.text = tidy(text).strip()
    item.clauses = clauses
    if not item.rule or item.rule in ("numbered", "cn_item", "unnumbered"):
        item.rule = clauses[0].rule if clauses else item.rule or "numbered"


__all__ = ["finish_item", "join_units", "family_of", "group_clauses", "read_line_statement", "unit_like"]
