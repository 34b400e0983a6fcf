"""Around the tasks: document facts (metadata lines, notice, signature, date) and where the list begins."""
from __future__ import annotations

import regex

from ..data import spaced_alternation
from ..lex import Token
from .model import Doc

ORG_SUFFIX = regex.compile(r"(办公室|人民政府|政府|委员会|管委会|局|委|办|厅|部|中心|公司|民生办)$")
SENTENCE = regex.compile(r"[。；;，,！？]")
# roles a line may have been given that can still be the value of a `• key:` bullet above it
BULLET_VALUE = {"text", "item", "date", "doc_number", "signature", "bracket_line"}
# roles of document facts: met while a task is open, they end it
ENDS_TASK = {"meta_kv", "meta_bullet", "notice_title", "doc_number", "signature", "date", "public_note"}
ITEM_ROLES = ("item", "item_paren", "item_circled", "item_damaged")


class Front:
    """Metadata handling shared by the parser: every fact line becomes a ``meta`` entry with its line."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.bullet: dict | None = None  # a `• key:` whose value may follow on the next line

    def add(self, key: str, value: str, tok: Token, kind: str) -> dict:
        entry = {"key": key, "value": value, "lines": [tok.no, tok.no], "kind": kind}
        self.doc.meta.append(entry)
        return entry

    def kv(self, tok: Token) -> None:
        keys = spaced_alternation("meta_keys")
        text = tok.text
        found = [m for m in keys.finditer(text)
                 if m.start() == 0 or text[m.start() - 1] in " \t" and not text[m.end():m.end() + 1].isalnum()]
        for j, m in enumerate(found):
            end = found[j + 1].start() if j + 1 < len(found) else len(text)
            value = text[m.end():end].strip().lstrip(":：").strip()
            self.add(m.group().replace(" ", ""), value, tok, "kv")
        self.bullet = None

    def line(self, tok: Token) -> bool:
        """Handle a line whose role is a document fact, wherever it appears. True if handled."""
        role = tok.role
        if role == "debris":
            self.doc.unparse(tok.no, tok.text, "debris")
            return True
        if role == "meta_kv":
            self.kv(tok)
            return True
        if role == "meta_bullet":
            self.bullet = self.add(tok.groups["key"].strip(), tok.groups["value"].strip(), tok, "bullet")
            return True
        if role in BULLET_VALUE and self.bullet is not None and not self.bullet["value"]:
            self.bullet["value"] = tok.text
            self.bullet["lines"][1] = tok.no
            self.bullet = None
            return True
        self.bullet = None
        if role == "notice_title":
            self.add("notice_title", tok.groups["title"], tok, "notice_title")
        elif role == "doc_number":
            self.add("doc_number", tok.groups["value"], tok, "doc_number")
        elif role == "signature":
            self.add("signature", tok.text, tok, "signature")
        elif role == "date":
            self.add("date", tok.groups["value"], tok, "date")
        else:
            return False
        return True


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
            if s.role == "text" and len(s.text) <= 30 and not SENTENCE.search(s.text) and ORG_SUFFIX.search(s.text):
                s.role = "signature"
                j -= 1
                continue
            break


def _is_first_item(t: Token) -> bool:
    return t.role == "item" and t.groups["num"] in ("1", "01") and bool(t.groups["sep"])


def _in_attachments(tokens: list[Token], i: int) -> bool:
    """`附件:1.…` / `2.…`: the numbered entries of an attachment list, not tasks."""
    for j in range(i - 1, max(-1, i - 6), -1):
        r = tokens[j].role
        if r == "attachment":
            return True
        if r not in ("item", "debris"):
            return False
    return False


def _continues(tokens: list[Token], i: int) -> bool:
    """A numbered line followed (within a few lines) by the next number: a list that began before the
    excerpt (a continuation page starting at `15、`)."""
    t = tokens[i]
    if _in_attachments(tokens, i):
        return False
    if not (t.role == "item" and t.groups["sep"] or t.role == "item_paren"):
        return False
    n = int(t.groups["num"])
    for nxt in tokens[i + 1:i + 12]:
        if nxt.role == "item" and nxt.groups["sep"] or nxt.role == "item_paren":
            return n < int(nxt.groups["num"]) <= n + (1 if t.role == "item" else 3)
    return False


def find_body_start(tokens: list[Token]) -> int:
    """Where the task list begins. A list title followed closely by a heading or a task wins, unless units
    were already stated before it; else the first heading or task numbered 1, a run of numbered tasks that
    began before the excerpt, or the task line before the first label line."""
    first_struct = None
    first_label = None
    for i, t in enumerate(tokens):
        if t.role == "label":
            first_label = i
            break
        if t.role == "list_title":
            for nxt in tokens[i + 1:i + 8]:
                if nxt.role in ("section", "subsection", "label") or nxt.role in ITEM_ROLES:
                    return i
                if nxt.role == "list_title":
                    break
        elif first_struct is None and (t.role in ("section", "subsection") or _is_first_item(t)):
            first_struct = i
    for i, t in enumerate(tokens[: first_struct if first_struct is not None else
                                 first_label if first_label is not None else len(tokens)]):
        if t.role in ("section", "list_title") or _is_first_item(t) or _continues(tokens, i) or _stated(tokens, i):
            return _heading_before(tokens, i)
    if first_struct is not None:
        return _heading_before(tokens, first_struct)
    if first_label is not None:
        j = first_label - 1
        while j > 0 and tokens[j].role == "debris":
            j -= 1
        return j if j >= 0 and tokens[j].role == "text" else first_label
    for i, t in enumerate(tokens):
        if t.role in ITEM_ROLES and (_continues(tokens, i) or _stated(tokens, i)):
            return i
    return len(tokens)


def _stated(tokens: list[Token], i: int) -> bool:
    """A numbered line whose paragraph states who is responsible (a label line or a run-in label soon
    after): the one task of an excerpt is still a task."""
    if tokens[i].role != "item" or not tokens[i].groups["sep"]:
        return False
    from ..statements import find_inline, find_run_in

    if find_inline(tokens[i].text) or find_run_in(tokens[i].text):
        return True
    for t in tokens[i + 1:i + 8]:
        if t.role == "label" or t.role == "text" and find_run_in(t.text) is not None:
            return True
        if t.role == "item" and t.groups["sep"] or t.role in ("section", "subsection"):
            return False
    return False


def _heading_before(tokens: list[Token], k: int) -> int:
    """A first task right under a line that only names a unit (`凤台县政府` / `1.…`): start at that line."""
    from ..statements import unit_like

    j = k - 1
    while j >= 0 and tokens[j].role == "debris":
        j -= 1
    if j >= 0 and tokens[k].role == "item" and tokens[j].role == "text":
        t = tokens[j].text.strip()
        if len(t) <= 24 and not SENTENCE.search(t) and unit_like(t):
            return j
    return k


def title_head(tokens: list[Token], start: int) -> Token | None:
    """A list title broken over two lines: a short line without punctuation right before it."""
    if start >= len(tokens) or start == 0 or tokens[start].role != "list_title":
        return None
    prev, title = tokens[start - 1], tokens[start]
    if prev.role == "text" and len(prev.text) <= 30 and not SENTENCE.search(prev.text) \
            and title.no - prev.no <= 3 and not prev.text.endswith(("：", ":")):
        title.groups["title"] = prev.text + title.groups["title"]
        title.groups["first"] = prev.no
        return prev
    return None
