"""Atomic binary writes: a temporary file beside the target, renamed over it only when whole."""
from __future__ import annotations

import os
from contextlib import contextmanager

from ..batch import TMP_PREFIX


@contextmanager
def replacing(path: str):
    """Yield a temporary path in ``path``'s directory. When the block ends normally the file replaces
    ``path``; when it raises (Ctrl-C too) the temporary file is removed and ``path`` is left as it was."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f"{TMP_PREFIX}{os.getpid()}-{os.path.basename(path)}")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
