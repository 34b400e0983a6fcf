"""Headings: parts, `一、` sections, `(一)` sub-sections, and the headings that turn out to be tasks or that
name the unit leading the tasks under them (a mixin of :class:`.structure.Structure`)."""
from __future__ import annotations

import regex

from ..lex import Token, cn_number
from ..statements import find_inline, find_run_in, read_prose, unit_like
from .model import Item, Section, Subheading

_PUNCT = regex.compile(r"[。，,；;:：、]")
_STOPS = regex.compile(r"[。；;]")

_STATEMENT_HINT = regex.compile(r"由|负责|負責|牵头|牽頭|责任单位|責任單位|协办|協辦|配合|[(（\[［〔【]")
_INLINE = frozenset(("inline_label", "inline_verb", "bare_bracket"))


def cn_label(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


class Headings:
    """Handlers for heading lines; the state lives in :class:`.structure.Structure`."""

    def on_list_title(self, tok: Token, i: int) -> None:
        first = tok.groups.get("first", tok.no)
        if self.part is not None and not self.part.sections and self.part.title is None:
            self.part.title, self.part.line, self.part.first = tok.groups["title"], tok.no, first
            return
        if self.part is not None and not any(s.items for s in self.part.sections) and self.part.title:
            self.part.text_parts.append((tok.no, tok.text))
            return
        self.new_part(tok.groups["title"], tok.no, first)

    def on_section(self, tok: Token, i: int) -> None:
        n = cn_number(tok.groups["num"])
        if self.part is None:
            self.new_part(None, None)
        elif self.section is not None and self.section.style == "cn" and self.section.number and \
                n != self.section.number + 1:
            if n == 1 and self.part.sections:
                self.new_part(None, None)
            elif n <= self.section.number:
                self.doc.diag("warning", "section_out_of_sequence", tok.no,
                              f"section {tok.groups['num']} after {self.section.label}: read as text")
                self.on_text(tok, i)
                return
        self.close_item()
        self.section = Section(label=tok.groups["num"], number=n, heading=tok.groups["title"].strip(),
                               line=tok.no)
        self.part.sections.append(self.section)
        self.sub = None
        self.inner = 0
        self.free = []

    def on_subsection(self, tok: Token, i: int) -> None:
        title = tok.groups["title"]
        n = cn_number(tok.groups["num"]) or 0
        carries = bool(self.families & _INLINE) and bool(find_inline(title)) or bool(find_run_in(title)) or \
            _STATEMENT_HINT.search(title) and bool(read_prose(title))
        nxt = self.next_role(i)
        follows = nxt in ("label", "bracket_line") or (nxt == "text" and self.statement_line(self._next_tok(i)))
        if not carries and not follows and not title.rstrip().endswith((":", "：")):
            carries = self._paragraph_states(i)
        if carries or follows:
            sec = self.ensure_section(tok)
            if sec.last_cn and n <= sec.last_cn:
                self.doc.diag("warning", "item_out_of_sequence", tok.no,
                              f"task ({tok.groups['num']}) after ({cn_label(sec.last_cn)}): read as text")
                self.on_text(tok, i)
                return
            sec.last_cn = n
            self.open_item(f"({tok.groups['num']})", n, tok, "cn", title, sec)
            self.item.rule = "cn_item"
            return
        self.close_item()
        if not self.has_cn:
            # no `一、` headings in the document: `(一)` headings are its sections
            self._paren_section(tok)
            return
        sec = self.ensure_section(tok)
        self.sub = Subheading(label=tok.groups["num"], number=n, text=title, lines=[tok.no])
        sec.subheadings.append(self.sub)
        self.sub_open = True
        self.inner = 0

    def _paragraph_states(self, i: int) -> bool:
        """The `(一)` paragraph goes on over the next lines (a line break inside a sentence) and states who is
        responsible in a bracket there."""
        for j in range(i + 1, min(len(self.tokens), i + 6)):
            t = self.tokens[j]
            if t.role == "debris":
                continue
            if t.role not in ("text", "bracket_line"):
                return False
            if find_inline(t.text):
                return True
        return False

    def _paren_section(self, tok: Token) -> Section:
        if self.part is None:
            self.new_part(None, None)
        self.close_item()
        self.section = Section(label=tok.groups["num"], number=cn_number(tok.groups["num"]) or 0,
                               heading=tok.groups["title"].strip(), line=tok.no, style="paren")
        self.part.sections.append(self.section)
        self.sub = None
        self.inner = 0
        return self.section

    def _demote_to_subheading(self, item: Item) -> None:
        sec = self.section
        if sec is None or not sec.items or sec.items[-1] is not item:
            return
        sec.items.pop()
        text = "".join(t for _, t in item.text_parts)
        lines = sorted({item.first, item.last, *[n for n, _ in item.text_parts]})
        self.sub = Subheading(label=item.label, number=item.number, text=text, lines=[lines[0], lines[-1]])
        sec.subheadings.append(self.sub)
        self.item = None

    def _unit_heading(self, tok: Token, i: int) -> bool:
        """A line that is only a unit's name, heading tasks numbered from 1 (`凤台县政府` / `1.…`): the unit
        leads every task under it (family ``unit_heading``); each such group is a list of its own."""
        t = tok.text.strip()
        if len(t) > 24 or _PUNCT.search(t) or not unit_like(t) or "unit_heading" not in self.families:
            return False
        nxt = self._next_tok(i)
        if nxt.role != "item" or nxt.groups.get("num") not in ("1", "01"):
            return False
        if self.part is None or any(True for _ in self.part.items()):
            self.new_part(None, None)
        else:
            self.close_item()
        self.section = Section(label="", number=0, heading=t, line=tok.no, kind="unit", style="unit")
        self.section.statements.append((tok.no, t, False))
        self.part.sections.append(self.section)
        self.sub = None
        self.free = []
        return True

    def _heading_is_task(self, tok: Token) -> bool:
        """Section text that states responsibility (`上述项目由区商务委牵头负责。`) turns a `一、` paragraph with
        no tasks under it into a task of its own."""
        sec = self.section
        if sec is None or sec.line is None or sec.style != "cn" or not _STATEMENT_HINT.search(tok.text):
            return False
        if not _STOPS.search(sec.heading[:-1]) and len(sec.heading) < 30:
            return False
        prose = read_prose(tok.text)
        if not prose or prose[0].scope != "preceding":
            return False
        # the heading becomes task `五`; its section is the one before it (or none)
        self.part.sections.remove(sec)
        host = self.part.sections[-1] if self.part.sections else None
        if host is None or host.line is None and host.label == "":
            host = host or Section(label="", number=0, heading="", line=None)
            if host not in self.part.sections:
                self.part.sections.append(host)
        item = Item(label=f"({sec.label})", number=sec.number, first=sec.line, last=tok.no, style="heading")
        item.text_parts = [(sec.line, sec.heading)] + list(sec.text_parts)
        item.statements.append((tok.no, tok.text, False))
        item.rule = "cn_item"
        host.items.append(item)
        self.section = host
        self.item = item
        self.free = []
        return True
