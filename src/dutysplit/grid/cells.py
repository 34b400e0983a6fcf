"""What a table cell holds, and how well it fits a column: the scores the one row assembler aligns by.

A cell is typed by its content — a row number, a list of units, person names, a date, a heading word,
a group heading (`一、…`, `(十一)…`, `…(15项)`), `/` for none, short or long text — and each column role
(``vocab.ROLES``) scores every type. Aligning a row's cells to the header's columns is then one small
dynamic programme, whatever form the table came in (pipes, one cell per line, spaces, box drawing, HTML).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..statements.unitlist import person_like, split_top, unit_like
from ..vocab import fold, is_word

_SENTENCE_MARK = regex.compile(r"[。；;！？]")
_WORD_SEPS = regex.compile(r"[\s、,，]+")
_STOPS = regex.compile(r"[。；;]")
_SHORT_HAN = regex.compile(r"^\p{Han}{1,4}$")

NONE_MARKS = frozenset(("/", "／", "无", "-", "—", "－", "——", "\\", "、", "?"))
_NUM = regex.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})[.．、]?$")
_LEAD_NUM = regex.compile(r"^(?P<n>\d{1,3})(?:[.．、]|\s)(?!\d)\s*")
_GROUP = regex.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、．.]|[(（][一二三四五六七八九十]{1,3}[)）])|"
                       r"[(（](?:共)?\d{1,4}(?:项|个|件|条)[)）]$")
_DATE = regex.compile(r"(?:^\d{4}(?:\.\d{1,2})?$|\d{4}\s*年|\d{1,2}\s*月|底前|年底|年内|全年|季度|长期|持续|常态|"
                      r"\d{4}[.\-/]\d{1,2}|^\d{1,2}[.\-/]\d{1,2}$|见成效|日前|月份)")

# a cell that starts like an action is a task, whatever it ends with (`新建一批中小学校`, `打造区域教育高地`)
_TASK_START = regex.compile(r"^(?:新[建增开改扩(（]|实施|建设|打造|推进|开展|完成|提升|加强|加快|推动|实现|创建|改造|开设|全面|"
                            r"持续|深化|落实|组织|建成|启动|保持|确保|继续|力争|完善|强化|促进|支持|扩大|做好|抓好|提高|构建|"
                            r"健全|优化|培育|引导|鼓励|严格|规范|发展|对|为|在|将|按|\d{1,3}[.．、](?!\d))")
_ETC_END = regex.compile(r"等(?:部门|单位)?$")
# progress written in a cell: `目前已完成…`, `已完工`, `截至6月底…`
_PROGRESS = regex.compile(r"^(?:目前|现已|已经|已|截至|截止|正在|累计|全部完成|基本完成|完成了|超额完成|按序时)")

TYPES = ("num", "none", "units", "person", "date", "header", "group", "short", "long", "progress")

# fit[role][type]: how well a cell of that type sits in a column of that role
_FIT = {
    "number":   dict(num=5, none=-2, units=-5, person=-5, date=-3, header=-5, group=-5, short=-5, long=-5, progress=-5),
    "task":     dict(num=-3, none=-1, units=-2, person=-3, date=-2, header=-5, group=1, short=2, long=3, progress=-1),
    "units":    dict(num=-4, none=2, units=4, person=-1, date=-3, header=-5, group=-3, short=0, long=-4, progress=-4),
    "leader":   dict(num=-4, none=2, units=-1, person=4, date=-3, header=-5, group=-3, short=-1, long=-4, progress=-4),
    "deadline": dict(num=-1, none=2, units=-3, person=-2, date=4, header=-5, group=-3, short=0, long=-2, progress=-2),
    "status":   dict(num=0, none=1, units=-2, person=-2, date=1, header=-5, group=-2, short=1, long=2, progress=4),
    "target":   dict(num=0, none=1, units=-2, person=-2, date=0, header=-5, group=-2, short=1, long=2, progress=1),
    "category": dict(num=-4, none=-1, units=-3, person=-3, date=-3, header=-5, group=3, short=1, long=-2, progress=-3),
    "other":    dict(num=0, none=1, units=-1, person=0, date=0, header=-5, group=0, short=0, long=0, progress=1),
}
_FIT["lead"] = _FIT["support"] = _FIT["units"]
# a task column that is not the one holding the task's text (`事项名称` beside `项目内容`)
_FIT["task2"] = {k: v - 0.5 for k, v in _FIT["task"].items()}
_FIT["division"] = _FIT["units"]
# cost of a column left empty in a row, and of a second cell in the same column (a wrapped cell, a list
# of units one per line)
MISS = {"task": 2.0, "units": 2.0, "lead": 2.0, "support": 0.5, "number": 1.0}
DUP = {"units": 0.5, "lead": 0.5, "support": 0.3, "leader": 0.3, "task": 0.5, "task2": 0.5, "status": 1.0,
       "target": 1.0}


@dataclass(slots=True)
class Cell:
    """A cell as read: its text, the line ids it came from, and its column where the form says it."""

    text: str
    lines: list[int] = field(default_factory=list)
    col: int | None = None
    rowspan: int = 1

    @property
    def empty(self) -> bool:
        return not self.text.strip()


def cell_type(text: str) -> str:
    t = text.strip().strip("|｜").strip()
    if t in NONE_MARKS or not t:
        return "none"
    f = fold(t)
    if _NUM.match(f):
        return "num"
    if is_word(t):
        return "header"
    if _GROUP.search(f) and len(f) <= 60:
        return "group"
    if _PROGRESS.match(f):
        return "progress"
    if _DATE.search(f) and len(f) <= 20 and not unit_like(t):
        return "date"
    pieces = [_ETC_END.sub("", p.strip()) for p in split_top(t.lstrip("★*☆▲").replace("\n", "、")) if p.strip()]
    if pieces and not _TASK_START.match(f) and not _SENTENCE_MARK.search(t.rstrip("。")) and \
            (len(pieces) > 1 or len(f) <= 25) and all(unit_like(p) or len(fold(p)) <= 8 and unit_like(pieces[0])
                                                       for p in pieces):
        if unit_like(pieces[0]) or len(pieces) > 1:
            return "units"
    words = [w for w in _WORD_SEPS.split(t) if w]
    if words and all(person_like(w) for w in words) or _spaced_names(t):
        return "person"
    if _DATE.search(f) and len(f) <= 30:
        return "date"
    return "short" if len(f) <= 14 and not _STOPS.search(t) else "long"


def _spaced_names(t: str) -> bool:
    """`钱 宇`, `沈 昱 祝振伟`: names whose characters a converter spaced out."""
    tokens = t.replace("?", " ").split()
    if len(tokens) < 2 or any(not _SHORT_HAN.match(x) for x in tokens):
        return False
    return person_like(tokens[0] + tokens[1]) and len(tokens[0]) == 1 or all(person_like(x) for x in tokens)


def fit(role: str, typ: str) -> float:
    return _FIT.get(role, _FIT["other"])[typ]


def lead_number(text: str) -> tuple[int, str] | None:
    """`12.强化…` → (12, `强化…`): a task cell that carries its own number."""
    m = _LEAD_NUM.match(text.strip())
    if not m:
        return None
    return int(m["n"]), text.strip()[m.end():]


def is_group(text: str) -> bool:
    return bool(_GROUP.search(fold(text))) and len(fold(text)) <= 60


def align(types: list[str], roles: list[str]) -> list[int]:
    """Columns for a row's cells (in order, monotone; several cells may share a column, columns may stay
    empty), maximising the fit. ``types``: cell types; ``roles``: column roles. O(cells × columns²)."""
    k, m = len(types), len(roles)
    if k == 0 or m == 0:
        return [0] * k
    neg = float("-inf")
    # miss[a][b]: cost of leaving columns a..b-1 empty
    miss_prefix = [0.0]
    for r in roles:
        miss_prefix.append(miss_prefix[-1] + MISS.get(r, 0.3))

    def gap(a: int, b: int) -> float:
        return miss_prefix[b] - miss_prefix[a] if b > a else 0.0

    best = [[neg] * m for _ in range(k)]
    back = [[-1] * m for _ in range(k)]
    for j in range(m):
        best[0][j] = fit(roles[j], types[0]) - gap(0, j)
    for i in range(1, k):
        f_i = [fit(r, types[i]) for r in roles]
        for j in range(m):
            top, arg = neg, -1
            for p in range(j + 1):
                if best[i - 1][p] == neg:
                    continue
                v = best[i - 1][p] + (-DUP.get(roles[j], 2.0) if p == j else -gap(p + 1, j))
                if v > top:
                    top, arg = v, p
            if arg >= 0:
                best[i][j] = top + f_i[j]
                back[i][j] = arg
    j = max(range(m), key=lambda c: best[k - 1][c] - gap(c + 1, m))
    out = [0] * k
    for i in range(k - 1, -1, -1):
        out[i] = j
        j = back[i][j]
    return out
