"""Labels and brackets: statements inside a line or a paragraph.

* a label and its body (`责任单位:…`, `牵头领导:张三`, `完成时限:6月底前`); several on one line
  (`责任领导:王五;责任单位:外贸局;配合单位:相关镇街`), separated by `; ；, ， 。` or spaces;
* run-in labels after the task text (`1、项目名,牵头部门:市交通局。进展…`, `…。责任单位:X,完成时间:…`);
  a unit label with its value in brackets (`组长单位(县政府办)`);
* inline brackets: a bracket whose content starts with a label, or is verb style (`(省农业厅牵头)`), or —
  closing the paragraph — a bare list of units (`(市发展改革委,各县〔市、区〕政府)`).
"""
from __future__ import annotations

import regex

from ..vocab import UNIT_ROLES, fold, iter_bracket_labels, iter_labels, label_at, role_of
from .model import Statement
from .unitlist import pairs, person_like, split_top, split_units, unit_like
from .verbal import is_note, read_verbal

_BEFORE_LABEL = set(";；,，。、|｜ \u3000\t(（[［【〔")
_TRAILING = regex.compile(r"^[\s。.;；,，!！?？]*$")
_BEFORE_BARE = set("。.;；,，!！?？ \u3000\t")


def _top_level(text: str, pr: dict[int, int]):
    """Indices of ``text`` outside every bracket group, as a membership test."""
    if not pr:
        return lambda i: True
    inside = bytearray(len(text) + 1)
    reach = -1
    for a in sorted(pr):  # outermost groups first: each index is marked once
        b = pr[a]
        if a > reach:
            inside[a + 1:b] = b"\x01" * max(0, b - a - 1)
            reach = b - 1
    return lambda i: not inside[i]


def read_label(label: str, body: str) -> Statement:
    """The statement of one label and its body."""
    role = role_of(label) or "units"
    body = body.strip().strip("|｜").strip()
    if role in UNIT_ROLES:
        main, remark = _cut_remark(body)
        st = read_verbal(main, default_role=role, rule="label", need_verb=False, trust=True) or Statement("label")
        st.rule = "label"
        if remark:
            st.fields.append(("", "remark", remark))
    elif role == "division":
        st = read_verbal(body, rule="division", need_verb=False) or Statement("division")
    elif role == "leader":
        st = Statement("label")
        st.leaders = [p.strip() for p in split_top(body.rstrip("。.")) if p.strip()]
    else:
        st = Statement("label")
        st.fields.append((label.strip(), role, body))
    st.raw = f"{label}:{body}"
    return st


def _cut_remark(body: str) -> tuple[str, str]:
    """A units body ends at the first sentence that is neither units nor a note: `市交通局。进度较慢…`."""
    sentences = split_top(body, "。")
    if len(sentences) <= 1:
        return body, ""
    keep = [sentences[0]]
    for k, s in enumerate(sentences[1:], 1):
        if not s.strip() or is_note(s):
            keep.append(s)
            continue
        return "。".join(keep), "。".join(sentences[k:]).strip()
    return "。".join(keep), ""


def _labels_at(text: str, start: int = 0) -> list[regex.Match]:
    """Label matches outside brackets, each at the start or after a separator."""
    pr = pairs(text)
    top = _top_level(text, pr)
    out = []
    for m in iter_labels(text, start):
        i = m.start()
        if (i == 0 or text[i - 1] in _BEFORE_LABEL) and top(i):
            out.append(m)
    return out


def read_labels(text: str) -> tuple[str, Statement | None]:
    """(text before the first label, the statement of every label in ``text``)."""
    found = _labels_at(text)
    if not found:
        return text, None
    st: Statement | None = None
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(text)
        body = text[m.end():end].strip().rstrip(";；,，").strip()
        one = read_label(m["label"], body)
        if st is None:
            st = one
        else:
            st.add(one)
    assert st is not None
    st.rule = "labels" if len(found) > 1 else "division" if st.rule == "division" else "label"
    st.raw = text[found[0].start():]
    return text[: found[0].start()], st


def find_run_in(text: str) -> tuple[int, Statement] | None:
    """The first label that follows task text on the same line (not at its start): (index, statement)."""
    found = [m for m in _labels_at(text) if m.start() > 0]
    bracketed = None
    for m in iter_bracket_labels(text):
        i = m.start()
        if i == 0 or text[i - 1] in _BEFORE_LABEL or text[i - 1] in ":：":
            bracketed = m
            break
    if bracketed is not None and (not found or bracketed.start() < found[0].start()):
        pr = pairs(text)
        j = bracketed.end()
        end = pr.get(j)
        if end is not None and unit_like(text[j + 1:end - 1]):
            role = role_of(bracketed["label"]) or "units"
            st = Statement("label", raw=text[bracketed.start():end])
            st.units = split_units(text[j + 1:end - 1], *(("lead", True) if role == "lead" else
                                                          ("support", True) if role == "support" else
                                                          ("participant", False)))[0]
            rest = text[end:]
            if rest.strip():
                more = read_labels(rest)[1]
                if more is not None:
                    st.add(more)
            return bracketed.start(), st
    if not found:
        return None
    _, st = read_labels(text[found[0].start():])
    return (found[0].start(), st) if st is not None else None


def read_bracket(content: str, trailing: bool) -> Statement | None:
    """The statement an inline bracket makes, or None when the bracket is part of the task text."""
    c = content.strip()
    if not c:
        return None
    m = label_at(c)
    if m:
        _, st = read_labels(c)
        if st is not None and (st.units or st.leaders):
            st.rule = "inline_label"
            return st
        return None  # `(分值:5分)`: a remark, not a statement
    st = read_verbal(c, rule="inline_verb")
    if st is not None and st.units:
        return st
    if st is not None and st.leaders and not st.units:
        return None
    if trailing and _bare_units(c):
        units, notes, leaders = split_units(c)
        st = Statement("bare_bracket", units=units, notes=notes, leaders=leaders, raw=c)
        return st if units else None
    return None


def _bare_units(c: str) -> bool:
    pieces = [p.strip() for p in split_top(c) if p.strip()]
    return bool(pieces) and unit_like(pieces[0]) and sum(unit_like(p) for p in pieces) * 2 >= len(pieces) \
        and not any(person_like(p) and not unit_like(p) for p in pieces[:1])


def find_inline(text: str) -> list[tuple[int, int, Statement]]:
    """The inline bracket statements of a paragraph: (start, end, statement), in order."""
    pr = pairs(text)
    if not pr:
        return []
    out = []
    i, n = 0, len(text)
    while i < n:
        end = pr.get(i)
        if end is None:
            i += 1
            continue
        if text[i] in "“《":
            i = end  # a quotation or a title, not a bracket
            continue
        # a bare list of units closes the paragraph and stands apart from the word before it (`…以上。(X,Y)`);
        # `县体育馆(全民健身中心)。` is a name and its alias
        trailing = bool(_TRAILING.match(text[end:])) and (i == 0 or text[i - 1] in _BEFORE_BARE)
        st = read_bracket(text[i + 1:end - 1], trailing)
        if st is not None:
            out.append((i, end, st))
        i = end
    return out


def has_label_start(text: str) -> bool:
    m = label_at(text.lstrip())
    return m is not None


__all__ = ["read_label", "read_labels", "find_run_in", "read_bracket", "find_inline", "has_label_start", "fold"]
