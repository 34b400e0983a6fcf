"""The one grammar of responsibility statements, used by every layout family.

A *statement* says who is responsible for (part of) a task. However it is written — a label line
(`责任单位:…`), several labels on one line, an inline bracket with labels or verbs (`(X牵头,Y配合)`), a bare
bracket of units, a run-in label after the task text, a prose sentence (`由X负责`, `X为责任单位,Y协办`,
`上述项目由X牵头负责`), a unit-first duty clause (`14.市卫生局:负责…`) or a table cell under a unit column —
it is read here into the same :class:`Statement`: units with their roles as written, leaders (persons, never
units), fields (deadline, status …), notes and conventions with their scope.

``resolve`` never reads statement text again: it only decides leads where the statement left them open
(the first-listed convention, marks) and inheritance.

Modules: :mod:`.model` (the records), :mod:`.unitlist` (a list of unit names), :mod:`.verbal` (verbs,
notes and prose), :mod:`.inline` (labels and brackets inside a paragraph).
"""
from __future__ import annotations

from .inline import find_inline, find_run_in, read_bracket, read_label, read_labels
from .model import Statement, UnitRef
from .unitlist import is_leader_ref, split_units, unit_like
from .verbal import duty_clause, read_prose, read_verbal, referenced_items

__all__ = [
    "Statement", "UnitRef", "split_units", "unit_like", "is_leader_ref", "read_verbal", "read_prose",
    "read_label", "read_labels", "read_bracket", "find_inline", "find_run_in", "duty_clause", "referenced_items",
]
