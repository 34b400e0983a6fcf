from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="session")
def sample_docs():
    from dutysplit.api import parse_file_dict

    return {p.name: parse_file_dict(str(p)) for p in SAMPLES}
