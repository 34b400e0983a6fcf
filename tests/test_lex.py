"""One test per lexer rule: lines it must take, and lines it must leave to a later rule."""
from __future__ import annotations

import pytest

from dutysplit.clean import clean_lines
import regex

from dutysplit.lex import Rule, Ruler, cn_number, default_ruler, lex, ruler


def role(line: str) -> str:
    return lex(clean_lines([line]))[0].role


CASES = {
    "meta_bullet": ["  • 发布机构:", "• 成文日期: 2023-02-22"],
    "meta_kv": ["索引号 11330922090963010M/2023-31395", " 组配分类 政府文件  发布机构 县发改局",
                "发布时间:2023-02-22 09:12", "文件编号: \xa0长政办发〔2023〕7号 发布机构: \xa0长兴县政府办公室"],
    "label": ["责任单位:县财政局", "责任单位：县财政局、县税务局（排位第一的为牵头单位，下同）", "责任部门 : 县委办",
              "責任單位:市教育局", "責(zé)任單位:市教育局", "主管領(lǐng)導(dǎo):劉東", "牵头负责领导:金力。",
              "协同责任单位:市经信局", "副组长单位(县监察局)"],
    "section": ["一、杨松县长牵头重点工作", "十二、各乡镇共同落实工作", "三. 工作任务"],
    "subsection": ["(一)聚力城乡一体,走好走稳特色之路。", "（二）形成工作合力"],
    "attachment": ["附件:1. 清单", "附件：2024年县民生实事项目安排", "附件"],
    "cc": ["抄送：县委各部门，县人大常委会办公室。"],
    "printed": ["嵊泗县人民政府办公室 2024年2月18日印发", "2024年2月18日印发"],
    "public_note": ["（此件公开发布）", "(此件主动公开)"],
    "notice_title": ["长兴县人民政府办公室关于印发2023年政府工作报告重点工作责任分解的通知",
                     "关于印发《行动方案》的通知"],
    "doc_number": ["嵊政办发〔2024〕5号", "长政办发[2023]7号"],
    "date": ["2024年2月18日", "2024 年 2 月 18 日"],
    "list_title": ["2024 年政府工作报告重点工作责任分解", "政府工作报告2022年重点工作任务责任分解",
                   "2024年县民生实项目责任分解"],
    "table_row": ["1\t2024 年嵊泗县非机动车充电桩改造工程\t新建\t290"],
    "item": ["1.一般公共预算收入增长3%以上。", "9积极开发海岛露营", "1. 科学有序推进", "12、完善机制", "3．加快"],
    "item_paren": ["(3)严厉打击乱派发卡片", "（12）加快建设"],
    "item_circled": ["⑴九年义务教育巩固率达到97%。", "⑽城镇保障性安居工程建设"],
    "item_damaged": ["?。ǘ┩七M东部石化基地建设。"],
    "bracket_line": ["(市发改委、财政局,无锡国税局、地税局)", "〔责任单位:省商务厅〕"],
    "debris": ["访问次数:", "字体大小:", "当前位置:首页 > 信息公开 >", "扫一扫在手机打开当前页", "分享到:", "—1—"],
    "text": ["输局、县农业农村局", "经济加快融合。", "各乡镇人民政府，县政府直属各单位：",
             "2023年政府工作报告重点工作责任分解》已经县政府同意,现印发给你们。"],
}


@pytest.mark.parametrize("expected,line", [(r, line) for r, lines in CASES.items() for line in lines])
def test_rule(expected, line):
    assert role(line) == expected


def test_every_rule_is_exercised():
    assert {r.name for r in ruler().rules()} | {"debris", "text"} == set(CASES)


def test_ruler_places_and_switches_rules_by_name():
    r = default_ruler()
    r.before("item", Rule("roman", regex.compile(r"^[IVX]+\.")))
    assert r.names().index("roman") == r.names().index("item") - 1
    assert lex(clean_lines(["IV.第四项"]), r)[0].role == "roman"
    r.disable("roman")
    assert lex(clean_lines(["IV.第四项"]), r)[0].role == "text"
    r.enable("roman")
    r.after("roman", Rule("never", regex.compile(r"^$")))
    assert r.names()[r.names().index("roman") + 1] == "never"
    with pytest.raises(KeyError):
        r.disable("no such rule")
    assert isinstance(Ruler().rules(), list)


@pytest.mark.parametrize("line,not_role", [
    ("1.推进“工作要点”落实。", "list_title"),  # a task is not a list title
    ("2024年2月18日", "item"),  # a date line is not task 2024
    ("2023年政府工作报告重点工作责任分解》已经县政府同意。", "item"),  # task numbers have at most 3 figures
    ("文号管理制度改革全面推进", "meta_kv"),  # a meta key must be followed by a colon or a space
    ("近岸海域一、二类海水水质比例达到53.7%", "section"),
])
def test_rule_does_not_overreach(line, not_role):
    assert role(line) != not_role


def test_items_keep_their_number_and_separator():
    tok = lex(clean_lines(["1.2024 年嵊泗县非机动车充电桩改造工程"]))[0]
    assert (tok.groups["num"], tok.groups["sep"], tok.groups["body"]) == ("1", ".", "2024 年嵊泗县非机动车充电桩改造工程")
    tok = lex(clean_lines(["9积极开发"]))[0]
    assert (tok.groups["num"], tok.groups["sep"]) == ("9", "")


def test_line_numbers_survive_blank_lines():
    toks = lex(clean_lines(["", "一、总体要求", "", "", "1.任务"]))
    assert [(t.no, t.role) for t in toks] == [(2, "section"), (5, "item")]


@pytest.mark.parametrize("s,n", [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("x", None)])
def test_cn_number(s, n):
    assert cn_number(s) == n
