"""Lossless around tables: every non-blank line lands in exactly one place, also for the lines next to a
table header (issue 10, item 7). Each case was found by mutating the table fixtures of test_tables.py
(merging, inserting and deleting lines) and shrunk by hand; they check behaviour only (the lossless
audit and where the line lands), so that they hold for any table reader.
"""
from __future__ import annotations

import pytest

from dutysplit.api import parse_text_dict
from dutysplit.audit import claims, lossless_problems
from dutysplit.read import split_lines

# a run-together header (K5) that ends with a list-title word (完成情况): the line before it was taken
# as the first half of a broken list title, and the title was then never written — the line was lost
RUN_TOGETHER_TITLE = "某区重点任务\n序号重点工作任务牵头单位配合单位完成情况\n1扩大有效投资区发改局2024年底\n"

CASES = [
    (RUN_TOGETHER_TITLE, "the line before a run-together header that reads as a list title"),
    # a `• key:` bullet with no value stayed open across a table and took the first line after it as
    # its value: the bullet's line range then covered the table
    ("• 发布机构:\n工作任务 | 责任单位 | 完成时限 |\n甲任务 | 区发改局 | 年底 |\n乙任务,文字\n",
     "a bullet before a pipe table"),
    ("• 发布机构:\n主要任务 |\n牵头单位 |\n底 |\n||", "a bullet before a table of one cell per line"),
    ("• 发布机构:\n│序号│任务    │牵头单位\n┘", "a bullet before a box table"),
    # a `(一)` sub-heading stayed open across a table and took the lines after it: its range covered
    # the table
    ("工作任务分解\n(一)\n| 重点工作 | 牵头单位 | 完\n高", "a sub-heading before a pipe table"),
    ("重点任务清单\n(一)\n│序号│任务    │牵头单位\n\n┴", "a sub-heading before a box table"),
    ("1.\n（二）\n工作任务 | 责任单位 | 完成时限 |\n务", "a sub-heading after a task, before a table"),
    # a group row after the last task row (here: a table of no rows at all) heads nothing: it was
    # neither a section nor kept in the table block (found by the property test in CI)
    ("工作任务 | 责任单位 | 完成时限 |\n一、x |\n1.任务\n责任单位：县局\n", "a group row after the last row"),
    ("工作任务 | 责任单位 |\n甲任务 | 区发改局 |\n二、其他 |\n", "a group row ending a table"),
]


@pytest.mark.parametrize("text,what", CASES, ids=[w for _, w in CASES])
def test_lines_next_to_a_table_land_once(text, what):
    assert lossless_problems(parse_text_dict(text), text) == []


def test_the_line_before_a_run_together_header_is_kept_as_written():
    doc = parse_text_dict(RUN_TOGETHER_TITLE)
    nonblank = {n for n, line in enumerate(split_lines(RUN_TOGETHER_TITLE), 1) if line.strip()}
    assert claims(doc, nonblank)[1] != []
    kept = [k for k in doc["kept"] if 1 in k["line_numbers"]]
    titles = [p["title"] for p in doc["parts"] if p["lines"] and p["lines"][0] <= 1 <= p["lines"][1]]
    assert kept or titles or doc["meta"]["fields"], "line 1 is claimed but its text is nowhere"
    if kept:
        assert "某区重点任务" in kept[0]["text"]


def test_a_bullet_does_not_take_a_value_from_after_a_table():
    text = CASES[1][0]
    doc = parse_text_dict(text)
    [field] = [f for f in doc["meta"]["fields"] if f["key"] == "发布机构"]
    assert field["lines"] == [1, 1] and field["value"] == ""
