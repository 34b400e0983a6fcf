"""Excel workbooks made by openpyxl from a text document, and the hostile workbooks of issue 12.

``from_text``: laid out as people lay out such a sheet. The paragraph just before the first table is a title
row merged across the table's columns; paragraphs between tables are section rows merged across; other
paragraphs (preamble, notes) are rows of one cell in column A. Each table row is a sheet row; a row with
fewer cells than the table (what a merged cell leaves in a text copy) fills the right-hand columns, and
with ``merge`` its empty left-hand cells are merged with the cell above, as are vertically adjacent equal
cells (not in the first column, not in the header row).
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from . import Para, TableBlock, blocks_of


def from_text(text: str, *, merge: bool = True) -> bytes:
    from openpyxl import Workbook

    # a lone `|` row (a header whose first body row is a section heading) is a table row too
    blocks = [TableBlock([[c.strip() for c in b.text.strip().strip("|").split("|")]])
              if isinstance(b, Para) and b.text.count("|") >= 2 else b for b in blocks_of(text)]
    width = max((len(_cells(r)) for b in blocks if isinstance(b, TableBlock) for r in b.rows), default=1)
    tables = [k for k, b in enumerate(blocks) if isinstance(b, TableBlock)]
    first, last = (tables[0], tables[-1]) if tables else (len(blocks), -1)
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    r = 0
    runs: dict[int, tuple[int, str]] = {}  # column → (first row of the run, its value)

    def close_runs(end: int) -> None:
        for col, (start, _) in runs.items():
            if merge and end > start:
                ws.merge_cells(start_row=start, start_column=col, end_row=end, end_column=col)
        runs.clear()

    for k, b in enumerate(blocks):
        if isinstance(b, Para):
            close_runs(r)
            r += 1
            ws.cell(row=r, column=1, value=b.text)
            if merge and width > 1 and (k == first - 1 or first < k < last):
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            continue
        for i, row in enumerate(b.rows):
            cells = _cells(row)
            pad = width - len(cells)
            r += 1
            for j, value in enumerate(cells, pad + 1):
                if value:
                    ws.cell(row=r, column=j, value=value)
            if i == 0 and not _NUMBERED.match(cells[0] if cells else ""):  # a header row: never merged
                close_runs(r - 1)
                continue
            for col in range(1, width + 1):
                value = cells[col - pad - 1] if col > pad else None
                run = runs.get(col)
                if run and (value is None and col <= pad or value and value == run[1] and col > 1):
                    continue  # the cell above spans down
                if run and r - 1 > run[0] and merge:
                    ws.merge_cells(start_row=run[0], start_column=col, end_row=r - 1, end_column=col)
                runs.pop(col, None)
                if value:
                    runs[col] = (r, value)
        close_runs(r)
    bio = io.BytesIO()
    wb.save(bio)
    return _stable(bio.getvalue())


def _stable(data: bytes) -> bytes:
    """The same bytes for the same text: member times and the document's dates fixed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), body,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


_NUMBERED = re.compile(r"^\s*(?:\d|[一二三四五六七八九十]{1,3}\s*、)")


def _cells(row: list[str]) -> list[str]:
    """A text row's cells as the text's pipe reader reads them (a stray `?` after a cell, left by a lost
    character, is no part of it), trailing empty ones (`| ||`) dropped."""
    from dutysplit.grid.split import _clean_cell

    cells = [_clean_cell(c) for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def write_rule_fixture(directory) -> Path:
    """``table_xlsx--basic.xlsx``: a title, a section row and a few task rows with merged units."""
    path = Path(directory) / "table_xlsx--basic.xlsx"
    path.write_bytes(from_text(RULE_TEXT))
    return path


RULE_TEXT = """\
2024年政府工作报告重点工作任务分解表
序号 | 主要工作任务 | 牵头单位 | 责任单位 |
一、稳定经济增长
1 | 地区生产总值增长6%左右。 | 市发展改革委 | 市统计局 |
2 | 固定资产投资增长6%以上。 | 市发展改革委 | 市统计局 |
3 | 社会消费品零售总额增长5.5%以上。 | 市商务局 | 市统计局 |
二、加快科技创新
4 | 完善科技创新激励机制,营造鼓励创新的社会氛围。 | 市科技局 | 市财政局、市科协 |
5 | 支持高校提升科技创新能力,深化科教融合。 | 市教育局 | 市科技局 |
"""


# ---- hostile workbooks -------------------------------------------------------------------------------

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
       'officedocument.spreadsheetml.worksheet+xml"/>'
       '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
       'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(rows_xml: str, extra: str = "", dimension: str = "A1:C2") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}>'
            f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData>{extra}</worksheet>')


_SST = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {_NS} count="3" uniqueCount="3">'
        '<si><t>序号</t></si><si><t>工作任务</t></si><si><t>牵头单位</t></si></sst>')
_ROWS = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>')


def _package(sheet: str | None = None, sst: str = _SST, sheet_writer=None) -> bytes:
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/sharedStrings.xml", sst)
        if sheet_writer is not None:
            sheet_writer(z)
        else:
            z.writestr("xl/worksheets/sheet1.xml", sheet or _sheet(_ROWS))
    return bio.getvalue()


def zip_bomb(size: int = (1 << 30) + (1 << 20)) -> bytes:
    """sheet1.xml expands to over 1 GB of spaces (streamed into the zip, never held in memory)."""
    def write(z: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = 1  # the fastest: a run of one byte deflates ~1000-fold at any level
        head = _sheet(_ROWS).encode()
        cut = head.index(b"<sheetData>")
        with z.open(info, "w", force_zip64=True) as fh:
            fh.write(head[:cut])
            block = b" " * (1 << 20)
            for _ in range(size // len(block)):
                fh.write(block)
            fh.write(head[cut:])
    return _package(sheet_writer=write)


def entity_bomb() -> bytes:
    """Billion laughs in sharedStrings.xml."""
    ents = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">'
                                     for k in range(1, 10)]
    sst = (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [{"".join(ents)}]>'
           f'<sst {_NS} count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    return _package(sst=sst)


def huge_dimension() -> bytes:
    """A sheet that claims A1:XFD1048576 and holds three cells."""
    return _package(_sheet(_ROWS, dimension="A1:XFD1048576"))


def huge_merge() -> bytes:
    """Three cells and a merged range over the whole sheet (openpyxl would build 17 billion cells)."""
    return _package(_sheet(_ROWS, '<mergeCells count="1"><mergeCell ref="A2:XFD1048576"/></mergeCells>'))


def damaged() -> bytes:
    """A real workbook cut short: its zip directory is gone."""
    data = from_text(RULE_TEXT)
    return data[: len(data) * 2 // 3]


def damaged_xml() -> bytes:
    """A whole zip whose sheet is not XML."""
    return _package("<worksheet><sheetData><row><c r=")
