"""The one vocabulary of label words and column names (``data/vocab.tsv``), in both scripts.

``fold`` turns a written form into the form the tables use: traditional characters to simplified
(``data/script.tsv``), pinyin glosses left by converters (``責(zé)任``) and white space removed. Names are
never rewritten with it; it is only used to *match* words. ``label_pattern`` finds a label word in running
text, written in either script, spaced out or glossed, without folding the text first, so that every match
keeps its span in the original.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from .data import table

ROLES = ("number", "task", "units", "lead", "support", "leader", "division", "deadline", "status", "target",
         "category", "other")
# roles whose words open a statement of who is responsible, or a field of the task (never a task column)
STATEMENT_ROLES = frozenset(("units", "lead", "support", "leader", "division", "deadline", "status", "target",
                             "other"))
UNIT_ROLES = frozenset(("units", "lead", "support"))

# a pinyin gloss a converter put after a character: `責(zé)`, `發(fā)`
GLOSS = r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[)）]"
_GLOSS_RE = regex.compile(GLOSS)
_WS = regex.compile(r"[\s\u3000]+")


@lru_cache(maxsize=1)
def _script() -> tuple[dict[int, str], dict[str, str]]:
    """(translate table traditional → simplified, simplified → all its written forms as a class body)."""
    trans: dict[int, str] = {}
    forms: dict[str, str] = {}
    for trad, simp in table("script"):
        trans[ord(trad)] = simp
        forms[simp] = forms.get(simp, simp) + trad
    return trans, forms


def simplify(s: str) -> str:
    """Traditional characters of the rule tables → simplified (no other change)."""
    return s.translate(_script()[0])


def fold(s: str) -> str:
    """The matching form of ``s``: simplified, without pinyin glosses, white space or stray ``?``."""
    if "(" in s or "（" in s:
        s = _GLOSS_RE.sub("", s)
    return _WS.sub("", simplify(s)).replace("?", "")


def char_class(c: str) -> str:
    """A regex for one character in either script (``责`` → ``[责責]``)."""
    forms = _script()[1].get(c)
    return f"[{forms}]" if forms else regex.escape(c)


def word_pattern(word: str, *, spaced: bool = True, glossed: bool = True) -> str:
    """A regex for ``word`` in either script, optionally with single spaces between its characters and a
    pinyin gloss after any character."""
    sep = ""
    if glossed:
        sep += f"(?:{GLOSS})?"
    if spaced:
        sep += r"[ \u3000]?"
    return sep.join(char_class(c) for c in word)


@lru_cache(maxsize=1)
def _words() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    exact: dict[str, str] = {}
    suffix: list[tuple[str, str]] = []
    for row in table("vocab"):
        word, role = row[0], row[1]
        if role not in ROLES:
            raise ValueError(f"data/vocab.tsv: unknown role {role!r} for {word!r}")
        if len(row) > 2 and row[2] == "suffix":
            suffix.append((word, role))
        else:
            exact.setdefault(word, role)
    suffix.sort(key=lambda p: -len(p[0]))
    return exact, tuple(suffix)


_TRAIL_NOTE = regex.compile(r"[(（][^()（）]{1,16}[)）]$")


def role_of(word: str) -> str | None:
    """The role of a label or column name as written (either script, spaced, glossed, with a bracketed
    remark: `进展情况(一季度)`); None if unknown."""
    w = fold(word).rstrip(":：|｜")
    if not w:
        return None
    if w[-1] in ")）":
        bare = _TRAIL_NOTE.sub("", w)
        if bare and bare != w:
            return role_of(bare)
    exact, suffix = _words()
    role = exact.get(w)
    if role is not None:
        return role
    for s, r in suffix:
        if len(w) > len(s) and w.endswith(s) and len(w) <= len(s) + 12:
            return r
    return _composed(w)


_HEADS = {"lead": ("牵头", "主办", "主责", "组长"), "support": ("配合", "协同", "协办", "协助", "参与", "协作"),
          "units": ("责任", "负责", "承办", "实施", "落实")}
_TAILS = ("单位", "部门", "科室", "处室")
_PERSON_TAILS = ("领导", "负责人", "责任人")


def _composed(w: str) -> str | None:
    """A label word not in the table but built like one (`牵头负责领导`, `协同责任单位`): the tail says a
    person or units, the head says which role."""
    if len(w) > 10:
        return None
    if w.endswith(_PERSON_TAILS) and any(h in w for hs in _HEADS.values() for h in hs) | w.startswith("分管"):
        return "leader"
    if w.endswith(_TAILS):
        for role in ("lead", "support", "units"):
            if any(w.startswith(h) or h in w[:-2] for h in _HEADS[role]):
                return role
    return None


def is_word(text: str) -> bool:
    """True when ``text`` is exactly a vocabulary word (a header cell, a label on its own)."""
    return fold(text).rstrip(":：|｜") in _words()[0]


@lru_cache(maxsize=1)
def label_pattern() -> regex.Pattern:
    """A label word of a statement role followed by its colon: group ``label`` is the word as written."""
    exact, _ = _words()
    words = sorted((w for w, r in exact.items() if r in STATEMENT_ROLES), key=len, reverse=True)
    alt = "|".join(word_pattern(w) for w in words)
    # labels built like the table's words (`牵头负责领导`, `协同推进单位`): role_of reads them by their parts
    heads = "|".join(word_pattern(h) for hs in _HEADS.values() for h in hs)
    tails = "|".join(word_pattern(t) for t in _TAILS + _PERSON_TAILS)
    generic = rf"(?:{heads})\p{{Han}}{{0,4}}?(?:{tails})"
    return regex.compile(rf"(?P<label>{alt}|{generic})(?:{GLOSS})?[ \u3000]*[:：]")


@lru_cache(maxsize=1)
def bracket_label_pattern() -> regex.Pattern:
    """A unit label followed directly by its bracketed value: `组长单位(县政府办)`."""
    exact, _ = _words()
    words = sorted((w for w, r in exact.items() if r in UNIT_ROLES), key=len, reverse=True)
    alt = "|".join(word_pattern(w) for w in words)
    return regex.compile(rf"(?P<label>{alt})(?:{GLOSS})?[ \u3000]*(?=[(（])")


@lru_cache(maxsize=1)
def first_chars() -> frozenset[str]:
    """Every written form of the first character of a statement label (a fast pre-check)."""
    exact, _ = _words()
    forms = _script()[1]
    out: set[str] = set()
    for w, r in exact.items():
        if r in STATEMENT_ROLES:
            out.update(forms.get(w[0], w[0]))
    return frozenset(out)
