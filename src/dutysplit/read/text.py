"""Plain text: bytes → text. Encodings (BOM, UTF-8, UTF-16, GB18030), newlines, size limit."""
from __future__ import annotations

import codecs
import hashlib
import os
import re
from dataclasses import dataclass

from ..errors import InputError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than tab, newline, carriage return, form feed: their presence means "not text".
_CONTROL = re.compile("[\x01-\x08\x0b\x0e-\x1f]")


MAX_REPORTED = 20  # invalid UTF-8 sequences reported one by one; more are counted in one diagnostic


@dataclass(frozen=True, slots=True)
class Source:
    text: str
    encoding: str
    sha256: str
    path: str | None = None
    diagnostics: tuple[dict, ...] = ()  # what reading found (invalid bytes replaced), for the document


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns (text, encoding used). Raises InputError when it is not text."""
    text, used, _ = decode_with_notes(data, encoding)
    return text, used


def decode_with_notes(data: bytes, encoding: str | None = None) -> tuple[str, str, list[dict]]:
    """Decode ``data``: (text, encoding used, diagnostics). Raises InputError when it is not text.

    The encoding is decided by evidence. A byte-order mark decides. Otherwise bytes that are valid UTF-8
    are UTF-8; bytes that are mostly UTF-8 (at least ``4×`` as many valid multi-byte characters as
    invalid sequences) stay UTF-8 with each invalid sequence shown as U+FFFD and reported, with its byte
    offset and line, as a ``invalid_utf8`` warning — rather than the whole text being read, garbled, as
    GB18030, which decodes almost any byte string. Otherwise GB18030. A trailing Ctrl-Z is dropped."""
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as e:
            raise InputError(f"not valid {encoding} (byte {e.start})") from None
        return _check_text(_strip_eof(text.lstrip("\ufeff"))), encoding, []
    for bom, name in _BOMS:
        if data.startswith(bom):
            if name == "utf-8-sig":
                text, notes = _utf8_lenient(data, len(bom), force=True)
                return _check_text(_strip_eof(text)), name, notes
            try:
                return _check_text(_strip_eof(data[len(bom):].decode(name))), name, []
            except UnicodeDecodeError as e:
                raise InputError(f"not valid {name} after its byte-order mark (byte {e.start})") from None
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes)")
    try:
        return _check_text(_strip_eof(data.decode("utf-8"))), "utf-8", []
    except UnicodeDecodeError as e:
        first_bad = e.start
    lenient = _utf8_lenient(data, 0)
    if lenient is not None:
        text, notes = lenient
        return _check_text(_strip_eof(text)), "utf-8", notes
    try:
        return _check_text(_strip_eof(data.decode("gb18030"))), "gb18030", []
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 (invalid byte at offset {first_bad}) and not GB18030 "
                         f"(undecodable byte at offset {e.start})") from None


def _strip_eof(text: str) -> str:
    """Drop a trailing Ctrl-Z (0x1A), the end-of-file mark of old DOS/Windows tools, and the white space
    after it: it would stick to the last word (a unit name)."""
    tail = text[-64:]
    if "\x1a" not in tail:
        return text
    end = len(text) - len(tail) + len(tail.rstrip())
    return text[:end].rstrip("\x1a") if text[end - 1:end] == "\x1a" else text


def _utf8_lenient(data: bytes, start: int, force: bool = False) -> tuple[str, list[dict]] | None:
    """``data[start:]`` as UTF-8 with U+FFFD for invalid sequences, and a warning per invalid sequence
    (the first ``MAX_REPORTED``, then one that counts the rest); None when the bytes are not mostly UTF-8
    (unless ``force``, after a UTF-8 byte-order mark). Linear: one decoding pass, then at most
    ``MAX_REPORTED`` strict decodings that each stop at the next invalid sequence."""
    view = memoryview(data)[start:]
    text = codecs.utf_8_decode(view, "replace", True)[0]
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd", start)  # U+FFFD written in the file is no error
    if bad <= 0:
        return text, []
    valid = len(text) - len(text.encode("ascii", "ignore")) - bad  # characters beyond ASCII, decoded right
    if not force and valid < 4 * bad:
        return None
    offsets: list[tuple[int, int]] = []
    pos = 0
    while len(offsets) < MAX_REPORTED:
        try:
            codecs.utf_8_decode(view[pos:], "strict", True)
            break
        except UnicodeDecodeError as e:
            offsets.append((start + pos + e.start, e.end - e.start))
            pos += e.end
    notes = []
    for off, size in offsets:
        line = 1 + data.count(b"\n", 0, off) + data.count(b"\r", 0, off) - data.count(b"\r\n", 0, off)
        what = "an invalid UTF-8 byte" if size == 1 else f"an invalid UTF-8 sequence of {size} bytes"
        notes.append({"level": "warning", "code": "invalid_utf8", "line": line,
                      "message": f"{what} at byte offset {off}, read as U+FFFD"})
    if bad > len(offsets):
        notes.append({"level": "warning", "code": "invalid_utf8", "line": None,
                      "message": f"{bad - len(offsets)} more invalid UTF-8 sequences, read as U+FFFD"})
    return text, notes


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
    text, used, notes = decode_with_notes(data, encoding)
    return Source(text=text, encoding=used, sha256=hashlib.sha256(data).hexdigest(), path=path,
                  diagnostics=tuple(notes))


def read_path(path: str, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read a text file; every failure is an InputError with a one-line reason."""
    return read_bytes(read_file_bytes(path, max_bytes=max_bytes), path=path, encoding=encoding)


def read_file_bytes(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes (at most ``max_bytes``); every failure is an InputError with a one-line reason."""
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
    return data
