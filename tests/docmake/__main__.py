"""``python -m tests.docmake [DIR]``: write the rule fixtures of the four readers (default: tests/fixtures/rules)
and, with ``--all DIR``, every sample as DOCX, HTML, PDF and XLSX plus the hostile files, for a look by hand."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ("docx", "html", "pdf", "xlsx")


def main(argv: list[str]) -> None:
    everything = "--all" in argv
    args = [a for a in argv if a != "--all"]
    out = Path(args[0]) if args else ROOT / "tests" / "fixtures" / "rules"
    out.mkdir(parents=True, exist_ok=True)
    for fmt in FORMATS:
        mod = importlib.import_module(f"tests.docmake.{fmt}")
        if not everything:
            mod.write_rule_fixture(out)
            continue
        for sample in sorted((ROOT / "samples").glob("*.txt")):
            (out / f"{sample.stem}.{fmt}").write_bytes(mod.from_text(sample.read_text(encoding="utf-8")))
    print(f"written in {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
