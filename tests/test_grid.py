"""The one grid reader (dutysplit.grid): each splitter form, the header finder and the row assembler, on
real excerpts and small made-up tables. (The made-up tables are also hypothesis seeds in
test_properties.py.)"""
from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from dutysplit.clean import clean_lines
from dutysplit.grid import find_tables
from dutysplit.grid.cells import align, cell_type
from dutysplit.grid.header import join_split, parallel_pairs, columns_of
from dutysplit.read import split_lines
from dutysplit.vocab import role_of

WILD = Path(__file__).resolve().parent / "data" / "wild"


def lines_of(text: str):
    return clean_lines(split_lines(text))


def wild(name: str):
    return lines_of((WILD / name).read_text(encoding="utf-8"))


def cell(table, row, role):
    found = [c.text for k, c in row.cells if table.header[k].role == role]
    return found[0] if found else None


def names(table):
    return [c.name for c in table.header]


def roles(table):
    return [c.role for c in table.header]


# ----------------------------------------------------------------------------------- the vocabulary


@pytest.mark.parametrize("name,role", [
    ("序号", "number"), ("主 要 工 作 任 务", "task"), ("内容与要求", "task"), ("责任单位", "units"),
    ("牵头 单位", "lead"), ("責任單位", "units"), ("牽頭單位", "lead"), ("責(zé)任單位", "units"),
    ("主要责任单位", "units"), ("协同责任单位", "support"), ("业主单位", "units"), ("责任主体与协同单位", "support"),
    ("分管 领导", "leader"), ("牵头负责领导", "leader"), ("完成时限", "deadline"), ("1-10月推进情况", "status"),
    ("进展情况(一季度)", "status"), ("重点工作任务(民生实事项目)", "task"), ("分类", "category"),
    ("是否达标了吗", None),
])
def test_column_roles(name, role):
    assert role_of(name) == role


def test_split_header_cells_are_joined_into_one_name():
    assert [n for n, _ in join_split(["序号", "项目", "类别", "具 体 内 容", "牵头", "部门", "完成", "时间"])] == \
        ["序号", "项目类别", "具体内容", "牵头部门", "完成时间"]


@pytest.mark.parametrize("text,typ", [
    ("12", "num"), ("一", "num"), ("区发改局、区财政局", "units"), ("★区发改委、统计局", "units"), ("钱 宇", "person"),
    ("祝振伟 陈夏林", "person"), ("2024年6月底前", "date"), ("全年", "date"), ("/", "none"), ("责任单位", "header"),
    ("一、民生保障类", "group"), ("经济社会发展主要预期目标分解(15项)", "group"), ("目前已完成选址", "progress"),
    ("新(改、扩)建一批中小学校", "short"), ("已完工", "progress"), ("打造区域教育高地", "short"),
])
def test_cell_types(text, typ):
    assert cell_type(text) == typ


def test_alignment_skips_merged_columns_and_keeps_units_in_unit_columns():
    roles_ = ["number", "task", "lead", "units", "leader", "deadline", "status"]
    # a row whose unit cells were merged away: the progress text goes to the progress column
    assert align(["num", "short", "progress"], roles_) == [0, 1, 6]
    assert align(["num", "long", "units", "date"], ["number", "category", "task", "lead", "deadline"]) == [0, 2, 3, 4]


def test_parallel_column_pairs_are_found():
    cols = columns_of(["", "在建项目", "", "预备项目"])
    assert parallel_pairs(cols) == [[0, 1], [2, 3]]
    assert parallel_pairs(columns_of(["序号", "任务", "责任单位"])) is None


# ------------------------------------------------------------------------------------- real excerpts


def test_w02_pipe_rows():
    lines = wild("w02.txt")
    (t,) = find_tables(lines)
    assert t.form == "pipe" and roles(t) == ["number", "task", "units"]
    assert [r.number for r in t.rows] == [str(k) for k in range(1, 17)]
    assert t.rows[0].text == "地区生产总值增长6%左右。"
    assert cell(t, t.rows[8], "units") == "市发展改革委、市生态环境局"
    assert cell(t, t.rows[13], "units").endswith("嘉兴银保监分局")
    assert not any(r.truncated for r in t.rows[:-1])
    assert t.rows[-1].truncated and cell(t, t.rows[-1], "units") is None


def test_w03_cells_with_categories_and_a_cut_off_lead():
    lines = wild("w03.txt")
    (t,) = find_tables(lines)
    assert t.form == "lines"
    assert names(t) == ["分类", "序号", "事项", "责任单位", "牵头单位"]
    assert [r.number for r in t.rows] == [str(k) for k in range(1, 15)]
    assert [r.group for r in t.rows] == ["发展目标"] * 13 + ["激发市场活力"]
    first = t.rows[0]
    assert first.text == "地区生产总值增长6.5%以上。"
    assert cell(t, first, "lead") == "区发改局"
    last = t.rows[-1]  # its 牵头单位 cell is cut off by the end of the excerpt: never taken from above
    assert cell(t, last, "units") == "区行政服务中心、区深改服务中心" and cell(t, last, "lead") is None
    assert not last.inherited


def test_w09_bars_with_short_rows():
    (t,) = find_tables(wild("w09.txt"))
    assert t.form == "bars"
    assert len(t.header) == 10 and t.header[-2].name == "是否达序"
    assert [r.number for r in t.rows] == ["24", "25", "26"]
    r24 = t.rows[0]
    assert r24.text == "优化提升50条背街后巷交通组织。"
    assert cell(t, r24, "leader") == "徐国江" and cell(t, r24, "lead") == "城管局"
    assert cell(t, r24, "support") == "市政局、相关街道"


def test_w14_cut_off_unit_name_is_still_the_cell():
    (t,) = find_tables(wild("w14.txt"))
    assert [r.number for r in t.rows] == ["1", "2", "3", "4"]
    assert [cell(t, r, "units") for r in t.rows] == ["市发改委", "市发改委", "市发改委", "市发"]


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
    assert t.form == "pipe" and roles(t) == ["number", "task", "lead", "deadline"]
    assert [r.number for r in t.rows] == ["1", "2", "3"]
    assert cell(t, t.rows[0], "lead") == "区发改局"  # stray `?` after the cell removed
    r2 = t.rows[1]
    assert r2.text.replace("\n", "") == "推动制造业高质量发展,实施技改项目50个" and r2.lines == [4, 5]
    assert lines[t.end - 1].no == 6  # the heading `二、` is outside the table


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


def test_lines_made_up_short_row_keeps_units_right():
    lines = lines_of(CELLS)
    (t,) = find_tables(lines)
    assert t.form == "lines"
    assert [r.number for r in t.rows] == ["1", "2", "3"]
    assert cell(t, t.rows[1], "units") == "区住建局、各街道" and cell(t, t.rows[1], "deadline") is None
    assert cell(t, t.rows[2], "deadline") == "2024年6月"
    assert lines[t.end - 1].no == 15  # the heading and prose after the table are no cells


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


def test_lines_made_up_categories():
    (t,) = find_tables(lines_of(CELLS_CAT))
    assert [r.group for r in t.rows] == ["稳定增长", "稳定增长", "改革创新"]
    assert [cell(t, r, "support") for r in t.rows] == ["区财政局", "区市场监管局", "各部门"]


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


def test_bars_made_up():
    (t,) = find_tables(lines_of(CELLS_PIPE))
    assert t.form == "bars"
    r1, r2 = t.rows
    assert r1.text.replace("\n", "") == "建设智慧停车场,新增车位500个。"
    assert cell(t, r1, "lead") == "区城管局" and cell(t, r1, "deadline") == "2024年底"
    assert r2.text == "改造燃气管道。" and cell(t, r2, "lead") == "区住建局"


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
    assert t.form == "box" and names(t) == ["序号", "任务", "牵头单位", "完成时限"]
    r1, r2 = t.rows
    assert (r1.number, r2.number) == ("1", "2")
    assert r1.text == "推进县域商业体系建设" and cell(t, r1, "lead") == "县商务局、县供销社"
    assert cell(t, r1, "deadline") == "2024年底" and cell(t, r2, "lead") == "县市场监管局"
    assert lines[t.end - 1].no == 11


BOX_MERGED = """┌──────────┬────┬──────┐
│工作任务    │分管领导│牵头单位  │
├──────────┼────┼──────┤
│抓好财税工作  │张三  │市财政局、│
├──────────┤    │市税务局  │
│△加强税源监控 │    ├──────┤
│△加快信用建设 │    │市教育局  │
├──────────┤    │      │
│优先发展教育  │    │      │
└──────────┴────┴──────┘
"""


def test_box_merged_cells_go_with_their_task():
    (t,) = find_tables(lines_of(BOX_MERGED))
    assert [r.text for r in t.rows] == ["抓好财税工作△加强税源监控△加快信用建设", "优先发展教育"]
    assert [cell(t, r, "lead") for r in t.rows] == ["市财政局、市税务局", "市教育局"]


PARALLEL = """┌──┬──────────┬──┬────────┐
│  │在建项目    │  │预备项目  │
├──┼──────────┼──┼────────┤
│  │(十一)省纺织集团   │  │        │
├──┼──────────┼──┼────────┤
│1 │化纤扩建项目  │1 │新材料项目 │
├──┼──────────┼──┼────────┤
│2 │林纸一体化项目 │  │        │
└──┴──────────┴──┴────────┘
"""


def test_side_by_side_column_pairs_are_two_tables_sharing_the_group_rows():
    left, right = find_tables(lines_of(PARALLEL))
    assert (left.part, right.part) == (0, 1)
    assert [r.text for r in left.rows] == ["化纤扩建项目", "林纸一体化项目"] and [r.text for r in right.rows] == ["新材料项目"]
    assert [g.text for g in left.groups] == [g.text for g in right.groups] == ["(十一)省纺织集团"]


K4 = """一、重点任务
1.加强城市管理执法。
牵头单位: | 市执法局 |
配合单位: | 市公安局、市市场监管局 |
完成时限: | 2024年底 |
"""


def test_label_rows_after_a_task_are_not_a_table():
    assert find_tables(lines_of(K4)) == []


KV = """重点工作: | 135.统筹违法建设治理,促进分类治理。 |
牵头单位: | 市城市管理综合执法局 |
进展情况: |
已完成。 |
重点工作: | 136.推进城市更新。 |
牵头单位: | 市住建局 |
"""


def test_key_value_rows_are_a_table_written_transposed():
    (t,) = find_tables(lines_of(KV))
    assert t.form == "kv" and roles(t) == ["task", "lead", "status"]
    assert [(r.number, cell(t, r, "lead")) for r in t.rows] == [("135", "市城市管理综合执法局"), ("136", "市住建局")]


SPACES = """序号 类别 主要任务 牵头单位 参与单位
1 水资源 严守用水 总量控制 市水利局 市发展改革委、工业和信息化委等
2  加强节水 市工业和信息化委、水利局 市发展改革委
"""


def test_cells_separated_by_spaces():
    (t,) = find_tables(lines_of(SPACES))
    assert t.form == "spaces"
    assert [cell(t, r, "lead") for r in t.rows] == ["市水利局", "市工业和信息化委、水利局"]
    assert [cell(t, r, "support") for r in t.rows] == ["市发展改革委、工业和信息化委等", "市发展改革委"]


K5 = """某区2024年重点任务分解表
序号任务责任单位完成时限
1扩大有效投资区发改局2024年底
2促进消费升级区商务局2024年底
二、保障措施
加强组织领导。
"""


def test_cells_run_together_are_reported_not_guessed():
    lines = lines_of(K5)
    (t,) = find_tables(lines)
    assert t.form == "joined" and t.rows == [] and t.notes
    assert lines[t.end - 1].no == 4  # the heading after it is outside


JOINED = """实事内容工作任务责任单位进展情况
一季度二季度三季度四季度
教育惠民启动学校空调加装工程,年内完成。
区教育局,各平台、镇街
完成调查摸底工作。
"""


def test_a_run_together_header_over_one_cell_per_line():
    (t,) = find_tables(lines_of(JOINED))
    assert roles(t) == ["task", "task", "units", "status"]
    (r,) = t.rows
    assert cell(t, r, "units") == "区教育局,各平台、镇街"


GROUPED = """序号 |
牵头单位 |
项目名称 |
业主单位 |
一 |
区住建局 |
1.文化中心北路 |
区城投 |
2.乐业路 |
区城管局 |
二 |
区教体局 |
1.市政公用城学校 |
区城投公司 |
"""


def test_rows_under_one_number_are_clauses_of_that_task_and_share_its_lead_cell():
    (t,) = find_tables(lines_of(GROUPED))
    assert [(r.number, r.continuation) for r in t.rows] == [("一", False), (None, True), ("二", False)]
    sub = t.rows[1]
    assert cell(t, sub, "lead") == "区住建局" and cell(t, sub, "units") == "区城管局"
    assert sub.inherited  # the 牵头单位 cell spans the task's rows


MERGED_BLOCK = """序号
重点工作任务
牵头单位
负责科室
计划完成时间
进展情况
1
新增老年食堂15个
区民政局
养老服务科
11月底前
已建成3个。
2
新增床位100张
10月底前
已完成选址。
3
建成老年活动中心
目前正在装修。
"""


def test_a_responsible_block_merged_over_several_rows_is_taken_from_above():
    (t,) = find_tables(lines_of(MERGED_BLOCK))
    assert [cell(t, r, "lead") for r in t.rows] == ["区民政局"] * 3
    assert [r.inherited for r in t.rows] == [[], [2, 3], [2, 3]]


def test_a_last_row_cut_before_its_units_takes_nothing_from_above():
    text = MERGED_BLOCK.replace("目前正在装修。\n", "")
    (t,) = find_tables(lines_of(text))
    assert t.rows[-1].truncated and cell(t, t.rows[-1], "lead") is None


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
    tables = find_tables(lines_of(PIPE + "\n三、其他\n" + CELLS))
    assert [t.form for t in tables] == ["pipe", "lines"]
    assert tables[0].end <= tables[1].start


UNNUMBERED_PIPE = """工作任务 | 责任单位 | 完成时限 |
甲任务 | 区发改局 | 年底 |
乙任务,文字
接续 | 区财政局 | 6月 |
"""


def test_pipe_without_number_column_first_cell_wrapped():
    (t,) = find_tables(lines_of(UNNUMBERED_PIPE))
    assert [r.number for r in t.rows] == [None, None]
    assert t.rows[1].text.replace("\n", "") == "乙任务,文字接续"
    assert cell(t, t.rows[1], "units") == "区财政局" and t.rows[1].lines == [3, 4]


# ------------------------------------------------------------------------------------- robustness


def test_odd_input_never_raises_and_tables_never_overlap():
    rnd = random.Random(7)
    pieces = ["序号", "任务", "责任单位", "牵头单位", "分类", "|", "||", "1", "2", "3 |", "│", "─┼─",
              "┌──┐", "│序号│任务│牵头单位│", "发展目标", "一、总体要求", "序号 | 任务 | 责任单位 |",
              "1 | 文字", "区发改局?", "序号任务责任单位", "", " ", "—1—", "当前位置:首页", "牵头单位: | 区局 |",
              "序号 任务 牵头单位 完成时限", "1 甲 区局 年底"]
    for _ in range(300):
        text = "\n".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40)))
        lines = lines_of(text)
        last_end = 0
        for t in find_tables(lines):
            if t.part:
                continue
            assert last_end <= t.start < t.end <= len(lines)
            last_end = t.end


def test_a_large_table_is_read_quickly():
    rows = "\n".join(f"{k % 999 + 1}\n任务{k}。\n区发改局\n区财政局" for k in range(5000))
    lines = lines_of("序号\n事项\n责任单位\n牵头单位\n" + rows)
    t0 = time.perf_counter()
    (t,) = find_tables(lines)
    assert time.perf_counter() - t0 < 20
    assert len(t.rows) >= 999


def test_a_failing_reader_is_reported_not_swallowed(monkeypatch):
    from dutysplit.api import parse_text_dict
    from dutysplit.grid import split

    def broken(lines, i):
        raise RuntimeError("boom")

    monkeypatch.setattr(split, "SPLITTERS", (("pipe", broken),) + tuple(s for s in split.SPLITTERS if s[0] != "pipe"))
    import dutysplit.grid as grid

    monkeypatch.setattr(grid, "SPLITTERS", split.SPLITTERS)
    doc = parse_text_dict(PIPE)
    errs = [d for d in doc["diagnostics"] if d["code"] == "table_reader"]
    assert errs and errs[0]["level"] == "error" and "boom" in errs[0]["message"] and errs[0]["line"] == 2
    with pytest.raises(RuntimeError):
        find_tables(lines_of(PIPE))  # without an error list the exception propagates
