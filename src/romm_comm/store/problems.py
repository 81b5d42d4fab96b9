"""Why the data file cannot be used, in one sentence a person can act on.

A damaged, unwritable or misplaced store must stop the bot at once with that sentence and a
non-zero exit, never a traceback followed by a process that does not end.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)


class StoreProblem(RuntimeError):
    """The store cannot be opened or written; `str()` is what the person reads."""


def describe(path: Path, exc: BaseException) -> StoreProblem:
    """The sentence for an error met while opening or writing the file at `path`."""
    text = " ".join(str(exc).replace("*** in database main ***", "").split())
    lowered = text.lower()
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return StoreProblem(
            f"{path} is a directory, not the bot's data file: move it away or set DATA_DIR "
            "to another folder"
        )
    if is_disk_full(exc):
        return StoreProblem(f"the disk holding {path.parent} is full: free some space")
    if isinstance(exc, PermissionError) or "readonly" in lowered or "read-only" in lowered:
        return StoreProblem(
            f"{path.parent} is not writable by this user: fix its permissions or set DATA_DIR "
            "to a folder the bot may write"
        )
    if "unable to open" in lowered:
        return StoreProblem(
            f"{path} cannot be opened ({text}): check that DATA_DIR exists and is writable"
        )
    if isinstance(exc, sqlite3.DatabaseError):
        return StoreProblem(f"{path} is damaged ({text}): restore a backup or move it away")
    return StoreProblem(f"{path} cannot be used ({text})")


DISK_FULL = (
    "The bot's disk is full, so this was not saved. An admin must free some space; then try again."
)


def disk_full_in(exc: BaseException) -> bool:
    """Whether `exc`, or an error it was raised from, says the disk (or the store) is full."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if is_disk_full(current):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    return isinstance(exc, sqlite3.Error) and "disk is full" in str(exc).lower()


def check_file(path: Path) -> None:
    """A directory in the file's place is refused; a zero-length file, which SQLite takes for
    a new store, is said loudly (everything remembered is gone)."""
    if path.is_dir():
        raise IsADirectoryError(str(path))
    try:
        empty = path.stat().st_size == 0
    except FileNotFoundError:
        return
    if empty:
        log.warning(
            "store: %s is empty (0 bytes): starting with a fresh store; everything the bot "
            "remembered (requests, links, download log) is gone unless you restore a backup",
            path,
        )


def warn_secret_replaced(path: Path, text: str) -> None:
    """A short (truncated, emptied) link-secret is replaced; every link handed out dies."""
    log.warning(
        "%s was %s: a new link secret is made, so every download link handed out so far "
        "stops working",
        path,
        "empty" if not text else f"too short ({len(text)} characters, truncated?)",
    )
