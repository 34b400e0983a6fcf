"""Documented errors and exit codes (README.md, "Exit codes"). Each error carries the exit code the CLI uses."""
from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1  # some input could not be parsed (or, with --strict, produced warnings)
EXIT_USAGE = 2  # a usage error, among them an output that would replace an input or a device (-o)
EXIT_OUTPUT = 3  # an output could not be written (disk full, permission denied...): no partial file is left
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it): temporary files removed


class InputError(Exception):
    """The input cannot be read as a document (missing, binary, undecodable, too large...)."""

    exit_code = EXIT_FAILED

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class OutputError(Exception):
    """An output cannot be written (refused target, disk full, permission denied...)."""

    exit_code = EXIT_OUTPUT

    def __init__(self, path: str, reason: str, exit_code: int = EXIT_OUTPUT):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.exit_code = exit_code


_BREAKS = frozenset("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
                    "\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f\x85\u2028\u2029")


def show_path(path: str) -> str:
    """A path as printed in a one-line message: control characters and line separators (a newline in a
    file name) escaped as Python writes them (``\\n``, ``\\x1b``), and then backslashes too, so that one
    message stays one line and says which file it is. Other paths are printed as they are."""
    if _BREAKS.isdisjoint(path):
        return path
    return "".join(repr(c)[1:-1] if c in _BREAKS or c == "\\" else c for c in path)
