"""Resource limits of a sandboxed kernel: the one place their values live.

These are the grading machine's own settings, not course facts, so they live here rather than in
seeds/. ``kefu autograde`` passes its options through :meth:`Limits.replace`.
"""
from __future__ import annotations

import dataclasses
import resource
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    #: CPU seconds for each process of the kernel (soft limit: SIGXCPU; hard limit 5 s later: SIGKILL).
    #: A runaway cell is interrupted by the cell timeout long before; this stops what ignores SIGINT.
    cpu_seconds: int = 300
    #: address space per process, MB (a MemoryError beyond it). A kernel with numpy and pandas
    #: reserves about 0.8 GB of address space (thread stacks, malloc arenas), most of it never
    #: touched, so this leaves well over 2 GB for the trainee's data.
    memory_mb: int = 3584
    #: processes and threads of the sandbox uid (one uid per concurrent kernel, so per kernel);
    #: ipykernel itself runs about ten threads
    processes: int = 96
    #: largest file a kernel may write, MB
    file_mb: int = 64
    #: open files per process
    open_files: int = 512
    #: the sandbox's whole private file system (scratch folder, /tmp, /dev/shm), MB, in memory
    tmpfs_mb: int = 256

    def replace(self, **changes: Any) -> "Limits":
        """A copy with the given fields changed (``None`` values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def as_args(self) -> list[str]:
        """Command-line options of ``python -m kefu.sandbox.enter`` for these limits."""
        out = []
        for f in dataclasses.fields(self):
            out += [f"--{f.name.replace('_', '-')}", str(getattr(self, f.name))]
        return out

    def to_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Limits":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: int(v) for k, v in (data or {}).items() if k in names})

    def apply(self) -> None:
        """Set the limits on this process (inherited by everything it starts). Hard limits equal the
        soft ones, so the sandboxed code cannot raise them again."""
        def both(kind: int, value: int) -> None:
            resource.setrlimit(kind, (value, value))

        both(resource.RLIMIT_CORE, 0)
        resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, self.cpu_seconds + 5))
        both(resource.RLIMIT_AS, self.memory_mb * MB)
        both(resource.RLIMIT_NPROC, self.processes)
        both(resource.RLIMIT_FSIZE, self.file_mb * MB)
        both(resource.RLIMIT_NOFILE, self.open_files)
