"""Stage 4: tokens → a tree of parts, sections, items and clauses.

Every node keeps the line numbers of the tokens it consumed, so that the lossless check can account for
every non-blank input line. Text that fits nowhere goes to ``unparsed`` with a diagnostic; nothing is
dropped.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .clean import tidy
from .data import alternation, spaced_alternation, table
from .lex import Token, cn_number

# A number directly followed by one of these is a quantity, not a task number (`10亿元…`).
_MEASURE = regex.compile(r"^[年月日号%％个万亿千百元米吨人家项次倍岁天期批座所条台辆艘公里亩栋户名]")
_ORG_SUFFIX = regex.compile(r"(办公室|人民政府|政府|委员会|管委会|局|委|办|厅|部|中心|公司)$")
# roles of document facts: met while a task is open, they end it (a task's line range never holds them)
_ENDS_TASK = {"meta_kv", "meta_bullet", "notice_title", "doc_number", "signature", "date", "public_note"}
# roles a line may have been given that can still be the value of a `• key:` bullet above it
_BULLET_VALUE = {"text", "item", "date", "doc_number", "signature"}
_SENTENCE = regex.compile(r"[。；;，,！？]")


@dataclass(slots=True)
class Statement:
    """A units statement: a `责任单位:…` line (with its continuation lines) or an inline bracket."""

    label: str | None  # None for a verb-style statement (`X牵头,Y配合`)
    body: str
    lines: list[int]
    inline: bool = False
    field: str = "units"  # from data/labels.tsv; "division" for verb style
    # continuation lines, joined once when the task closes (`field` above shadows dataclasses.field here)
    more: list[str] = dataclasses.field(default_factory=list)

    def finish(self) -> None:
        if self.more:
            parts = [self.body, *self.more]
            self.body = join_units(parts) if self.field in UNIT_FIELDS else "".join(parts)
            self.more = []

    def ends_sentence(self) -> bool:
        last = (self.more[-1] if self.more else self.body).rstrip()
        return last.endswith(("。", ")", "）"))


UNIT_FIELDS = {"units", "lead", "support", "division"}


@dataclass(slots=True)
class Clause:
    text: str
    statements: list[Statement] = field(default_factory=list)
    inherited: bool = False
    lines: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Item:
    label: str
    number: int
    first: int
    last: int
    style: str  # "arabic" (1.) or "cn" ((一))
    text_parts: list[tuple[int, str]] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    subheading: str | None = None
    text: str = ""
    clauses: list[Clause] = field(default_factory=list)
    layout: str | None = None  # "table" for a task read from a table row

    @property
    def closed(self) -> bool:
        return any(st.field in UNIT_FIELDS for st in self.statements)


@dataclass(slots=True)
class Subheading:
    label: str
    number: int
    text: str
    line: int
    lines: list[int] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)  # lines after the heading line, joined at the end


@dataclass(slots=True)
class Section:
    label: str
    number: int
    heading: str
    line: int | None  # None for the implicit section of tasks that come before any heading
    items: list[Item] = field(default_factory=list)
    subheadings: list[Subheading] = field(default_factory=list)
    text_parts: list[tuple[int, str]] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    kind: str = "topic"
    leaders: list[dict] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    last_arabic: int = 0  # number of the last `1.` task (running, so that no check rescans the section)
    last_cn: int = 0  # number of the last `(一)` task


@dataclass(slots=True)
class Part:
    title: str | None
    line: int | None  # the (last) line of the title
    first: int | None = None  # first line of a title broken over lines
    sections: list[Section] = field(default_factory=list)
    text_parts: list[tuple[int, str]] = field(default_factory=list)

    def last_number(self) -> int:
        for sec in reversed(self.sections):
            if sec.last_arabic:
                return sec.last_arabic
        return 0


@dataclass(slots=True)
class Kept:
    kind: str
    lines: list[int]
    texts: list[str]


@dataclass(slots=True)
class Doc:
    meta: list[dict] = field(default_factory=list)  # {key, value, lines, kind}
    parts: list[Part] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    unparsed: list[dict] = field(default_factory=list)
    diagnostics: list[dict] = field(default_factory=list)
    last_line: int = 0  # line of the last token that is not debris: where an excerpt was cut off

    def diag(self, level: str, code: str, line: int | None, message: str) -> None:
        if code == "truncated" and any(d["code"] == code and d["line"] == line for d in self.diagnostics):
            return  # said once per line
        self.diagnostics.append({"level": level, "code": code, "line": line, "message": message})

    def keep(self, kind: str, tok: Token) -> None:
        last = self.kept[-1] if self.kept else None
        if last and last.kind == kind and last.lines[-1] < tok.no:
            last.lines.append(tok.no)
            last.texts.append(tok.text)
        else:
            self.kept.append(Kept(kind, [tok.no], [tok.text]))

    def unparse(self, tok: Token, reason: str) -> None:
        self.unparsed.append({"line": tok.no, "text": tok.text, "reason": reason})


# ---------------------------------------------------------------------------------------------------
# helpers


def join_wrapped(parts: list[str]) -> str:
    """Join text wrapped over lines without inserting characters."""
    return "".join(parts)


def join_units(parts: list[str]) -> str:
    """Join a units statement wrapped over lines. A name broken over lines (`县交通运` / `输局`) is joined
    as is; a break that falls between two whole names with no separator gets one."""
    out = [parts[0]]
    last = parts[0]
    for nxt in parts[1:]:
        if last and nxt and last[-1] not in "、,，;；" and nxt[0] not in "、,，;；":
            if _ORG_SUFFIX.search(last[-12:]) and _JURISDICTION_START.match(nxt):
                out.append("、")
        out.append(nxt)
        last = nxt or last
    return "".join(out)


_OPENERS = frozenset("(（[［【〔")
_CLOSERS = frozenset(")）]］】〕")


def bracket_pairs(text: str) -> dict[int, int]:
    """For each opening bracket that closes: its index → the index just past its closer (one pass)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, c in enumerate(text):
        if c in _OPENERS:
            stack.append(i)
        elif c in _CLOSERS and stack:
            pairs[stack.pop()] = i + 1
    return pairs


def _scan_brackets(text: str, start: int) -> int:
    """Index just past the bracket group opening at ``start`` (nesting counted), or -1 if unclosed."""
    openers, closers = _OPENERS, _CLOSERS
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c in openers:
            depth += 1
        elif c in closers:
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def cn_label(n: int) -> str:
    """1 → 一, 12 → 十二 (for messages)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def label_field(label: str) -> str:
    return _label_fields().get(label, "units")


@lru_cache(maxsize=None)
def _label_fields() -> dict[str, str]:
    return {label: fieldname for label, fieldname in table("labels")}


@lru_cache(maxsize=None)
def _verb_roles() -> dict[str, str]:
    return {verb: role for verb, role in table("verbs")}


_SEGMENT = regex.compile(r"[，,；;]")
_JURISDICTION_START = regex.compile(r"[县市区省各镇乡]")


@lru_cache(maxsize=None)
def _verb_pattern() -> regex.Pattern:
    verbs = alternation("verbs")
    return regex.compile(rf"^(?P<units>[^，,；;。！？]{{2,200}}?)\s*(?P<verb>{verbs.pattern})$")


def verb_segments(content: str) -> list[tuple[str, str]] | None:
    """`区政务服务局牵头,区发改局、区审改办配合` → [("lead", "区政务服务局"), ("support", "区发改局、区审改办")].
    None when the first segment names no units with a verb (then it is an ordinary remark)."""
    roles = _verb_roles()
    pat = _verb_pattern()
    out = []
    pending: list[str] = []  # groups without a verb take the role of the next verb (`A、B等部门,C配合`)
    for seg in _SEGMENT.split(content):
        seg = seg.strip().rstrip("。")
        m = pat.match(seg) if seg else None
        if m:
            out.append((roles[m["verb"]], "、".join(pending + [m["units"]])))
            pending = []
        elif seg:
            pending.append(seg)
    if not out:
        return None
    if pending:
        out.append(("note", "，".join(pending)))
    return out


_OPEN = "(（[［【〔"


@lru_cache(maxsize=None)
def _label_opener() -> regex.Pattern:
    """A label and its colon at the start of a bracket's content (`责任单位:`)."""
    return regex.compile(rf"\s*(?P<label>{alternation('labels').pattern})\s*[:：]")


_OPEN_SEARCH = regex.compile(r"[(（\[［【〔]")


def find_inline(text: str) -> list[tuple[int, int, str | None, str]]:
    """Inline statements in a paragraph: (start, end, label or None for verb style, body).

    Only top-level bracket groups count; one that names a label (`(责任单位:…)`) or whose first segment
    ends in a verb of data/verbs.tsv (`(省农业厅牵头)`) is a statement; any other is part of the text."""
    opener = _label_opener()
    out = []
    i = 0
    n = len(text)
    while i < n:
        m = _OPEN_SEARCH.search(text, i)  # jump to the next opening bracket (C speed)
        if m is None:
            break
        i = m.start()
        end = _scan_brackets(text, i)
        if end < 0:
            break  # unclosed: nothing after it closes at the top level either
        content = text[i + 1:end - 1]
        m = opener.match(content)
        if m:
            out.append((i, end, m.group("label"), content[m.end():].strip()))
        elif verb_segments(content) is not None:
            out.append((i, end, None, content.strip()))
        i = end
    return out


# ---------------------------------------------------------------------------------------------------
# contextual roles the line-by-line lexer cannot see


def mark_signatures(tokens: list[Token]) -> None:
    """Short organisation-name lines directly before a date line are a signature (a joint notice is
    signed by up to three offices, one per line)."""
    for i, t in enumerate(tokens):
        if t.role not in ("date", "printed"):
            continue
        j = i - 1
        while j >= 0 and i - j <= 3:
            s = tokens[j]
            if s.role == "debris":
                j -= 1
                continue
            if s.role == "text" and len(s.text) <= 30 and not _SENTENCE.search(s.text) \
                    and _ORG_SUFFIX.search(s.text):
                s.role = "signature"
                j -= 1
                continue
            break


def find_body_start(tokens: list[Token]) -> int:
    """Where the task list begins. A list title followed closely by a heading or a task wins, unless
    units were already stated before it; else the first heading, or the first task numbered 1."""
    first_struct = None
    for i, t in enumerate(tokens):
        if t.role == "label":
            break
        if t.role == "list_title":
            for nxt in tokens[i + 1:i + 8]:
                if nxt.role in ("section", "subsection", "item", "label"):
                    return i
                if nxt.role == "list_title":
                    break
        elif first_struct is None and (
            t.role == "section" or (t.role == "item" and t.groups["num"] == "1" and t.groups["sep"])
        ):
            first_struct = i
    if first_struct is not None:
        return first_struct
    for i, t in enumerate(tokens):
        if t.role in ("section", "list_title") or (t.role == "item" and t.groups["num"] == "1" and t.groups["sep"]):
            return i
    return len(tokens)


# ---------------------------------------------------------------------------------------------------
# the parser


class Parser:
    def __init__(self, tokens: list[Token], layout: str = "auto"):
        self.tokens = tokens
        self.layout = layout
        self.doc = Doc()
        self.part: Part | None = None
        self.section: Section | None = None
        self.sub: Subheading | None = None
        self.item: Item | None = None
        self.mode = "body"  # body | attachment | colophon
        self.sub_open = False  # text lines still go to the last sub-heading
        self.bullet: dict | None = None  # a `• key:` whose value may follow on the next lines

    # -- meta ------------------------------------------------------------------------------------
    def meta(self, key: str, value: str, tok: Token, kind: str) -> dict:
        entry = {"key": key, "value": value, "lines": [tok.no, tok.no], "kind": kind}
        self.doc.meta.append(entry)
        return entry

    def meta_kv(self, tok: Token) -> None:
        keys = spaced_alternation("meta_keys")
        text = tok.text
        found = [
            m for m in keys.finditer(text)
            if (m.start() == 0 or text[m.start() - 1] in " \t") and not text[m.end():m.end() + 1].isalnum()
            or m.start() == 0
        ]
        for j, m in enumerate(found):
            end = found[j + 1].start() if j + 1 < len(found) else len(text)
            value = text[m.end():end].strip().lstrip(":：").strip()
            self.meta(m.group().replace(" ", ""), value, tok, "kv")
        self.bullet = None

    def meta_line(self, tok: Token) -> bool:
        """Handle the roles that are document facts wherever they appear. True if handled."""
        role = tok.role
        if role == "debris":
            self.doc.unparse(tok, "debris")
            return True
        if role == "meta_kv":
            self.meta_kv(tok)
            return True
        if role == "meta_bullet":
            self.bullet = self.meta(tok.groups["key"].strip(), tok.groups["value"].strip(), tok, "bullet")
            return True
        if role in _BULLET_VALUE and self.bullet is not None and not self.bullet["value"]:
            self.bullet["value"] = tok.text
            self.bullet["lines"][1] = tok.no
            self.bullet = None
            return True
        self.bullet = None
        if role == "notice_title":
            self.meta("notice_title", tok.groups["title"], tok, "notice_title")
            return True
        if role == "doc_number":
            self.meta("doc_number", tok.groups["value"], tok, "doc_number")
            return True
        if role == "signature":
            self.meta("signature", tok.text, tok, "signature")
            return True
        if role == "date":
            self.meta("date", tok.groups["value"], tok, "date")
            return True
        return False

    # -- run -------------------------------------------------------------------------------------
    def run(self) -> Doc:
        mark_signatures(self.tokens)
        start = find_body_start(self.tokens)
        self.tables = {}
        if self.layout in ("auto", "table"):
            from .tables import find_tables

            for tb in find_tables([t.line for t in self.tokens]):
                self.tables[tb.start] = tb
            if self.tables:
                start = min(start, min(self.tables))
        notice_seen = False
        # a table header is never the second half of a broken list title (the table takes its line)
        head = self.title_head(start) if start not in self.tables else None
        for tok in self.tokens[:start]:
            if tok is head:
                continue
            if self.meta_line(tok):
                notice_seen = notice_seen or tok.role in ("notice_title", "doc_number")
                continue
            self.doc.keep("notice" if notice_seen else "preamble", tok)
        i = start
        while i < len(self.tokens):
            tb = self.tables.get(i)
            if tb is not None and self.mode == "body":
                self.on_table(tb)
                i = max(tb.end, i + 1)
                continue
            self.body(i)
            i += 1
        self.close_item()
        self.doc.last_line = max((t.no for t in self.tokens if t.role != "debris"), default=0)
        return self.doc

    def title_head(self, start: int) -> Token | None:
        """A list title broken over two lines: a short line without punctuation right before it."""
        if start >= len(self.tokens) or start == 0 or self.tokens[start].role != "list_title":
            return None
        prev, title = self.tokens[start - 1], self.tokens[start]
        if prev.role == "text" and len(prev.text) <= 30 and not _SENTENCE.search(prev.text) \
                and title.no - prev.no <= 3 and not prev.text.endswith(("：", ":")):
            title.groups["title"] = prev.text + title.groups["title"]
            title.groups["first"] = prev.no
            return prev
        return None

    def body(self, i: int) -> None:
        tok = self.tokens[i]
        role = tok.role
        if self.mode != "body":
            if role == "debris":
                self.doc.unparse(tok, "debris")
                return
            if role in ("cc", "printed") or (self.mode == "colophon"):
                self.mode = "colophon"
                self.doc.keep("colophon", tok)
                return
            self.doc.keep("attachment", tok)
            return
        if self.layout == "table" and role in ("item", "subsection", "label"):
            role = "text"  # --layout table: only tables give tasks; other numbered lines are text
            tok.role = "text"
        if role != "text" and role != "debris":
            self.sub_open = False  # a sub-heading takes the text lines right after it, no others
        if role in _ENDS_TASK and self.item is not None:
            self.close_item()  # a date, 文号 or notice line ends the task: nothing may stretch its line range
        if self.meta_line(tok):
            return
        handler = getattr(self, "on_" + role, None)
        if handler is None:
            self.on_text(tok)
        else:
            handler(tok, i)

    # -- structure ------------------------------------------------------------------------------
    def close_item(self) -> None:
        if self.item is not None:
            build_clauses(self.item, self.doc, inline=self.layout != "lines")
            self.item = None

    def new_part(self, title: str | None, line: int | None, first: int | None = None) -> Part:
        self.close_item()
        self.part = Part(title=title, line=line, first=first if first is not None else line)
        self.doc.parts.append(self.part)
        self.section = None
        self.sub = None
        return self.part

    def on_list_title(self, tok: Token, i: int) -> None:
        first = tok.groups.get("first", tok.no)
        if self.part is not None and not self.part.sections and self.part.title is None:
            self.part.title, self.part.line, self.part.first = tok.groups["title"], tok.no, first
            return
        if self.part is not None and not self.part.sections:
            # a second title line before any section: part of the title block
            self.part.text_parts.append((tok.no, tok.text))
            return
        self.new_part(tok.groups["title"], tok.no, first)

    def on_section(self, tok: Token, i: int) -> None:
        n = cn_number(tok.groups["num"])
        if self.part is None:
            self.new_part(None, None)
        elif self.section is not None and n != self.section.number + 1:
            if n == 1 and self.part.sections:
                self.new_part(None, None)
            else:
                self.doc.diag("warning", "section_out_of_sequence", tok.no,
                              f"section {tok.groups['num']} after {self.section.label}: read as text")
                self.on_text(tok)
                return
        self.close_item()
        self.section = Section(label=tok.groups["num"], number=n, heading=tidy(tok.groups["title"]), line=tok.no)
        self.part.sections.append(self.section)
        self.sub = None

    def _ensure_section(self, tok: Token) -> Section:
        if self.part is None:
            self.new_part(None, None)
        if self.section is None:
            self.section = Section(label="", number=0, heading="", line=None)
            self.part.sections.append(self.section)
            self.doc.diag("info", "implicit_section", tok.no, "tasks before any `一、` heading")
        return self.section

    def on_subsection(self, tok: Token, i: int) -> None:
        sec = self._ensure_section(tok)
        title = tok.groups["title"]
        n = cn_number(tok.groups["num"])
        is_task = (self.layout != "lines" and bool(find_inline(title))) or self._next_role(i) == "label"
        self.close_item()
        if is_task:
            if sec.last_cn and n <= sec.last_cn:
                # `(一)` again (a repeated line): not a second task with the same label
                self.doc.diag("warning", "item_out_of_sequence", tok.no,
                              f"task ({tok.groups['num']}) after ({cn_label(sec.last_cn)}): read as text")
                self.on_text(tok)
                return
            sec.last_cn = n
            self.item = Item(label=f"({tok.groups['num']})", number=n, first=tok.no, last=tok.no, style="cn",
                             subheading=None)
            self.item.text_parts.append((tok.no, title))
            sec.items.append(self.item)
        else:
            self.sub = Subheading(label=tok.groups["num"], number=n, text=title, line=tok.no, lines=[tok.no])
            sec.subheadings.append(self.sub)
            self.sub_open = True

    def _next_role(self, i: int) -> str | None:
        tokens = self.tokens
        for j in range(i + 1, len(tokens)):
            if tokens[j].role != "debris":
                return tokens[j].role
        return None

    def expected(self, sec: Section) -> tuple[int, ...]:
        if sec.last_arabic:
            return (sec.last_arabic + 1,)
        run_on = self.part.last_number() + 1 if self.part else 1
        return (1, run_on) if run_on != 1 else (1,)

    def on_item(self, tok: Token, i: int) -> None:
        g = tok.groups
        n = int(g["num"])
        body = g["body"]
        sec = self.section
        if sec is None:
            if n != 1 or not g["sep"]:
                self.on_text(tok)
                return
            sec = self._ensure_section(tok)
        expected = self.expected(sec)
        open_item = self.item is not None and not self.item.closed
        ok = False
        if n in expected:
            if g["sep"]:
                # `2.5亿元` wrapped inside an open task is a decimal, not task 2
                ok = not (open_item and g["sep"] == "." and body[:1].isdigit() and not tok.text[len(g["num"]) + 1:][:1].isspace())
            else:
                ok = not open_item and bool(body) and not _MEASURE.match(body)
        elif g["sep"] and not open_item and expected[-1] < n <= expected[-1] + 2 and sec.items:
            ok = True
            self.doc.diag("warning", "item_number_gap", tok.no, f"task {n} follows task {expected[-1] - 1}")
        if not ok:
            self.on_text(tok)
            return
        self.close_item()
        sec.last_arabic = n
        self.item = Item(label=g["num"], number=n, first=tok.no, last=tok.no, style="arabic",
                         subheading=self.sub.label if self.sub else None)
        self.item.text_parts.append((tok.no, body))
        sec.items.append(self.item)

    def on_label(self, tok: Token, i: int) -> None:
        label = tok.groups["label"]
        st = Statement(label=label, body=tok.groups["body"].strip().strip("|").strip(), lines=[tok.no],
                       field=label_field(label))
        if self.item is not None:
            self.item.statements.append(st)
            self.item.last = tok.no
        elif self.section is not None and not self.section.items:
            self.section.statements.append(st)
        else:
            self.doc.unparse(tok, "units_without_task")
            self.doc.diag("warning", "units_without_task", tok.no, "units line with no task before it")

    def on_text(self, tok: Token, i: int | None = None) -> None:
        item = self.item
        if item is not None:
            if not item.closed and not item.statements:
                item.text_parts.append((tok.no, tok.text))
                item.last = tok.no
                return
            st = item.statements[-1]
            if not st.inline and not st.ends_sentence():
                st.more.append(tok.text)
                st.lines.append(tok.no)
                item.last = tok.no
                return
            # text after a finished task: it belongs to the section, not to the task
            self.close_item()
        if self.sub_open:
            self.sub.text_parts.append(tok.text)
            self.sub.lines.append(tok.no)
            return
        if self.section is not None:
            self.section.text_parts.append((tok.no, tok.text))
            return
        if self.part is not None:
            self.part.text_parts.append((tok.no, tok.text))
            return
        self.doc.unparse(tok, "unrecognised")

    def on_table(self, tb) -> None:
        """A table (family K): each row becomes a task; category cells become topic sections."""
        self.close_item()
        self.bullet = None  # a `• key:` or a `(一)` before the table takes no line after it
        self.sub_open = False
        by_no = {t.no: t for t in self.tokens[tb.start:tb.end]}
        for n in tb.header_lines:
            if n in by_no:
                self.doc.keep("table", by_no[n])
        for n in tb.leftover:
            tok = by_no.get(n)
            if tok is not None:
                self.doc.unparse(tok, "debris" if tok.role == "debris" else "unrecognised")
        if tb.style == "unseparated":
            self.doc.diag("warning", "table_unseparated", by_no and min(by_no) or None,
                          "a table whose cells run together with no separator: not read (see unparsed)")
            return
        if self.part is None:
            self.new_part(None, None)
        self.table_header = tb.header
        claimed: set[int] = set()
        seen: dict[int, set[str]] = {}  # the task labels of each section the table writes to
        categories = {}
        for n in tb.category_lines:
            tok = by_no.get(n)
            if tok is not None:
                categories[tok.text] = n
        current = None
        for row in tb.rows:
            if row.category is not None and row.category != current:
                current = row.category
                line = categories.get(row.category)
                self.section = Section(label="", number=len(self.part.sections) + 1, heading=row.category,
                                       line=line)
                self.part.sections.append(self.section)
                self.sub = None
            sec = self.section or self._ensure_section(by_no[row.lines[0]] if row.lines else self.tokens[tb.start])
            labels = seen.setdefault(id(sec), {it.label for it in sec.items})
            if row.number and row.number in labels:
                for n in row.lines:
                    if n in by_no:
                        self.doc.unparse(by_no[n], "unrecognised")
                self.doc.diag("warning", "duplicate_row", min(row.lines, default=None),
                              f"table row {row.number} again: not read as a second task")
                claimed.update(row.lines)
                continue
            self.table_row(row, sec)
            labels.add(sec.items[-1].label)
            claimed.update(row.lines)
            if sec.line is not None:
                claimed.add(sec.line)
        # every line of the table lands somewhere: what the reader did not place goes to unparsed
        claimed.update(tb.header_lines, tb.leftover)
        for n, tok in by_no.items():
            if n not in claimed:
                self.doc.unparse(tok, "debris" if tok.role == "debris" else "unrecognised")
        self.item = None  # text after the table continues in the last section it wrote to

    def table_row(self, row, sec: Section) -> None:
        number = int(row.number) if row.number and row.number.isdigit() else len(sec.items) + 1
        lines = sorted(row.lines) or [0]
        item = Item(label=row.number or str(number), number=number, first=lines[0], last=lines[-1],
                    style="arabic", subheading=None, layout="table")
        sec.last_arabic = max(sec.last_arabic, number)
        texts = []
        for cell in row.cells:
            text = cell.text.strip().rstrip("?？").strip()
            if cell.kind == "task":
                texts.append(text)
            elif cell.kind in ("units", "lead", "support", "leader", "deadline", "status", "other"):
                if text in ("/", "／", "无", "-", "—") or not text:
                    continue
                item.statements.append(Statement(label=cell.column, body=text, lines=cell.lines or [lines[0]],
                                                 field=cell.kind))
        has_lead_column = any(kind == "lead" for _, kind in self.table_header)
        if has_lead_column and not any(st.field == "lead" for st in item.statements) and \
                any(st.field == "units" for st in item.statements):
            # the table says who leads in its own column: with that cell missing, no lead is guessed
            item.statements.append(Statement(label=None, body="", lines=[lines[-1]], field="lead"))
            self.doc.diag("warning", "lead_missing", lines[-1],
                          f"table row {item.label}: its lead cell is empty or cut off; no lead is guessed")
        item.text_parts.append((lines[0], "".join(texts)))
        sec.items.append(item)
        build_clauses(item, self.doc, inline=self.layout != "lines")
        if row.truncated:
            self.doc.diag("warning", "truncated", lines[-1],
                          f"table row {item.label} ends before all its columns: the input was cut off")

    def on_table_row(self, tok: Token, i: int) -> None:
        self.close_item()
        self.doc.keep("table", tok)

    def on_attachment(self, tok: Token, i: int) -> None:
        self.close_item()
        self.mode = "attachment"
        self.doc.keep("attachment", tok)

    def on_cc(self, tok: Token, i: int) -> None:
        self.close_item()
        self.mode = "colophon"
        self.doc.keep("colophon", tok)

    on_printed = on_cc

    def on_public_note(self, tok: Token, i: int) -> None:
        self.doc.keep("notice", tok)


def build_clauses(item: Item, doc: Doc, *, inline: bool = True) -> None:
    """Split an item's text into clauses: one per inline statement, plus the units line(s)."""
    for st in item.statements:
        st.finish()
    full = join_wrapped([t for _, t in item.text_parts])
    inline = find_inline(full) if inline else []
    pieces = []
    pos = 0
    for start, end, label, body in inline:
        seg = full[pos:start].strip()
        pieces.append(seg)
        st = Statement(label, body, [], inline=True, field=label_field(label) if label else "division")
        item.clauses.append(Clause(text=tidy(seg), statements=[st]))
        pos = end
    rest = full[pos:].strip()
    if rest:
        pieces.append(rest)
    item.text = tidy("".join(pieces))
    line_statements = [st for st in item.statements if not st.inline]
    if line_statements:
        text = tidy(rest) if inline else item.text
        item.clauses.append(Clause(text=text, statements=line_statements))
    elif inline and rest.strip("。.；;，,！!？? "):
        doc.diag("info", "text_without_units", item.first,
                 f"task {item.label}: text after its last units statement has no units of its own")
    for c in item.clauses:
        c.lines = [item.first, item.last]


def parse_tokens(tokens: list[Token], layout: str = "auto") -> Doc:
    return Parser(tokens, layout).run()
