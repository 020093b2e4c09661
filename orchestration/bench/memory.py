"""Peak resident memory of a process tree, sampled from /proc (psutil is not a dependency).

`TreeMemorySampler` sums the RSS (`/proc/<pid>/statm`, resident pages) of a process and all its
descendants every `interval` seconds in a background thread and keeps the peak per named phase.
Sampling can miss a spike shorter than the interval; `resource.getrusage` maxrss (exact, but per
process: this process, and the largest single waited-for child) is reported next to it.
"""

import os
import resource
import threading
from typing import Self

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


def tree_rss_bytes(root: int) -> int:
    """Current RSS of `root` plus every descendant process, in bytes (0 if it vanished)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
                total += int(handle.read().split()[1]) * PAGE_BYTES
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(children.get(pid, ()))
    return total


class TreeMemorySampler:
    """Background sampler of this process tree's RSS; `phase` labels the samples taken from now on."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.phase = "start"
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-memory", daemon=True)

    def _run(self) -> None:
        pid = os.getpid()
        while not self._stop.is_set():
            rss = tree_rss_bytes(pid)
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0), rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def report(self) -> dict:
        """Peaks in MiB: per phase, overall, and getrusage maxrss of this process and its children."""
        return {
            "method": f"sum of RSS over the process tree from /proc every {self.interval}s; "
            "getrusage maxrss for self and the largest child",
            "peak_tree_mib_by_phase": {phase: round(peak / MIB, 1) for phase, peak in self.peaks.items()},
            "peak_tree_mib": round(max(self.peaks.values(), default=0) / MIB, 1),
            "maxrss_self_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "maxrss_children_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        }
