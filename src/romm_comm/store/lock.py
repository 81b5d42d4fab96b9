"""One bot per DATA_DIR: a second process on the same folder would answer every chat command
twice and write the same store. The first takes an exclusive lock on DATA_DIR/romm-comm.lock
(holding its PID) for as long as it runs; the kernel drops it when the process ends, even by
kill -9, so a stale file never blocks a restart."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from .problems import StoreProblem

LOCK_NAME = "romm-comm.lock"


class DataDirLock:
    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    @classmethod
    def take(cls, data_dir: Path) -> DataDirLock:
        """The lock, or StoreProblem naming the process that holds it."""
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = data_dir / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreProblem(f"{path} cannot be created ({exc.strerror or exc})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"PID {holder}" if holder else "another process"
            raise StoreProblem(
                f"another RomM-ComM ({who}) is already running on {data_dir}: stop it first, "
                "or give this one a DATA_DIR of its own"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        return cls(fd, path)

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)  # closing drops the lock


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isascii() and text.isdigit() else None
