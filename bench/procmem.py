"""Resident memory of a set of processes, read from /proc (shared by the server benchmarks)."""
from __future__ import annotations


def rss_mb(pids) -> float:
    """Sum of VmRSS over ``pids`` in MB; processes already gone are skipped."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)
