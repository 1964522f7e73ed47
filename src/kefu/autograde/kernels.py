"""Kernels for the grading workers: nbgrader's own ``Execute`` preprocessor, sandboxed, launched through a zygote.

``KefuExecute`` *is* nbgrader's ``Execute`` (same timeout, interrupt, error and output handling) in its
sandboxed form (:class:`kefu.sandbox.execute.SandboxedExecute`); the only difference is the kernel
manager class, whose provisioner asks the worker's zygote (:mod:`kefu.autograde.zygote`) to fork a fresh
kernel into a new sandbox instead of starting a new Python process. If the zygote is unavailable, or the
notebook asks for another kernel, it falls back to an ordinary launch — through the sandbox too
(``python -m kefu.sandbox.enter``): no kernel runs unsandboxed.
"""
from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

from kefu.sandbox.env import mpl_cache_dir, sandbox_env
from kefu.sandbox.execute import SandboxedExecute
from kefu.sandbox.kernel import SandboxClient, SandboxKernelManager, SandboxProvisioner
from kefu.sandbox.limits import Limits
from traitlets import DottedObjectName, default

from .kernels_client import ForkedProcess, ZygoteClient


_ZYGOTE: ZygoteClient | None = None
_LIMITS: Limits | None = None


def set_zygote(z: ZygoteClient | None) -> None:
    global _ZYGOTE
    _ZYGOTE = z


def set_limits(limits: Limits | None) -> None:
    """The sandbox limits of this batch's kernels (set before the workers are forked)."""
    global _LIMITS
    _LIMITS = limits


def _is_ipykernel(cmd: list[str]) -> bool:
    return (
        len(cmd) >= 3
        and cmd[1:3] == ["-m", "ipykernel_launcher"]
        and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
    )


class ForkProvisioner(SandboxProvisioner):
    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        zyg = _ZYGOTE
        if zyg is None or not zyg.alive or not _is_ipykernel(cmd):
            return await super().launch_kernel(cmd, **kwargs)  # sandboxed too, by exec
        env = sandbox_env(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or "")
        box = {"ipc": self.parent.ipc_dir, "limits": self.sandbox_limits().to_dict(), "mpl_cache": mpl_cache_dir()}
        pid = zyg.spawn(list(cmd[3:]), env, cwd, box)
        self.process = ForkedProcess(pid)
        self.pid = pid
        self.pgid = pid
        self.cwd = cwd
        return self.connection_info

    async def wait(self) -> int | None:
        # same as LocalProvisioner.wait, polling every 10 ms instead of 100 ms
        if isinstance(self.process, ForkedProcess):
            while await self.poll() is None:
                await asyncio.sleep(0.01)
            ret = self.process.returncode
            self.process = None
            return ret
        return await super().wait()


class QuickClient(SandboxClient):
    """jupyter_client's client, but its start-up handshake does not idle 0.2 s draining IOPub.

    The handshake sends kernel_info requests until one is answered *and* an IOPub message shows the
    IOPub socket is connected; nothing after that matters to the notebook (nbclient only reads
    messages whose parent is its own request), so the final drain waits 10 ms instead of 200 ms.
    """

    def start_channels(self, *args: Any, **kwargs: Any) -> None:
        # the kernel binds its sockets a few milliseconds after it is forked; a socket that connects
        # before that retries every 100 ms by default, which only delays the handshake
        import zmq

        self.context.setsockopt(zmq.RECONNECT_IVL, 5)
        self.context.setsockopt(zmq.RECONNECT_IVL_MAX, 100)
        super().start_channels(*args, **kwargs)

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        import time
        from queue import Empty

        deadline = time.time() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                msg = None
            if msg is not None and msg["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(msg)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.time() > deadline:
                raise RuntimeError("Kernel didn't respond in %d seconds" % (timeout or 0))
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0.01)
            except Empty:
                break

    # SandboxClient.wait_for_ready runs ``_async_wait_for_ready`` (this one), then seals the ipc folder


class ForkKernelManager(SandboxKernelManager):
    client_class = DottedObjectName("kefu.autograde.kernels.QuickClient")
    provisioner_class = ForkProvisioner

    @default("client_factory")
    def _client_factory_default(self) -> type:
        return QuickClient


class KefuExecute(SandboxedExecute):
    """nbgrader's Execute preprocessor with sandboxed, zygote-forked kernels.

    The kernel is stopped at once when the notebook is done (every cell has already been answered and
    its output collected; the kernel is never reused), instead of a polite shutdown request.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", ForkKernelManager)
        kwargs.setdefault("shutdown_kernel", "immediate")
        super().__init__(*args, **kwargs)

    def sandbox_limits(self) -> Limits:
        return _LIMITS if _LIMITS is not None else super().sandbox_limits()
