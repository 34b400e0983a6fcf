"""Word's automatic numbering, drawn as Word draws it: ``numPr`` resolved through ``numbering.xml``
(num → abstractNum, ``lvlOverride``/``startOverride``, ``numStyleLink``), counters per list definition and
level, ``lvlText`` rendered with each level's ``numFmt`` (decimal, Chinese counting, letters, Roman, circled …).

Counters belong to the list definition (the resolved ``abstractNum``), not to the list instance (``num``), as
Word keeps them (ECMA-376 §17.9): paragraphs of two nums on one abstractNum count on as one list. A num that
overrides a level's start (``lvlOverride`` with ``startOverride``, or with a ``lvl`` of its own) restarts that
level's shared counter at its start the first time the num is used at that level ("Restart numbering"); the
paragraphs after it, of that num or of another on the same definition, count on from there."""
from __future__ import annotations

import re
import unicodedata

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_ZH = "〇一二三四五六七八九"
_ZH_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "".join(map(chr, range(0x2460, 0x2474))) + "".join(map(chr, range(0x3251, 0x3260))) \
    + "".join(map(chr, range(0x32B1, 0x32C0)))  # ①–⑳, ㉑–㉟, ㊱–㊿
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _zh(n: int, digits: str = _ZH, ten: str = "十", hundred: str = "百", thousand: str = "千") -> str:
    if n < 10:
        return digits[n] if n >= 0 else str(n)
    if n < 20 and digits is _ZH:
        return ten + (digits[n % 10] if n % 10 else "")
    if n >= 10000:
        return str(n)
    out, zero = "", False
    for value, word in ((1000, thousand), (100, hundred), (10, ten), (1, "")):
        d = n // value % 10
        if d:
            out += ("零" if zero and out else "") + digits[d] + word
            zero = False
        elif out:
            zero = True
    return out


def _roman(n: int) -> str:
    out = ""
    for value, word in _ROMAN:
        out, n = out + word * (n // value), n % value
    return out


def _letter(n: int) -> str:  # Word: A … Z, AA … ZZ, AAA …
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_COUNTING = ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
             "taiwaneseCountingThousand", "koreanCounting")
_FORMATS = {
    **{f: _zh for f in _COUNTING},
    "chineseLegalSimplified": lambda n: _zh(n, _ZH_LEGAL, "拾", "佰", "仟"),
    **{f: lambda n: "".join(_ZH[int(d)] for d in str(n))
       for f in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand")},
    "ideographTraditional": lambda n: _HEAVENLY[(n - 1) % 10],
    "ideographZodiac": lambda n: _ZODIAC[(n - 1) % 12],
    **{f: lambda n: _CIRCLED[n - 1] if n <= len(_CIRCLED) else str(n)
       for f in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle")},
    "decimalEnclosedParen": lambda n: chr(0x2474 + n - 1) if n <= 20 else f"({n})",
    "decimalEnclosedFullstop": lambda n: chr(0x2488 + n - 1) if n <= 20 else f"{n}.",
    "decimalFullWidth": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "upperLetter": _letter, "lowerLetter": lambda n: _letter(n).lower(),
    "upperRoman": _roman, "lowerRoman": lambda n: _roman(n).lower(),
}


def fmt_number(n: int, fmt: str) -> str:
    """The number ``n`` written in Word's ``numFmt`` (an unknown format as decimal)."""
    if fmt in ("bullet", "none"):
        return ""
    if fmt == "decimalZero":
        return f"{n:02d}"
    return _FORMATS[fmt](n) if n >= 1 and fmt in _FORMATS else str(n)


def xml_val(el, name: str, attr: str = "val"):
    child = el.find(W + name) if el is not None else None
    return None if child is None else child.get(W + attr)


def as_int(text, default=None):
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


class _Level:
    __slots__ = ("fmt", "legal", "restart", "start", "text")

    def __init__(self, lvl) -> None:
        self.start = as_int(xml_val(lvl, "start"), 1)
        self.fmt = xml_val(lvl, "numFmt") or "decimal"
        self.text = xml_val(lvl, "lvlText")
        self.restart = as_int(xml_val(lvl, "lvlRestart"))
        self.legal = lvl.find(W + "isLgl") is not None and xml_val(lvl, "isLgl") not in ("0", "false")


class Numbering:
    """numbering.xml and the styles' numPr; ``render(p)`` draws a paragraph's number, advancing the counters."""

    def __init__(self, numbering, styles) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.links: dict[str, str] = {}  # abstractNum id → numStyleLink style id
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.counters: dict[str, list] = {}  # resolved abstractNum id → a counter per level (None: not started)
        self.restarted: set[tuple[str, int]] = set()  # (numId, level) whose start override has been applied
        if numbering is not None:
            for a in numbering.iter(W + "abstractNum"):
                aid = a.get(W + "abstractNumId")
                self.abstract[aid] = {as_int(lvl.get(W + "ilvl"), 0): _Level(lvl) for lvl in a.iter(W + "lvl")}
                link = xml_val(a, "numStyleLink")
                if link:
                    self.links[aid] = link
            for num in numbering.iter(W + "num"):
                starts, levels = {}, {}
                for o in num.iter(W + "lvlOverride"):
                    k = as_int(o.get(W + "ilvl"), 0)
                    if o.find(W + "lvl") is not None:
                        levels[k] = _Level(o.find(W + "lvl"))
                        starts[k] = levels[k].start
                    if xml_val(o, "startOverride") is not None:
                        starts[k] = as_int(xml_val(o, "startOverride"), 1)
                self.nums[num.get(W + "numId")] = (xml_val(num, "abstractNumId"), starts, levels)
        self.style_num: dict[str, tuple[str | None, str | None]] = {}
        self.default_style = None
        if styles is not None:
            based, own = {}, {}
            for s in styles.iter(W + "style"):
                if s.get(W + "type") not in (None, "paragraph", "numbering"):
                    continue
                sid = s.get(W + "styleId")
                if s.get(W + "default") in ("1", "true", "on") and s.get(W + "type") == "paragraph":
                    self.default_style = sid
                based[sid] = xml_val(s, "basedOn")
                num_pr = s.find(f"{W}pPr/{W}numPr")
                if num_pr is not None:
                    own[sid] = (xml_val(num_pr, "numId"), xml_val(num_pr, "ilvl"))
            for sid in based:
                cur, hops, num_id, ilvl = sid, 0, None, None
                while cur is not None and hops < 20 and (num_id is None or ilvl is None):
                    n, i = own.get(cur, (None, None))
                    num_id, ilvl = num_id if num_id is not None else n, ilvl if ilvl is not None else i
                    cur, hops = based.get(cur), hops + 1
                if num_id is not None:
                    self.style_num[sid] = (num_id, ilvl)

    def _levels(self, num_id: str) -> tuple[str, dict[int, _Level], dict[int, int]] | None:
        entry = self.nums.get(num_id)
        if entry is None:
            return None
        aid, starts, over = entry
        for _ in range(3):  # numStyleLink: the list is defined through a numbering style
            link = self.links.get(aid)
            target = self.style_num.get(link) if link else None
            if not target or target[0] not in self.nums:
                break
            aid = self.nums[target[0]][0]
        levels = self.abstract.get(aid)
        if levels is None:
            return None
        return aid, ({**levels, **over} if over else levels), starts

    def render(self, p) -> str | None:
        ppr = p.find(W + "pPr")
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        style = xml_val(ppr, "pStyle") or self.default_style
        num_id, ilvl = self.style_num.get(style, (None, None)) if style else (None, None)
        if num_pr is not None:
            num_id = xml_val(num_pr, "numId") or num_id
            ilvl = xml_val(num_pr, "ilvl") or ilvl
        if num_id is None or num_id == "0" or not self.nums:
            return None
        found = self._levels(num_id)
        level = min(max(as_int(ilvl, 0), 0), 8)
        if found is None or level not in found[1]:
            return None
        aid, levels, starts = found
        lvl = levels[level]
        counters = self.counters.setdefault(aid, [None] * 9)
        if level in starts and (num_id, level) not in self.restarted:  # this num restarts the level
            self.restarted.add((num_id, level))
            counters[level] = starts[level]
        else:
            counters[level] = starts.get(level, lvl.start) if counters[level] is None else counters[level] + 1
        for deeper in range(level + 1, 9):
            d = levels.get(deeper)
            limit = d.restart if d is not None and d.restart is not None else deeper
            if limit != 0 and level + 1 <= limit:
                counters[deeper] = None
        if lvl.fmt == "bullet" or not lvl.text:
            return None

        def one(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            at = levels.get(k)
            if at is None:
                return ""
            n = counters[k] if counters[k] is not None else starts.get(k, at.start)
            return fmt_number(n, "decimal" if lvl.legal and at.fmt != "none" else at.fmt)

        return re.sub(r"%([1-9])", one, lvl.text)


def joined(number: str, text: str) -> str:
    """The number before the text, as a reader sees it: a space after a number ending in a letter or digit
    (`1` `A` `第一条`), none after a mark (`1.` `一、` `（一）` `①`)."""
    if not text or unicodedata.category(number[-1]) not in ("Lu", "Ll", "Lo", "Nd"):
        return number + text
    return number + " " + text
