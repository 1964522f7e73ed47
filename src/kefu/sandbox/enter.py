"""``python -m kefu.sandbox.enter [options] -- COMMAND ...``: run COMMAND in a new sandbox.

What the sandboxed kernel manager (:mod:`kefu.sandbox.kernel`) puts in front of a kernel's launch
command. Must run as root. Exits with COMMAND's exit status (128 + N when killed by signal N); 125
when the sandbox cannot be set up (the reason, in Chinese, on stderr).
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys

from .env import sandbox_env
from .jail import SandboxError, Spec, run
from .limits import Limits


def parse(argv: list[str]) -> tuple[Spec, list[str]]:
    if "--" not in argv:
        raise SystemExit("用法:python -m kefu.sandbox.enter [选项] -- 命令 ...")
    cut = argv.index("--")
    ours, cmd = argv[:cut], argv[cut + 1:]
    if not cmd:
        raise SystemExit("缺少要在沙箱中运行的命令")
    p = argparse.ArgumentParser(prog="python -m kefu.sandbox.enter")
    p.add_argument("--scratch-from", help="把这个文件夹里的文件复制到沙箱的工作文件夹")
    p.add_argument("--ipc", help="内核的 IPC 套接字文件夹(在沙箱里同一路径可见)")
    p.add_argument("--mpl-cache", help="复制 matplotlib 字体缓存的来源文件夹")
    for f in dataclasses.fields(Limits):
        p.add_argument(f"--{f.name.replace('_', '-')}", type=int, default=None)
    a = p.parse_args(ours)
    limits = Limits().replace(**{f.name: getattr(a, f.name) for f in dataclasses.fields(Limits)})
    spec = Spec(scratch_from=a.scratch_from, ipc_dir=a.ipc, limits=limits, env=sandbox_env(),
                mpl_cache=a.mpl_cache)
    return spec, cmd


def main(argv: list[str] | None = None) -> int:
    spec, cmd = parse(list(sys.argv[1:] if argv is None else argv))

    def target() -> None:
        try:
            os.execvpe(cmd[0], cmd, spec.env)
        except OSError as exc:
            os.write(2, f"无法在沙箱中启动 {cmd[0]}:{exc.strerror}\n".encode())
            os._exit(127)

    try:
        code = run(spec, target)
    except SandboxError as exc:
        sys.stderr.write(f"✗ 无法启动沙箱:{exc}\n")
        return 125
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    raise SystemExit(main())
