"""jupyter_client parts that start every kernel in the sandbox.

- :class:`SandboxKernelManager`: an ``AsyncKernelManager`` that talks to its kernel over ``ipc://``
  sockets in a fresh folder (:mod:`kefu.sandbox.ipc`) and launches through :class:`SandboxProvisioner`;
- :class:`SandboxProvisioner`: puts ``python -m kefu.sandbox.enter --scratch-from <notebook folder>
  --ipc <folder> ... --`` in front of the kernel's command; removes the folder when the kernel is gone;
- :class:`SandboxClient`: seals the ipc folder once the kernel has answered ``kernel_info`` (and, as a
  backstop, before the first execute request).

``kefu autograde`` subclasses these to fork kernels from its zygote instead of exec'ing them.
"""
from __future__ import annotations

import os
import sys
import uuid
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner
from traitlets import Any as AnyTrait
from traitlets import DottedObjectName, default

from . import ipc
from .env import mpl_cache_dir, sandbox_env
from .limits import Limits


class SandboxProvisioner(LocalProvisioner):  # type: ignore[misc]
    def sandbox_limits(self) -> Limits:
        limits = getattr(self.parent, "sandbox_limits", None)
        return limits if isinstance(limits, Limits) else Limits()

    def sandbox_command(self, cmd: list[str], cwd: str | None) -> list[str]:
        km = self.parent
        wrapped = [sys.executable, "-m", "kefu.sandbox.enter", "--ipc", km.ipc_dir]
        if cwd:
            wrapped += ["--scratch-from", cwd]
        mpl = mpl_cache_dir()
        if mpl:
            wrapped += ["--mpl-cache", mpl]
        return wrapped + self.sandbox_limits().as_args() + ["--", *cmd]

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        cwd = kwargs.get("cwd")
        kwargs["cwd"] = self.parent.ipc_dir  # the keeper's own folder; the kernel's is its scratch
        kwargs["env"] = sandbox_env(kwargs.get("env") or os.environ)
        return await super().launch_kernel(self.sandbox_command(list(cmd), cwd), **kwargs)

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart)
        if not restart:
            ipc.remove(getattr(self.parent, "ipc_dir", None))


class SandboxClient(AsyncKernelClient):  # type: ignore[misc]
    _sealed = False

    def _seal(self) -> None:
        if not self._sealed:
            folder = getattr(self.parent, "ipc_dir", None)
            if folder:
                ipc.seal(folder)
            self._sealed = True

    async def wait_for_ready(self, timeout: float | None = None) -> None:  # type: ignore[override]
        await self._async_wait_for_ready(timeout=timeout)
        self._seal()

    def execute(self, *args: Any, **kwargs: Any) -> str:
        self._seal()
        return super().execute(*args, **kwargs)


class SandboxKernelManager(AsyncKernelManager):  # type: ignore[misc]
    """A kernel manager whose kernels run in the sandbox, connected over ipc sockets."""

    client_class = DottedObjectName("kefu.sandbox.kernel.SandboxClient")
    #: a :class:`~kefu.sandbox.limits.Limits` (None: the defaults)
    sandbox_limits = AnyTrait(None, allow_none=True)
    provisioner_class: type = SandboxProvisioner
    ipc_dir: str | None = None

    @default("client_factory")
    def _client_factory_default(self) -> type:
        return SandboxClient

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["transport"] = "ipc"
        super().__init__(*args, **kwargs)

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.ipc_dir is None:
            self.ipc_dir = ipc.make_ipc_dir()
            self.connection_file = os.path.join(self.ipc_dir, "kernel.json")
            self.ip = os.path.join(self.ipc_dir, "k")  # sockets k-1 … k-5: well within the 107-byte limit
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = self.provisioner_class(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                      parent=self)
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            ipc.remove(self.ipc_dir)
            self.ipc_dir = None

    cleanup_resources = _async_cleanup_resources
