"""dutysplit: Chinese government task-decomposition documents → validated, normalised data.

Library API::

    import dutysplit
    doc = dutysplit.parse_file("samples/002_943b2e701313101a.txt")   # a pydantic model
    doc = dutysplit.parse_text(text, source="name.txt")
    for part in doc.parts: ...

Both raise :class:`dutysplit.InputError` for input that is not a document (empty, binary, undecodable).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from .models import Document

__version__ = "0.1.0"
SCHEMA_VERSION = "2.1"
__all__ = ["parse_text", "parse_file", "InputError", "__version__", "SCHEMA_VERSION"]


def parse_text(text: str, *, source: str | None = None) -> "Document":
    """Parse a document given as text. ``source`` is recorded as ``source.path``."""
    from .api import parse_text_dict
    from .models import Document

    return Document.model_validate(parse_text_dict(text, source=source))


def parse_file(path, *, encoding: str | None = None, max_bytes: int | None = None) -> "Document":
    """Read and parse a file (UTF-8/UTF-16 with BOM, UTF-8, GB18030 detected; ``encoding`` forces one)."""
    from .api import parse_file_dict
    from .models import Document
    from .read import DEFAULT_MAX_BYTES

    data = parse_file_dict(str(path), encoding=encoding, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    return Document.model_validate(data)
