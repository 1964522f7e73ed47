"""One grader at a time per cohort: an flock on ``<cohort>/.kefu/autograde.lock``.

An flock belongs to the open file, so the kernel drops it when the last process holding the file
ends — a crashed or ``kill -9``'ed run never leaves the cohort locked. The grading workers are forked
from the batch process and share its open file: the lock is held until every one of them is gone, so a
new run never overlaps the end of an old one. The file holds the holder's pid, for the message.
"""
from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from .config import CourseError

LOCK_NAME = "autograde.lock"


class CohortLock:
    def __init__(self, course: Path, wait: float = 5.0) -> None:
        self.path = Path(course) / ".kefu" / LOCK_NAME
        self.wait = wait
        self.fd: int | None = None

    def acquire(self) -> "CohortLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)  # inherited by the forked workers
        deadline = time.monotonic() + max(0.0, self.wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read(fd)
                    os.close(fd)
                    who = f"(进程 {holder})" if holder else ""
                    raise CourseError(
                        f"另一个 kefu autograde{who}正在为这个培训班评分:{self.path.parent.parent}。"
                        "同一培训班一次只能运行一个评分;请等它结束后再运行(已评完的不会重评)。"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)
            except OSError:
                pass
            os.close(self.fd)  # workers still alive keep it locked until they end
            self.fd = None

    def __enter__(self) -> "CohortLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return ""
