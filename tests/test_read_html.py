"""The HTML reader (issue 12): web pages made from known text documents (tests/docmake/html.py) read to the
same clauses as the text; tables by structure (rowspan/colspan spread); page chrome as debris; HTML saved as
.txt; lossless; the CLI; hostile pages in bounded time."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dutysplit.api import parse_bytes_dict, parse_file_dict
from dutysplit.audit import lossless_problems
from dutysplit.errors import InputError
from dutysplit.read import read_path
from dutysplit.read.detect import detect
from dutysplit.read.html import read

from . import goldcheck
from .docmake import html as mk

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
CORPUS = ROOT / "tests" / "data" / "corpus"
# corpus excerpts with `|` tables that are whole page tables (d003 and d024 wrap rows over lines: their
# text is no faithful table, a page cannot be rebuilt from it)
TABLE_DOCS = ["h003", "h004", "d011", "d012", "h039", "h041", "n001", "n013", "n049"]
BIG = 1 << 30


def clauses(doc: dict) -> list[tuple]:
    """Per clause: part, section, item label, clause index, lead, units, item text."""
    return [(p, s, i, c, tuple(lead), tuple(units), text) for p, s, i, c, lead, units, text in goldcheck.walk(doc)]


def lines_of(path: Path) -> str:
    return "\n".join(read(path.read_bytes(), max_bytes=BIG).lines)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_a_sample_as_a_page_reads_to_the_same_clauses(sample, tmp_path):
    page = tmp_path / f"{sample.stem}.html"
    page.write_bytes(mk.from_text(sample.read_text(encoding="utf-8")))
    doc = parse_file_dict(str(page))
    want = clauses(parse_file_dict(str(sample)))
    assert want and clauses(doc) == want
    assert doc["source"]["format"] == "html"
    assert lossless_problems(doc, lines_of(page)) == []  # (f)


@pytest.mark.parametrize("stem", TABLE_DOCS)
def test_b_corpus_tables_as_page_tables_score_as_the_text(stem, tmp_path):
    raw = CORPUS / "raw" / f"{stem}.txt"
    gold = goldcheck.load_gold(str(CORPUS / "gold" / f"{stem}.tsv"))
    page = tmp_path / f"{stem}.html"
    page.write_bytes(mk.from_text(read_path(str(raw)).text))
    doc = parse_file_dict(str(page))
    as_text, _ = goldcheck.compare(gold, parse_file_dict(str(raw)))
    as_html, diffs = goldcheck.compare(gold, doc)
    assert as_html == as_text, diffs
    assert lossless_problems(doc, lines_of(page)) == []


def test_b_merged_cells_are_written_as_rowspan():
    page = mk.from_text(mk.RULE_TEXT).decode()
    assert 'rowspan="2"' in page  # 市发展改革委 of rows 3 and 4


def _grid(page: str):
    blocks = read(page.encode(), max_bytes=BIG)
    assert len(blocks.grids) == 1
    return blocks, [[(c.text, c.col) for c in row] for row in blocks.grids[0].rows]


def test_c_rowspan_and_colspan_are_spread():
    blocks, rows = _grid(
        "<table><thead><tr><th>序号</th><th>任务</th><th colspan=2>责任单位</th></tr></thead><tbody>"
        "<tr><td>1</td><td>甲任务</td><td rowspan=3>市发展改革委</td><td>市财政局</td></tr>"
        "<tr><td>2</td><td rowspan=2 colspan=1>乙任务<br>续写</td><td>市商务局</td></tr>"
        "<tr><td>3</td><td>市科技局</td></tr>"
        "</tbody><tfoot><tr><td colspan=4>备注</td></tr></tfoot></table>")
    assert rows == [
        [("序号", 0), ("任务", 1), ("责任单位", 2), ("责任单位", 3)],
        [("1", 0), ("甲任务", 1), ("市发展改革委", 2), ("市财政局", 3)],
        [("2", 0), ("乙任务\n续写", 1), ("市发展改革委", 2), ("市商务局", 3)],
        [("3", 0), ("乙任务\n续写", 1), ("市发展改革委", 2), ("市科技局", 3)],
        [("备注", 0), ("备注", 1), ("备注", 2), ("备注", 3)],
    ]
    merged = blocks.grids[0].rows[3][2]
    assert [blocks.lines[n - 1] for n in merged.lines] == ["市发展改革委"]  # the lines of the original cell
    assert blocks.positions[blocks.lines.index("续写")] == "t1 r3 c2 p2"


def test_c_nested_table_is_lines_of_its_cell_and_layout_tables_are_paragraphs():
    inner = "<table><tr><td>一</td><td>二</td></tr><tr><td>三</td><td>四</td></tr></table>"
    data = ("<tr><th>序号</th><th>任务</th><th>责任单位</th></tr>"
            f"<tr><td>1</td><td>甲{inner}</td><td>市财政局</td></tr>"
            "<tr><td>2</td><td>乙</td><td>市商务局</td></tr>")
    page = ("<html><body><table width=1000><tr><td>" + "<p>导航</p>" * 3 +
            f"<p>标题</p><table>{data}</table>" + "</td></tr></table></body></html>")
    blocks, rows = _grid(page)
    assert rows[1][1][0] == "甲\n一\n二\n三\n四"
    assert blocks.positions[blocks.lines.index("导航")] == "p1"


def test_c_short_data_table_in_a_taller_layout_table_is_the_grid():
    # a frame of logo / navigation + article / footer rows (4 rows of 2 cells) around a 3-row data table:
    # the frame is layout (its cells are paragraphs), the data table is the grid, the footer is no unit
    data = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in [
        ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"],
        ["1", "新建口袋公园2处。", "市建设局", "各县(区)政府", "2024年6月"],
        ["2", "改造老旧小区15个。", "市住建局", "市财政局", "2024年12月"]])
    page = ("<html><body><table width=960><tr><td>标识</td><td>搜索</td></tr>"
            f"<tr><td>导航</td><td><p>重点工作任务分解表</p><table border=1>{data}</table></td></tr>"
            "<tr><td>主办单位:市政府办公室</td><td>联系我们</td></tr><tr><td>地址</td><td>电话</td></tr>"
            "</table></body></html>")
    blocks, rows = _grid(page)
    assert [[t for t, _ in r] for r in rows][2] == ["2", "改造老旧小区15个。", "市住建局", "市财政局", "2024年12月"]
    assert blocks.positions[blocks.lines.index("主办单位:市政府办公室")].startswith("p")
    doc = parse_bytes_dict(page.encode(), source="page.html")
    units = [[(u["name"], u.get("role")) for c in i["clauses"] for u in c["units"]]
             for p in doc["parts"] for sec in p["sections"] for i in sec["items"]]
    assert units == [[("市建设局", "lead"), ("各县(区)政府", "participant")],
                     [("市住建局", "lead"), ("市财政局", "participant")]]


def test_d_chrome_is_debris_and_head_facts_are_meta(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(mk.from_text(mk.RULE_TEXT, title="2024年重点工作任务分解", published="2024-02-18 10:00"))
    doc = parse_file_dict(str(page))
    debris = {u["text"] for u in doc["unparsed"] if u["reason"] == "debris"}
    for word in ("首页", "版权所有", "网站地图", "打印本页", "分享到", "当前位置"):
        assert any(word in t for t in debris), word
    blocks = read(page.read_bytes(), max_bytes=BIG)
    assert not any("不是正文" in line or "统计" in line or "line-height" in line for line in blocks.lines)
    items = [it for p in doc["parts"] for s in p["sections"] for it in s["items"]]
    assert len(items) == 5
    assert not any(w in json.dumps(items, ensure_ascii=False) for w in ("首页", "版权所有", "网站地图"))
    assert doc["meta"]["published"] == "2024-02-18"
    assert doc["meta"]["notice_title"] == "2024年重点工作任务分解"
    assert lossless_problems(doc, lines_of(page)) == []


def test_d_site_name_is_cut_from_the_title():
    blocks = read("<title>关于印发任务分解的通知_某某县人民政府门户网站</title><p>正文</p>".encode(), max_bytes=BIG)
    assert blocks.facts == [{"key": "标题", "value": "关于印发任务分解的通知", "kind": "kv"}]


def test_e_html_saved_as_txt_is_read_as_html(tmp_path):
    sample = SAMPLES[0]
    saved = tmp_path / "page.txt"
    saved.write_bytes(mk.fragment_from_text(sample.read_text(encoding="utf-8")))
    assert detect(saved.read_bytes(), str(saved)) == "html"
    doc = parse_file_dict(str(saved))
    assert doc["source"]["format"] == "html"
    assert clauses(doc) == clauses(parse_file_dict(str(sample)))


def test_e_gb2312_page_with_its_meta_charset(tmp_path):
    sample = SAMPLES[1]
    page = tmp_path / "gb.html"
    page.write_bytes(mk.from_text(sample.read_text(encoding="utf-8"), encoding="gb2312"))
    with pytest.raises(UnicodeDecodeError):
        page.read_bytes().decode("utf-8")
    assert clauses(parse_file_dict(str(page))) == clauses(parse_file_dict(str(sample)))


def test_e_entities_spaces_and_pre():
    blocks = read("<p>市&nbsp;发改委&amp;市<b>财政</b>局</p><pre>第一行\n  第二行</pre><p>　　甲<br/>乙</p>".encode(),
                  max_bytes=BIG)
    assert blocks.lines == ["市 发改委&市财政局", "第一行", "  第二行", "　　甲", "乙"]


def test_errors_are_input_errors():
    for data in (b"<html><body><script>x</script></body></html>", b"<p>" + b"x" * 100):
        with pytest.raises(InputError):
            read(data, max_bytes=50)


def test_g_cli_parses_a_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(mk.from_text(mk.RULE_TEXT))
    cli = Path(sys.executable).with_name("dutysplit")
    run = subprocess.run([str(cli), "parse", str(page)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["source"]["format"] == "html"
    assert sum(len(s["items"]) for p in doc["parts"] for s in p["sections"]) == 5


@pytest.mark.parametrize("name", sorted(mk.hostile()))
def test_h_hostile_pages_cost_bounded_time(name):
    data = mk.hostile()[name]
    start = time.perf_counter()
    try:
        parse_bytes_dict(data, source=name)
    except InputError:
        pass
    assert time.perf_counter() - start < 8, name


def test_rule_fixture_is_written(tmp_path):
    path = mk.write_rule_fixture(tmp_path)
    assert path.name == "table_html--basic.html"
    doc = parse_file_dict(str(path))
    rules = {it["rule"] for p in doc["parts"] for s in p["sections"] for it in s["items"]}
    assert rules == {"table_html"}


def test_ordered_list_numbers_are_drawn_as_a_browser_draws_them():
    """`<ol>` items carry no number in the text: the browser draws it (Word saved by LibreOffice as a web
    page writes its lists so). `start`, `value`, `type` and list-style-type are honoured; `<ul>` draws none."""
    from dutysplit.read.html import read

    page = ('<html><body><ol><li><p>推进项目建设。</p></li><li value="5">乙</li><li>丙<ul><li>子项</li></ul></li></ol>'
            '<ol style="list-style-type: cjk-ideographic"><li>重点工作</li></ol><ol start="3" type="a"><li>q</li></ol>'
            '</body></html>').encode("utf-8")
    assert read(page, max_bytes=1 << 20).lines == ["1.推进项目建设。", "5.乙", "6.丙", "子项", "一、重点工作", "c.q"]
    doc = parse_bytes_dict(("<html><body><p>一、重点工作</p><ol><li>推进甲项目建设。</li></ol><p>责任单位:市发改委</p>"
                            "<ol start=\"2\"><li>推进乙项目建设。</li></ol><p>责任单位:市财政局</p></body></html>")
                           .encode("utf-8"))
    items = [it for p in doc["parts"] for s in p["sections"] for it in s["items"]]
    assert [(it["label"], it["clauses"][0]["lead"]) for it in items] == [("1", "市发改委"), ("2", "市财政局")]
