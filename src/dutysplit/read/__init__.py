"""Stage 1: a file → text (plain text) or :class:`Blocks` (Word, HTML, PDF, Excel).

The format is found by content (:mod:`.detect`), not by the name. Each structured reader lives in its own
module and imports its library only when such a file is read: plain-text start-up does not grow.
"""
from __future__ import annotations

from .blocks import Blocks
from .text import (DEFAULT_MAX_BYTES, MAX_REPORTED, Source, decode, decode_with_notes, read_bytes,
                   read_path, split_lines)

__all__ = ["Blocks", "DEFAULT_MAX_BYTES", "MAX_REPORTED", "Source", "decode", "decode_with_notes",
           "read_bytes", "read_path", "split_lines"]
