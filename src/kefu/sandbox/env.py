"""Environments for sandboxed kernels (and for the zygote they are forked from).

Only an allow-list of harmless variables passes: the grader's own environment may hold tokens (e.g.
``JUPYTERHUB_API_TOKEN``), the trainer's paths or the seeds folder. A forked kernel can also read the
environment its zygote was *started* with (``/proc/self/environ`` shows the memory of the original
``execve``), so the zygote is started with :func:`zygote_env` too.
"""
from __future__ import annotations

import os
import sys
from typing import Mapping

from .jail import SCRATCH

ALLOWED = {
    "LANG", "LANGUAGE", "TZ", "TERM", "PYTHONHASHSEED", "PYTHONIOENCODING", "PYTHONUNBUFFERED",
    "PYTHONWARNINGS", "MPLBACKEND", "NBGRADER_EXECUTION", "PYDEVD_DISABLE_FILE_VALIDATION",
    "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "KEFU_EXAM",
}
ALLOWED_PREFIXES = ("LC_",)


def _allowed(env: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k in ALLOWED or k.startswith(ALLOWED_PREFIXES)}


def _path() -> str:
    return os.pathsep.join([os.path.join(sys.prefix, "bin"), "/usr/local/bin", "/usr/bin", "/bin"])


def sandbox_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a program in the sandbox: allowed variables of ``env`` plus a home, caches
    and runtime folders in the sandbox's private /tmp."""
    out = _allowed(os.environ if env is None else env)
    out.update({
        "PATH": _path(),
        "HOME": "/tmp",
        "USER": "trainee",
        "LOGNAME": "trainee",
        "PWD": SCRATCH,
        "TMPDIR": "/tmp",
        "IPYTHONDIR": "/tmp/.ipython",
        "JUPYTER_CONFIG_DIR": "/tmp/.jupyter",
        "JUPYTER_DATA_DIR": "/tmp/.local/share/jupyter",
        "JUPYTER_RUNTIME_DIR": "/tmp/.local/share/jupyter/runtime",
        "MPLCONFIGDIR": "/tmp/.matplotlib",
        "PYTHONDONTWRITEBYTECODE": "1",
        # ipykernel: no parent poller thread (the keeper ends the kernel) and no console banner
        "JPY_PARENT_PID": "1",
    })
    return out


def zygote_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment the zygote starts with: the allowed variables, PATH and the grader's HOME and
    caches (the zygote imports modules before any sandbox exists; nothing secret is in these)."""
    src = os.environ if env is None else env
    out = _allowed(src)
    out["PATH"] = _path()
    for key in ("HOME", "MPLCONFIGDIR", "XDG_CACHE_HOME"):
        if key in src:
            out[key] = src[key]
    return out


def mpl_cache_dir(env: Mapping[str, str] | None = None) -> str | None:
    """The grader's matplotlib cache folder (its font list is copied into each sandbox), found the way
    matplotlib finds it, without importing matplotlib."""
    src = os.environ if env is None else env
    if src.get("MPLCONFIGDIR"):
        return src["MPLCONFIGDIR"]
    cache = src.get("XDG_CACHE_HOME") or os.path.join(src.get("HOME") or os.path.expanduser("~"), ".cache")
    folder = os.path.join(cache, "matplotlib")
    return folder if os.path.isdir(folder) else None
