"""The one vocabulary of label words and column names (``data/vocab.tsv``), in both scripts.

``fold`` turns a written form into the form the tables use: traditional characters to simplified
(``data/script.tsv``), pinyin glosses left by converters (``責(zé)任``) and white space removed. Names are
never rewritten with it; it is only used to *match* words. ``iter_labels`` / ``label_at`` find a label
word in running text, written in either script, spaced out or glossed, without folding the text first, so
that every match keeps its span in the original.
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
    """The matching form of ``s``: simplified, without pinyin glosses, white space or stray ``?``.
    (Short strings — names, labels — are remembered: the same ones are folded again and again.)"""
    return _fold_short(s) if len(s) <= 64 else _fold(s)


def _fold(s: str) -> str:
    if "(" in s or "（" in s:
        s = _GLOSS_RE.sub("", s)
    return "".join(s.translate(_script()[0]).split()).replace("?", "")


_fold_short = lru_cache(maxsize=1 << 14)(_fold)


FILL = "\x01"  # a gloss blanked out in a key text (same length, so spans are the original's)


def key(s: str) -> str:
    """The matching form of ``s`` that keeps every position: simplified characters, each pinyin gloss
    replaced by as many ``FILL`` characters. Patterns built by :func:`word_pattern` match it; the spans
    they find slice the original text."""
    s = s.translate(_script()[0])
    if "(" in s or "（" in s:
        s = _GLOSS_RE.sub(lambda m: FILL * len(m.group()), s)
    return s


def word_pattern(word: str, *, spaced: bool = False) -> str:
    """A regex for ``word`` (simplified) in a :func:`key` text: a blanked gloss may follow any character,
    and with ``spaced`` a single space too."""
    sep = FILL + "*" + (r"[ \u3000]?" if spaced else "")
    return sep.join(regex.escape(c) for c in word)


class KeyMatch:
    """A match found in the key text, read in the original: ``m["units"]`` slices the text as written."""

    __slots__ = ("m", "text")

    def __init__(self, m, text: str):
        self.m, self.text = m, text

    def __getitem__(self, group):
        a, b = self.m.span(group)
        return None if a < 0 else self.text[a:b]

    group = __getitem__

    def start(self, group=0) -> int:
        return self.m.start(group)

    def end(self, group=0) -> int:
        return self.m.end(group)

    def span(self, group=0) -> tuple[int, int]:
        return self.m.span(group)

    @property
    def lastgroup(self):
        return self.m.lastgroup


class KeyPattern:
    """A pattern over the :func:`key` form of a text, compiled on first use; its matches read the text as
    written (either script, glossed). ``source`` is a string or a function that builds it."""

    __slots__ = ("source", "_p")

    def __init__(self, source):
        self.source, self._p = source, None

    def _pattern(self) -> regex.Pattern:
        if self._p is None:
            self._p = regex.compile(self.source() if callable(self.source) else self.source)
        return self._p

    def match(self, text: str, pos: int = 0) -> KeyMatch | None:
        m = self._pattern().match(key(text), pos)
        return None if m is None else KeyMatch(m, text)

    def search(self, text: str, pos: int = 0) -> KeyMatch | None:
        m = self._pattern().search(key(text), pos)
        return None if m is None else KeyMatch(m, text)

    def finditer(self, text: str, pos: int = 0):
        for m in self._pattern().finditer(key(text), pos):
            yield KeyMatch(m, text)


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


# ----------------------------------------------------------------------------------- label scanner
# A label is a vocabulary word (in either script, spaced out or glossed) right before its colon
# (`责任单位:`), or a unit word right before a bracket (`组长单位(县政府办)`). It is found from the colon
# backwards, with the same table ``role_of`` reads: no alternation of every word to compile (that cost
# half a second at start-up), and a word can only end at the colon nearest after it, so each colon is
# looked at once. Linear in the text.

_LATIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ")
_SPACE = " \u3000"
_COLON = regex.compile(r"[:：]")
_OPENER = regex.compile(r"[(（]")


class LabelMatch:
    """A label found in a text; shaped like a regex match (``start()``, ``end()``, ``m["label"]``)."""

    __slots__ = ("_start", "_end", "label")

    def __init__(self, start: int, end: int, label: str):
        self._start, self._end, self.label = start, end, label

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def __getitem__(self, name: str) -> str:
        if name != "label":
            raise IndexError(name)
        return self.label

    group = __getitem__

    def groupdict(self) -> dict[str, str]:
        return {"label": self.label}


@lru_cache(maxsize=2)
def _label_words(roles: frozenset[str]) -> tuple[frozenset[str], int, frozenset[str]]:
    """(the words, the longest's length, every character a word (or a built label) can end with)."""
    exact, _ = _words()
    words = frozenset(w for w, r in exact.items() if r in roles)
    ends = {w[-1] for w in words} | {t[-1] for t in _TAILS + _PERSON_TAILS}
    return words, max(map(len, words)), frozenset(ends)


@lru_cache(maxsize=1)
def _generic_parts() -> tuple[frozenset[str], frozenset[int], frozenset[str], frozenset[int]]:
    heads = frozenset(h for hs in _HEADS.values() for h in hs)
    tails = frozenset(_TAILS + _PERSON_TAILS)
    return heads, frozenset(map(len, heads)), tails, frozenset(map(len, tails))


def _is_han(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or c >= "\U00020000"


def _generic(w: str, gaps: list[int]) -> bool:
    """Built like a label word: a head, at most four characters, a tail (`牵头负责领导`, `协同推进单位`);
    ``gaps``: the places (between ``w[b-1]`` and ``w[b]``) where a space or a gloss was passed over — only
    inside the head or the tail."""
    heads, head_lens, tails, tail_lens = _generic_parts()
    n = len(w)
    for hl in head_lens:
        if w[:hl] in heads:
            for tl in tail_lens:
                if 0 <= n - hl - tl <= 4 and w[n - tl:] in tails and all(_is_han(c) for c in w[hl:n - tl]) \
                        and not any(hl <= b <= n - tl for b in gaps):
                    return True
    return False


def _skip_gloss(text: str, j: int, lo: int) -> int:
    """``j`` moved before a pinyin gloss that ends at ``j`` (`責(zé)`), else ``j``."""
    if j - lo < 3 or text[j - 1] not in ")）":
        return j
    k = j - 2
    while k >= lo and j - 2 - k < 7 and text[k] in _LATIN:
        k -= 1
    return k if k >= lo and k < j - 2 and text[k] in "(（" else j


def _word_before(text: str, e: int, lo: int, words: frozenset[str], longest: int, ends: frozenset[str],
                 generic: bool):
    """(start, end) of the longest vocabulary word ending right before ``e`` (spaces and a gloss between
    the word and ``e`` allowed), starting at or after ``lo``; None if there is none."""
    trans = _script()[0]
    j = e
    while j > lo and text[j - 1] in _SPACE:
        j -= 1
    j = _skip_gloss(text, j, lo)
    if j <= lo or trans.get(ord(text[j - 1]), text[j - 1]) not in ends:
        return None  # most colons: the character before cannot end a label
    end = j
    buf: list[str] = []
    starts: list[int] = []
    gap_at: list[int] = []  # a gap (space, gloss) passed over after the n-th last character
    while j > lo and len(buf) < longest:
        c = text[j - 1]
        if c in _SPACE or c in ":：":
            break
        buf.append(trans.get(ord(c), c))
        j -= 1
        starts.append(j)
        # between two characters of a word: one gloss after the first, then one space
        k = j - 1 if j > lo and text[j - 1] in _SPACE else j
        k2 = _skip_gloss(text, k, lo)
        if k2 != j:
            gap_at.append(len(buf))
        j = k2
    fwd = "".join(reversed(buf))
    n = len(fwd)
    for size in range(n, 0, -1):  # the longest word first: the leftmost start, as a regex would find
        w = fwd[n - size:]
        if w in words or generic and size >= 4 and _generic(w, [size - g for g in gap_at if g < size]):
            return starts[size - 1], end
    return None


def iter_labels(text: str, start: int = 0):
    """Every statement label followed by its colon, left to right, not overlapping (like ``finditer``)."""
    words, longest, ends = _label_words(STATEMENT_ROLES)
    lo = start
    for m in _COLON.finditer(text, start):
        found = _word_before(text, m.start(), lo, words, longest, ends, True)
        if found is not None:
            yield LabelMatch(found[0], m.end(), text[found[0]:found[1]])
            lo = m.end()


def label_at(text: str, pos: int = 0) -> LabelMatch | None:
    """The statement label that starts ``text`` (at ``pos``) and runs to its colon, or None."""
    m = _COLON.search(text, pos)
    if m is None:
        return None
    words, longest, ends = _label_words(STATEMENT_ROLES)
    found = _word_before(text, m.start(), pos, words, longest, ends, True)
    return LabelMatch(pos, m.end(), text[pos:found[1]]) if found is not None and found[0] == pos else None


def iter_bracket_labels(text: str, start: int = 0):
    """Every unit label followed directly by its bracketed value (`组长单位(县政府办)`); ``end()`` is the
    bracket's index."""
    words, longest, ends = _label_words(UNIT_ROLES)
    lo = start
    for m in _OPENER.finditer(text, start):
        if m.start() < lo:
            continue
        found = _word_before(text, m.start(), lo, words, longest, ends, False)
        if found is not None:
            end = _past_gloss(text, m.start())
            yield LabelMatch(found[0], end, text[found[0]:found[1]])
            lo = end


def bracket_label_at(text: str, pos: int = 0) -> LabelMatch | None:
    m = _OPENER.search(text, pos)
    if m is None:
        return None
    words, longest, ends = _label_words(UNIT_ROLES)
    found = _word_before(text, m.start(), pos, words, longest, ends, False)
    if found is None or found[0] != pos:
        return None
    return LabelMatch(pos, _past_gloss(text, m.start()), text[pos:found[1]])


def _past_gloss(text: str, p: int) -> int:
    """The bracket a label's value opens with: the one at ``p``, or — when that one is a gloss on the
    label's last character (`单位(wèi)(县政府办)`) — the one after it."""
    q = p + 1
    while q < len(text) and q - p <= 7 and text[q] in _LATIN:
        q += 1
    if q == p + 1 or q >= len(text) or text[q] not in ")）":
        return p
    r = q + 1
    while r < len(text) and text[r] in _SPACE:
        r += 1
    return r if r < len(text) and text[r] in "(（" else p


class LabelRule:
    """The lexer's `label` rule: a line that starts with a label (colon or bracket form)."""

    pattern = "statement label (vocab.tsv) + colon, or unit label + bracket"

    def match(self, text: str) -> LabelMatch | None:
        return label_at(text) or bracket_label_at(text)

    search = match
