"""`dutysplit units`: filters (--unit fuzzy, --role), output options, and a narrow terminal."""
from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import pty
import re
import struct
import subprocess
import termios
import unicodedata

import openpyxl

from .conftest import ROOT, SAMPLES
from .outputs import CLI, cli, json_doc, json_tasks

FILES = [str(p) for p in SAMPLES]


def rows_of(r) -> list[dict]:
    assert r.returncode == 0, r.stderr
    return list(csv.DictReader(io.StringIO(r.stdout.decode("utf-8").lstrip("\ufeff"))))


def units_in(docs) -> dict[str, int]:
    """canonical unit → number of tasks naming it, over the documents."""
    out: dict[str, int] = {}
    for d in docs:
        for t in json_tasks(d):
            for canon in t["canonical"]:
                out[canon] = out.get(canon, 0) + 1
    return out


def test_a_fragment_finds_every_unit_containing_it():
    r = cli("units", *FILES, "--unit", "财政", "-f", "csv")
    rows = rows_of(r)
    every = units_in(json_doc(p) for p in FILES)
    want = {u for u in every if "财政" in u}
    assert want >= {"市财政局", "县财政局"}
    assert {row["unit"] for row in rows} == want
    assert len(rows) == sum(every[u] for u in want)  # every task of those units, once per unit and task
    assert "matches" in r.stderr.decode() and "市财政局" in r.stderr.decode()


def test_an_exact_name_selects_that_unit_only_and_a_typo_still_finds_it():
    rows = rows_of(cli("units", *FILES, "--unit", "市财政局", "-f", "csv"))
    assert {row["unit"] for row in rows} == {"市财政局"}
    r = cli("units", *FILES, "--unit", "市财正局", "-f", "json")  # one character wrong
    assert r.returncode == 0
    entries = json.loads(r.stdout)
    assert entries[0]["unit"] == "市财政局"
    assert "县财政局" not in {e["unit"] for e in entries}  # not similar enough


def test_role_filter_matches_the_json():
    doc = json_doc(FILES[4])
    tasks = json_tasks(doc)
    led = [t for t in tasks if t["canonical"].get("市财政局") == "lead"]
    joined = [t for t in tasks if t["canonical"].get("市财政局") == "other"]
    assert led and joined
    lead_rows = rows_of(cli("units", FILES[4], "--unit", "市财政局", "--role", "lead", "-f", "csv"))
    support_rows = rows_of(cli("units", FILES[4], "--unit", "市财政局", "--role", "support", "-f", "csv"))
    any_rows = rows_of(cli("units", FILES[4], "--unit", "市财政局", "-f", "csv"))
    assert [row["task"] for row in lead_rows] == [t["text"] for t in led]
    assert {row["role"] for row in lead_rows} == {"lead"}
    assert [row["task"] for row in support_rows] == [t["text"] for t in joined]
    assert "lead" not in {row["role"] for row in support_rows}
    assert len(any_rows) == len(led) + len(joined)


def test_tsv_is_tab_separated():
    r = cli("units", FILES[4], "--unit", "市财政局", "--role", "lead", "-f", "tsv")
    lines = r.stdout.decode("utf-8").splitlines()
    assert lines[0].split("\t")[:5] == ["unit", "names", "place", "kind", "role"]
    assert all(len(line.split("\t")) == len(lines[0].split("\t")) for line in lines)


def test_output_options(tmp_path):
    r = cli("units", *FILES, "--unit", "财政", "-o", tmp_path / "u.csv", "--excel", "--columns", "zh")
    assert r.returncode == 0 and r.stdout == b""
    data = (tmp_path / "u.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    head = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert head[:5] == ["单位", "原文写法", "地区", "类别", "角色"]
    r = cli("units", *FILES, "-o", tmp_path / "u.xlsx")
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(tmp_path / "u.xlsx")
    assert wb.sheetnames == ["单位汇总", "按单位"]
    summary = list(wb["单位汇总"].iter_rows(values_only=True))
    every = units_in(json_doc(p) for p in FILES)
    assert sum(row[3] + row[4] for row in summary[1:]) == sum(every.values())
    assert wb["按单位"].max_row - 1 == sum(every.values())
    assert wb["按单位"].freeze_panes == "A2" and wb["按单位"].auto_filter.ref
    r = cli("units", *FILES, "-o", tmp_path / "u.json")
    assert json.loads((tmp_path / "u.json").read_text(encoding="utf-8"))[0]["unit"]
    assert cli("units", *FILES, "-o", tmp_path / "u.bin").returncode == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["u.csv", "u.json", "u.xlsx"]


def run_on_a_terminal(args, columns: int) -> str:
    """Run the CLI with standard output on a pseudo-terminal of the given width; return what it shows."""
    main, sub = pty.openpty()
    fcntl.ioctl(sub, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm"  # rich gives a "dumb" terminal 80 columns whatever its size
    proc = subprocess.Popen([*CLI, *args], stdin=subprocess.DEVNULL, stdout=sub, stderr=subprocess.PIPE, cwd=ROOT,
                            env=env)
    os.close(sub)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(main)
    assert proc.returncode == 0, proc.stderr.read()
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8"))  # without colours


def width(line: str) -> int:
    """Terminal cells: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def column_text(screen: str, n: int) -> str:
    """Column ``n`` of a rich table read down the screen, continuation lines joined."""
    out = []
    for line in screen.splitlines():
        if "│" in line or "┃" in line:
            cells = line.replace("┃", "│").split("│")[1:-1]
            if len(cells) > n:
                out.append(cells[n].strip())
    return "".join(out)


def test_a_narrow_terminal_wraps_names_instead_of_cutting_them():
    screen = run_on_a_terminal(["units", FILES[2]], columns=40)
    assert "…" not in screen
    assert max(width(line) for line in screen.splitlines()) <= 40
    r = cli("units", FILES[2])  # the same rows as tab-separated text (not a terminal)
    lines = r.stdout.decode("utf-8").splitlines()[1:]
    names = [line.split("\t")[0] for line in lines]
    assert any(len(n) > 10 for n in names)  # long names that cannot fit a narrow column
    assert column_text(screen, 0) == "unit" + "".join(names)


def test_a_narrow_terminal_shows_a_units_tasks_whole():
    screen = run_on_a_terminal(["units", FILES[4], "--unit", "市财政局", "--role", "lead"], columns=50)
    assert "…" not in screen and max(width(line) for line in screen.splitlines()) <= 50
    tasks = [t["text"] for t in json_tasks(json_doc(FILES[4])) if t["canonical"].get("市财政局") == "lead"]
    assert column_text(screen, 5).replace(" ", "") == ("task" + "".join(tasks)).replace(" ", "")
