"""What every reader shares (bugs found by the cross-format review, each shape built with the library):

- tables a reader cuts itself (Word, HTML, Excel) in the shapes offices lay them out: a section row merged
  across the table (it became a task), a header written over two rows (its second row became a task);
- paragraphs outside tables are cut as in text: tasks run together in one paragraph were one task, and
  the lossless check, cutting them itself, found lines nowhere."""
from __future__ import annotations

import pytest

from dutysplit.api import parse_file_dict

HEADER = ["序号", "主要工作任务", "牵头单位", "配合单位", "完成时限"]
ROWS = [["一、稳定经济增长"],
        ["1", "地区生产总值增长6%。", "市发展改革委", "市统计局", "2024年底"],
        ["二、加快科技创新"],
        ["2", "完善科技创新激励机制。", "市科技局", "市财政局", "2024年底"]]
WANT = [("一", "1", "市发展改革委", ["市统计局"]), ("二", "2", "市科技局", ["市财政局"])]


def tasks(doc: dict) -> list[tuple[str, str, str, list[str]]]:
    return [(s["label"], it["label"], c["lead"], [u["name"] for u in c["units"] if u["role"] != "lead"])
            for p in doc["parts"] for s in p["sections"] for it in s["items"] for c in it["clauses"]]


def docx_file(path, rows, two_row_header=False):
    import docx

    d = docx.Document()
    d.add_paragraph("2024年重点工作任务分解表")
    head = 2 if two_row_header else 1
    t = d.add_table(rows=head + len(rows), cols=5)
    if two_row_header:  # 责任单位 over 牵头单位 | 配合单位; the other header cells merged down
        for k, v in enumerate(["序号", "主要工作任务", "责任单位", "", "完成时限"]):
            t.cell(0, k).text = v
        t.cell(1, 2).text, t.cell(1, 3).text = "牵头单位", "配合单位"
        for k in (0, 1, 4):
            t.cell(0, k).merge(t.cell(1, k))
        t.cell(0, 2).merge(t.cell(0, 3))
    else:
        for k, v in enumerate(HEADER):
            t.cell(0, k).text = v
    for r, row in enumerate(rows, head):
        if len(row) == 1:
            t.cell(r, 0).merge(t.cell(r, 4)).text = row[0]
        else:
            for k, v in enumerate(row):
                t.cell(r, k).text = v
    d.save(path)


def html_file(path, rows, two_row_header=False):
    if two_row_header:
        head = ('<tr><td rowspan="2">序号</td><td rowspan="2">主要工作任务</td><td colspan="2">责任单位</td>'
                '<td rowspan="2">完成时限</td></tr><tr><td>牵头单位</td><td>配合单位</td></tr>')
    else:
        head = "<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>"
    body = "".join(f'<tr><td colspan="5">{r[0]}</td></tr>' if len(r) == 1
                   else "<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in rows)
    path.write_text(f"<html><body><p>2024年重点工作任务分解表</p><table border=1>{head}{body}</table></body></html>",
                    encoding="utf-8")


def xlsx_file(path, rows, two_row_header=False):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2024年重点工作任务分解表"])
    ws.merge_cells("A1:E1")
    if two_row_header:
        ws.append(["序号", "主要工作任务", "责任单位", None, "完成时限"])
        ws.append([None, None, "牵头单位", "配合单位", None])
        for col in "ABE":
            ws.merge_cells(f"{col}2:{col}3")
        ws.merge_cells("C2:D2")
    else:
        ws.append(HEADER)
    for row in rows:
        ws.append(row)
        if len(row) == 1:
            ws.merge_cells(f"A{ws.max_row}:E{ws.max_row}")
    wb.save(path)


MAKERS = {"docx": docx_file, "html": html_file, "xlsx": xlsx_file}


@pytest.mark.parametrize("fmt", MAKERS)
def test_a_section_row_merged_across_the_table_heads_its_tasks(tmp_path, fmt):
    path = tmp_path / f"t.{fmt}"
    MAKERS[fmt](path, ROWS)
    assert tasks(parse_file_dict(str(path))) == WANT


@pytest.mark.parametrize("fmt", MAKERS)
def test_a_header_written_over_two_rows_is_one_header(tmp_path, fmt):
    path = tmp_path / f"t.{fmt}"
    MAKERS[fmt](path, [r for r in ROWS if len(r) > 1], two_row_header=True)
    got = tasks(parse_file_dict(str(path)))
    assert [(item, lead, others) for _, item, lead, others in got] == [(i, lead, o) for _, i, lead, o in WANT]


def test_a_two_row_header_in_a_text_table_too():
    from dutysplit.api import parse_text_dict

    text = ("2024年重点工作任务分解表\n| 序号 | 主要工作任务 | 责任单位 | | 完成时限 |\n| | | 牵头单位 | 配合单位 | |\n"
            "| 1 | 地区生产总值增长6%。 | 市发展改革委 | 市统计局 | 2024年底 |\n"
            "| 2 | 完善科技创新激励机制。 | 市科技局 | 市财政局 | 2024年底 |\n")
    got = tasks(parse_text_dict(text))
    assert [(item, lead, others) for _, item, lead, others in got] == [(i, lead, o) for _, i, lead, o in WANT]


RUN_TOGETHER = ("一、生态建设\n1.完成森林公园建设。责任单位:市林业局。2.完成江滩防护林建设。责任单位:市水利局。"
                "3.完成绿化隔离带建设。责任单位:市交通局。\n")


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_tasks_run_together_in_one_paragraph_are_cut_as_in_text(tmp_path, fmt):
    import importlib

    from dutysplit.api import parse_text_dict, source_text
    from dutysplit.audit import lossless_problems

    mod = importlib.import_module(f"tests.docmake.{fmt}")
    path = tmp_path / f"rt.{fmt}"
    path.write_bytes(mod.from_text(RUN_TOGETHER))
    doc = parse_file_dict(str(path))
    want = tasks(parse_text_dict(RUN_TOGETHER))
    assert [t[1:] for t in want] == [("1", "市林业局", []), ("2", "市水利局", []), ("3", "市交通局", [])]
    assert tasks(doc) == want
    assert doc["source"]["split_lines"] and lossless_problems(doc, source_text(str(path))) == []
