"""`dutysplit show`: in a real terminal (a pty of a given width), in a pipe, with --unit, and its errors."""
from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

from rich.cells import cell_len

from .conftest import ROOT

ANSI = re.compile(r"\x1b\[[0-9;]*m")
SAMPLE = ROOT / "samples" / "002_943b2e701313101a.txt"
DOC = ("2024年重点工作责任分解\n一、王五县长牵头重点工作\n1.新增城镇就业1.2万人,年底前完成。\n牵头单位:县人社局\n责任单位:县财政局\n"
       "2.持续推进营商环境建设。\n责任单位:县发改局、县经信局\n3.任务没有单位\n")


def _env():
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm-256color"
    return env


def run_in_pty(args, cols=40, rows=24) -> tuple[int, str]:
    """Run the CLI with its standard output on a terminal ``cols`` wide; return (exit code, what it printed)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "dutysplit", *map(str, args)], stdin=slave, stdout=slave,
                            stderr=slave, env=_env(), close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def cli(*args):
    return subprocess.run([sys.executable, "-m", "dutysplit", *map(str, args)], capture_output=True, text=True,
                          env=_env())


def test_narrow_terminal_wraps_and_colours():
    code, out = run_in_pty(["show", SAMPLE], cols=40)
    assert code == 0
    assert "\x1b[" in out  # colour on a terminal
    lines = ANSI.sub("", out).replace("\r\n", "\n").split("\n")
    assert max(cell_len(line.rstrip()) for line in lines) <= 40
    plain = "".join(line.strip() for line in lines)
    assert "推进国资国企改革" in plain and "一、杨松县长牵头重点工作" in plain


def test_unit_filter_in_a_terminal_highlights_the_lead():
    code, out = run_in_pty(["show", SAMPLE, "--unit", "县卫健局"], cols=80)  # written 县卫生健康局 in the document
    assert code == 0
    plain = ANSI.sub("", out)
    assert "着力推进县人民医院改扩建" in plain and "强化政府性债务管理" not in plain
    # the lead unit of a task is drawn on a yellow background (SGR 43)
    assert re.search(r"\x1b\[[0-9;]*43[0-9;]*m县卫生健康局", out)


def test_pipe_shows_deadline_targets_and_warnings(tmp_path):
    src = tmp_path / "doc.txt"
    src.write_text(DOC, encoding="utf-8")
    out = cli("show", src, "--width", "50")
    assert out.returncode == 0, out.stderr
    assert "\x1b[" not in out.stdout
    text = out.stdout
    assert "一、王五县长牵头重点工作" in text and "1.新增城镇就业1.2万人,年底前完成。".replace("1.", "1. ", 1) in text
    assert "deadline 2024-12-31 (年底前)" in text and "deadline: 持续推进" in text
    assert "warning:" in text  # the task with no units
    assert max(cell_len(line) for line in text.splitlines()) <= 50


def test_unknown_unit_and_missing_file(tmp_path):
    out = cli("show", SAMPLE, "--unit", "县不存在局")
    assert out.returncode == 1 and out.stdout == "" and "no task of unit '县不存在局'" in out.stderr
    missing = tmp_path / "nope.txt"
    out = cli("show", missing)
    assert out.returncode == 1 and out.stderr == f"dutysplit: error: {missing}: no such file\n"


def test_closed_pipe_ends_quietly(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text((ROOT / "samples" / "004_2fb903112776d0b8.txt").read_text(encoding="utf-8") * 4, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "dutysplit", "show", str(big), "--width", "30"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away, as `| head -1` does
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""
