"""``SandboxedExecute``: nbgrader's ``Execute`` preprocessor whose kernels run in the sandbox.

For nbgrader's own path (formgrader's Autograde button, ``nbgrader autograde``), set in the cohort's
``nbgrader_config.py`` in place of ``nbgrader.preprocessors.Execute``::

    c.Autograde.autograde_preprocessors = ["kefu.sandbox.execute.SandboxedExecute", ...]
    c.SandboxedExecute.memory_mb = 3584      # optional: any field of kefu.sandbox.limits.Limits

It is nbgrader's Execute in everything else (timeout, interrupts, error handling, outputs; same
constructor and config). The kernel sees a scratch copy of the notebook's folder and nothing of the
cohort; when the sandbox cannot be set up it refuses (:class:`kefu.sandbox.SandboxUnavailable`, with
the reason in Chinese) instead of running the notebook unsandboxed.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from nbgrader.preprocessors import Execute
from traitlets import Integer

from . import require
from .kernel import SandboxKernelManager
from .limits import Limits

_DEFAULTS = Limits()


class SandboxedExecute(Execute):  # type: ignore[misc]
    cpu_seconds = Integer(_DEFAULTS.cpu_seconds, help="每个内核进程的 CPU 秒数上限").tag(config=True)
    memory_mb = Integer(_DEFAULTS.memory_mb, help="每个内核进程的地址空间上限(MB)").tag(config=True)
    processes = Integer(_DEFAULTS.processes, help="沙箱用户的进程/线程数上限").tag(config=True)
    file_mb = Integer(_DEFAULTS.file_mb, help="单个文件的大小上限(MB)").tag(config=True)
    open_files = Integer(_DEFAULTS.open_files, help="每个进程同时打开的文件数上限").tag(config=True)
    tmpfs_mb = Integer(_DEFAULTS.tmpfs_mb, help="沙箱私有文件系统(工作文件夹、/tmp)的大小(MB)").tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(*args, **kwargs)

    def sandbox_limits(self) -> Limits:
        return Limits(**{f.name: int(getattr(self, f.name)) for f in dataclasses.fields(Limits)})

    def create_kernel_manager(self) -> Any:
        km = super().create_kernel_manager()
        if not isinstance(km, SandboxKernelManager):
            raise TypeError("SandboxedExecute needs a SandboxKernelManager (kernel_manager_class)")
        km.sandbox_limits = self.sandbox_limits()
        return km

    def preprocess(self, nb: Any, resources: Any = None, km: Any = None) -> Any:
        require()  # refuse, with the reason, rather than run trainee code unsandboxed
        if km is not None and not isinstance(km, SandboxKernelManager):
            raise TypeError("SandboxedExecute needs a SandboxKernelManager")
        return super().preprocess(nb, resources, km)
