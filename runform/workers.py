"""How many pose workers this machine can run: CPUs this process may use, and memory.

Each pose worker is one process with its own MediaPipe graph, which runs on one core
(:mod:`runform.parallel`). :func:`usable_workers` counts the CPUs the operating system
lets this process use (CPU affinity, ``os.sched_getaffinity``; the cgroup CPU quota of a
container, ``/sys/fs/cgroup/cpu.max`` or cgroup v1's ``cpu.cfs_quota_us``) and bounds
that by the memory left, at :data:`WORKER_MB` per graph.
"""

from __future__ import annotations

import contextlib
import os

from .errors import InputError

__all__ = ["WORKER_MB", "usable_workers"]

#: Peak resident memory of one worker with the full model on 720p frames (MB): measured
#: 317-320 MB by ``bench/pose_speed.py`` on the real 720x1280 clip; used to bound the
#: worker count by available memory (half of it at most goes to pose workers).
WORKER_MB = 330


def _cgroup_cpus(root: str = "/sys/fs/cgroup") -> float | None:
    """CPUs allowed by the cgroup quota (v2 ``cpu.max``, v1 ``cpu.cfs_quota_us``), or
    None when there is no quota."""
    for files in (("cpu.max",), ("cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_period_us")):
        try:
            parts = []
            for name in files:
                with open(os.path.join(root, name)) as f:
                    parts += f.read().split()
            quota, period = parts[0], parts[1]
        except (OSError, IndexError):
            continue
        if quota in ("max", "-1"):
            return None
        with contextlib.suppress(ValueError, ZeroDivisionError):
            return max(1.0, int(quota) / int(period))
    return None


def _available_mb() -> float | None:
    """Memory this process can still use (MB): the cgroup limit or MemAvailable."""
    with contextlib.suppress(OSError, ValueError):
        with open("/sys/fs/cgroup/memory.max") as f:
            limit = f.read().strip()
        if limit != "max":
            with open("/sys/fs/cgroup/memory.current") as f:
                return (int(limit) - int(f.read())) / 1e6
    with contextlib.suppress(OSError, ValueError, StopIteration):
        with open("/proc/meminfo") as f:
            line = next(s for s in f if s.startswith("MemAvailable:"))
        return int(line.split()[1]) / 1e3
    return None


def usable_workers(n_jobs: int | None = None) -> int:
    """How many pose workers to run.

    Parameters
    ----------
    n_jobs : int, optional
        ``None``, 0 or -1: one per usable CPU (CPU affinity and cgroup quota), bounded
        so that :data:`WORKER_MB` per worker fits in half the available memory.
        A positive number is honoured as given.

    Raises
    ------
    InputError
        ``n_jobs`` is not a whole number, or is below -1.

    Returns
    -------
    int
        At least 1.
    """
    if n_jobs is not None and (
        isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs < -1
    ):
        raise InputError(
            f"n_jobs must be a whole number of workers (1 or more; 0, -1 or "
            f"None for one per usable core), got {n_jobs!r}."
        )
    if n_jobs is not None and n_jobs > 0:
        return n_jobs
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = _cgroup_cpus()
    if quota is not None:
        cpus = min(cpus, int(quota))
    mem = _available_mb()
    if mem is not None:
        cpus = min(cpus, max(1, int(0.5 * mem / WORKER_MB)))
    return max(1, cpus)
