"""The label scanner (vocab.iter_labels / label_at / iter_bracket_labels) finds exactly what one big regex
alternation of every vocabulary word finds — the form it replaced because compiling it took half a second
at start-up. The regex is rebuilt here as the reference and both are run on generated lines."""
from __future__ import annotations

from functools import lru_cache

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from dutysplit import vocab
from dutysplit.vocab import (GLOSS, STATEMENT_ROLES, UNIT_ROLES, _HEADS, _PERSON_TAILS, _TAILS, _words, iter_bracket_labels,
                             iter_labels, label_at)


def word_pattern(word: str) -> str:
    """The replaced form: every character as a class of its written forms, a gloss and a space after any."""
    forms = vocab._script()[1]
    return f"(?:{GLOSS})?[ \u3000]?".join(f"[{forms[c]}]" if c in forms else regex.escape(c) for c in word)


@lru_cache(maxsize=1)
def reference():
    exact, _ = _words()
    words = sorted((w for w, r in exact.items() if r in STATEMENT_ROLES), key=len, reverse=True)
    alt = "|".join(word_pattern(w) for w in words)
    heads = "|".join(word_pattern(h) for hs in _HEADS.values() for h in hs)
    tails = "|".join(word_pattern(t) for t in _TAILS + _PERSON_TAILS)
    generic = rf"(?:{heads})\p{{Han}}{{0,4}}?(?:{tails})"
    colon = regex.compile(rf"(?P<label>{alt}|{generic})(?:{GLOSS})?[ \u3000]*[:：]")
    units = sorted((w for w, r in exact.items() if r in UNIT_ROLES), key=len, reverse=True)
    bracket = regex.compile(rf"(?P<label>{'|'.join(word_pattern(w) for w in units)})(?:{GLOSS})?[ \u3000]*(?=[(（])")
    return colon, bracket


def pieces():
    exact, _ = _words()
    words = sorted(w for w, r in exact.items() if r in STATEMENT_ROLES)
    trad = {v: k for k, v in ((chr(o), t) for o, t in vocab._script()[0].items())}
    return st.lists(st.one_of(
        st.sampled_from(words),
        st.sampled_from(words).map(lambda w: "".join(trad.get(c, c) for c in w)),  # traditional
        st.sampled_from(words).map(lambda w: w[:1] + "(zé)" + w[1:]),  # a gloss
        st.sampled_from(words).map(lambda w: " ".join(w)),  # spaced out
        st.sampled_from(["牵头", "配合", "负责", "推进", "协调", "单位", "部门", "领导", "人", "责"]),
        st.sampled_from([":", "：", " ", "\u3000", "、", ",", "(", "（", ")", "县财政局", "(fù)", "。"]),
    ), max_size=12).map("".join)


@settings(max_examples=400, deadline=None, derandomize=True)  # CI passes or fails on the code, not the draw
@given(pieces(), st.integers(0, 5))
def test_the_scanner_finds_what_the_regex_finds(text, start):
    colon, bracket = reference()
    start = min(start, len(text))
    assert [(m.start(), m.end(), m["label"]) for m in iter_labels(text, start)] == \
        [(m.start(), m.end(), m["label"]) for m in colon.finditer(text, start)]
    m, r = label_at(text), colon.match(text)
    assert (m and (m.start(), m.end(), m["label"])) == (r and (r.start(), r.end(), r["label"]))
    assert [(m.start(), m.end(), m["label"]) for m in iter_bracket_labels(text)] == \
        [(m.start(), m.end(), m["label"]) for m in bracket.finditer(text)]


def test_the_scanner_reads_every_written_form():
    for text, label in [("责任单位:县财政局", "责任单位"), ("責任單位：縣財政局", "責任單位"), ("责 任 单 位 :X", "责 任 单 位"),
                        ("責(zé)任單位:X", "責(zé)任單位"), ("牵头负责领导:张三", "牵头负责领导"),
                        ("推进工作。牵头单位:县发改局", None)]:
        m = label_at(text)
        assert (m and m["label"]) == label, text
    assert [m["label"] for m in iter_labels("推进工作。牵头单位:县发改局;配合单位:县财政局")] == ["牵头单位", "配合单位"]
    assert [(m["label"], m.end()) for m in iter_bracket_labels("甲。组长单位(县政府办)")] == [("组长单位", 6)]
