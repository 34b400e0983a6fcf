"""Document facts: title, notice title, 文号, issuer, dates and year, chosen from the metadata lines."""
from __future__ import annotations

from functools import lru_cache

import regex

from .clean import tidy
from .data import table
from .lex import cn_number

_DATE = regex.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
_YEAR = regex.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*年")
_WS = regex.compile(r"\s+")
_CN_DATE = regex.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_CN_DIGIT = {c: str(n) for n, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}


@lru_cache(maxsize=None)
def _meta_fields() -> dict[str, tuple[str, int]]:
    return {key: (fieldname, int(prio)) for key, fieldname, prio in table("meta_keys")}


def iso_date(value: str) -> str | None:
    """`2024年2月18日`, `2024-02-18 09:12`, or `二〇二五年三月五日` → ISO; None when no date is there."""
    m = _DATE.search(value or "")
    if m:
        y, mo, d = (int(x) for x in m.groups())
    else:
        m = _CN_DATE.search(value or "")
        if not m:
            return None
        y = int("".join(_CN_DIGIT[c] for c in m.group(1)))
        mo, d = cn_number(m.group(2)), cn_number(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def meta(doc_meta: list[dict], parts: list[dict], kept_texts: list[str]) -> dict:
    """The ``meta`` object: facts chosen from every metadata line (the lowest priority number wins)."""
    fields = _meta_fields()
    chosen: dict[str, tuple[int, str]] = {}

    def offer(fieldname: str, value: str | None, prio: int) -> None:
        if value and (fieldname not in chosen or prio < chosen[fieldname][0]):
            chosen[fieldname] = (prio, value)

    for m in doc_meta:
        key, value, kind = m["key"], (m["value"] or "").strip(), m["kind"]
        if value in ("-", "—", "无"):
            value = ""
        if kind in ("kv", "bullet") and key in fields:
            fieldname, prio = fields[key]
            if fieldname in ("date", "published"):
                value = iso_date(value)
            if fieldname != "-":
                offer(fieldname, value, prio)
        elif kind == "notice_title":
            offer("notice_title", tidy(value), 0)
        elif kind == "doc_number":
            offer("doc_number", _WS.sub("", value), 0)
        elif kind == "signature":
            offer("issuer", value, 0)
        elif kind == "date":
            offer("date", iso_date(value), 0)
    title = next((p["title"] for p in parts if p["title"]), None)
    notice = chosen.get("notice_title", (0, None))[1]
    if not title and notice:
        m = regex.search(r"《(?P<t>[^《》]+)》", notice) or regex.search(r"关于印发(?P<t>.+)的通知", notice)
        title = tidy(m["t"]) if m else None
    year = None
    texts = [title, notice]
    if title and not _YEAR.search(title):
        # `政府工作报告重点工作责任分解` with the year only in the news lead or notice that announces it
        bare = _WS.sub("", title)
        texts += [t for t in kept_texts if bare in _WS.sub("", t)]
    for s in texts:
        m = _YEAR.search(s or "")
        if m:
            year = int(m.group(1))
            break
    date = chosen.get("date", (0, None))[1]
    if year is None and date:
        year = int(date[:4])
    return {
        "title": title,
        "notice_title": notice,
        "doc_number": chosen.get("doc_number", (0, None))[1],
        "issuer": chosen.get("issuer", (0, None))[1],
        "date": date,
        "published": chosen.get("published", (0, None))[1],
        "index_no": chosen.get("index_no", (0, None))[1],
        "year": year,
        "fields": [{"key": m["key"], "value": m["value"], "kind": m["kind"], "lines": m["lines"]} for m in doc_meta],
    }
