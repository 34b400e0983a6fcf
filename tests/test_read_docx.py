"""Word (.docx) reading (issue 12): files made by python-docx (tests/docmake/docx.py) from text documents
whose reading is known, hand-built numbering and merged cells, and hostile files."""
from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from dutysplit.api import parse_bytes_dict, parse_file_dict
from dutysplit.audit import lossless_problems
from dutysplit.errors import InputError
from dutysplit.read.docx import read
from dutysplit.read.docx_numbering import fmt_number

from . import goldcheck
from .docmake import docx as docmake

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
# corpus excerpts whose pipe tables a Word table holds as written (h003, d025: cells merged by the builder);
# those whose text lost merged cells (ragged rows: d003, d012, d024) cannot be rebuilt faithfully
TASK_TABLES = ("h003", "h004", "d025", "n013")  # task tables: read by the rule table_docx
TABLE_DOCS = TASK_TABLES + ("d005", "d011", "h021", "h039")  # (the others: a page's metadata tables)
MAX = 50 * 1024 * 1024
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def clauses(doc: dict) -> list[tuple]:
    """(part, section label, item label, clause, leads, units, text) of every clause, as goldcheck reads them."""
    return list(goldcheck.walk(doc))


def _xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


def save(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


# ---- (a) samples, (f) lossless --------------------------------------------------------------------------

@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem[:3] for p in SAMPLES])
def test_sample_as_docx_reads_the_same_clauses(sample, tmp_path):
    text = sample.read_text(encoding="utf-8")
    data = docmake.from_text(text)
    assert _xml(data).count("<w:numPr>") >= 30  # numbers drawn by Word, not written
    doc = parse_file_dict(save(tmp_path, sample.stem + ".docx", data))
    assert doc["source"]["format"] == "docx"
    want = clauses(parse_file_dict(str(sample)))
    assert want and clauses(doc) == want
    assert lossless_problems(doc, "\n".join(read(data, max_bytes=MAX).lines)) == []


# ---- (b) corpus tables, merged ----------------------------------------------------------------------------

@pytest.mark.parametrize("stem", TABLE_DOCS)
def test_corpus_table_as_docx_scores_as_the_text(stem, tmp_path):
    raw = CORPUS / "raw" / f"{stem}.txt"
    gold = goldcheck.load_gold(str(CORPUS / "gold" / f"{stem}.tsv"))
    data = docmake.from_text(raw.read_text(encoding="utf-8"), merge=True)
    doc = parse_file_dict(save(tmp_path, f"{stem}.docx", data))
    as_text, _ = goldcheck.compare(gold, parse_file_dict(str(raw)))
    as_docx, diffs = goldcheck.compare(gold, doc)
    assert as_docx == as_text, diffs
    from_table = [it for p in doc["parts"] for s in p["sections"] for it in s["items"] if it["rule"] == "table_docx"]
    assert bool(from_table) == (stem in TASK_TABLES)
    assert lossless_problems(doc, "\n".join(read(data, max_bytes=MAX).lines)) == []


def test_merged_unit_cells_of_a_corpus_table_are_spread():
    data = docmake.from_text((CORPUS / "raw" / "h003.txt").read_text(encoding="utf-8"))
    assert "<w:vMerge/>" in _xml(data)
    blocks = read(data, max_bytes=MAX)
    (grid,) = blocks.grids
    units = [row[2] for row in grid.rows[1:]]
    assert all(c.text.strip() for c in units)  # no row left without its (merged) units
    shared = [(a, b) for a, b in itertools.pairwise(units) if a.lines == b.lines]
    assert shared and all(a.text == b.text for a, b in shared)
    assert len(blocks.lines) == len(set(zip(blocks.lines, blocks.positions)))


# ---- (c) automatic numbering ------------------------------------------------------------------------------

def _numbered_doc(levels: str, paragraphs: list[tuple[str | None, int | None, str]], *, nums: str = "",
                  style_num: str | None = None) -> bytes:
    """A docx with abstractNum 1 made of ``levels`` (w:lvl XML), num 1 → it (plus ``nums``), and paragraphs
    (style, ilvl, text): ilvl None = no numPr of its own."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    ns = f'xmlns:w="{W}"'
    numbering.append(parse_xml(f'<w:abstractNum {ns} w:abstractNumId="1">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {ns} w:numId="1"><w:abstractNumId w:val="1"/></w:num>'))
    for extra in filter(None, nums.split("|")):
        numbering.append(parse_xml(extra.replace("<w:num ", f"<w:num {ns} ", 1)))
    if style_num:
        style = document.styles["Heading 1"].element
        style.get_or_add_pPr().append(parse_xml(f"<w:numPr {ns}>{style_num}</w:numPr>"))
    for style, ilvl, text in paragraphs:
        p = document.add_paragraph(text, style=style)
        if ilvl is not None:
            num_id = 1 if ilvl >= 0 else 2
            p._p.get_or_add_pPr().insert(0, parse_xml(
                f'<w:numPr {ns}><w:ilvl w:val="{abs(ilvl) % 10}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


def test_chinese_headings_and_decimal_tasks_restarting_per_heading():
    levels = _lvl(0, "chineseCounting", "%1、") + _lvl(1, "decimal", "%2.") + _lvl(2, "decimal", "（%3）")
    data = _numbered_doc(levels, [(None, None, "重点工作责任分解"), (None, 0, "经济发展"), (None, 1, "增收。"),
                                  (None, 1, "稳投资。"), (None, 2, "细项"), (None, 0, "民生"), (None, 1, "办学。"),
                                  (None, 2, "细项"), (None, 1, "就业。")])
    assert read(data, max_bytes=MAX).lines == ["重点工作责任分解", "一、经济发展", "1.增收。", "2.稳投资。", "（1）细项",
                                               "二、民生", "1.办学。", "（1）细项", "2.就业。"]


def test_number_through_the_paragraph_style_and_overrides():
    # heading numbers from the style Heading 1 (第%1条); num 2 → the same list, restarting at 5
    levels = _lvl(0, "chineseCounting", "第%1条") + _lvl(1, "decimalEnclosedCircle", "%2")
    nums = '<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="1"><w:startOverride w:val="5"/>' \
           '</w:lvlOverride></w:num>'
    data = _numbered_doc(levels, [("Heading 1", None, "总则"), (None, 1, "甲"), (None, 1, "乙"),
                                  ("Heading 1", None, "分工"), (None, -1, "丙"), (None, -1, "丁")],
                         nums=nums, style_num='<w:numId w:val="1"/>')
    assert read(data, max_bytes=MAX).lines == ["第一条 总则", "①甲", "②乙", "第二条 分工", "⑤丙", "⑥丁"]


def test_two_nums_on_one_list_definition_count_on():
    # Word keeps counters per abstractNum: section 2's tasks use num 2 (same definition, no override) → 3, 4
    nums = '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    data = _numbered_doc(_lvl(0, "decimal", "%1."), [
        (None, None, "一、稳增长"), (None, 0, "甲。"), (None, 0, "乙。"),
        (None, None, "二、促创新"), (None, -10, "丙。"), (None, -10, "丁。")], nums=nums)
    assert read(data, max_bytes=MAX).lines == ["一、稳增长", "1.甲。", "2.乙。", "二、促创新", "3.丙。", "4.丁。"]


def test_a_restarted_num_restarts_the_shared_counter_once():
    # num 2 (same definition, startOverride 1) inserted mid-list restarts at 1; num 1 then counts on from
    # the shared counter (2, 3), and num 2 used again continues (4): the override applies on first use only
    nums = '<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>' \
           '</w:lvlOverride></w:num>'
    data = _numbered_doc(_lvl(0, "decimal", "%1."), [
        (None, 0, "甲。"), (None, 0, "乙。"), (None, -10, "另。"), (None, 0, "丙。"), (None, 0, "丁。"),
        (None, -10, "戊。")], nums=nums)
    assert read(data, max_bytes=MAX).lines == ["1.甲。", "2.乙。", "1.另。", "2.丙。", "3.丁。", "4.戊。"]


def test_fixture_builder_numbers_come_out_as_in_the_text():
    # each run 1, 2 … is a num with a startOverride on one abstractNum per written form
    text = "一、稳增长\n1.甲。\n2.乙。\n二、促创新\n1.丙。\n2.丁。\n3.戊。\n（1）子\n（2）丑\n三、惠民生\n1.己。\n（1）寅"
    assert read(docmake.from_text(text), max_bytes=MAX).lines == text.split("\n")
    assert "<w:numPr>" in _xml(docmake.from_text(text)) and "1.甲" not in _xml(docmake.from_text(text))


def test_level_that_never_restarts_bullets_and_legal_numbers():
    levels = (_lvl(0, "upperRoman", "%1.") + _lvl(1, "decimal", "%1.%2", extra='<w:lvlRestart w:val="0"/>')
              + _lvl(2, "bullet", "\uf0b7") + _lvl(3, "lowerLetter", "%4)"))
    data = _numbered_doc(levels, [(None, 0, "甲"), (None, 1, "子"), (None, 2, "点"), (None, 3, "小"), (None, 0, "乙"),
                                  (None, 1, "丑")])
    assert read(data, max_bytes=MAX).lines == ["I.甲", "I.1 子", "点", "a)小", "II.乙", "II.2 丑"]


@pytest.mark.parametrize("n,fmt,want", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCountingThousand", "十一"),
    (20, "chineseCounting", "二十"), (105, "chineseCounting", "一百零五"), (3, "ideographTraditional", "丙"),
    (27, "upperLetter", "AA"), (4, "lowerRoman", "iv"), (14, "upperRoman", "XIV"), (3, "decimalZero", "03"),
    (12, "decimalEnclosedCircle", "⑫"), (21, "decimalEnclosedCircle", "㉑"), (7, "bullet", ""),
    (9, "decimal", "9"), (3, "chineseLegalSimplified", "叁"),
])
def test_number_formats(n, fmt, want):
    assert fmt_number(n, fmt) == want


# ---- (d) merged cells, nested tables, line breaks, text boxes -------------------------------------------

def test_merged_cells_are_spread_and_each_paragraph_is_one_line():
    import docx

    document = docx.Document()
    document.add_paragraph("任务分解表")
    t = document.add_table(rows=4, cols=4)
    for r, row in enumerate([["序号", "工作任务", "牵头单位", "配合单位"], ["1", "任务甲。", "市财政局", "市税务局"],
                             ["2", "任务乙。", "", ""], ["3", "任务丙。", "市建设局", ""]]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    t.cell(1, 2).merge(t.cell(2, 2))  # vertical: lead over rows 2-3
    t.cell(3, 2).merge(t.cell(3, 3))  # horizontal: one cell over two columns
    inner = t.cell(1, 3).add_table(rows=1, cols=1)  # a nested table: its text stays in the cell
    inner.cell(0, 0).text = "市统计局"
    buf = io.BytesIO()
    document.save(buf)
    blocks = read(buf.getvalue(), max_bytes=MAX)
    rows = [[c.text for c in row] for row in blocks.grids[0].rows]
    assert rows[2][2] == rows[1][2] == "市财政局"
    assert rows[3][2] == rows[3][3] == "市建设局"
    assert rows[1][3] == "市税务局\n市统计局"
    assert blocks.grids[0].rows[2][2].lines == blocks.grids[0].rows[1][2].lines
    assert blocks.lines.count("市财政局") == 1 and blocks.lines.count("市建设局") == 1
    assert [c.col for c in blocks.grids[0].rows[3]] == [0, 1, 2, 3]
    at = dict(zip(blocks.lines, blocks.positions))
    assert at["任务分解表"] == "p1" and at["市财政局"] == "t1 r2 c3"
    assert at["市税务局"] == "t1 r2 c4 p1" and at["市统计局"].startswith("t1 r2 c4 p2")


def test_line_breaks_tabs_and_text_boxes():
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    p = document.add_paragraph("1.加强管理。")
    p.add_run().add_break()
    p.add_run("责任单位:\t市财政局")
    p.add_run("（隐藏）").font.hidden = True  # w:vanish: Word does not show it
    box = parse_xml(f'<w:r xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox>'
                    f'<w:txbxContent><w:p><w:r><w:t>框中文字</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>'
                    f'</w:pict></w:r>')
    document.add_paragraph("正文")._p.append(box)
    buf = io.BytesIO()
    document.save(buf)
    blocks = read(buf.getvalue(), max_bytes=MAX)
    assert blocks.lines == ["1.加强管理。", "责任单位: 市财政局", "正文", "框中文字"]
    assert blocks.positions == ["p1 l1", "p1 l2", "p2", "p2 box"]


# ---- (g) headers and footers ----------------------------------------------------------------------------

def test_headers_and_footers_are_debris_not_tasks(tmp_path):
    sample = SAMPLES[-1]
    text = sample.read_text(encoding="utf-8")
    data = docmake.from_text(text, header="某市人民政府办公室文件", footer="第 1 页 共 9 页")
    blocks = read(data, max_bytes=MAX)
    assert blocks.positions[-2:] == ["header", "footer"] and blocks.debris == {len(blocks.lines) - 1, len(blocks.lines)}
    doc = parse_file_dict(save(tmp_path, "hf.docx", data))
    unparsed = {u["text"] for u in doc["unparsed"] if u["reason"] == "debris"}
    assert {"某市人民政府办公室文件", "第 1 页 共 9 页"} <= unparsed
    assert clauses(doc) == clauses(parse_file_dict(str(sample)))
    assert lossless_problems(doc, "\n".join(blocks.lines)) == []


def test_footnotes_come_last_as_debris():
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    document = docx.Document()
    document.add_paragraph("正文。")
    xml = (f'<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
           f'</w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>注:数据截至年底。</w:t></w:r></w:p></w:footnote>'
           f'</w:footnotes>').encode()
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml", xml, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    buf = io.BytesIO()
    document.save(buf)
    blocks = read(buf.getvalue(), max_bytes=MAX)
    assert (blocks.lines, blocks.positions, blocks.debris) == (["正文。", "注:数据截至年底。"], ["p1", "footnote 1"], {2})


# ---- (e) hostile files ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    files = {"bomb": docmake.zip_bomb(d / "bomb.docx")}
    for name, make in (("entities", docmake.entity_bomb), ("damaged", docmake.damaged),
                       ("badxml", docmake.damaged_xml)):
        files[name] = d / f"{name}.docx"
        files[name].write_bytes(make())
    return files


REASONS = {"bomb": "expands to over", "entities": "declares XML entities", "damaged": "damaged",
           "badxml": "a damaged Word document"}


@pytest.mark.parametrize("name", list(REASONS))
def test_hostile_file_is_refused_quickly_in_bounded_memory(name, hostile):
    data = hostile[name].read_bytes()
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(InputError) as e:
            parse_bytes_dict(data, source=str(hostile[name]))
        with pytest.raises(InputError):  # the reader itself, past the format detection
            read(data, max_bytes=1 << 40)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - t0 < 5
    assert peak < 100 * 1024 * 1024
    assert REASONS[name] in e.value.reason and "\n" not in e.value.reason


@pytest.mark.parametrize("name", list(REASONS))
def test_hostile_file_through_the_command_line(name, hostile):
    path = str(hostile[name])
    exe = Path(sys.executable).with_name("dutysplit")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "dutysplit"]
    proc = subprocess.run([*cmd, "parse", path], check=False, capture_output=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1 and proc.stdout == b""
    assert "Traceback" not in err and err.count("\n") == 1
    assert err.startswith(f"dutysplit: error: {path}: ") and REASONS[name] in err
