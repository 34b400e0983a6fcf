"""Stage 1: bytes → text. Encodings (BOM, UTF-8, UTF-16, GB18030), newlines, size limit."""
from __future__ import annotations

import codecs
import hashlib
import os
import re
from dataclasses import dataclass

from .errors import InputError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than tab, newline, carriage return, form feed: their presence means "not text".
_CONTROL = re.compile("[\x01-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True, slots=True)
class Source:
    text: str
    encoding: str
    sha256: str
    path: str | None = None


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns (text, encoding used). Raises InputError when it is not text."""
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as e:
            raise InputError(f"not valid {encoding} (byte {e.start})") from None
        return _check_text(text.lstrip("\ufeff")), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom):].decode(name.replace("-sig", ""))), name
            except UnicodeDecodeError as e:
                raise InputError(f"not valid {name} after its byte-order mark (byte {e.start})") from None
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes)")
    try:
        return _check_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return _check_text(data.decode("gb18030")), "gb18030"
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 and not GB18030 (undecodable byte at offset {e.start})") from None


def _check_text(text: str) -> str:
    if "\x00" in text:
        raise InputError("binary file (contains NUL characters)")
    sample = text[:65536]
    bad = len(_CONTROL.findall(sample))
    if sample and bad > max(8, len(sample) // 100):
        raise InputError("binary file (control characters)")
    return text


def split_lines(text: str) -> list[str]:
    """Split on \\r\\n, \\r and \\n (only those: U+2028 and friends stay inside a line)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_bytes(data: bytes, *, path: str | None = None, encoding: str | None = None) -> Source:
    text, used = decode(data, encoding)
    return Source(text=text, encoding=used, sha256=hashlib.sha256(data).hexdigest(), path=path)


def read_path(path: str, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read a file; every failure is an InputError with a one-line reason."""
    try:
        if os.path.isdir(path):
            raise InputError("is a directory")
        size = os.path.getsize(path)
        if size > max_bytes:
            raise InputError(f"file is {size} bytes, over the limit of {max_bytes} (--max-bytes)")
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError("no such file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except OSError as e:
        raise InputError(e.strerror or str(e)) from None
    if len(data) > max_bytes:
        raise InputError(f"file is over the limit of {max_bytes} bytes (--max-bytes)")
    return read_bytes(data, path=path, encoding=encoding)
