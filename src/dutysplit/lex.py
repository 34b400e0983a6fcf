"""Stage 3: give each cleaned line a role.

Like mistune's block parser: a table of named rules in priority order; the first rule whose pattern
matches the line gives its role. Adding a layout is adding a rule. Lexing is context-free: the parser
decides, from the running sequence, whether a `9.` line really opens task 9.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .clean import Line
from .data import alternation, spaced_alternation, table

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


def _rules() -> list[tuple[str, regex.Pattern]]:
    labels = alternation("labels")
    meta_keys = spaced_alternation("meta_keys")
    list_titles = "|".join(r[0] for r in table("list_titles"))
    return [
        ("meta_bullet", regex.compile(r"^[•·●▪◆■]\s*(?P<key>[^:：]{1,12}?)\s*[:：]\s*(?P<value>.*)$")),
        ("meta_kv", regex.compile(rf"^(?P<key>{meta_keys.pattern})(?:\s*[:：]\s*|\s+)(?P<value>.*)$")),
        ("label", regex.compile(rf"^(?P<label>{labels.pattern})\s*[:：]\s*(?P<body>.*)$")),
        ("section", regex.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})\s*[、．.]\s*(?P<title>\S.*)$")),
        ("subsection", regex.compile(r"^[(（]\s*(?P<num>[一二三四五六七八九十]{1,3})\s*[)）]\s*(?P<title>.*)$")),
        ("attachment", regex.compile(r"^附\s*件\s*(?:[:：]\s*|$|\d)(?P<body>.*)$")),
        ("cc", regex.compile(r"^抄\s*送\s*[:：]\s*(?P<body>.*)$")),
        ("printed", regex.compile(r"^(?P<org>.{0,40}?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发$")),
        ("public_note", regex.compile(r"^[(（]\s*此件.{0,10}[)）]$")),
        ("notice_title", regex.compile(r"^(?P<title>.{0,80}关于.{2,120}的通知)$")),
        ("doc_number", regex.compile(r"^(?P<value>\p{Han}{1,12}\s*[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,4}\s*号)$")),
        ("date", regex.compile(r"^(?P<value>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                               r"|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$")),
        ("list_title", regex.compile(
            rf"^(?!\d{{1,4}}\s*[.．、])(?P<title>[^。；;:：!！?？|｜]{{2,60}}?(?:{list_titles})"
            rf"(?:[(（][^()（）]{{1,12}}[)）])?)$")),
        ("table_row", regex.compile(r"\t[^\t]*\t")),
        ("item", regex.compile(r"^(?P<num>\d{1,3})(?!\d)\s*(?P<sep>[.．、]?)\s*(?P<body>.*)$")),
    ]


_RULES: list[tuple[str, regex.Pattern]] | None = None


def rules() -> list[tuple[str, regex.Pattern]]:
    global _RULES
    if _RULES is None:
        _RULES = _rules()
    return _RULES


def lex(lines: list[Line]) -> list[Token]:
    table_ = rules()
    out = []
    for line in lines:
        if line.debris:
            out.append(Token("debris", line, {"name": line.debris}))
            continue
        for role, pat in table_:
            m = pat.search(line.text) if role == "table_row" else pat.match(line.text)
            if m:
                out.append(Token(role, line, m.groupdict()))
                break
        else:
            out.append(Token("text", line))
    return out
