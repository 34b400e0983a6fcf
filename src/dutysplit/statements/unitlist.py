"""A list of unit names as written: `县财政局、县税务局（排位第一的为牵头单位，下同）` → two units and a note.

Separators are `、 , ， ; ；` outside brackets; a space separates two names only when both sides are whole
names (PDF extraction puts spaces inside names: `伏羲 山管委 会`); `和`/`及` join two names when the right
one is a whole name of its own (`省直各部门和各市人民政府`), not inside one body's name (`党工委和管委会`).
`等` closing a list is dropped, but a collective after it is a unit (`市财政局等有关部门`). Bracket notes
(`下同`, `为牵头单位`, a project remark) are set apart; a unit's own brackets stay (`市财政局(国资委)`).
"""
from __future__ import annotations

from functools import lru_cache

import regex

from ..data import table
from ..vocab import fold, simplify
from .model import UnitRef

OPEN = {"(": 0, "（": 0, "[": 1, "［": 1, "【": 1, "〔": 1, "“": 2, "《": 3}
CLOSE = {")": 0, "）": 0, "]": 1, "］": 1, "】": 1, "〕": 1, "”": 2, "》": 3}
SEPARATORS = "、,，;；"
_SEP_SPACES = regex.compile(r"[ \u3000]*([、,，;；])[ \u3000]*")
_SPACES = regex.compile(r"[ \u3000\t]+")
_MARKS = "*＊★☆▲"
_COLLECTIVE = ("各", "有关", "相关", "其他", "全体", "省直", "市直", "县直", "区直")
_OURS = ("我市", "我县", "我区", "我省", "本市", "本县", "本区")
_ETC_DROP = frozenset(("", "部门", "单位", "单位部门", "部门单位", "等"))
_HAN = regex.compile(r"^\p{Han}{2,4}$")
# words a name never starts with: a question, a pointer back or forward, a generic reference
_NOT_A_NAME = ("哪", "什么", "这些", "那些", "上述", "以下", "其他涉及", "所有", "本单位", "该")
_LEVEL = frozenset("省市县区州旗")
_BRACKET = regex.compile("[" + regex.escape("".join(OPEN) + "".join(CLOSE)) + "]")


def pairs(text: str) -> dict[int, int]:
    """Each opening bracket that closes → the index just past its closer. Brackets pair by family (round,
    square-like, quotes, book titles); a closer without an opener of its family is ignored, and openers left
    open inside a closed group are dropped — so `[…)]` and `(皖发〔2022 9号,…)` still pair. Linear."""
    out: dict[int, int] = {}
    stack: list[tuple[int, int]] = []  # (index, family)
    open_of = [0, 0, 0, 0]  # how many openers of each family are on the stack
    for m in _BRACKET.finditer(text):
        i, c = m.start(), m.group()
        fam = OPEN.get(c)
        if fam is not None and not (fam == 2 and open_of[2]):
            stack.append((i, fam))
            open_of[fam] += 1
            continue
        fam = CLOSE.get(c)
        if fam is None or not open_of[fam]:
            continue
        while stack:
            j, f = stack.pop()
            open_of[f] -= 1
            if f == fam:
                out[j] = i + 1
                break
    return out


@lru_cache(maxsize=16)
def _sep_pattern(seps: str) -> regex.Pattern:
    return regex.compile(f"[{regex.escape(seps)}]")


def split_top(text: str, seps: str = SEPARATORS, brackets: dict[int, int] | None = None) -> list[str]:
    """Split on separators outside brackets and quotes."""
    pr = pairs(text) if brackets is None else brackets
    if not pr:
        return _sep_pattern(seps).split(text)
    out, start, i, n = [], 0, 0, len(text)
    while i < n:
        end = pr.get(i)
        if end is not None:
            i = end
            continue
        if text[i] in seps:
            out.append(text[start:i])
            start = i + 1
        i += 1
    out.append(text[start:])
    return out


@lru_cache(maxsize=1)
def _suffixes() -> tuple[str, ...]:
    return tuple(sorted({simplify(r[0]) for r in table("unit_suffixes")}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _titles() -> tuple[str, ...]:
    return tuple(sorted({r[0] for r in table("titles")} | {"领导", "同志"}, key=len, reverse=True))


@lru_cache(maxsize=2)
def note_pattern(scope: str = "bracket") -> regex.Pattern:
    """Notes in brackets (``bracket``: every row) or in running statement text (``any`` rows only)."""
    rows = [r[0] for r in table("notes") if scope == "bracket" or (len(r) > 1 and r[1] == "any")]
    return regex.compile("|".join(rows))


def _head(f: str) -> str:
    """A folded name without its trailing bracket groups (`市财政局(国资委)` → `市财政局`)."""
    while f and f[-1] in ")）":
        depth, k = 0, len(f) - 1
        while k >= 0:
            if f[k] in ")）":
                depth += 1
            elif f[k] in "(（":
                depth -= 1
                if depth == 0:
                    break
            k -= 1
        if k <= 0:
            return f
        f = f[:k]
    return f


def unit_like(name: str) -> bool:
    """True when ``name`` reads as a whole unit name: it ends like an office, government, company or
    collective, or is a collective (`各地`, `有关部门`)."""
    f = _head(fold(name).strip("。.;；,，、“”\"'"))
    if len(f) < 2 or f[0].isdigit() and len(f) <= 3 or f.startswith(_NOT_A_NAME):
        return False
    if f.startswith(_COLLECTIVE):
        rest = f[next(len(c) for c in _COLLECTIVE if f.startswith(c)):]
        return len(rest) <= 2 or rest.endswith("地") or len(rest) <= 20 and rest.endswith(_suffixes())
    return f.endswith(_suffixes())


def is_leader_ref(piece: str) -> bool:
    """A person or a post, not a unit: `分管副省长`, `省政府分管领导同志`, `各区区长`."""
    f = fold(piece)
    return bool(f) and f.endswith(_titles())


@lru_cache(maxsize=1)
def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    rows = [simplify(r[0]) for r in table("surnames")]
    return frozenset(r for r in rows if len(r) == 1), frozenset(r for r in rows if len(r) == 2)


def person_like(piece: str) -> bool:
    """A bare personal name: a common surname and one or two characters (`伍泽国`, `钱 宇`), naming no unit."""
    f = fold(piece)
    if not _HAN.match(f) or unit_like(f):
        return False
    single, double = _surnames()
    return len(f) <= 3 and f[0] in single or len(f) in (3, 4) and f[:2] in double


def _space_pieces(piece: str) -> tuple[list[str], str]:
    """Split one separator-free piece at spaces that stand between two whole names; join the others (PDF
    damage). Returns (names, tail): the tail is what follows a whole name and is no name (a person, a
    flattened table)."""
    tokens = [t for t in _SPACES.split(piece) if t]
    if len(tokens) <= 1:
        return tokens, ""
    names: list[str] = []
    cur = tokens[0]
    for k, tok in enumerate(tokens[1:], 1):
        if len(cur) > 60:  # no name is this long: the rest is no list of names either
            names.append(cur)
            return names, " ".join(tokens[k:])
        if not unit_like(cur):
            cur += tok
        elif unit_like(tok) and len(fold(tok)) >= 2:
            names.append(cur)
            cur = tok
        elif len(fold(tok)) == 1 or _head(fold(cur + tok)).endswith(_suffixes()) and not person_like(tok):
            cur += tok
        else:
            names.append(cur)
            return names, " ".join(tokens[k:])
    names.append(cur)
    return names, ""


def _and_split(name: str) -> list[str]:
    """`省直各部门和各市人民政府` → two names; `党工委和管委会`, `发展和改革委员会` → one."""
    f = simplify(name)
    for conj in ("以及", "和", "及"):
        k = f.find(conj)
        if k <= 0:
            continue
        left, right = name[:k], name[k + len(conj):]
        if unit_like(left) and unit_like(right) and fold(right).startswith(_COLLECTIVE + tuple(_LEVEL)) \
                and len(fold(right)) > 2:
            return [left] + _and_split(right)
    return [name]


def _etc(name: str) -> list[str]:
    """`X等` → X; `X等部门` → X; `X等有关部门` → X, 有关部门."""
    f = simplify(name)
    k = f.find("等")
    if k <= 0:
        return [name]
    left, right = name[:k], name[k + 1:]
    if not unit_like(left) and fold(right) not in _ETC_DROP:
        return [name]
    if fold(right) in _ETC_DROP or not unit_like(right):
        return [left]
    return [left, right]


def clean_name(name: str) -> tuple[str, bool]:
    """(name without marks, separators and spaces, marked?)."""
    s = name.strip().strip("。.;；,，、?？ \u3000")
    marked = False
    while s and s[0] in _MARKS:
        s, marked = s[1:].lstrip(), True
    for ours in _OURS:
        if s.startswith(ours) and len(s) > len(ours) + 1:
            s = s[len(ours):]
            break
    return _SPACES.sub("", s), marked


def split_notes(text: str) -> tuple[str, list[str]]:
    """Remove top-level bracket groups that are notes (`（排位第一的为牵头单位，下同）`) from a units text."""
    pr = pairs(text)
    if not pr:
        return text, []
    notes: list[str] = []
    out: list[str] = []
    pat = note_pattern()
    i, n = 0, len(text)
    while i < n:
        end = pr.get(i)
        if end is not None:
            group = text[i:end]
            if pat.search(simplify(group[1:-1])):
                notes.append(group)
            else:
                out.append(group)
            i = end
            continue
        out.append(text[i])
        i += 1
    return "".join(out), notes


def split_units(text: str, role: str = "participant", explicit: bool = False
                ) -> tuple[list[UnitRef], list[str], list[str]]:
    """The units of a list: (units, notes, leaders). ``role``/``explicit`` are given to every unit."""
    body, notes = split_notes(_SEP_SPACES.sub(r"\1", text.strip()))
    units: list[UnitRef] = []
    leaders: list[str] = []
    seen: set[str] = set()
    pieces = split_top(body)
    k = 0
    while k < len(pieces):
        piece = pieces[k].strip()
        k += 1
        if not piece:
            continue
        # a bare level prefix (`市、县(市、区)公安交警`) stays on the name written after it
        while fold(piece) in _LEVEL and k < len(pieces):
            piece = piece + "、" + pieces[k].strip()
            k += 1
        names, tail = _space_pieces(piece)
        if tail:
            rest = "、".join([tail] + [p for p in pieces[k:] if p.strip()])
            (leaders if person_like(tail) and k >= len(pieces) else notes).append(rest)
            k = len(pieces)
        for written in names:
            for part in _and_split(written):
                for nm in _etc(part):
                    name, marked = clean_name(nm)
                    if not name or name in seen:
                        continue
                    if is_leader_ref(name) and not unit_like(name):
                        leaders.append(name)
                        continue
                    seen.add(name)
                    units.append(UnitRef(name, role, explicit, marked))
    return units, notes, leaders
