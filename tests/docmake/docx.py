"""Word files made by python-docx from a plain-text document, and hostile ones.

``from_text``: each paragraph a Word paragraph; a leading task/heading number (``1.`` ``1、`` ``(1)``
``(一)`` ``一、``) is drawn by Word's automatic numbering (numbering.xml written here) when the text's
numbers run 1, 2, 3… (a new list for each run starting at 1); tables from the `|` rows, with vertically
adjacent equal cells merged (vMerge) as an author merges them.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from . import Para, TableBlock, blocks_of, split_number

_CN = "一二三四五六七八九"


def _value(digits: str) -> int | None:
    if digits.isdigit():
        return int(digits)
    if not digits or any(ch not in _CN + "十" for ch in digits):
        return None
    if "十" not in digits:
        return _CN.index(digits) + 1 if len(digits) == 1 else None
    tens, _, ones = digits.partition("十")
    t = (_CN.index(tens) + 1) if tens else 1
    return t * 10 + ((_CN.index(ones) + 1) if ones else 0)


def _kind(number: str) -> tuple[str, str, int] | None:
    """(numFmt, lvlText, value) for a number as written: `1.` → (decimal, `%1.`, 1)."""
    m = re.fullmatch(r"([(（]?)([0-9]+|[一二三四五六七八九十]+)([)）.、．]?)", number.strip())
    if not m:
        return None
    value = _value(m.group(2))
    if value is None:
        return None
    fmt = "decimal" if m.group(2).isdigit() else "chineseCounting"
    return fmt, f"{m.group(1)}%1{m.group(3)}", value


class _Lists:
    """numbering.xml definitions made on demand: one abstractNum per written form, one num per run."""

    def __init__(self, document) -> None:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        self.parse, self.ns = parse_xml, nsdecls("w")
        self.root = document.part.numbering_part.element
        self.forms: dict[tuple[str, str], int] = {}
        self.current: dict[tuple[str, str], tuple[int, int]] = {}  # form → (numId, last value)
        self.next_id = 1000

    def _abstract(self, fmt: str, text: str) -> int:
        key = (fmt, text)
        if key not in self.forms:
            self.next_id += 1
            el = self.parse(
                f'<w:abstractNum {self.ns} w:abstractNumId="{self.next_id}"><w:multiLevelType w:val="singleLevel"/>'
                f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl></w:abstractNum>')
            first_num = self.root.find(el.tag.replace("abstractNum", "num"))
            if first_num is not None:
                first_num.addprevious(el)
            else:
                self.root.append(el)
            self.forms[key] = self.next_id
        return self.forms[key]

    def number(self, paragraph, number: str) -> bool:
        """Draw ``number`` with automatic numbering on ``paragraph``; False when it must stay literal text."""
        kind = _kind(number)
        if kind is None:
            return False
        fmt, text, value = kind
        key = (fmt, text)
        cur = self.current.get(key)
        if cur is not None and value == cur[1] + 1:
            num_id = cur[0]
        elif value == 1:
            self.next_id += 1
            num_id = self.next_id
            self.root.append(self.parse(
                f'<w:num {self.ns} w:numId="{num_id}"><w:abstractNumId w:val="{self._abstract(fmt, text)}"/>'
                f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
        else:
            return False
        self.current[key] = (num_id, value)
        ppr = paragraph._p.get_or_add_pPr()
        ppr.insert(0, self.parse(f'<w:numPr {self.ns}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
        return True


def from_text(text: str, *, numbering: bool = True, merge: bool = True, header: str | None = None,
              footer: str | None = None) -> bytes:
    import docx

    document = docx.Document()
    lists = _Lists(document) if numbering else None
    for block in blocks_of(text):
        if isinstance(block, Para):
            number, rest = split_number(block.text) if numbering else (None, block.text)
            p = document.add_paragraph()
            if number and lists.number(p, number):
                p.add_run(rest.strip())
            else:
                p.add_run(block.text)
        else:
            _table(document, block, merge)
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        document.sections[0].footer.paragraphs[0].text = footer
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _table(document, block: TableBlock, merge: bool) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    width = max(len(r) for r in block.rows)
    rows = [r + [""] * (width - len(r)) for r in block.rows]
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        cells = table.rows[r].cells
        for c, value in enumerate(row):
            continues = merge and r >= 2 and c >= 1 and value.strip() and rows[r - 1][c] == value
            starts = merge and r >= 1 and c >= 1 and value.strip() and r + 1 < len(rows) \
                and rows[r + 1][c] == value and not continues
            tc_pr = cells[c]._tc.get_or_add_tcPr()
            if continues:
                tc_pr.append(parse_xml(f"<w:vMerge {nsdecls('w')}/>"))
                continue
            if starts:
                tc_pr.append(parse_xml(f'<w:vMerge {nsdecls("w")} w:val="restart"/>'))
            cells[c].paragraphs[0].text = value


def write_rule_fixture(directory) -> Path:
    """``table_docx--basic.docx``: a few rows of a task table, a unit cell merged over three rows."""
    text = ("2024年重点工作任务分解表\n"
            "序号 | 工作任务 | 牵头单位 | 责任单位 |\n"
            "1 | 一般公共预算收入增长7%。 | 市财政局 | 市税务局 |\n"
            "2 | 城镇新增就业1.5万人。 | 市人力社保局 | 各县(区)政府 |\n"
            "3 | 新建城市口袋公园2处。 | 市建设局 | 各县(区)政府 |\n"
            "4 | 改造老旧小区15个。 | 市建设局 | 各县(区)政府 |\n"
            "5 | 研发投入强度达到3.2%。 | 市科技局 | 市财政局、市统计局 |\n")
    path = Path(directory) / "table_docx--basic.docx"
    path.write_bytes(from_text(text))
    return path


# ---- hostile files -------------------------------------------------------------------------------------

_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
         b'<w:body><w:p><w:r><w:t xml:space="preserve">')


def _replace(base: bytes, name: str, write) -> bytes:
    """``base`` with member ``name`` written by ``write(zipfile, name)`` instead."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == name:
                write(dst, name)
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def _base() -> bytes:
    return from_text("1.加强财政收入管理。\n责任单位:市财政局")


def zip_bomb(path=None, *, size: int = (1 << 30) + (1 << 20)) -> bytes | Path:
    """A docx whose document.xml expands to ``size`` bytes (over 1 GB) of spaces inside a valid start,
    written in 1 MiB pieces (never held in memory). Written to ``path`` when given (returned), else bytes."""

    def write(z: zipfile.ZipFile, name: str) -> None:
        info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        piece = b" " * (1 << 20)
        with z.open(info, "w", force_zip64=True) as fh:
            fh.write(_HEAD)
            left = size - len(_HEAD)
            while left > 0:
                fh.write(piece[:left])
                left -= len(piece)

    data = _replace(_base(), "word/document.xml", write)
    if path is None:
        return data
    Path(path).write_bytes(data)
    return Path(path)


def entity_bomb() -> bytes:
    """A docx whose document.xml declares the billion-laughs entities."""
    ents = "".join(f'<!ENTITY lol{k} "{f"&lol{k - 1};" * 10}">' for k in range(1, 10))
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<!DOCTYPE lolz [<!ENTITY lol0 "lol">{ents}]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>').encode()
    return _replace(_base(), "word/document.xml", lambda z, name: z.writestr(name, xml))


def damaged() -> bytes:
    """A docx cut short (its central directory lost)."""
    data = _base()
    return data[: len(data) // 2]


def damaged_xml() -> bytes:
    """A whole zip whose document.xml is not well-formed XML."""
    xml = _HEAD + b"\xe4\xbb\xbb\xe5\x8a\xa1</w:p></w:body>"
    return _replace(_base(), "word/document.xml", lambda z, name: z.writestr(name, xml))
