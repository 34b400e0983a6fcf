"""One name per unit: canonical names, kinds and jurisdictions of unit names, and typo hints.

Every rule is data (``data/unit_aliases.tsv``, ``unit_kinds.tsv``, ``jurisdictions.tsv``,
``confusables.tsv``, ``titles.tsv``); this module only reads the tables once and applies them. The
functions are pure and cached: the resolver calls them on every unit. See ``docs/aliases.md``.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

import regex

from .data import table

_TRAILING_ALIAS = regex.compile(r"^(?P<head>.+?)(?P<tail>(?:\([^()]*\))+)$")
_BRACKETED = regex.compile(r"\(([^()]*)\)")
_SPACE = regex.compile(r"\s+")


# ---------------------------------------------------------------------------------------------------
# tables


@lru_cache(maxsize=None)
def _jur() -> dict:
    rows = table("jurisdictions")
    prefix = next(r[1] for r in rows if r[0] == "prefix")
    brand = next(r[1] for r in rows if r[0] == "brand")
    strip = regex.compile(next(r[1] for r in rows if r[0] == "strip"))
    levels = tuple((regex.compile(r[1]), r[2]) for r in rows if r[0] == "level")
    chars = {r[1]: r[2] for r in rows if r[0] == "char"}
    place = regex.compile(rf"^(?P<place>(?:{prefix}))")
    return {"prefix": prefix, "brand": brand, "strip": strip, "levels": levels, "chars": chars,
            "place": place}


def _expand(pattern: str) -> str:
    return pattern.replace("{J}", f"(?:{_jur()['prefix']})")


@lru_cache(maxsize=None)
def _alias_rules() -> dict:
    chars, patterns, exact, office = [], [], {}, {}
    for row in table("unit_aliases"):
        rule, src, dst = row[0], row[1], row[2]
        if rule == "char":
            chars.append((src, dst))
        elif rule == "pattern":
            patterns.append((regex.compile(_expand(src)), dst))
        elif rule == "exact":
            exact[src] = dst
        elif rule == "office":
            office[src] = dst
        else:
            raise ValueError(f"unit_aliases.tsv: unknown rule {rule!r}")
    return {"chars": tuple(chars), "patterns": tuple(patterns), "exact": exact, "office": office,
            "prefix": regex.compile(f"(?:{_jur()['prefix']})"),
            "longest": max((len(k) for k in office), default=0)}


@lru_cache(maxsize=None)
def _confusables() -> tuple[tuple[str, str], ...]:
    return tuple((r[0], r[1]) for r in table("confusables"))


@lru_cache(maxsize=None)
def _kinds() -> tuple[tuple[str, regex.Pattern], ...]:
    return tuple((r[0], regex.compile(_expand(r[1]))) for r in table("unit_kinds") if r[0] != "fold")


@lru_cache(maxsize=None)
def _fold() -> dict[int, str]:
    """Traditional → simplified characters, for matching kinds and jurisdictions only."""
    out: dict[int, str] = {}
    for r in table("unit_kinds"):
        if r[0] == "fold":
            out.update(str.maketrans(r[1], r[2]))
    return out


@lru_cache(maxsize=None)
def _titles() -> dict[str, int]:
    return {r[0]: int(r[1]) for r in table("titles")}


@lru_cache(maxsize=None)
def _title_prefix() -> regex.Pattern:
    """Who a title belongs to, written before it: `县委常委` → `常委`, `县政府副县长` → `副县长`."""
    return regex.compile(rf"^(?:中共)?(?:{_jur()['prefix']})(?:委|(?:人民)?政府)")


# ---------------------------------------------------------------------------------------------------
# canonical names


def fix_confusables(name: str) -> str:
    """Known confusable-character damage from data/confusables.tsv (only where a table row says so)."""
    for bad, good in _confusables():
        if bad in name:
            name = name.replace(bad, good)
    return name


def issuer_place(issuer: str | None) -> str | None:
    """The place name of a document's issuer (`嵊泗县人民政府办公室` → `嵊泗县`), None when it names none."""
    m = _jur()["place"].match(issuer or "")
    return m["place"] if m and len(m["place"]) >= 2 else None


def _localise(name: str, issuer: str) -> str:
    """Drop the issuer's own place name before its level character (`嵊泗县X` → `县X` for 嵊泗县…)."""
    j = _jur()
    m = j["place"].match(issuer)
    if not m:
        return name
    own = m["place"]
    if len(own) < 2:
        return name  # the issuer has no place name (`县发改局`)
    level = own[-1]
    return _own_place(own).sub(lambda mm: mm["b"] + level, name)


@lru_cache(maxsize=64)
def _own_place(own: str) -> regex.Pattern:
    """`嵊泗县` at the start of a name, after an optional brand word: compiled once per place."""
    return regex.compile(rf"^(?P<b>(?:{_jur()['brand']})?){regex.escape(own)}")


def _head(name: str) -> str:
    """A name without a trailing bracketed alias, by the rules: pattern, exact, office."""
    rules = _alias_rules()
    for pat, template in rules["patterns"]:
        m = pat.fullmatch(name)
        if m:
            name = m.expand(template)
            break
    if name in rules["exact"]:
        return rules["exact"][name]
    office = rules["office"]
    # [prefix] + office: the office part is at most the longest row, so only a few splits are tried
    for i in range(max(0, len(name) - rules["longest"]), len(name)):
        body = office.get(name[i:])
        if body is not None and (i == 0 or rules["prefix"].fullmatch(name, 0, i)):
            return name[:i] + body
    return name


@lru_cache(maxsize=65536)
def _canonical(name: str, issuer: str | None) -> str:
    name = _SPACE.sub("", name)
    name = fix_confusables(name)
    for a, b in _alias_rules()["chars"]:
        if a in name:
            name = name.replace(a, b)
    if issuer:
        name = _localise(name, _SPACE.sub("", issuer))
    m = _TRAILING_ALIAS.match(name)
    if m and m["head"]:
        tail = _BRACKETED.sub(lambda b: "(" + _head(b[1]) + ")", m["tail"])
        return _head(m["head"]) + tail
    return _head(name)


def canonical(name: str, *, aliases: dict[str, str] | None = None, issuer: str | None = None) -> str:
    """One name per unit. General rules from data/unit_aliases.tsv work for any jurisdiction prefix
    (县/市/区/省/旗/州 or a place name + 县/市/区): `X卫健局` ↔ `X卫生健康局`; explicit pairs where no rule fits.
    `aliases` (from a user's --aliases file) is applied first and wins. A name no rule matches is returned
    unchanged: never guess.

    ``issuer`` (optional, the document's issuer): the issuer's own place name is dropped where it starts
    the name or follows a brand (`国网嵊泗县供电公司` → `县供电公司` in a document of 嵊泗县…).
    """
    if aliases:
        hit = aliases.get(name)
        if hit is None:
            hit = aliases.get(_SPACE.sub("", name))
        if hit is not None:
            return hit
    return _canonical(name, issuer)


# ---------------------------------------------------------------------------------------------------
# kind and jurisdiction


@lru_cache(maxsize=65536)
def kind(name: str) -> str:
    """party | government | township | zone | enterprise | vertical | people | collective | body | state |
    institution | other,
    by rules in data/unit_kinds.tsv (ordered; first match wins)."""
    canon = _canonical(name.translate(_fold()), None)
    m = _TRAILING_ALIAS.match(canon)
    if m and m["head"]:
        canon = m["head"]
    for k, pat in _kinds():
        if pat.search(canon):
            return k
    return "other"


@lru_cache(maxsize=65536)
def _own_jurisdiction(name: str) -> str | None:
    j = _jur()
    name = _SPACE.sub("", name).translate(_fold())
    name = fix_confusables(name)
    for a, b in _alias_rules()["chars"]:
        name = name.replace(a, b)
    stripped = j["strip"].sub("", name)
    for pat, value in j["levels"]:
        m = pat.search(stripped)
        if not m:
            continue
        if value == "char":
            return j["chars"][m["l"][-1]]
        return None if value == "issuer" else value
    return None


def jurisdiction(name: str, issuer: str | None = None) -> str:
    """county | city | district | province | township | unknown: from the prefix (县/市/区/省, 镇/乡/街道…),
    else, for a name without a prefix (`财政局`), from the document's issuer (`嵊泗县人民政府办公室` → county)."""
    own = _own_jurisdiction(name)
    if own is None and issuer:
        own = _own_jurisdiction(issuer)
    return own or "unknown"


# ---------------------------------------------------------------------------------------------------
# typos


TYPO_MAX_NAME = 48  # longer "names" are run-on text, not unit names: they are not compared
TYPO_MAX_PARTNERS = 4  # per name and position, only the most frequent few candidates are tried
TYPO_MAX_SUGGESTIONS = 100  # per document: a longer list is noise, and the caller reports each one


def typo_suggestions(names: list[str], text: str | None = None) -> list[tuple[str, str]]:
    """Within one document: (rare, frequent) pairs of unit names of equal length that differ in exactly
    one character, where that character looks like extraction damage: it is rare in the document
    (``text``, else the names themselves), appears nowhere but in unit names, and the character in its
    place is common — at least 5 times as often and at least 10 times. `嵎山镇人民政府` → `嵊山镇人民政府` in a
    document full of 嵊; real pairs of different offices (县残联 / 县文联: 残 also in 残疾人; 海警局 /
    海事局: 警 also in 预警; 县国安局 / 县公安局: both common) are left alone.

    The cost is bounded whatever the input: names are bucketed by (length, position, name with that
    position masked), names over ``TYPO_MAX_NAME`` characters are skipped (a name of length L has L
    masked keys of length L-1), a name is compared with at most ``TYPO_MAX_PARTNERS`` candidates per
    position (the most frequent ones: a partner must be frequent), and at most ``TYPO_MAX_SUGGESTIONS``
    are returned, the most frequent partners first. Linear in the number of distinct names (n log n for
    the sorting)."""
    counts = Counter(names)
    joined = "".join(names)
    source = text if text is not None else joined
    memo: dict[str, tuple[int, int]] = {}
    full: list[Counter] = []

    def freq(ch: str) -> tuple[int, int]:
        """(occurrences in the document, occurrences in unit names). For the few characters that differ
        between two names str.count (in C) is cheapest; past 64 distinct characters one Counter of each
        text is built instead (a str.count per character would be quadratic)."""
        got = memo.get(ch)
        if got is None:
            if len(memo) < 64:
                got = (source.count(ch), joined.count(ch))
            else:
                if not full:
                    full.extend((Counter(source), Counter(joined)))
                got = (full[0][ch], full[1][ch])
            memo[ch] = got
        return got

    buckets: dict[tuple[int, int, str], list[str]] = defaultdict(list)
    for n in counts:
        if len(n) > TYPO_MAX_NAME:
            continue
        for i in range(len(n)):
            buckets[(len(n), i, n[:i] + n[i + 1:])].append(n)
    out = set()
    for (_, i, _), group in buckets.items():
        if len(group) < 2:
            continue
        ranked = sorted(group, key=lambda g: (-freq(g[i])[0], g))
        top = ranked[:TYPO_MAX_PARTNERS + 1]
        for a in group:
            fa, in_names_a = freq(a[i])
            if in_names_a < fa:
                continue  # the character also appears outside unit names: a real word
            for b in top:
                if b == a:
                    continue
                fb = freq(b[i])[0]
                if fb >= 10 and fb >= 5 * fa:
                    out.add((a, b, a[i], b[i]))
    # one suggestion per damaged name: the substitution seen most often in this document wins
    # (嵎→嵊 across four names beats 嵎→洋 in one), then the more frequent name
    swaps = Counter((x, y) for _, _, x, y in out)
    best: dict[str, tuple] = {}
    for a, b, x, y in out:
        key = (swaps[(x, y)], counts[b], b)
        if a not in best or key > best[a][0]:
            best[a] = (key, b)
    ranked_pairs = sorted(((a, b) for a, (_, b) in best.items()), key=lambda p: (-counts[p[1]], p))
    return ranked_pairs[:TYPO_MAX_SUGGESTIONS]


# ---------------------------------------------------------------------------------------------------
# user alias files


MAX_ALIAS_CHARS = 8 * 1024 * 1024


def load_aliases(path: str) -> dict[str, str]:
    """A user alias file: UTF-8 TSV `alias<TAB>canonical` per line, # comments; or YAML (a mapping
    canonical → [aliases…]) when the file ends with .yaml/.yml (import yaml lazily). Raise ValueError with
    a one-line reason on a malformed file."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read(MAX_ALIAS_CHARS + 1)  # bounded: `--aliases /dev/zero` must not read forever
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 ({e.reason} at byte {e.start})") from None
    if len(text) > MAX_ALIAS_CHARS:
        raise ValueError(f"{path}: over {MAX_ALIAS_CHARS} characters: not an alias file")
    out: dict[str, str] = {}

    def add(alias: str, canon: str, where: str) -> None:
        alias, canon = alias.strip(), canon.strip()
        if not alias or not canon:
            raise ValueError(f"{where}: empty alias or canonical name")
        if alias in out and out[alias] != canon:
            raise ValueError(f"{where}: alias {alias!r} given two canonical names ({out[alias]!r}, {canon!r})")
        if alias != canon:
            out[alias] = canon

    if path.lower().endswith((".yaml", ".yml")):
        import yaml  # lazily: only for a YAML alias file

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark else path
            raise ValueError(f"{where}: not valid YAML ({getattr(e, 'problem', None) or 'parse error'})") from None
        if data is None:
            return out
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a mapping canonical name → [aliases…], got {type(data).__name__}")
        for canon, aliases in data.items():
            if not isinstance(canon, str):
                raise ValueError(f"{path}: canonical name {canon!r} is not a string")
            if isinstance(aliases, str):
                aliases = [aliases]
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise ValueError(f"{path}: the aliases of {canon!r} must be a list of strings")
            for a in aliases:
                add(a, canon, f"{path} ({canon})")
        return out

    for no, line in enumerate(text.splitlines(), 1):
        line = line.lstrip("\ufeff")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.rstrip("\r").split("\t")
        if len(cells) != 2:
            raise ValueError(f"{path}:{no}: expected alias<TAB>canonical, got {len(cells)} column(s)")
        add(cells[0], cells[1], f"{path}:{no}")
    return out


# ---------------------------------------------------------------------------------------------------
# leader titles


def normalise_title(title: str | None) -> str | None:
    """`市政府党组成员` stays; `常务副县长` stays; strips spaces; maps variants (e.g. `县委常委` → `常委`) via titles data."""
    if title is None:
        return None
    t = _SPACE.sub("", title)
    if not t:
        return None
    ranks = _titles()
    if t in ranks:
        return t
    m = _title_prefix().match(t)
    if m and t[m.end():] in ranks:
        return t[m.end():]
    return t


def title_rank(title: str | None) -> int:
    """Rank from data/titles.tsv (lower first); a title ending in a known one (`市政府副秘书长`) takes that
    rank; unknown → 999."""
    t = normalise_title(title)
    if not t:
        return 999
    ranks = _titles()
    if t in ranks:
        return ranks[t]
    for known in sorted(ranks, key=len, reverse=True):
        if t.endswith(known):
            return ranks[known]
    return 999
