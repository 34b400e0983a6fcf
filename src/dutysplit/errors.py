"""Documented errors. Each carries the exit code the CLI uses."""
from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1  # some input could not be parsed (or, with --strict, produced warnings)
EXIT_USAGE = 2


class InputError(Exception):
    """The input cannot be read as a document (missing, binary, undecodable, too large...)."""

    exit_code = EXIT_FAILED

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
