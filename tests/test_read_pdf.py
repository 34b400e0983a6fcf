"""The PDF reader (issue 12): real PDFs made by reportlab (tests/docmake/pdf.py) from documents whose reading
is known — the samples, and corpus excerpts with tables — read to the same clauses as their text; page
chrome is debris; every line is accounted for; hostile PDFs fail with one clear line, fast, in bounded
memory."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from .conftest import run_measured

from dutysplit.api import parse_file_dict
from dutysplit.audit import lossless_problems
from dutysplit.errors import InputError
from dutysplit.read.pdf import read
from dutysplit.read.pdflines import Margins, PLine, is_han, join, margins, mark_chrome, paragraphs

from . import goldcheck
from .docmake import pdf as mk

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
CORPUS = ROOT / "tests" / "data" / "corpus"
# corpus documents whose tables are pipe rows that say which cell is which (a merged cell written once,
# at the start of a short row). Left out: d003 (a cell running over two text lines), d024 (short rows
# whose missing cells are not the leading ones), d006 (a table cut by runs of spaces, which a PDF does not
# keep), h041 (its cells end in a converter's `?`, which the pipe splitter drops and a given grid keeps).
TABLE_DOCS = ["h003", "h004", "d005", "d011", "d012", "d025", "h039", "n001", "n013", "n049"]
DUTYSPLIT = str(Path(sys.executable).with_name("dutysplit"))
MB = 1 << 20


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every PDF of these tests, built once: {name: path}."""
    out = tmp_path_factory.mktemp("pdf")
    files = {}

    def put(name: str, data: bytes) -> None:
        files[name] = out / f"{name}.pdf"
        files[name].write_bytes(data)

    for p in SAMPLES:
        put(p.stem, mk.from_text(p.read_text(encoding="utf-8")))
    for stem in TABLE_DOCS:
        put(stem, mk.from_text((CORPUS / "raw" / f"{stem}.txt").read_text(encoding="utf-8")))
    put("scan", mk.scan())
    put("many", mk.many_pages(20000))
    put("broken_xref", mk.broken_xref())
    put("garbage", mk.garbage())
    put("encrypted", mk.encrypted())
    return files


@pytest.fixture(scope="module")
def parsed(built):
    return {name: parse_file_dict(str(path)) for name, path in built.items()
            if name in {p.stem for p in SAMPLES} | set(TABLE_DOCS)}


# (a) the samples: the same clauses as their text ------------------------------------------------------


@pytest.mark.parametrize("sample", [p.stem for p in SAMPLES])
def test_a_sample_as_pdf_reads_to_the_same_clauses(sample, parsed):
    text = list(goldcheck.walk(parse_file_dict(str(ROOT / "samples" / f"{sample}.txt"))))
    pdf = list(goldcheck.walk(parsed[sample]))
    assert len(text) > 50
    differ = [(a, b) for a, b in zip(text, pdf) if a != b]
    assert len(pdf) == len(text) and not differ, differ[:3]


# (b) corpus tables as ruled PDF tables, merged cells: the same score against gold -----------------------


@pytest.mark.parametrize("stem", TABLE_DOCS)
def test_a_corpus_table_as_pdf_scores_as_its_text(stem, parsed):
    gold = goldcheck.load_gold(str(CORPUS / "gold" / f"{stem}.tsv"))
    n_text, _ = goldcheck.compare(gold, parse_file_dict(str(CORPUS / "raw" / f"{stem}.txt")))
    n_pdf, diffs = goldcheck.compare(gold, parsed[stem])
    assert n_pdf == n_text, diffs


def test_ruled_tables_are_read_as_pdf_grids_with_merged_cells_spread(built):
    blocks = read(built["h003"].read_bytes(), max_bytes=10 * MB)
    assert len(blocks.grids) == 1
    rows = blocks.grids[0].rows
    assert [c.text for c in rows[0]] == ["序号", "主 要 工 作 任 务", "责任单位"]
    # rows 3 and 4 share one merged unit cell: the same text and line in both rows
    assert rows[3][2].text == rows[4][2].text == "市发展改革委" and rows[3][2].lines == rows[4][2].lines
    assert blocks.positions[rows[1][1].lines[0] - 1] == "page 1 t1 r2 c2"
    doc = parse_file_dict(str(built["h003"]))
    assert {it["rule"] for s in doc["parts"][0]["sections"] for it in s["items"]} == {"table_pdf"}


def test_the_rule_fixture_is_built_the_same_every_time(tmp_path):
    a = mk.write_rule_fixture(tmp_path).read_bytes()
    assert a == mk.from_text(mk.RULE_TEXT, header=None)
    committed = ROOT / "tests" / "fixtures" / "rules" / "table_pdf--basic.pdf"
    if committed.exists():
        assert committed.read_bytes() == a


# wrapped lines ----------------------------------------------------------------------------------------


def test_wrapped_paragraphs_are_joined_back_and_short_ones_are_not():
    long = "1.完善区域创新布局,扎实推进G60科创走廊建设,积极推动国家高新区提质发展,加快建设亚太路科创带," * 3 + "构建创新共同体。"
    text = f"{long}\n责任单位:市科技局、市教育局\n2.一般公共预算收入增长7%。\n责任单位:市财政局"
    for indent in (True, False):
        blocks = read(mk.from_text(text, indent=indent, header=None), max_bytes=MB)
        body = [x for k, x in enumerate(blocks.lines, 1) if k not in blocks.debris]
        assert [x.replace(" ", "") for x in body] == [x.replace(" ", "") for x in text.split("\n")]
        # the paragraph is where its first physical line is; it took several
        assert blocks.positions[0] == "page 1 line 1" and int(blocks.positions[1].split()[-1]) >= 4


def _body(data: bytes) -> list[str]:
    blocks = read(data, max_bytes=MB)
    return [x for k, x in enumerate(blocks.lines, 1) if k not in blocks.debris]


@pytest.mark.parametrize("indent", [True, False])
def test_one_line_paragraphs_stay_apart_when_nothing_wraps(indent):
    # no line wraps: the longest line is not the full width, and (indented) every line starts at the indent
    text = "1.完善科技创新激励机制,营造创新氛围。\n市科技局\n2.支持高校提升科技创新能力。\n市教育局"
    assert _body(mk.from_text(text, header=None, indent=indent)) == text.split("\n")


@pytest.mark.parametrize("n", [34, 36])
def test_a_paragraph_filling_its_only_line_is_not_joined_to_the_next(n):
    # every line starts at the indent; one paragraph ends at (or a character before) the right margin
    text = "一、重点任务\n" + "甲" * (n - 1) + "。\n区消防救援大队\n2.完成年度任务。"
    assert _body(mk.from_text(text, header=None)) == text.split("\n")


def test_margins_trust_the_far_edge_only_when_lines_bear_it_out():
    def line(x0: float, x1: float, top: float) -> PLine:
        return PLine("字", x0, x1, top, top + 12, 12, 12, 1, 0)

    # all lines at the indent (102), one ending at 354: no line reached the edge, the column is symmetric
    m = margins([[line(102, 354, 80), line(102, 150, 100), line(102, 300, 120)]], [595.0])[595]
    assert (m.left, m.right) == (102, 493)
    # one line past the symmetric edge (a full indented line): the left margin mirrors the right one
    m = margins([[line(102, 519, 80), line(102, 150, 100), line(102, 470, 120)]], [595.0])[595]
    assert (m.left, m.right) == (76, 519)
    # wrapped paragraphs: lines at 78 and 102, several reaching 517
    m = margins([[line(102, 517, 80), line(78, 516, 100), line(78, 200, 120), line(102, 517, 140)]], [595.0])[595]
    assert (m.left, m.right) == (78, 517)


def test_a_wrapped_line_starting_with_a_label_is_joined_after_a_comma():
    first = "1.重点引进企业紧缺人才，定期公布人才目录。（牵头单位：市发展改革委，"
    text = f"{first}配合单位：市委组织部、市财政局）\n2.培养企业家。（牵头单位：市国资委）"
    data = mk.from_text(text, header=None)
    import pdfplumber  # the layout wrapped the paragraph right before the label

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert pdf.pages[0].extract_text_lines(strip=True)[0]["text"] == first
    assert _body(data) == text.split("\n")


def test_a_label_after_a_full_line_opens_a_paragraph_only_after_a_sentence_end():
    m = Margins(78.0, 517.0)

    def lines(*texts: str) -> list[PLine]:  # full lines at the left margin (no indent), 18 apart
        return [PLine(t, 78, 517 if k < len(texts) - 1 else 200, 80 + 18 * k, 92 + 18 * k, 12, 12, 1, k + 1)
                for k, t in enumerate(texts)]

    def shape(items: list[PLine]) -> list[list[str]]:
        return [[x.text for x in para] for para in paragraphs(items, lambda page: m)]

    assert shape(lines("…工程。责任单位:市建委,", "完成时间:2009年8月30日前。")) == \
        [["…工程。责任单位:市建委,", "完成时间:2009年8月30日前。"]]
    assert shape(lines("…加强城市道路建设管理、", "责任单位:市建委。")) == [["…加强城市道路建设管理、", "责任单位:市建委。"]]
    assert shape(lines("…加快工程建设。", "责任单位:市建委。")) == [["…加快工程建设。"], ["责任单位:市建委。"]]
    assert shape(lines("…加快工程建设:", "2.完成绿化。")) == [["…加快工程建设:"], ["2.完成绿化。"]]
    # found in PDFs LibreOffice made from Word: a units line filling the line, no full stop, then the next
    # task — a new paragraph (it was joined, and the next task lost)
    assert shape(lines("责任单位:县发改局、县人力社保局、县农业农村局、县属有关部门、各乡镇人民政府", "2.编制实施规划。")) == \
        [["责任单位:县发改局、县人力社保局、县农业农村局、县属有关部门、各乡镇人民政府"], ["2.编制实施规划。"]]
    assert shape(lines("…由县卫健局负责的第", "17、18件确定事项进展滞后。")) == \
        [["…由县卫健局负责的第", "17、18件确定事项进展滞后。"]]


def test_the_first_word_carries_the_marks_a_line_may_not_start_with():
    """`17、18件` wraps whole: the room left on the line before is measured against `17、`, not `17`."""
    from dutysplit.read.pdf import _first_width

    def chars(text: str, w: float = 6.0) -> list[dict]:
        out, x = [], 90.0
        for ch in text:
            width = 2 * w if is_han(ch) or ch in "、，" else w
            out.append({"text": ch, "x0": x, "x1": x + width})
            x += width
        return out

    assert _first_width(chars("17、18件"), 12) == 6 + 6 + 12
    assert _first_width(chars("推进"), 12) == 12
    assert _first_width(chars("GDP增长"), 12) == 18
    assert _first_width(chars("（一）"), 12) == 12


def test_join_puts_a_space_only_between_latin_pieces():
    assert join(["推进G60科创", "走廊建设"]) == "推进G60科创走廊建设"
    assert join(["the quick", "brown fox"]) == "the quick brown fox"
    assert join(["words, and,", "then more"]) == "words, and, then more"
    assert join(["增长6%", "以上"]) == "增长6%以上"
    assert join(["安装工程(二期)", ";持续推进"]) == "安装工程(二期);持续推进"
    assert join(["投资1067万元,", "GDP增长"]) == "投资1067万元,GDP增长"


def test_a_merged_cell_cut_by_a_page_break_goes_on_into_the_next_page():
    from dutysplit.grid.cells import Cell
    from dutysplit.grid.split import Grid
    from dutysplit.read.blocks import Blocks
    from dutysplit.read.pdf import PTable, _emit_table

    edges = [0.0, 10.0, 20.0]
    head = ["序号", "责任单位"]
    # page 1: the header, then rows 1-2 under one merged unit cell; page 2: row 3, its unit cell empty
    one = PTable(1, 1, 0, 30, edges, [[0, 1], [2, 4], [3, 4]], head + ["1", "2", "市财政局"])
    two = PTable(2, 1, 0, 10, edges, [[0, 1]], ["3", ""], cont=one)
    blocks = Blocks()
    _emit_table(one, blocks, Grid, Cell)
    _emit_table(two, blocks, Grid, Cell)
    assert len(blocks.grids) == 1
    rows = blocks.grids[0].rows
    assert [[c.text for c in r] for r in rows] == [head, ["1", "市财政局"], ["2", "市财政局"], ["3", "市财政局"]]
    assert rows[3][1].lines == rows[1][1].lines


# (c) page chrome is debris ------------------------------------------------------------------------------


def test_running_headers_and_page_numbers_are_debris_never_tasks(built, parsed):
    name = "002_943b2e701313101a"
    blocks = read(built[name].read_bytes(), max_bytes=10 * MB)
    chrome = [k for k, x in enumerate(blocks.lines, 1) if x == mk.HEADER or x.startswith("- ")]
    pages = max(int(p.split()[1]) for p in blocks.positions)
    assert pages >= 3 and len(chrome) == 2 * pages  # a header and a number on each page
    assert set(chrome) <= blocks.debris
    doc = parsed[name]
    debris = {u["line"] for u in doc["unparsed"] if u["reason"] == "debris"}
    assert set(chrome) <= debris
    texts = [it["text"] for p in doc["parts"] for s in p["sections"] for it in s["items"]]
    assert not [t for t in texts if mk.HEADER in t or "- 2 -" in t]


def _page(no: int, texts: list[tuple[str, float]]) -> list[PLine]:
    return [PLine(t, 78, 78 + 12 * len(t), top, top + 9, 9 if top < 60 or top > 780 else 12, 12, no, k)
            for k, (t, top) in enumerate(texts, 1)]


@pytest.mark.parametrize("footer", ["第{n}页", "第 {n} 页 共 3 页", "{n}/3", "— {n} —", "{n}"])
def test_page_number_forms_and_repeated_headers_are_chrome(footer):
    pages = [_page(n, [("某某报告", 40), (f"{n}.正文第一行", 80), ("正文第二行", 98), (footer.format(n=n), 800)])
             for n in (1, 2, 3)]
    mark_chrome(pages)
    assert [[x.debris for x in p] for p in pages] == [[True, False, False, True]] * 3


def test_a_line_at_the_top_of_two_pages_of_four_is_no_running_header():
    """A units line of a table cut by page breaks may open two pages by chance; marking it debris cost its
    task the units (found in a PDF LibreOffice made). A running header opens (nearly) every page."""
    def body(n):
        return [(f"正文{'甲乙丙丁'[n - 1]}一行", 120), (f"正文{'甲乙丙丁'[n - 1]}二行", 138)]

    pages = [_page(n, [("★区工信局、统计局" if n in (2, 3) else f"单位{'甲乙丙丁'[n - 1]}", 40), *body(n)])
             for n in (1, 2, 3, 4)]
    mark_chrome(pages)
    assert not any(x.debris for p in pages for x in p)
    pages = [_page(n, [("工作简报", 40), *body(n)]) for n in (1, 2, 3, 4)]
    mark_chrome(pages)
    assert [p[0].debris for p in pages] == [True] * 4


def test_a_body_line_is_not_chrome_for_recurring_at_the_page_edge():
    # the same line closing two pages, right under the text (no gap): body, not a footer
    pages = [_page(n, [(f"{n}.任务", 80), ("责任单位:市财政局", 98)]) for n in (1, 2)]
    mark_chrome(pages)
    assert not any(x.debris for p in pages for x in p)


# (d) lossless --------------------------------------------------------------------------------------------


def test_every_line_of_every_pdf_is_accounted_for_once(built, parsed):
    for name, doc in parsed.items():
        blocks = read(built[name].read_bytes(), max_bytes=10 * MB)
        assert lossless_problems(doc, "\n".join(blocks.lines)) == [], name
        assert len(doc["source"]["positions"]) == len(blocks.lines)


# (e) hostile PDFs through the CLI ----------------------------------------------------------------------


def _cli(path: Path) -> tuple[int, list[str], float, float]:
    code, _, err, took, peak = run_measured([DUTYSPLIT, "parse", str(path)], timeout=60)
    return code, err.decode("utf-8").splitlines(), took, peak


@pytest.mark.parametrize("name, reason", [
    ("scan", "no text layer (a scanned PDF?); run OCR first"),
    ("many", "a PDF of 20000 pages; at most 5000 are read"),
    ("garbage", "a damaged PDF ("),
    ("encrypted", "an encrypted PDF ("),
])
def test_a_hostile_pdf_fails_with_one_line_fast_in_bounded_memory(name, reason, built):
    code, err, took, peak = _cli(built[name])
    assert code == 1 and len(err) == 1, err
    assert err[0].startswith(f"dutysplit: error: {built[name]}: {reason}"), err
    assert took < 10 and peak < 300, (took, peak)


def test_a_broken_xref_is_recovered(built):
    code, err, took, peak = _cli(built["broken_xref"])
    assert code == 0 and err == [], err
    assert took < 10 and peak < 300
    doc = parse_file_dict(str(built["broken_xref"]))
    assert [it["label"] for s in doc["parts"][0]["sections"] for it in s["items"]] == ["1", "2", "3", "4", "5"]


def test_reading_errors_are_input_errors():
    with pytest.raises(InputError, match="over the limit of 200 bytes"):
        read(mk.from_text(mk.RULE_TEXT * 3), max_bytes=200)
    with pytest.raises(InputError, match="damaged PDF"):
        read(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF", max_bytes=MB)
    with pytest.raises(InputError):
        read(mk.from_text(mk.RULE_TEXT)[:700], max_bytes=MB)  # cut short
    # an owner password only: opened, but pdfminer cannot decode reportlab's encrypted CID font strings
    with pytest.raises(InputError, match="encrypted PDF whose text cannot be decoded"):
        read(mk.encrypted(""), max_bytes=MB)
