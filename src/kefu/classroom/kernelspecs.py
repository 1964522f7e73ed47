"""The kernel specs a trainee's server may start: only those on its allow list, by name as well.

``KernelSpecManager.allowed_kernelspecs`` only filters the *listing*; jupyter_client's
``get_kernel_spec(name)`` still finds any spec on Jupyter's data path — and that path includes the
trainee's own ``~/.local/share/jupyter/kernels`` and ``~/.ipython/kernels``, which the trainee (or their
kernel: bubblewrap binds the home read-write) can write. A spec placed there and started by name through
``/api/kernels`` would run outside bubblewrap. The trainee's server uses
:class:`AllowedKernelSpecs` (``ServerApp.kernel_spec_manager_class``), which refuses such a name.
"""
from __future__ import annotations

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel


class AllowedKernelSpecs(KernelSpecManager):
    """jupyter_client's manager whose ``allowed_kernelspecs`` also holds for a spec asked for by name."""

    def get_kernel_spec(self, kernel_name: str):
        if self.allowed_kernelspecs and kernel_name not in self.allowed_kernelspecs:
            raise NoSuchKernel(kernel_name)
        return super().get_kernel_spec(kernel_name)
