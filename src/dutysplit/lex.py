"""Stage 3: give each cleaned line a role.

Like mistune's block parser: a table of named rules in priority order (a :class:`Ruler`, shaped after
markdown-it-py's); the first enabled rule whose pattern matches the line gives its role. A rule can be
placed before or after another and enabled or disabled by name. Lexing is context-free: the parser decides,
from the running sequence, whether a `9.` line really opens task 9.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .clean import Line
from .data import spaced_alternation, table

CN_DIGITS = "〇零一二三四五六七八九十百两"
_NUM = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零三 → 103; None when not a numeral."""
    if not s or any(c not in CN_DIGITS for c in s):
        return None
    total, cur = 0, 0
    for c in s:
        if c == "百":
            total += (cur or 1) * 100
            cur = 0
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        else:
            cur = _NUM[c]
    return total + cur


@dataclass(slots=True)
class Token:
    role: str
    line: Line
    groups: dict = field(default_factory=dict)

    @property
    def no(self) -> int:
        return self.line.no

    @property
    def text(self) -> str:
        return self.line.text


@dataclass(slots=True)
class Rule:
    name: str
    pattern: regex.Pattern
    search: bool = False  # searched anywhere in the line instead of matched at its start
    enabled: bool = True


class Ruler:
    """Named rules in priority order: ``before``/``after`` place a rule, ``enable``/``disable`` switch rules
    by name, ``rules()`` lists the enabled ones."""

    def __init__(self, rules: list[Rule] | None = None):
        self._rules: list[Rule] = list(rules or [])

    def names(self) -> list[str]:
        return [r.name for r in self._rules]

    def _index(self, name: str) -> int:
        for k, r in enumerate(self._rules):
            if r.name == name:
                return k
        raise KeyError(f"no rule named {name!r}")

    def push(self, rule: Rule) -> None:
        self._rules.append(rule)

    def before(self, name: str, rule: Rule) -> None:
        self._rules.insert(self._index(name), rule)

    def after(self, name: str, rule: Rule) -> None:
        self._rules.insert(self._index(name) + 1, rule)

    def enable(self, names) -> None:
        for n in [names] if isinstance(names, str) else names:
            self._rules[self._index(n)].enabled = True

    def disable(self, names) -> None:
        for n in [names] if isinstance(names, str) else names:
            self._rules[self._index(n)].enabled = False

    def rules(self) -> list[Rule]:
        return [r for r in self._rules if r.enabled]


CIRCLED = {chr(0x2474 + k): k + 1 for k in range(20)}  # ⑴ … ⒇


def default_ruler() -> Ruler:
    from .vocab import LabelRule

    meta_keys = spaced_alternation("meta_keys")
    list_titles = "|".join(r[0] for r in table("list_titles"))
    circled = "".join(CIRCLED)
    return Ruler([
        Rule("meta_bullet", regex.compile(r"^[•·●▪◆■]\s*(?P<key>[^:：]{1,12}?)\s*[:：]\s*(?P<value>.*)$")),
        Rule("meta_kv", regex.compile(rf"^(?P<key>{meta_keys.pattern})(?:\s*[:：]\s*|\s+)(?P<value>.*)$")),
        Rule("label", LabelRule()),
        Rule("section", regex.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})\s*[、．.]\s*(?P<title>\S.*)$")),
        Rule("subsection", regex.compile(r"^[(（]\s*(?P<num>[一二三四五六七八九十]{1,3})\s*[)）]\s*(?P<title>.*)$")),
        Rule("attachment", regex.compile(r"^附\s*件\s*(?:[:：]\s*|$|\d)(?P<body>.*)$")),
        Rule("cc", regex.compile(r"^抄\s*送\s*[:：]\s*(?P<body>.*)$")),
        Rule("printed", regex.compile(
            r"^(?P<org>.{0,40}?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发$")),
        Rule("public_note", regex.compile(r"^[(（]\s*此件.{0,10}[)）]$")),
        Rule("notice_title", regex.compile(r"^(?P<title>.{0,80}关于.{2,120}的通知)$")),
        Rule("doc_number", regex.compile(
            r"^(?P<value>\p{Han}{1,12}\s*[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,4}\s*号)$")),
        Rule("date", regex.compile(r"^(?P<value>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                                   r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$")),
        Rule("list_title", regex.compile(
            rf"^(?!\d{{1,4}}\s*[.．、])(?P<title>[^。；;:：!！?？|｜]{{2,60}}?(?:{list_titles})"
            rf"(?:[(（][^()（）]{{1,12}}[)）])?)$")),
        Rule("table_row", regex.compile(r"\t[^\t]*\t"), search=True),
        Rule("item", regex.compile(r"^(?P<num>\d{1,3})(?!\d)\s*(?P<sep>[.．、]?)\s*(?P<body>.*)$")),
        Rule("item_paren", regex.compile(r"^[(（]\s*(?P<num>\d{1,3})\s*[)）]\s*(?P<body>.*)$")),
        Rule("item_circled", regex.compile(rf"^(?P<circ>[{circled}])\s*(?P<body>.*)$")),
        Rule("item_damaged", regex.compile(r"^\?。(?P<body>.*)$")),
        Rule("bracket_line", regex.compile(r"^[(（\[［【〔].*[)）\]］】〕][。.]?$")),
    ])


_RULER: Ruler | None = None


def ruler() -> Ruler:
    global _RULER
    if _RULER is None:
        _RULER = default_ruler()
    return _RULER


def lex(lines: list[Line], rules: Ruler | None = None) -> list[Token]:
    table_ = (rules or ruler()).rules()
    out = []
    for line in lines:
        if line.debris:
            out.append(Token("debris", line, {"name": line.debris}))
            continue
        text = line.text
        for rule in table_:
            m = rule.pattern.search(text) if rule.search else rule.pattern.match(text)
            if m:
                out.append(Token(rule.name, line, m.groupdict()))
                break
        else:
            out.append(Token("text", line))
    return out
