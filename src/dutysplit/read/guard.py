"""Hostile files stay harmless: a zip (Word, Excel) is checked before any library opens it.

- what it expands to is bounded by ``--max-bytes`` (the sizes its directory declares; Python's zipfile never
  inflates a member past its declared size, so a lying directory cannot expand further), and no member may
  expand more than ``MAX_RATIO`` times (a zip bomb is a small file expanding to gigabytes);
- its XML carries no document type declaration (OOXML never has one; entity bombs need one);
- too many members is refused (a directory of millions of entries costs memory before anything is read).
"""
from __future__ import annotations

import io
import re
import zipfile

from ..errors import InputError

MAX_RATIO = 200  # deflate reaches ~1000× on runs of one byte; real OOXML parts stay under ~100×
MAX_MEMBERS = 10_000
_SNIFF = 65536  # the prolog of each XML part (before its root element) must end within this
_ROOT = re.compile(rb"<[A-Za-z_]")


def checked_zip(data: bytes, *, max_bytes: int, what: str) -> zipfile.ZipFile:
    """The zip, opened, after the checks above; an :class:`InputError` otherwise."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as e:
        raise InputError(f"a damaged {what} ({_short(e)})") from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"a {what} with {len(infos)} parts (a zip bomb?); at most {MAX_MEMBERS} are read")
    total = 0
    for info in infos:
        total += info.file_size
        if total > max_bytes:
            raise InputError(f"a {what} that expands to over {max_bytes} bytes (--max-bytes): a zip bomb?")
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(f"a {what} whose part {info.filename} expands {info.file_size // max(info.compress_size, 1)}"
                             f"-fold (a zip bomb?)")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            try:
                with z.open(info) as fh:
                    head = fh.read(_SNIFF)
            except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError) as e:
                raise InputError(f"a damaged {what}: part {info.filename} cannot be read ({_short(e)})") from None
            root = _ROOT.search(head)
            prolog = head[:root.start()] if root else head
            if root is None and len(head) == _SNIFF:
                raise InputError(f"a {what} whose part {info.filename} has no element in its first {_SNIFF} bytes")
            if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
                raise InputError(f"a {what} whose part {info.filename} declares XML entities (an entity bomb?); "
                                 f"Office never writes them")
    return z


def _short(e: BaseException) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return text[:80]
