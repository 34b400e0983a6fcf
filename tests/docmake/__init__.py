"""The fixture script: real Word, HTML, PDF and Excel files made by the libraries themselves, from a plain-text
document whose gold is known (a sample or a corpus excerpt), and the hostile files of issue 12.

``python -m tests.docmake OUTDIR`` writes them all; the tests call the builders directly (into tmp_path).
One module per format (``docx``, ``html``, ``pdf``, ``xlsx``), each with ``from_text(text) -> bytes`` and
its hostile files. Here: how a text document is cut into what a builder lays out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# a task number a word processor would draw itself (Word's automatic numbering): `1.` `1、` `(1)` `(一)` `一、`
NUMBER = re.compile(r"^\s*((?:[0-9]{1,3}[.、．](?![0-9]))|(?:[(（][0-9一二三四五六七八九十]{1,3}[)）])|(?:[一二三四五六七八九十]{1,3}、))\s*")


@dataclass
class Para:
    text: str


@dataclass
class TableBlock:
    rows: list[list[str]]  # cells as written in the text (`|` rows); rows may be ragged


def blocks_of(text: str) -> list[Para | TableBlock]:
    """Paragraphs (one per non-blank line) and tables (runs of two or more `|`-row lines: `a | b | c`)."""
    out: list[Para | TableBlock] = []
    run: list[list[str]] = []

    def flush():
        if len(run) >= 2:
            out.append(TableBlock([r[:] for r in run]))
        else:
            out.extend(Para(" | ".join(r)) for r in run)
        run.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        if line.count("|") >= 2:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            run.append(cells)
            continue
        flush()
        if line.strip():
            out.append(Para(line.strip()))
    flush()
    return out


def split_number(text: str) -> tuple[str | None, str]:
    """``("1.", "rest")`` when the paragraph starts with a number a word processor would draw; else (None, text)."""
    m = NUMBER.match(text)
    if not m or not text[m.end():].strip():
        return None, text
    return m.group(1), text[m.end():]
