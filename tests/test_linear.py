"""Parsing time grows linearly with the input.

One ratio guard per input shape: parse a base text and the same shape at 8x the size, best of 3 timings
each, in the same run (interleaved); the big one may cost at most ``MAX_RATIO`` (12) times the small one (8x plus a
generous margin; a quadratic stage gives ~40-64x). Absolute times are never asserted.

The shapes in ``FIXED`` were quadratic once (each note says which stage was at fault and how); they are
plain guards now, so that the fault cannot come back unseen.
"""
from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest

from dutysplit.api import parse_text_dict

ROOT = Path(__file__).resolve().parents[1]
SCALE = 8
MAX_RATIO = 12.0  # 8x the input, 12x the time at most (a quadratic stage gives ~40-64x)
MIN_BASE_SECONDS = 0.02  # grow the base input until it costs at least this (timer noise)


def _samples() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt")))


def _best(text: str, runs: int = 3, limit: float | None = None) -> float:
    """Best of ``runs`` timings (GC off while timing). Stops early once a run is within ``limit``."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            parse_text_dict(text)
            best = min(best, time.perf_counter() - t0)
        finally:
            gc.enable()
        if limit is not None and best <= limit:
            break
    return best


# name -> (make(n) -> text, base n)
LINEAR = {
    "samples": (lambda n: _samples() * n, 1),
    "huge_line": (lambda n: "1.任务" + "推进重点工作，" * n + "\n责任单位：县财政局", 20_000),
    "units_line": (lambda n: "1.任务。\n责任单位：" + "县财政局、" * n, 6_250),  # 8x = 50,000 units
    "headings": (lambda n: "".join(f"{'一二三四五六七八九'[i % 9]}、标题\n" for i in range(n)), 5_000),
    "sections_with_tasks": (lambda n: "一、标题\n1.任务\n责任单位：县局\n" * n, 1_000),
    "nested_brackets_closed": (lambda n: "一、标题\n1.任务" + "（" * n + "）" * n + "\n责任单位：县局", 20_000),
    "nested_brackets_unclosed_task": (lambda n: "一、标题\n1.任务" + "（" * n + "\n责任单位：县局", 20_000),
    "inline_statements": (lambda n: "一、标题\n1.任务" + "（责任单位：县局）推进，" * n, 5_000),
    "inline_unclosed": (lambda n: "一、标题\n1.任务（责任单位：县局" + "（" * n, 20_000),
    "digit_run": (lambda n: "1" * n + "\n" + "1." + "2" * n + "\n责任单位：县局", 100_000),
    "yi_repeated_one_line": (lambda n: "一、" * n, 50_000),
    "yi_repeated_lines": (lambda n: "一、\n" * n, 5_000),
    "numbered_tasks": (lambda n: "一、标题\n" + "".join(f"{i + 1}.任务\n责任单位：县局\n" for i in range(n)), 1_000),
    "section_text": (lambda n: "一、标题\n" + "文字文字文字文字文字文字文字文字。\n" * n, 2_000),
    "task_text_lines": (lambda n: "1.任务\n" + "文字文字文字文字文字文字。\n" * n + "责任单位：县局", 2_000),
    "html_tags": (lambda n: "<a " * n, 20_000),
    "debris_lines": (lambda n: "当前位置：首页\n" * n, 2_000),
    "attachment_lines": (lambda n: "附件\n" + "文字\n" * n, 5_000),
}


BORDERLINE = "[borderline] "

# Shapes that were quadratic (found by this module) and the fix: brackets are paired in one pass
# (parse.bracket_pairs); continuation lines are joined once when a task closes (Statement.finish);
# sub-heading text is collected in a list and _next_role walks indices; clean folds every run of white
# space to one space (or one tab), and the debris/convention patterns take at most one space between parts.
FIXED = {
    "units_unclosed_brackets": (
        lambda n: "1.任务。\n责任单位：县财政局" + "(" * n, 500,
        "resolve.extract_notes calls parse._scan_brackets at every unclosed opener: O(n^2)"),
    "joint_heading_unclosed_brackets": (
        lambda n: "一、" + "（" * n + "共同负责\n1.任务", 500,
        "resolve.classify_section -> extract_notes -> _scan_brackets per unclosed opener: O(n^2)"),
    "units_wrapped_without_separators": (
        lambda n: "1.任务\n责任单位：县局\n" + "县局\n" * n, 500,
        "parse.on_text/join_units: st.body is rebuilt and _ORG_SUFFIX searched over it per line: O(n^2)"),
    "subheading_text_lines": (
        lambda n: "一、标题\n（一）小标题\n" + "文字文字文字文字文字文字文字文字。\n" * n, 2_000,
        BORDERLINE + "parse.on_text: Subheading.text += line, and `sub in section.subheadings` per line: O(n^2)"),
    "subheadings": (
        lambda n: "一、标题\n" + "（一）小标题\n" * n, 1_000,
        BORDERLINE + "parse.on_subsection/_next_role copies tokens[i + 1:] per sub-heading: O(n^2)"),
    "subheadings_with_tasks": (
        lambda n: "一、标题\n" + "".join(f"（一）小标题\n{i + 1}.任务\n责任单位：县局\n" for i in range(n)), 200,
        BORDERLINE + "parse._next_role copies tokens[i + 1:] per sub-heading: O(n^2)"),
    "units_wrapped_with_separators": (
        lambda n: "1.任务\n责任单位：县局、\n" + "县局、\n" * n, 2_000,
        BORDERLINE + "parse.on_text/join_units: st.body is rebuilt per continuation line: O(n^2), small constant"),
    "spaces_between_cjk": (
        lambda n: "中 " * n + "文", 20_000,
        BORDERLINE + "clean.tidy: _GAP.sub over one very long line grows faster than n (8x -> 10-14x)"),
    "debris_counter_whitespace": (
        lambda n: "访问次数" + "\t " * n + "x", 200,
        "debris.tsv `counter`: \\s*[:：]?\\s*\\d*\\s* backtracks over a whitespace run: O(n^2)"),
    "debris_print_whitespace": (
        lambda n: "打印" + "\t " * n + "x", 100,
        "debris.tsv `print`: (【?\\s*(…)\\s*】?\\s*){1,6} backtracks over a whitespace run: O(n^2) or worse"),
    "convention_note_whitespace": (
        lambda n: "1.任务\n责任单位：县局（标" + "\t " * n + "x为牵头）", 300,
        "conventions.tsv `marked`: 标(有|注)?\\s*[…]?\\s*(号)? backtracks over a whitespace run: O(n^2)"),
}

CASES = [pytest.param(make, n, id=name) for name, (make, n) in LINEAR.items()] + [
    pytest.param(make, n, id=name) for name, (make, n, _was) in FIXED.items()
]


@pytest.fixture(scope="module", autouse=True)
def _warm():
    parse_text_dict("一、标题\n1.任务（责任单位：县局）\n责任单位：县财政局（排位第一的为牵头单位，下同）")


@pytest.mark.parametrize("make,n", CASES)
def test_time_grows_linearly(make, n):
    small = make(n)
    t_small = _best(small)
    while t_small < MIN_BASE_SECONDS and n < 10_000_000:  # too fast to time well: grow the base
        n *= 2
        small = make(n)
        t_small = _best(small)
    big = make(n * SCALE)
    assert len(big) >= (SCALE - 0.5) * len(small)
    t_big = float("inf")
    for _ in range(3):  # interleaved, so that a burst of load elsewhere hits both sizes alike
        t_big = min(t_big, _best(big, runs=1))
        t_small = min(t_small, _best(small, runs=1))
        if t_big <= MAX_RATIO * t_small:
            break
    ratio = t_big / t_small
    assert ratio <= MAX_RATIO, (
        f"{SCALE}x the input ({len(small)} -> {len(big)} chars) took {ratio:.1f}x the time "
        f"({t_small * 1000:.1f} ms -> {t_big * 1000:.1f} ms)")
