"""The one header finder: which cells name the columns, and what role each column plays.

Column names come from the one vocabulary (``data/vocab.tsv``) in either script, spaced out
(`重 点 工 作 任 务`) or split over cells (`牵头` + `部门`, `分管领` + `导`). A header needs a task column and a
column that says who is responsible (units, lead, support or a leader), or two task columns (two parallel
column pairs, `在建项目 | 预备项目`). Without a task column, a target column (`目标任务`) is the task.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..vocab import fold, is_word, role_of

RESPONSIBLE = frozenset(("units", "lead", "support", "leader"))


@dataclass(slots=True)
class Column:
    name: str  # as written, white space removed
    role: str  # a vocabulary role, or "other"


def join_split(names: list[str]) -> list[tuple[str, list[int]]]:
    """Join neighbouring cells that make a column name together (`牵头`+`部门` → `牵头部门`, `项目`+`类别` →
    `项目类别`): longest first, at most three cells, only into an exact vocabulary word. Returns (name,
    indices of the cells it joins)."""
    out: list[tuple[str, list[int]]] = []
    i, n = 0, len(names)
    while i < n:
        best = (fold(names[i]), [i])
        for w in (3, 2):
            if i + w <= n and all(fold(x) for x in names[i:i + w]):
                joined = "".join(fold(x) for x in names[i:i + w])
                if is_word(joined):
                    best = (joined, list(range(i, i + w)))
                    break
        out.append(best)
        i = best[1][-1] + 1
    return out


def columns_of(names: list[str]) -> list[Column]:
    return [Column(fold(n), role_of(n) or "other") for n in names]


def valid(cols: list[Column]) -> bool:
    roles = [c.role for c in cols]
    named = sum(1 for c in cols if c.role != "other" or c.name)
    known = sum(1 for c in cols if c.role != "other")
    if named < 2 or known < 2:
        return False
    tasks = roles.count("task") + (roles.count("target") if "task" not in roles else 0)
    if tasks == 0:
        return False
    return bool(RESPONSIBLE & set(roles)) or tasks >= 2


def settle(cols: list[Column]) -> list[Column]:
    """Roles in the context of the whole header: a target column is the task when there is no other; of
    several task columns, the one with a category-like name (`项目` beside `重点工作目标任务`) is a group."""
    roles = [c.role for c in cols]
    if "task" not in roles:
        for c in cols:
            if c.role == "target":
                c.role = "task"
                return cols
        # an unreadable task header (`項(xiàng)目?jī)?nèi)容`): the first unnamed column before the units
        resp = next((k for k, r in enumerate(roles) if r in RESPONSIBLE), None)
        if resp is not None and sum(r != "other" for r in roles) >= 2:
            for k in range(resp):
                if cols[k].role == "other" and cols[k].name:
                    cols[k].role = "task"
                    break
    return cols


def task_column(cols: list[Column]) -> int | None:
    """The column whose cell is the task's text: the last task column before the first responsible
    column (`事项名称 | 项目内容 | 牵头单位` → 项目内容), else the last task column."""
    idx = [k for k, c in enumerate(cols) if c.role == "task"]
    if not idx:
        return None
    resp = next((k for k, c in enumerate(cols) if c.role in RESPONSIBLE), None)
    before = [k for k in idx if resp is None or k < resp]
    return (before or idx)[-1]


def parallel_pairs(cols: list[Column]) -> list[list[int]] | None:
    """`序号 | 在建项目 | 序号 | 预备项目`: the header repeats (number, task) pairs side by side; each pair is a
    table of its own (a part each). None when the header does not repeat."""
    roles = [c.role if c.role != "other" or c.name else "number" for c in cols]
    if roles.count("task") < 2 or RESPONSIBLE & set(roles):
        return None
    groups: list[list[int]] = []
    cur: list[int] = []
    for k, r in enumerate(roles):
        if r == "number" and cur and any(roles[x] == "task" for x in cur):
            groups.append(cur)
            cur = []
        cur.append(k)
    groups.append(cur)
    return groups if len(groups) >= 2 and all(any(roles[x] == "task" for x in g) for g in groups) else None
