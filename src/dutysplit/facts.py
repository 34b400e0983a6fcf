"""Facts of a task read from its words: its deadline and its numeric targets.

Pure functions of a task's text, its fields and the document's year; one post-pass (:func:`annotate`)
adds them to every item of a resolved document. Every pattern is compiled once, on first use; each is
run once over a text with bounded repetitions, so the work is linear in the text.

Deadline kinds (``deadline.kind``); ``date`` is always the LAST day meant, the year taken from the
document (``meta.year``) when the text has none, and null when that is unknown too:

======== =============================================================================================
date     a day or a month: ``2024年6月底前`` → 2024-06-30, ``9月30日前`` → 09-30, ``2025年12月`` →
         2025-12-31, ``6月上旬`` → 06-10, ``中旬`` → 20, ``年底前`` / ``年末`` → 12-31 of the year
quarter  a quarter or a half year: ``三季度`` / ``第三季度末`` → 09-30, ``上半年`` / ``年中`` → 06-30,
         ``下半年`` → 12-31
year     a whole year or several: ``年内`` → 12-31, ``2025年前`` / ``到2025年`` → 2025-12-31, ``3年内`` →
         the 3rd year from the document's, ``“十四五”末`` / ``期间`` → 2025-12-31 (the plan's last year)
ongoing  work with no end: ``长期坚持``, ``持续推进``, ``持续开展``, ``常态化推进`` (a field: ``长期``, ``持续``)
none     nothing found (``raw`` is the field's value when a deadline field says something else)
======== =============================================================================================

A 完成时限 / 时限 / 完成时间 field (line or column) beats the text when it says anything dated or
ongoing. When several deadlines are written (``8月底开工,10月底完成``) the latest is the task's. A date
that opens a range or a start (``5月1日起``, ``…至2022年4月30日`` keeps only the end) is not a deadline.

Targets: every written quantity, a number with a unit of measure (``data/quantity_units.tsv``), with
its qualifier (左右, 以上, 以内, 不低于, 超过 …); Chinese numerals and 十/百/千/万/亿 are folded into the
value (``1.2万人`` → 12000 人, ``50亿元`` → 5000000000 元); ``value`` of a percentage is the percentage
(``6%`` → 6). Not targets: years, months, days, quarters, ordinals (``第3``), numbers inside names
(``5G``, ``PM2.5``, ``11.121人才``), ages, and a lone ``一`` (``一个``, ``一批`` are words).
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

# a field whose name says it holds a deadline (whatever kind the table reader gave it)
DEADLINE_FIELD = re.compile(r"时限|完成时间|时间节点|期限|截止时间|完成日期|計劃完成|完成時間|時限")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000, "萬": 10_000, "億": 100_000_000}
_MULT = {"十": 10, "百": 100, "千": 1000, **_CN_BIG}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％～－／", "0123456789.%~-/")
_CN = "零〇一二两兩三四五六七八九十百千万亿萬億"
_CN_START = "一二两兩三四五六七八九十"  # a Chinese numeral starts with one of these (not 百, 千, 万: `千家万户`)
_HAS_FULLWIDTH = re.compile("[０-９．％～－／]")
_OPEN_QUOTES = ("“", "\"", "「", "『", "‘")
_HAS_NUMBER = re.compile(f"[0-9０-９{_CN}]")

_PREFIX_QUALIFIERS = ("不低于", "不少于", "不超过", "不高于", "不大于", "不小于", "不足", "超过", "突破", "高于",
                      "低于", "少于", "多于", "至少", "最多", "最少", "约", "近", "逾",
                      "不低於", "不少於", "不超過", "不高於", "超過", "高於", "低於", "約")  # traditional forms
_PREFIX_ENDS = frozenset(q[-1] for q in _PREFIX_QUALIFIERS)
_SUFFIX_QUALIFIERS = ("及以上", "及以下", "左右", "以上", "以内", "以下", "上下", "之内", "以內", "之內")
_TRADITIONAL = {"不低於": "不低于", "不少於": "不少于", "不超過": "不超过", "不高於": "不高于", "超過": "超过",
                "高於": "高于", "低於": "低于", "約": "约", "以內": "以内", "之內": "之内", "餘": "余"}
_DIRECTION = {"不低于": "at_least", "不少于": "at_least", "不小于": "at_least", "超过": "at_least",
              "突破": "at_least", "高于": "at_least", "多于": "at_least", "至少": "at_least", "逾": "at_least",
              "最少": "at_least", "以上": "at_least", "及以上": "at_least",
              "不超过": "at_most", "不高于": "at_most", "不大于": "at_most", "不足": "at_most", "低于": "at_most",
              "少于": "at_most", "最多": "at_most", "以内": "at_most", "以下": "at_most", "及以下": "at_most",
              "之内": "at_most",
              "左右": "about", "上下": "about", "约": "about", "近": "about", "余": "about", "多": "about"}


def cn_number(s: str) -> int | None:
    """``十五万`` → 150000, ``三`` → 3, ``二十`` → 20, ``两千五百`` → 2500, ``三亿五千万``; None when not a numeral."""
    total = wan = section = num = 0  # 亿 groups, the 万 group, the group below 万, the last digit
    seen = False
    for ch in s:
        if ch in _CN_DIGITS:
            num = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (num or 1) * _CN_UNITS[ch]
            num = 0
        elif _CN_BIG.get(ch) == 10_000:
            wan += (section + num or 1) * 10_000
            section = num = 0
        elif ch in _CN_BIG:
            total = (total + wan + section + num or 1) * 100_000_000
            wan = section = num = 0
        else:
            return None
        seen = True
    return total + wan + section + num if seen else None


def _int(s: str | None) -> int | None:
    if s is None:
        return None
    s = s.strip()
    return int(s) if s.isdigit() else cn_number(s)


# ---------------------------------------------------------------------------------------------- deadlines

_Y = r"(?P<y>(?:19|20)\d{2})\s?年\s?"
_M = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s?月(?:份)?"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])\s?[日号]"
_NOT_START = r"(?!\s?(?:起|开始|以来|之后|以后|后|至|到|-|~|—|–))"  # a date that opens a range is no deadline


@lru_cache(maxsize=None)
def _deadline_patterns() -> tuple:
    """(kind, compiled pattern) in order; candidates that overlap keep the longest."""
    return (
        # with a year: not inside a number; a month alone: not after a number, a range sign or a year
        ("ymd", re.compile(rf"(?=[0-9一二三四五六七八九十])(?:(?<!\d){_Y}|(?<![\d.\-~—–年])){_M}(?:{_D})?"
                           r"(?P<suf>底前|底|末|以前|之前|前|上旬|中旬|下旬)?" + _NOT_START)),
        ("numeric", re.compile(r"(?=[12])(?<!\d)(?P<y>(?:19|20)\d{2})\s?[.\-/]\s?(?P<m>1[0-2]|0?[1-9])"
                               r"(?:\s?[.\-/]\s?(?P<d>3[01]|[12]\d|0?[1-9]))?(?![\d年])" + _NOT_START)),
        ("quarter", re.compile(rf"(?=[0-9第一二三四上下年])(?:{_Y})?(?:(?P<half>上半年|下半年|年中)|第?(?P<q>[一二三四1-4])\s?季度"
                               r"(?P<suf>末|底|前)?)" + _NOT_START)),
        ("year", re.compile(r"(?=[到至截于12])(?P<pre>到|至|截至|截止|于)?\s?(?<![\d.])(?P<y>(?:19|20)\d{2})\s?年\s?"
                            r"(?:(?P<suf>年底前|年末前|年底|年末|底前|底|末|以前|之前|前|内)"
                            r"|(?P<verb>开工|完工|完成|建成|竣工|投产|投用|投运|开通|启用|实现|基本建成|全面建成))?"
                            r"(?!\s?(?:\d|[一二三四五六七八九十]{1,3}\s?月|上半年|下半年|第?[一二三四1-4]\s?季度|度))"
                            + _NOT_START)),
        ("year_end", re.compile(r"(?=[今本当年岁])(?:(?:今年|本年|当年)?(?:年底|年末|岁末)(?:前)?|(?:今年|本年|当年)?年内)")),
        ("years_within", re.compile(r"(?=[0-9一二两三四五六七八九十])(?<![\d.年])"
                                    r"(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,2})\s?年(?:之)?内")),
        ("plan", re.compile(r"(?=[“\"十])[“\"]?十(?P<n>[一二三四五六七八九])五[”\"]?\s?(?:规划)?\s?(?:末|期末|期间|时期)")),
        ("ongoing", re.compile(r"(?=[长長常持])(?:长期(?:坚持|推进|开展|实施|执行)|長期(?:堅持|推進|開展|實施|執行)"
                               r"|常态化(?:推进|开展|运作|运行|实施|落实|抓好|做好)|常態化(?:推進|開展|運作|實施|落實)"
                               # 持续/持續 before a verb; not 可持续, 持续性, nor an outcome (持续增长, 持续健康发展)
                               r"|(?<!可)持[续續](?!性|时间|時間|发展|發展|增长|增長|健康|向好|稳定|穩定)[\u4e00-\u9fff]{1,2})")),
    )


_HINTS = {"ymd": ("月",), "numeric": (".", "-", "/"), "quarter": ("季", "半年", "年中"), "year": ("年",),
          "year_end": ("年底", "年末", "岁末", "年内"), "years_within": ("年内", "年之内"), "plan": ("五",),
          "ongoing": ("长期", "長期", "常态化", "常態化", "持续", "持續")}
_FIELD_ONGOING = re.compile(r"长期|持续|常态|常年|長期|持續|每年")
_FIELD_YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s?年?(?!\s?[\d.\-/月年])|全年|年内")


def _last_day(y: int | None, m: int) -> int:
    if m == 2:  # a year not known: not a leap year (28 February)
        return 29 if y and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def _candidate(kind: str, m: re.Match, year: int | None, field: bool) -> tuple | None:
    """(sort key, deadline kind, date or None, raw) of one match, or None when it is not a deadline."""
    g = m.groupdict()
    raw = m.group(0).strip()
    y = int(g["y"]) if g.get("y") else year
    if kind == "ongoing":
        return None, "ongoing", None, raw
    if kind in ("ymd", "numeric"):
        month = _int(g["m"])
        day = _int(g.get("d"))
        suf = g.get("suf")
        if not month or not 1 <= month <= 12:
            return None
        if not field and not (g.get("y") or day or suf):
            return None  # a bare `8月` in a sentence is not a deadline (a field `11月` is)
        if kind == "numeric" and not field and not day:
            return None  # `2021.8` in a sentence may be anything
        last = _last_day(y, month)
        if day is None:
            day = {"上旬": 10, "中旬": 20}.get(suf or "", last)
        day = min(day, last)
        return (y, month, day, 0), "date", y and f"{y:04d}-{month:02d}-{day:02d}", raw
    if kind == "quarter":
        if g.get("half"):
            month = 12 if g["half"] == "下半年" else 6
        else:
            month = 3 * (_int(g["q"]) or 0)
        last = _last_day(y, month)
        return (y, month, last, 1), "quarter", y and f"{y:04d}-{month:02d}-{last:02d}", raw
    if kind == "year":
        if not (g.get("suf") or g.get("pre") or g.get("verb")):
            return None  # `2016年计划…` names a year, sets no deadline (`2024年开工` does)
        suf = g.get("suf") or ""
        k = "date" if ("底" in suf or "末" in suf) else "year"
        return (y, 12, 31, 0 if k == "date" else 2), k, f"{y:04d}-12-31", raw
    if kind == "year_end":
        k = "year" if raw.endswith("年内") else "date"
        return (y, 12, 31, 0 if k == "date" else 2), k, y and f"{y:04d}-12-31", raw
    if kind == "years_within":
        n = _int(g["n"])
        if not n or n > 30:
            return None
        end = year + n - 1 if year else None
        return (end, 12, 31, 2), "year", end and f"{end:04d}-12-31", raw
    if kind == "plan":
        n = 10 + _CN_DIGITS[g["n"]]
        if n < 6:
            return None
        end = 1985 + 5 * (n - 6)  # the 6th five-year plan ended in 1985
        return (end, 12, 31, 2), "year", f"{end:04d}-12-31", raw
    return None


def _scan(text: str, year: int | None, field: bool) -> list[tuple]:
    if _HAS_FULLWIDTH.search(text):
        text = text.translate(_FULLWIDTH)
    found = []
    for kind, pat in _deadline_patterns():
        if not any(h in text for h in _HINTS[kind]):
            continue  # cheap: most patterns cannot match a text without their key characters
        for m in pat.finditer(text):
            c = _candidate(kind, m, year, field)
            if c:
                found.append((m.start(), m.end(), c))
    if field:
        for m in _FIELD_YEAR.finditer(text):
            y = int(m.group("y")) if m.group("y") else year
            found.append((m.start(), m.end(), ((y, 12, 31, 2), "year", y and f"{y:04d}-12-31", m.group(0))))
        if not found and _FIELD_ONGOING.search(text):
            found.append((0, len(text), (None, "ongoing", None, text.strip())))
    # a candidate inside another (`年底前` in `2025年底前`) is dropped: sorted by start, longest first
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[tuple] = []
    reach = -1
    for start, end, c in found:
        if end > reach:
            kept.append(c)
            reach = end
    return kept


def _choose(cands: list[tuple]) -> tuple | None:
    dated = [c for c in cands if c[0] is not None]
    if dated:
        # the latest; an unknown year sorts by month and day; on a tie the most precise kind
        return max(dated, key=lambda c: (c[0][0] or 0, c[0][1], c[0][2], -c[0][3]))
    return next((c for c in cands if c[1] == "ongoing"), None)


def deadline(text: str, fields: list[dict] = (), year: int | None = None) -> dict:
    """``{raw, date, kind, source}`` of a task: from a deadline field, else from its text."""
    field_raw = None
    for f in fields:
        named = f.get("kind") == "deadline" or DEADLINE_FIELD.search(f.get("name") or "")
        if named and (f.get("value") or "").strip():
            field_raw = f["value"].strip()
            best = _choose(_scan(field_raw, year, True))
            if best:
                return {"raw": field_raw, "date": best[2], "kind": best[1], "source": "field"}
            break
    best = _choose(_scan(text, year, False)) if text and _HAS_DEADLINE_HINT.search(text) else None
    if best:
        return {"raw": best[3], "date": best[2], "kind": best[1], "source": "text"}
    if field_raw:
        return {"raw": field_raw, "date": None, "kind": "none", "source": "field"}
    return {"raw": None, "date": None, "kind": "none", "source": None}


_HAS_DEADLINE_HINT = re.compile(r"[年月季期底末内]|长期|持续|持續|長期|常态")

# ---------------------------------------------------------------------------------------------- targets


@lru_cache(maxsize=None)
def _unit_table() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """First character → ((written, unit, not_followed_by), …), longest written form first."""
    from .data import table

    by_first: dict[str, list] = {}
    for row in table("quantity_units"):
        by_first.setdefault(row[0][0], []).append((row[0], row[1], row[2] if len(row) > 2 else ""))
    return {k: tuple(sorted(v, key=lambda r: -len(r[0]))) for k, v in by_first.items()}


_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d{{1,15}})(?:\.\d{{1,6}})?|[{_CN_START}][{_CN}]{{0,7}}"
_GUARD = rf"(?<![\d.A-Za-z第{_CN}])"  # a number must not continue a number, a name (`5G`, `PM2.5`), an ordinal
_MULT_CHARS = "十百千万亿萬億"
_MIDS = "余餘多"
_RANGE_SEPARATORS = "-~—–至到"


@lru_cache(maxsize=None)
def _number_patterns() -> tuple[re.Pattern, re.Pattern]:
    """A number; the low end of a range just before a separator (`3` of `3-5万人`)."""
    firsts = re.escape("".join(sorted(_unit_table())) + _MULT_CHARS + _MIDS)
    # a number followed (after a space at most) by a multiplier, 余/多 or the first character of a unit
    return (re.compile(rf"(?=[0-9{_CN_START}]){_GUARD}(?:{_NUM})(?=\s?[{firsts}])"),
            re.compile(rf"{_GUARD}(?P<low>{_NUM})\s?(?P<mult>[{_MULT_CHARS}]{{0,2}})\s?$"))


def _unit_at(work: str, pos: int) -> tuple[str, int] | None:
    """The unit written at ``pos`` and where it ends: the longest that is not the start of a word."""
    for written, unit, stop in _unit_table().get(work[pos:pos + 1], ()):
        if work.startswith(written, pos):
            end = pos + len(written)
            if not (stop and work[end:end + 1] and work[end] in stop):
                return unit, end
    return None


def _skip_space(work: str, pos: int) -> int:
    return pos + 1 if work[pos:pos + 1] == " " else pos


def _quantity(work: str, num_end: int):
    """After a number: (multiplier, mid qualifier, unit, end) when a unit follows, else None. The multiplier
    is taken as short as possible (`3千米` is 3 千米, `5000万元` is 5000 万 元)."""
    p = _skip_space(work, num_end)
    run = 0
    while run < 2 and work[p + run:p + run + 1] in _MULT_CHARS and work[p + run:p + run + 1]:
        run += 1
    for k in range(run + 1):
        q = _skip_space(work, p + k)
        mid = work[q:q + 1] if work[q:q + 1] and work[q] in _MIDS else None
        if mid:
            q = _skip_space(work, q + 1)
        found = _unit_at(work, q)
        if found:
            return work[p:p + k], mid, found[0], found[1]
    return None


def _value(num: str, mult: str) -> Decimal | None:
    if num[0].isdigit():
        v = Decimal(num.replace(",", ""))
    else:
        n = cn_number(num)
        if n is None:
            return None
        v = Decimal(n)
    for ch in mult or "":
        v *= _MULT[ch]
    return v


def _plain(v: Decimal) -> int | float:
    return int(v) if v == v.to_integral_value() else float(v)


def targets(text: str) -> list[dict]:
    """Every quantity written in ``text``: ``[{raw, value, unit, qualifier, direction, low, span}]``."""
    if not text or not _HAS_NUMBER.search(text):
        return []
    work = text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text
    number, range_low = _number_patterns()
    out: list[dict] = []
    for m in number.finditer(work):
        num = m.group(0)
        q = _quantity(work, m.end())
        if q is None:
            continue
        mult, mid, unit, end = q
        if not num[0].isdigit() and (num == "一" or work[end:end + 1] == "一" or work[end:end + 1] in _OPEN_QUOTES
                                     or work[m.start() - 1:m.start()] in _OPEN_QUOTES):
            continue  # `一个`, `一批` are words; `三个一批`, `四位一体`, `“三项机制”`, `三个“一号工程”` are names
        value = _value(num, mult)
        if value is None:
            continue
        end = _skip_space(work, end)
        for inc in ("(含)", "（含）"):
            if work.startswith(inc, end):
                end = _skip_space(work, end + len(inc))
        suf = next((x for x in _SUFFIX_QUALIFIERS if work.startswith(x, end)), None)
        end = end + len(suf) if suf else (end - 1 if work[end - 1:end] == " " else end)
        start, low = m.start(), None
        sep = start - 1 if work[start - 1:start] != " " else start - 2
        if sep >= 0 and work[sep] in _RANGE_SEPARATORS:
            if out and out[-1]["span"][1] in (sep, sep - 1) and out[-1]["low"] is None:
                prev = out.pop()  # `8%` of `8%-10%` is the low end, not a target of its own
                start, low = prev["span"][0], Decimal(str(prev["value"]))
            else:
                r = range_low.search(work, max(0, sep - 24), sep)
                if r:
                    start = r.start()
                    low = _value(r.group("low"), r.group("mult"))
                    if low is not None and mult and not r.group("mult"):
                        scaled = low * _value("1", mult)  # `3-5万人`: the 万 counts for both
                        low = scaled if scaled <= value else low
        pre = None
        if work[start - 1:start] in _PREFIX_ENDS or work[start - 2:start - 1] in _PREFIX_ENDS:
            for x in _PREFIX_QUALIFIERS:
                at = start - len(x) - (work[start - 1:start] == " ")
                if at >= 0 and work.startswith(x, at):
                    start, pre = at, x
                    break
        qualifier = pre or suf or mid
        qualifier = _TRADITIONAL.get(qualifier, qualifier)
        out.append({"raw": text[start:end], "value": _plain(value), "unit": unit, "qualifier": qualifier,
                    "direction": "range" if low is not None else _DIRECTION.get(qualifier or ""),
                    "low": _plain(low) if low is not None else None, "span": [start, end]})
    return out


# ---------------------------------------------------------------------------------------------- the pass


def annotate(doc: dict) -> dict:
    """Add ``deadline`` and ``targets`` to every item of a resolved document (in place; returned)."""
    year = (doc.get("meta") or {}).get("year")
    for part in doc.get("parts", ()):
        for section in part["sections"]:
            for item in section["items"]:
                item["deadline"] = deadline(item["text"], item["fields"], year)
                item["targets"] = targets(item["text"])
    return doc
