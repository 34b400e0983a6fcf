"""Statements written with verbs and in prose.

Verb style (in brackets and 部门分工 lines): sentences split on `。`; a sentence that is a note (`…,下同`,
`以下…均需…,不再单独列出`, a convention) is set apart; the others split into segments on `， , ； ;`, each
`units + verb` (`省科技厅牵头`, `市工信委、城乡建设局配合`, `国务院各部门分别负责`). Units written without a
verb take the role of the next lead/units verb (`市商务局,各县区按职责分工负责`). Persons and posts
(`分管副省长、协管副秘书长负责`) are leaders, never units.

Prose (a sentence of running text): `由X牵头,Y配合`, `由X负责的…`, `由X提出…,Y制定…`, `X为责任单位,Y协办`,
`牵头责任部门为X`, `上述项目由X牵头负责` (covers the tasks before it), `X、Y将负责…`; a duty clause that
names its unit first (`14.市卫生局:负责…`); and a report that names tasks by number (`由X负责的第1件`).
"""
from __future__ import annotations

from functools import lru_cache

import regex

from ..data import table
from ..vocab import KeyPattern, fold, simplify, word_pattern
from .model import Statement, UnitRef
from .unitlist import is_leader_ref, note_pattern, pairs, split_notes, split_top, split_units, unit_like

_ROLE = {"lead": ("lead", True), "each-leads": ("lead", True), "units": ("participant", False),
         "support": ("support", True)}
_DEADLINE = regex.compile(r"(年内|年底|底前|月底|季度|持续推进|长期坚持|长期|全年|完成时限|\d{4}年\d{1,2}月)")
_DOC_REF = regex.compile(r"^\p{Han}{1,8}[〔\[［(（]?\s*\d{4}|^\p{Han}{1,8}\d{4,}")
_NUMS = regex.compile(r"\d{1,4}")
_ETC_TAIL = KeyPattern(word_pattern("等") + "(?:" + word_pattern("部门") + "|" + word_pattern("单位") + ")?")
# words that may follow the units of a prose statement (the predicate): verbs, prepositions
_PREDICATE = ("负责", "牵头", "配合", "协办", "协助", "参与", "提出", "在", "制定", "组织", "会同", "对", "做好",
              "将", "还将", "进行", "统筹", "开展", "完成", "承担", "具体", "抓好", "指导", "推进", "协调", "共同",
              "分别", "按", "落实", "实施", "主办", "主抓", "研究", "编制", "建立", "加快", "加强", "督促")
_POSTS = regex.compile(r"^(?:[副正]?(?:主任|局长|处长|科长|部长|组长|队长|主席|书记|院长|所长|站长|校长|行长|经理|"
                       r"秘书长|纪检组长|党组书记|董事长)|任组长|任副组长)")


@lru_cache(maxsize=1)
def _verbs() -> tuple[KeyPattern, dict[str, str]]:
    """One alternation of every verb (longest first); group ``v<k>`` → the verb's role."""
    rows = sorted(table("verbs"), key=lambda r: -len(r[0]))
    alt = "|".join(f"(?P<v{k}>{word_pattern(v)})" for k, (v, _) in enumerate(rows))
    # `牵头单位`, `负责人`: nouns, not verbs
    noun = "|".join(word_pattern(w) for w in ("单位", "部门", "责任", "领导", "科室", "处室", "人", "同志"))
    return KeyPattern(f"(?:{alt})(?!{noun})"), {f"v{k}": role for k, (_, role) in enumerate(rows)}


def _verb_role(m: regex.Match) -> str:
    return _verbs()[1][m.lastgroup]


@lru_cache(maxsize=1)
def _conventions() -> tuple[tuple[str, regex.Pattern], ...]:
    return tuple((rule, regex.compile(p)) for rule, p in table("conventions"))


def convention_of(text: str) -> str | None:
    s = simplify(text)
    for rule, pat in _conventions():
        if pat.search(s):
            return rule
    return None


def is_note(text: str) -> bool:
    s = simplify(text)
    return bool(note_pattern("any").search(s)) or convention_of(s) is not None or "除" in s and "外" in s


def _note(st: Statement, text: str) -> None:
    st.notes.append(text)
    rule = convention_of(text)
    if rule and st.convention is None:
        st.convention = (rule, text)
    s = simplify(text)
    if "以下" in s and ("均" in s or "不再" in s):
        st.scope = st.scope if st.units else "document"


def _match_verb(seg: str) -> tuple[str, str, str] | None:
    """(subject, verb role, rest) when the segment is units (or leaders) + a verb (outside brackets)."""
    pat, _ = _verbs()
    pr = pairs(seg)
    closes = sorted(pr.items())
    for m in pat.finditer(seg):
        if any(a < m.start() < b for a, b in closes):
            continue
        subject = seg[:m.start()].strip()
        if not subject:
            continue
        f = fold(subject)
        if unit_like(subject) or unit_like(f.rstrip("等")) or is_leader_ref(subject) or _all_leaders(subject):
            return subject, _verb_role(m), seg[m.end():].strip()
        # `省人事厅配合省委有关部门落实`: the assisted units lead
        return None
    return None


_TOGETHER = KeyPattern(word_pattern("会同"))


def _together(seg: str) -> list[UnitRef] | None:
    """`市经委会同有关部门和各县区组织落实`: the units before 会同 (listed first: they lead by the convention),
    then those it works with."""
    m = _TOGETHER.search(seg)
    if not m or not unit_like(seg[:m.start()]):
        return None
    names, _ = scan_units(seg, m.end())
    units = split_units(seg[:m.start()])[0]
    for nm in names:
        units.extend(split_units(nm)[0])
    return units


def _all_leaders(text: str) -> bool:
    pieces = [p for p in split_top(text) if p.strip()]
    return bool(pieces) and all(is_leader_ref(p) for p in pieces)


def _add(st: Statement, units: list[UnitRef]) -> None:
    seen = {u.name: u for u in st.units}
    for u in units:
        old = seen.get(u.name)
        if old is None:
            st.units.append(u)
            seen[u.name] = u
        elif u.role == "lead" and old.role != "lead":
            old.role, old.explicit = "lead", True


def read_verbal(text: str, default_role: str = "units", rule: str = "verb", *, need_verb: bool = True,
                trust: bool = False) -> Statement | None:
    """A verb-style statement; None when nothing in it names units (with a verb, when ``need_verb``).
    ``trust``: every segment without a verb is a list of units (a label's body), even compressed names."""
    st = Statement(rule, raw=text)
    pending: list[UnitRef] = []
    verbed = False
    for sentence in split_top(text, "。"):
        sentence = sentence.strip()
        if not sentence:
            continue
        if (verbed or st.units or pending) and is_note(sentence):
            _note(st, sentence)
            continue
        for seg in split_top(sentence, ",，;；"):
            seg, bnotes = split_notes(seg.strip().strip("。."))
            for nt in bnotes:
                _note(st, nt)
            seg = seg.strip()
            if not seg:
                continue
            met = _together(seg)
            if met is not None:
                _add(st, pending + met)
                pending = []
                verbed = True
                continue
            m = _match_verb(seg)
            if m is not None:
                subject, vrole, _rest = m
                if _all_leaders(subject):
                    st.leaders.extend(p.strip() for p in split_top(subject) if p.strip())
                    continue
                role, explicit = _ROLE[vrole]
                if "配合" in simplify(seg) and vrole == "support":
                    helper = _assisted(seg)
                    if helper is not None:
                        _add(st, split_units(helper[0], "support", True)[0] + split_units(helper[1], "lead", True)[0])
                        verbed = True
                        continue
                units, notes, leaders = split_units(subject, role, explicit)
                st.leaders.extend(leaders)
                st.notes.extend(notes)
                if vrole in ("units", "lead", "each-leads"):
                    for u in pending:
                        u.role, u.explicit = role, explicit
                _add(st, pending + units)
                pending = []
                verbed = verbed or bool(units)
                continue
            if is_note(seg):
                _note(st, seg)
                continue
            if _DOC_REF.match(simplify(seg)) and not unit_like(seg):
                st.notes.append(seg)
                continue
            if _DEADLINE.search(seg) and not unit_like(seg):
                st.fields.append(("", "deadline", seg))
                continue
            units, notes, leaders = split_units(seg, *_default(default_role))
            if units and (trust or unit_like(units[0].name)):
                pending.extend(units)
                st.notes.extend(notes)
                st.leaders.extend(leaders)
            elif leaders and not units:
                st.leaders.extend(leaders)
            else:
                st.notes.append(seg)
    _add(st, pending)
    if need_verb and not verbed:
        return None
    if not st.units and not st.leaders:
        return None
    _against_support(st)
    return st


def _default(role: str) -> tuple[str, bool]:
    if role == "lead":
        return "lead", True
    if role == "support":
        return "support", True
    return "participant", False


def _against_support(st: Statement) -> None:
    """`A、B负责,C配合`: with no lead said, the units set against the supporting ones lead."""
    if any(u.role == "lead" for u in st.units):
        return
    if any(u.role == "support" and u.explicit for u in st.units):
        for u in st.units:
            if u.role == "participant":
                u.role, u.explicit = "lead", True


_ASSIST = KeyPattern(r"^(?P<a>.+?)" + word_pattern("配合") + r"(?P<b>.+?)(?:" +
                     "|".join(word_pattern(v) for v in ("落实", "做好", "开展", "推进", "实施")) + r").*$")


def _assisted(seg: str) -> tuple[str, str] | None:
    """`省人事厅配合省委有关部门落实` → (省人事厅, 省委有关部门)."""
    m = _ASSIST.match(seg)
    if m and unit_like(m["a"]) and unit_like(m["b"]):
        return m["a"], m["b"]
    return None


# --------------------------------------------------------------------------------------------- prose

_SUFFIX_ENDS: frozenset[str] | None = None


def _suffix_ends() -> frozenset[str]:
    global _SUFFIX_ENDS
    if _SUFFIX_ENDS is None:
        from .unitlist import _suffixes

        chars = {s[-1] for s in _suffixes()} | {"门", "地"}
        from ..vocab import _script

        forms = _script()[1]
        _SUFFIX_ENDS = frozenset(c2 for c in chars for c2 in forms.get(c, c))
    return _SUFFIX_ENDS


def scan_units(text: str, start: int, stops: tuple[str, ...] = _PREDICATE, max_name: int = 30
               ) -> tuple[list[str], int]:
    """Unit names from ``start`` to where the predicate begins: (names as written, end index). Each name is
    the shortest run ending like a unit that is followed by a separator (`、`) or a predicate word."""
    names: list[str] = []
    i, n = start, len(text)
    ends = _suffix_ends()
    while i < n:
        found = -1
        for k in range(i + 2, min(n, i + max_name) + 1):
            if text[k - 1] not in ends and text[k - 1] not in ")）":
                continue
            name = text[i:k]
            if not unit_like(name):
                continue
            rest = fold(text[k:k + 12])
            if rest[:1] in "、,，" or rest.startswith(stops) or rest.startswith("等") or k == n:
                found = k
                break
        if found < 0:
            break
        names.append(text[i:found])
        i = found
        m = _ETC_TAIL.match(text, i)
        if m:
            i = m.end()
        if i < n and text[i] == "、":
            i += 1
            continue
        break
    return names, i


def _units_of(names: list[str], role: str, explicit: bool) -> list[UnitRef]:
    out: list[UnitRef] = []
    for nm in names:
        out.extend(split_units(nm, role, explicit)[0])
    return out


_WEI = KeyPattern("^(?P<units>.+?)" + word_pattern("为") + r"(?P<kind>" + "|".join(word_pattern(w) for w in (
    "牵头责任单位", "牵头单位", "主办单位", "责任单位", "牵头部门", "责任部门")) + ")")
_WEI_AFTER = KeyPattern("(?P<kind>" + "|".join(word_pattern(w) for w in (
    "牵头责任部门", "牵头责任单位", "牵头单位", "牵头部门", "责任单位", "责任部门", "主办单位")) + ")" +
    word_pattern("为") + r"(?P<units>.+)$")
_YOU = KeyPattern(word_pattern("由"))
_ABOVE = KeyPattern("^" + word_pattern("上述"))
_SUPPORT_VERBS = ("配合", "协办", "协助", "参与", "协同")


def _prose_start(seg: str) -> Statement | None:
    """A segment that opens a prose statement."""
    s = simplify(seg)
    for m in _YOU.finditer(seg):
        names, end = scan_units(seg, m.end())
        if not names:
            continue
        rest = fold(seg[end:])
        if _POSTS.match(rest) or not rest.startswith(_PREDICATE) or rest.startswith(("负责人", "负责同志")):
            continue
        role, explicit = ("lead", True) if rest.startswith(("牵头", "主办", "主抓")) else ("participant", False)
        if rest.startswith(("分别牵头", "分别负责")):
            role, explicit = "lead", True
        st = Statement("prose", raw=seg)
        st.units = _units_of(names, role, explicit)
        if _ABOVE.match(s):
            st.scope = "preceding"
        return st if st.units else None
    m = _WEI.match(seg)
    if m and unit_like(m["units"].strip()) or m and _all_units(m["units"]):
        kind = fold(m["kind"])
        role, explicit = ("lead", True) if kind.startswith(("牵头", "主办")) else ("participant", False)
        st = Statement("prose", raw=seg)
        st.units = split_units(m["units"], role, explicit)[0]
        return st if st.units else None
    m = _WEI_AFTER.search(seg)
    if m and _all_units(m["units"]):
        kind = fold(m["kind"])
        role, explicit = ("lead", True) if kind.startswith(("牵头", "主办")) else ("participant", False)
        st = Statement("prose", raw=seg)
        st.units = split_units(m["units"], role, explicit)[0]
        return st if st.units else None
    return None


def _all_units(text: str) -> bool:
    pieces = [p for p in split_top(text.strip().strip("。")) if p.strip()]
    return bool(pieces) and unit_like(pieces[0]) and all(unit_like(p) or len(fold(p)) <= 6 for p in pieces)


def _subject(seg: str, verbs: tuple[str, ...]) -> tuple[list[str], str] | None:
    """Units at the start of a segment followed by one of ``verbs`` (after 将/还将/要 and 等部门)."""
    names, end = scan_units(seg, 0)
    if not names:
        return None
    rest = fold(seg[end:])
    for aux in ("还将", "将", "要", "也"):
        if rest.startswith(aux):
            rest = rest[len(aux):]
            break
    if rest.startswith(("负责人", "负责同志")):
        return None  # the person in charge of a unit, not the unit's duty
    for v in verbs:
        if rest.startswith(v):
            return names, v
    return None


def read_prose(text: str) -> list[Statement]:
    """Every prose statement of a paragraph, in order (one per `由…`, `…为责任单位`, `…将负责` sentence)."""
    out: list[Statement] = []
    for sentence in split_top(text, "。;；!！?？"):
        cur: Statement | None = None
        for seg in split_top(sentence, ",，"):
            seg = seg.strip()
            if not seg:
                continue
            st = _prose_start(seg)
            if st is not None:
                out.append(st)
                cur = st
                continue
            if cur is not None:
                sub = _subject(seg, _SUPPORT_VERBS)
                if sub is not None:
                    _add(cur, _units_of(sub[0], "support", True))
                    continue
                sub = _subject(seg, _PREDICATE)
                if sub is not None and cur.units:
                    _add(cur, _units_of(sub[0], "participant", False))
                continue
            sub = _subject(seg, ("负责", "牵头"))
            if sub is not None:
                role, explicit = ("lead", True) if sub[1] == "牵头" else ("participant", False)
                cur = Statement("prose", raw=seg, units=_units_of(sub[0], role, explicit))
                out.append(cur)
    for st in out:
        if not _WEI.match(st.raw) and not _WEI_AFTER.search(st.raw):
            _against_support(st)  # `由A负责,B配合`; not `A为责任单位,B协办` (a label in prose: the first leads)
    return out


_DUTY = regex.compile(r"^(?P<unit>[^:：，,。;；、]{2,30})[:：]")


def duty_clause(body: str) -> Statement | None:
    """`市卫生局:负责…` — a duty clause that names its unit first; None otherwise."""
    m = _DUTY.match(body)
    if not m or not unit_like(m["unit"]):
        return None
    from ..vocab import role_of

    if role_of(m["unit"]) is not None:
        return None  # a label (`责任单位:`), not a unit
    st = Statement("duty", raw=m.group())
    st.units = split_units(m["unit"], "lead", True)[0]
    return st if st.units else None


_NTH = regex.compile(r"第(?P<nums>\d{1,4}(?:[、,，和及]\d{1,4})*)(?:件|项|条)")


def referenced_items(text: str) -> list[tuple[list[int], Statement]]:
    """`由县民政局负责的第1件、县卫健局负责的第17、18件` → ([1], 县民政局), ([17, 18], 县卫健局)."""
    out: list[tuple[list[int], Statement]] = []
    s = text
    pos = 0
    for m in _NTH.finditer(s):
        before = s[pos:m.start()]
        pos = m.end()
        b = simplify(before)
        if not b.endswith("负责的"):
            continue
        head = before[: len(before) - 3]
        head = head.split("由")[-1] if "由" in head else head
        names = [p for p in split_top(head) if p.strip()]
        if not names:
            continue
        unit = names[-1].strip()
        if not unit_like(unit):
            continue
        st = Statement("referenced", raw=before + m.group(), units=split_units(unit)[0])
        out.append(([int(x) for x in _NUMS.findall(m["nums"])], st))
    return out
