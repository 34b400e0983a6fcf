"""Tables (layout family K): dutysplit.tables.find_tables on real excerpts and small made-up tables."""
from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from dutysplit.clean import clean_lines
from dutysplit.read import split_lines
from dutysplit.tables import column_kind, find_tables

WILD = Path(__file__).resolve().parent / "data" / "wild"


def lines_of(text: str):
    return clean_lines(split_lines(text))


def wild(name: str):
    return lines_of((WILD / name).read_text(encoding="utf-8"))


def cell(row, kind):
    found = [c for c in row.cells if c.kind == kind]
    return found[0].text if found else None


def cells_by_column(row):
    return {c.column: c.text for c in row.cells}


# ------------------------------------------------------------------------------------- data table


@pytest.mark.parametrize(
    "name,kind",
    [
        ("序号", "number"),
        ("主 要 工 作 任 务", "task"),
        ("内容与要求", "task"),
        ("责任单位", "units"),
        ("牵头 单位", "lead"),
        ("责任主体与协同单位", "support"),
        ("分管 领导", "leader"),
        ("完成时限", "deadline"),
        ("1-10月推进情况", "status"),
        ("1-11月推进情况", "status"),
        ("分类", "category"),
        ("是否达标了吗", None),
    ],
)
def test_column_kinds(name, kind):
    assert column_kind(name) == kind


# ------------------------------------------------------------------------------------- real excerpts


def test_w02_pipe_rows():
    lines = wild("w02.txt")
    tables = find_tables(lines)
    assert len(tables) == 1
    t = tables[0]
    assert t.style == "pipe"
    assert t.header == [("序号", "number"), ("主要工作任务", "task"), ("责任单位", "units")]
    assert t.header_lines == [1]
    assert (t.start, t.end) == (0, len(lines))
    assert [r.number for r in t.rows] == [str(k) for k in range(1, 17)]
    assert cell(t.rows[0], "task") == "地区生产总值增长6%左右。"
    assert cell(t.rows[0], "units") == "市发展改革委"
    assert cell(t.rows[8], "units") == "市发展改革委、市生态环境局"
    assert cell(t.rows[13], "units").endswith("嘉兴银保监分局")
    assert t.rows[9].lines == [11]
    assert not any(r.truncated for r in t.rows[:-1])
    last = t.rows[-1]
    assert last.truncated
    assert cell(last, "task").endswith("让行政执法既有")
    assert cell(last, "units") is None
    assert t.leftover == [] and t.category_lines == []


def test_w03_cells_with_categories():
    lines = wild("w03.txt")
    tables = find_tables(lines)
    assert len(tables) == 1
    t = tables[0]
    assert t.style == "cells"
    assert [n for n, _ in t.header] == ["分类", "序号", "事项", "责任单位", "牵头单位"]
    assert t.header_lines == [8, 10, 12, 14, 16]
    assert lines[t.start].no == 8 and t.end == len(lines)
    assert [r.number for r in t.rows] == [str(k) for k in range(1, 15)]
    assert t.category_lines == [18, 124]
    assert [r.category for r in t.rows] == ["发展目标"] * 13 + ["激发市场活力"]
    first = t.rows[0]
    assert cell(first, "task") == "地区生产总值增长6.5%以上。"
    assert cell(first, "units").startswith("区农业农村局、区经商局")
    assert cell(first, "lead") == "区发改局"
    assert first.lines == [20, 22, 24, 26]
    assert cell(t.rows[12], "lead") == "区生态环境分局"
    assert not any(r.truncated for r in t.rows[:-1])
    last = t.rows[-1]
    assert last.truncated
    assert cell(last, "units") == "区行政服务中心、区深改服务中心"
    assert cell(last, "lead") is None
    assert t.leftover == []


def test_w09_cells_pipe_short_rows():
    lines = wild("w09.txt")
    tables = find_tables(lines)
    assert len(tables) == 1
    t = tables[0]
    assert t.style == "cells_pipe"
    assert [n for n, _ in t.header] == [
        "序号", "主要任务", "全年目标任务", "分管领导", "牵头单位", "责任主体与协同单位",
        "1-10月推进情况", "1-11月推进情况", "是否达序", "说明",
    ]
    assert t.header_lines == list(range(3, 13))
    assert [r.number for r in t.rows] == ["24", "25", "26"]
    r24, r25, r26 = t.rows
    # the rows lack the 全年目标任务 cell: the last cells map to the last columns
    assert cells_by_column(r24) == {
        "主要任务": "优化提升50条背街后巷交通组织。",
        "分管领导": "徐国江",
        "牵头单位": "城管局",
        "责任主体与协同单位": "市政局、相关街道",
        "1-10月推进情况": "已进场施工,完成30%。",
        "1-11月推进情况": "已进场施工,完成60%。",
        "是否达序": "是",
    }
    assert r24.lines == list(range(13, 22))  # the `||` line included
    assert cell(r25, "lead") == "城管局"
    assert cells_by_column(r25)["说明"].startswith("前期配合区相关部门")
    assert r25.lines[-1] == 31
    assert not r24.truncated and not r25.truncated
    assert r26.truncated  # input ends before the row's terminator
    assert cell(r26, "leader") == "徐国江" and cell(r26, "lead") == "城管局"
    assert cells_by_column(r26)["是否达序"] == "是"
    assert t.leftover == []


def test_w14_cells_with_status_column():
    lines = wild("w14.txt")
    tables = find_tables(lines)
    assert len(tables) == 1
    t = tables[0]
    assert t.style == "cells"
    assert t.header == [("序号", "number"), ("内容与要求", "task"), ("进展情况", "status"), ("责任单位", "units")]
    assert [r.number for r in t.rows] == ["1", "2", "3", "4"]
    assert [cell(r, "units") for r in t.rows] == ["市发改委", "市发改委", "市发改委", "市发"]
    assert cell(t.rows[1], "status").startswith("1-2月,全市固定资产投资")
    assert cell(t.rows[3], "task") == "深入推进省级军民融合示范区建设,取得军工资质8本以上。"
    assert [r.truncated for r in t.rows] == [False, False, False, True]  # `市发`: a unit name cut off
    assert t.category_lines == [] and all(r.category is None for r in t.rows)
    # the web debris before the header is outside the table
    assert lines[t.start].no == 9


# ------------------------------------------------------------------------------------- made-up tables

PIPE = """某某区2024年重点工作任务分解表
序号 | 重点工作 | 牵头单位 | 完成时限 |
1 | 扩大有效投资,推进重大项目 | 区发改局? | 2024年底 |
2 | 推动制造业高质量发展,实施技改
项目50个 | 区经信局 | 2024年12月 |
3 | 优化营商环境 | 区政务服务中心 | 长期坚持 |
二、保障措施
各单位要高度重视。
"""


def test_pipe_made_up():
    lines = lines_of(PIPE)
    (t,) = find_tables(lines)
    assert t.style == "pipe"
    assert [k for _, k in t.header] == ["number", "task", "lead", "deadline"]
    assert [r.number for r in t.rows] == ["1", "2", "3"]
    assert cell(t.rows[0], "lead") == "区发改局"  # stray `?` removed
    r2 = t.rows[1]
    assert cell(r2, "task") == "推动制造业高质量发展,实施技改项目50个"
    task_cell = [c for c in r2.cells if c.kind == "task"][0]
    assert task_cell.lines == [4, 5]
    assert cell(r2, "lead") == "区经信局" and cell(r2, "deadline") == "2024年12月"
    assert r2.lines == [4, 5]
    assert not any(r.truncated for r in t.rows)
    assert lines[t.end - 1].no == 6  # the heading `二、` is outside the table
    assert t.leftover == []


CELLS = """序号
任务
完成时限
责任单位
1
实施城市更新行动。
2024年底
区住建局
2
推进老旧小区改造。
区住建局、各街道
3
建设口袋公园10个。
2024年6月
区园林局
二、保障措施
各单位要高度重视,确保按时完成。
"""


def test_cells_made_up_short_row_keeps_units_right():
    lines = lines_of(CELLS)
    (t,) = find_tables(lines)
    assert t.style == "cells"
    assert [r.number for r in t.rows] == ["1", "2", "3"]
    r2 = t.rows[1]  # no 完成时限 cell: the units stay in the units column
    assert cell(r2, "units") == "区住建局、各街道"
    assert cell(r2, "deadline") is None
    assert cell(t.rows[2], "deadline") == "2024年6月"
    assert not any(r.truncated for r in t.rows)
    assert lines[t.end - 1].no == 15  # the heading after the table is not a cell
    assert t.category_lines == [] and t.leftover == []


CELLS_CAT = """类别
序号
工作内容
牵头单位
配合单位
稳定增长
1
扩大有效投资。
区发改局
区财政局
2
促进消费。
区商务局
区市场监管局
改革创新
3
深化“放管服”改革。
区政务办
各部门
"""


def test_cells_made_up_categories():
    (t,) = find_tables(lines_of(CELLS_CAT))
    assert [r.category for r in t.rows] == ["稳定增长", "稳定增长", "改革创新"]
    assert t.category_lines == [6, 15]
    assert [cell(r, "support") for r in t.rows] == ["区财政局", "区市场监管局", "各部门"]
    assert not t.rows[-1].truncated


CELLS_PIPE = """序号 |
主要任务 |
牵头单位 |
完成时限 |
备注 |
1 |
建设智慧停车场,
新增车位500个。 |
区城管局 |
2024年底 |
||
2 |
改造燃气管道。 |
区住建局 |
|
"""


def test_cells_pipe_made_up():
    (t,) = find_tables(lines_of(CELLS_PIPE))
    assert t.style == "cells_pipe"
    r1, r2 = t.rows
    assert cell(r1, "task") == "建设智慧停车场,新增车位500个。"
    assert [c for c in r1.cells if c.kind == "task"][0].lines == [7, 8]
    assert cell(r1, "lead") == "区城管局" and cell(r1, "deadline") == "2024年底"
    assert r1.lines == [6, 7, 8, 9, 10, 11]
    assert cell(r2, "task") == "改造燃气管道。" and cell(r2, "lead") == "区住建局"
    assert not r1.truncated and not r2.truncated


BOX = """某县2024年重点任务清单
┌──┬────────┬──────┬────┐
│序号│任务    │牵头单位  │完成│
│  │        │      │时限│
├──┼────────┼──────┼────┤
│1 │推进县域商业│县商务局  │2024│
│  │体系建设  │、县供销社│年底│
├──┼────────┼──────┼────┤
│2 │改造农贸市场│县市场监管│6月底│
│  │3个     │局    │    │
└──┴────────┴──────┴────┘
二、保障措施
"""


def test_box_made_up_wrapped_cells():
    lines = lines_of(BOX)
    (t,) = find_tables(lines)
    assert t.style == "box"
    assert t.header == [("序号", "number"), ("任务", "task"), ("牵头单位", "lead"), ("完成时限", "deadline")]
    assert t.header_lines == [2, 3, 4, 5]
    r1, r2 = t.rows
    assert r1.number == "1" and r2.number == "2"
    assert cell(r1, "task") == "推进县域商业体系建设"
    assert cell(r1, "lead") == "县商务局、县供销社"
    assert cell(r1, "deadline") == "2024年底"
    assert cell(r2, "lead") == "县市场监管局"
    assert r1.lines == [6, 7, 8] and r2.lines == [9, 10, 11]
    assert not r1.truncated and not r2.truncated
    assert lines[t.end - 1].no == 11 and t.leftover == []


K4 = """一、重点任务
1.加强城市管理执法。
牵头单位: | 市执法局 |
配合单位: | 市公安局、市市场监管局 |
完成时限: | 2024年底 |
"""


def test_key_value_rows_are_not_a_table():
    assert find_tables(lines_of(K4)) == []


K5 = """某区2024年重点任务分解表
序号任务责任单位完成时限
1扩大有效投资区发改局2024年底
2促进消费升级区商务局2024年底
二、保障措施
加强组织领导。
"""


def test_unseparated_header_is_reported_not_guessed():
    lines = lines_of(K5)
    (t,) = find_tables(lines)
    assert t.style == "unseparated"
    assert t.header == [] and t.rows == []
    assert t.header_lines == [2]
    assert t.leftover == [3, 4]
    assert lines[t.start].no == 2 and lines[t.end].no == 5


PROSE = """关于印发2024年重点工作任务分解方案的通知
各乡镇人民政府,区政府各部门:
一、总体要求
1.扩大有效投资。责任单位:区发改局
2.促进消费升级。牵头单位:区商务局;配合单位:区财政局
任务
责任单位
完成时限:2024年底
3.优化营商环境 | 区政务办
"""


def test_no_table():
    assert find_tables(lines_of(PROSE)) == []
    assert find_tables([]) == []


def test_two_tables_in_order():
    doc = PIPE + "\n三、其他\n" + CELLS
    tables = find_tables(lines_of(doc))
    assert [t.style for t in tables] == ["pipe", "cells"]
    assert tables[0].end <= tables[1].start


# ------------------------------------------------------------------------------------- robustness


def test_odd_input_never_raises():
    rnd = random.Random(7)
    pieces = ["序号", "任务", "责任单位", "牵头单位", "分类", "|", "||", "1", "2", "3 |", "│", "─┼─",
              "┌──┐", "│序号│任务│牵头单位│", "发展目标", "一、总体要求", "序号 | 任务 | 责任单位 |",
              "1 | 文字", "区发改局?", "序号任务责任单位", "", " ", "—1—", "当前位置:首页"]
    for _ in range(300):
        text = "\n".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40)))
        lines = lines_of(text)
        tables = find_tables(lines)
        last_end = 0
        for t in tables:
            assert last_end <= t.start < t.end <= len(lines)
            last_end = t.end


def test_linear_time_on_a_large_table():
    rows = "\n".join(f"{k % 999 + 1}\n任务{k}。\n区发改局\n区财政局" for k in range(20000))
    text = "序号\n事项\n责任单位\n牵头单位\n" + rows
    lines = lines_of(text)
    t0 = time.perf_counter()
    (t,) = find_tables(lines)
    assert time.perf_counter() - t0 < 10
    assert len(t.rows) >= 999


UNNUMBERED_PIPE = """工作任务 | 责任单位 | 完成时限 |
甲任务 | 区发改局 | 年底 |
乙任务,文字
接续 | 区财政局 | 6月 |
"""


def test_pipe_without_number_column_first_cell_wrapped():
    (t,) = find_tables(lines_of(UNNUMBERED_PIPE))
    assert [r.number for r in t.rows] == [None, None]
    assert cell(t.rows[1], "task") == "乙任务,文字接续"
    assert cell(t.rows[1], "units") == "区财政局"
    assert t.rows[1].lines == [3, 4]
