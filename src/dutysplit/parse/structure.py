"""Stage 4: tokens → parts, sections, tasks. One handler per line role (``on_<role>``).

A task (:class:`Item`) opens at a numbered line that continues its section's sequence (or starts a new
one a little further on: one odd number does not end a list), collects its text and statement lines, and
is finished (:func:`.finish.finish_item`) when the next structure begins. Headings are provisional: a
`(一)` heading directly followed by statement lines, or carrying one, is a task; a `一、` paragraph that
states responsibility before any task under it is a task too (`五、加强…。…上述项目由区商务委牵头负责。`).
Every line lands somewhere (lossless): a task's range, a heading, section or part text, a kept block, or
``unparsed``.
"""
from __future__ import annotations

import regex

from ..lex import CIRCLED, Token
from ..statements import find_inline, find_run_in, read_prose, unit_like
from ..statements.unitlist import person_like
from ..statements.inline import has_label_start
from .finish import finish_item
from .headings import _STATEMENT_HINT, Headings, cn_label
from .front import ENDS_TASK, ITEM_ROLES, Front
from .model import Doc, Item, Part, Section, Subheading

_COLON_SPLIT = regex.compile(r"[:：]")
_NAME_SEP = regex.compile(r"[\s、,，]")
_CLAUSE_MARK = regex.compile(r"[。；;:：]")
_STOPS = regex.compile(r"[。；;]")

# a number directly followed by one of these is a quantity, not a task number (`10亿元…`)
_MEASURE = regex.compile(r"^[年月日号%％个万亿千百元米吨人家项次倍岁天期批座所条台辆艘公里亩栋户名]")
_ABOVE = regex.compile(r"^(?:上述|以上)")
_LINE_ROLES = frozenset(("item", "item_paren", "item_circled", "item_damaged", "subsection", "label", "bracket_line"))
_SENTENCE_END = ("。", ")", "）", "]", "】", "〕")


_LIST_SEP = regex.compile(r"[、,，;；:：]")
_NUMBERED = regex.compile(r"\s*\d{1,3}\s*[.、．]")


class Structure(Headings):
    """The state machine over body tokens; ``families`` are the enabled statement families."""

    def __init__(self, tokens: list[Token], doc: Doc, families: frozenset[str]):
        self.tokens = tokens
        self.doc = doc
        self.families = families
        self.front = Front(doc)
        self.part: Part | None = None
        self.section: Section | None = None
        self.sub: Subheading | None = None
        self.item: Item | None = None
        self.mode = "body"  # body | attachment | colophon
        self.sub_open = False
        self.inner = 0  # running number of an inner list (⑴, (1)) inside an outer task, 0 when none
        self.has_cn = any(t.role == "section" for t in tokens)
        self.free: list[tuple[object, int, str]] = []  # text lines outside tasks since the last task
        self.start = -1  # index of the token the body starts at
        self.lines_enabled = any(not f.startswith("table_") for f in families)

    # ------------------------------------------------------------------------------------ helpers
    def next_role(self, i: int) -> str | None:
        for j in range(i + 1, min(len(self.tokens), i + 6)):
            if self.tokens[j].role != "debris":
                return self.tokens[j].role
        return None

    def next_item_number(self, i: int, limit: int = 60) -> int | None:
        for j in range(i + 1, min(len(self.tokens), i + limit)):
            t = self.tokens[j]
            if t.role == "item" and t.groups.get("sep"):
                return int(t.groups["num"])
            if t.role in ("section", "list_title", "attachment"):
                return None
        return None

    def statement_line(self, tok: Token) -> bool:
        """A line that is (or carries, after a short prefix like `第一组:`) a statement of its own, or closes
        the sub-projects before it (`上述项目由区商务委牵头负责。`)."""
        if tok.role in ("label", "bracket_line"):
            return True
        t = tok.text
        if not _STATEMENT_HINT.search(t):
            return False
        if _ABOVE.match(t):
            prose = read_prose(t)
            return bool(prose) and prose[0].scope == "preceding"
        run = find_run_in(t)
        return run is not None and run[0] <= 8 and run[1].units != []

    def close_item(self) -> None:
        if self.item is not None:
            finish_item(self.item, self.doc, self.families)
            self.item = None

    def new_part(self, title: str | None, line: int | None, first: int | None = None) -> Part:
        self.close_item()
        self.part = Part(title=title, line=line, first=first if first is not None else line)
        self.doc.parts.append(self.part)
        self.section = None
        self.sub = None
        self.inner = 0
        return self.part

    def ensure_section(self, tok: Token) -> Section:
        if self.part is None:
            self.new_part(None, None)
        if self.section is None:
            self.section = Section(label="", number=0, heading="", line=None)
            self.part.sections.append(self.section)
        return self.section

    def open_item(self, label: str, number: int, tok: Token, style: str, body: str, sec: Section) -> Item:
        self.close_item()
        self.item = Item(label=label, number=number, first=tok.no, last=tok.no, style=style,
                         subheading=self.sub.label if self.sub else None)
        if body:
            self.item.text_parts.append((tok.no, body))
        sec.items.append(self.item)
        self.free = []
        return self.item

    # ------------------------------------------------------------------------------------ roles
    @staticmethod
    def _head_of(item: Item) -> int:
        """Index of the line that opened the last statement block (continuations are few; bounded walk)."""
        k = len(item.statements) - 1
        while k > 0 and item.statements[k][2]:
            k -= 1
            if len(item.statements) - k > 64:
                break
        return k

    def _before_above(self, i: int) -> bool:
        """Text lines up to a `上述…由…` line, nothing else between."""
        for j in range(i + 1, min(len(self.tokens), i + 12)):
            t = self.tokens[j]
            if t.role == "debris":
                continue
            if t.role != "text":
                return False
            if _ABOVE.match(t.text):
                return self.statement_line(t)
        return False

    def _next_tok(self, i: int) -> Token:
        for j in range(i + 1, len(self.tokens)):
            if self.tokens[j].role != "debris":
                return self.tokens[j]
        return self.tokens[i]

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
        if sec is None and (n != 1 or not g["sep"]) and not (self.part and n > 1 and g["sep"]) \
                and i != self.start:
            # a list that starts at a later number (a continuation page) is still a list
            nxt = self.next_item_number(i)
            if not (g["sep"] and nxt == n + 1):
                self.on_text(tok, i)
                return
        sec = sec or self.ensure_section(tok)
        expected = self.expected(sec)
        open_item = self.item is not None and not self.item.has_units and not (
            self.item.text_parts and self.item.text_parts[-1][1].rstrip().endswith((")", "）", "]", "】", "〕")))
        ok = False
        if n in expected:
            if g["sep"]:
                # `2.5亿元` wrapped inside an open task is a decimal, not task 2
                ok = not (open_item and g["sep"] == "." and body[:1].isdigit()
                          and not tok.text[len(g["num"]) + 1:][:1].isspace())
            else:
                ok = not open_item and bool(body) and not _MEASURE.match(body)
        elif g["sep"] and expected[-1] < n <= expected[-1] + 3 and (sec.items or not sec.last_arabic):
            ok = not (self.item is not None and not self.item.has_units and self.item.text_parts
                      and n > expected[-1] + 1 and self.next_item_number(i) != n + 1)
            if ok and sec.items:
                self.doc.diag("warning", "item_number_gap", tok.no, f"task {n} follows task {expected[-1] - 1}")
        elif not g["sep"] and sec.items and expected[-1] < n <= expected[-1] + 3 and not open_item and body \
                and not _MEASURE.match(body) and self.next_item_number(i) == n + 1:
            ok = True  # `9积极…` after task 7: the separator and task 8 were lost; the next task confirms
            self.doc.diag("warning", "item_number_gap", tok.no, f"task {n} follows task {expected[-1] - 1}")
        elif g["sep"] and not sec.items and sec.last_arabic == 0 and (self.next_item_number(i) == n + 1
                                                                      or i == self.start):
            ok = True  # a list that starts at a later number (a continuation page)
        elif g["sep"] and sec.items and n != sec.last_arabic and (
                self.next_item_number(i) == expected[-1] + 1 or n > expected[-1] and self.next_item_number(i) == n + 1):
            # (the last task's number again is a repeated line, not a damaged number)
            nxt = self.next_item_number(i)
            if nxt == expected[-1] + 1:
                n = expected[-1]  # one damaged number: the sequence goes on after it
                self.doc.diag("warning", "item_number_damaged", tok.no,
                              f"task numbered {g['num']} where {n} was expected: read as {n}")
            else:
                self.doc.diag("warning", "item_number_jump", tok.no, f"task {n} after task {expected[-1] - 1}")
            ok = True
        if not ok:
            self.on_text(tok, i)
            return
        sec.last_arabic = n
        self.inner = 0
        self.open_item(g["num"], n, tok, "arabic", body, sec)
        self.item.rule = "numbered"

    def on_item_paren(self, tok: Token, i: int) -> None:
        """`(3)` / `⑴`: an inner list under an open task that has no statements yet, or a task of its own."""
        g = tok.groups
        n = CIRCLED[g["circ"]] if g.get("circ") else int(g["num"])
        label = g["circ"] if g.get("circ") else f"({g['num']})"
        host = self.item
        if host is not None and not host.has_units and not host.statements and host.style == "arabic" \
                and self.inner == 0 and n != 1:
            self.on_text(tok, i)  # `(2)…` continuing the sub-points written inside the task's first line
            return
        if host is not None and host.style == "arabic" and not host.statements and self.inner == 0 and n == 1:
            # the outer line was a heading of the inner list (`1.约束性指标。` / `⑴…`)
            self._demote_to_subheading(host)
        elif self.inner and n != self.inner + 1 and not (host is None or host.has_units):
            self.on_text(tok, i)
            return
        sec = self.ensure_section(tok)
        self.inner = n
        self.open_item(label, n, tok, "arabic", g["body"], sec)
        self.item.rule = "numbered"

    on_item_circled = on_item_paren

    def on_item_damaged(self, tok: Token, i: int) -> None:
        """`?。ǘ┩七M…`: a `(N)` number turned to mojibake — the next task of the running `(N)` sequence."""
        sec = self.ensure_section(tok)
        if not sec.last_cn:
            self.on_text(tok, i)
            return
        n = sec.last_cn + 1
        sec.last_cn = n
        self.doc.diag("warning", "item_number_damaged", tok.no, f"damaged task number read as ({cn_label(n)})")
        self.open_item(f"({cn_label(n)})", n, tok, "cn", tok.groups["body"], sec)
        self.item.rule = "cn_item"

    def on_label(self, tok: Token, i: int) -> None:
        if self.item is None and self.free and self.free[-1][1] == self._prev_no(i) \
                and not _NUMBERED.match(self.free[-1][2]):
            # (a numbered line the sequence refused — a duplicate `1.` — is not an unnumbered task)
            self._unnumbered_from_free(tok)
        if self.item is not None:
            self.item.statements.append((tok.no, tok.text, False))  # read when the task is finished
            self.item.last = tok.no
            return
        if self.section is not None and not self.section.items:
            self.section.statements.append((tok.no, tok.text, False))
            self.section.text_parts.append((tok.no, tok.text))
            return
        self.doc.unparse(tok.no, tok.text, "units_without_task")
        self.doc.diag("warning", "units_without_task", tok.no, "units line with no task before it")

    def _prev_no(self, i: int) -> int | None:
        for j in range(i - 1, -1, -1):
            if self.tokens[j].role != "debris":
                return self.tokens[j].no
        return None

    def _unnumbered_from_free(self, tok: Token) -> None:
        """A text line right before a label block, with no task open: an unnumbered task (`市区新增…` /
        `责任单位:市教育局`)."""
        holder, no, text = self.free.pop()
        if hasattr(holder, "text_parts"):
            holder.text_parts = [(n, t) for n, t in holder.text_parts if n != no]
        sec = self.ensure_section(tok)
        label, count = _unnumbered_label(sec)
        self.item = Item(label=label, number=count, first=no, last=no, style="none",
                         subheading=self.sub.label if self.sub else None)
        self.item.text_parts.append((no, text))
        self.item.rule = "unnumbered"
        sec.items.append(self.item)
        self.free = []

    def on_bracket_line(self, tok: Token, i: int) -> None:
        if self.item is not None and find_inline(tok.text):
            self.item.statements.append((tok.no, tok.text, False))
            self.item.last = tok.no
            return
        self.on_text(tok, i)

    def on_text(self, tok: Token, i: int | None = None) -> None:
        if i is not None and self._unit_heading(tok, i):
            return
        item = self.item
        if item is not None:
            if not item.statements and not self.statement_line(tok):
                item.text_parts.append((tok.no, tok.text))
                item.last = tok.no
                return
            if item.statements and self._continues_statement(item, tok):
                item.statements.append((tok.no, tok.text, True))
                item.last = tok.no
                return
            if self.statement_line(tok):
                item.statements.append((tok.no, tok.text, False))
                item.last = tok.no
                return
            if i is not None and self._before_above(i):
                # more sub-projects, closed by their own `上述项目由…` line: still this task
                item.text_parts.append((tok.no, tok.text))
                item.last = tok.no
                return
            self.close_item()
        if self._run_in_task(tok):
            return
        if self.sub_open and self.sub is not None:
            self.sub.text += tok.text
            self.sub.lines.append(tok.no)
            return
        if self.section is not None:
            self.section.text_parts.append((tok.no, tok.text))
            self.free.append((self.section, tok.no, tok.text))
            if not self.section.items and self._heading_is_task(tok):
                return
            return
        if self.part is None:
            self.new_part(None, None)
        self.part.text_parts.append((tok.no, tok.text))
        self.free.append((self.part, tok.no, tok.text))

    def _run_in_task(self, tok: Token) -> bool:
        """A line outside any task that carries its task and a run-in label (`完成…。责任单位:X,完成时间:…`):
        an unnumbered task."""
        if "run_in_label" not in self.families or not _STATEMENT_HINT.search(tok.text) and ":" not in tok.text \
                and "：" not in tok.text:
            return False
        run = find_run_in(tok.text)
        if run is None or run[0] < 4 or not run[1].units:
            return False
        sec = self.ensure_section(tok)
        label, count = _unnumbered_label(sec)
        self.item = Item(label=label, number=count, first=tok.no, last=tok.no, style="none",
                         subheading=self.sub.label if self.sub else None, rule="run_in_label")
        self.item.text_parts.append((tok.no, tok.text))
        sec.items.append(self.item)
        self.free = []
        return True

    def _continues_statement(self, item: Item, tok: Token) -> bool:
        """A units line wrapped onto the next line (`责任单位:县交通运` / `输局`)."""
        from ..vocab import UNIT_ROLES, role_of

        prev = item.statements[-1][1]
        head = item.statements[self._head_of(item)][1]
        if prev.rstrip().endswith(_SENTENCE_END) or has_label_start(tok.text) or not has_label_start(head):
            return False
        label = _COLON_SPLIT.split(head, maxsplit=1)[0]
        t = tok.text
        if role_of(label) == "leader":
            # `责任领导:胡选坤 市委副书记` / `马兴赞 市委常委、…`: one more person under the same label
            first = _NAME_SEP.split(t.strip(), maxsplit=1)[0]
            return len(t) <= 40 and not _CLAUSE_MARK.search(t) and person_like(first)
        if role_of(label) not in UNIT_ROLES:
            return False
        if len(t) > 80 or _STOPS.search(t[:-1]):
            return False
        first = t.split("、")[0].strip()
        if unit_like(first):
            return True
        if len(t) > 12:
            return False
        if prev.rstrip()[-1:] in "、,，":
            return True
        # a name broken across lines (`县交通运` / `输局`) is whole once joined; a short sentence
        # (`开发产品。`, the next unnumbered task) is not
        return unit_like(_LIST_SEP.split(prev)[-1].strip() + first)

    def on_table_row(self, tok: Token, i: int) -> None:
        self.close_item()
        self.doc.keep("table", tok.no, tok.text)

    def on_attachment(self, tok: Token, i: int) -> None:
        self.close_item()
        self.mode = "attachment"
        self.doc.keep("attachment", tok.no, tok.text)

    def on_cc(self, tok: Token, i: int) -> None:
        self.close_item()
        self.mode = "colophon"
        self.doc.keep("colophon", tok.no, tok.text)

    on_printed = on_cc

    def on_public_note(self, tok: Token, i: int) -> None:
        self.doc.keep("notice", tok.no, tok.text)

    # ------------------------------------------------------------------------------------ driver
    def body(self, i: int) -> None:
        tok = self.tokens[i]
        role = tok.role
        if self.mode != "body":
            if role == "debris":
                self.doc.unparse(tok.no, tok.text, "debris")
            elif role in ("cc", "printed") or self.mode == "colophon":
                self.mode = "colophon"
                self.doc.keep("colophon", tok.no, tok.text)
            else:
                self.doc.keep("attachment", tok.no, tok.text)
            return
        if not self.lines_enabled and role in _LINE_ROLES:
            role = "text"  # `--layout table`: only tables give tasks
        if role != "text" and role != "debris":
            self.sub_open = False
        if role in ENDS_TASK and self.item is not None:
            self.close_item()
        if self.front.line(tok):
            return
        handler = getattr(self, "on_" + role, None) if role != "text" else None
        if handler is None:
            self.on_text(tok, i)
        else:
            handler(tok, i)




def _unnumbered_label(sec) -> tuple[str, int]:
    """An unnumbered task is numbered 1, 2, 3 … in order; inside a numbered list (where that number is a
    numbered task's) it is named after the task before it (`7.1`, `7.2`): labels stay unique. O(1)."""
    sec.unnumbered += 1
    count = sec.unnumbered
    last = sec.items[-1] if sec.items else None
    if not (sec.last_arabic or sec.last_cn) or last is None:
        return str(count), count
    if last.style == "none" and "." in last.label:
        base, k = last.label.rsplit(".", 1)
        return f"{base}.{int(k) + 1}", count
    return f"{last.label}.1", count


__all__ = ["Structure", "ITEM_ROLES", "cn_label"]
