"""Run one untrusted command in a fresh sandbox: bubblewrap namespaces, an unprivileged user,
memory / process / CPU bounds (cgroup v1, cgroup v2, or rlimits) and a wall-clock bound
enforced from outside.

What the sandboxed command can see: ``/usr`` (read-only), the Python installation and the
virtual environment (read-only), the ``campaignlab`` package (read-only), the course data
folder at ``/data`` (read-only) and a private, empty ``/tmp`` (its working folder and home).
No network, no other process, no course root, curriculum, release, gradebook, other students'
hand-ins, or the grader's home / IPython profile.

Two ways to drop privileges, chosen automatically:

- run as root (CI, a grading server): bubblewrap builds the namespaces as root, then
  ``setpriv`` switches to the real uid/gid 65534 (``nobody``) with every capability dropped and
  ``no_new_privs`` set before anything untrusted starts;
- run as a normal user (a laptop): bubblewrap's user namespace maps uid 65534 to the
  instructor's own uid (which the binds already confine).

Limits: one *mechanism* per ``Sandbox``, chosen once when it is made (``Sandbox.mechanism``,
printed by ``campaignlab grade check``), the first of these that works here:

- ``cgroup v1``: root, and writable v1 ``memory`` and ``pids`` hierarchies (``cpu`` if there):
  each run gets its own cgroup in ``<hierarchy>/campaignlab-grading/``: RAM + swap, pids, CPU
  quota;
- ``cgroup v2``: a cgroup2 hierarchy (``/sys/fs/cgroup`` itself, or ``/sys/fs/cgroup/unified``
  on a hybrid host) with the ``memory`` and ``pids`` controllers, where we may write: as root
  its top, as a normal user the delegated subtree systemd gives the user (the parent of the
  cgroup we run in, e.g. ``.../user@1000.service/app.slice``).  ``campaignlab-grading/`` is made
  there, the controllers enabled in ``cgroup.subtree_control`` on the way, and each run gets
  ``campaignlab-grading/run-XXXX`` with ``memory.max``, ``memory.swap.max`` = 0, ``pids.max``
  and ``cpu.max``; the peak comes from ``memory.peak`` (Linux >= 5.19; else ``memory.current``
  is sampled), an OOM kill from ``memory.events``;
- ``rlimit``: no cgroup to use (a laptop without systemd's delegation, a container): the
  trusted parent watches the run's resident memory, summed over its processes and sampled every
  10 ms (``RssWatch``), and past the limit kills the largest process, as a cgroup's OOM killer
  would (the runner's kernel first); a run may overshoot by what it allocates between two
  samples.  Every process also gets
  ``RLIMIT_AS`` at the limit + ``AS_HEADROOM`` (pandas and pyarrow reserve far more address
  space than they touch, so the address space at the limit itself would fail a plain
  ``read_csv``) and the kernel ``RLIMIT_NPROC``.  The peak reported is the largest sample.

In every case a run's processes are killed at the end (under cgroups: whatever is left in the
cgroup, which is then removed), and the wall clock is enforced here by killing the sandbox,
whose PID namespace takes every process of the run with it.

>>> Limits(memory_mb=512).memory_bytes
536870912
>>> own_cgroup("12:pids:/x\\n0::/user.slice/user-1000.slice/user@1000.service/app.slice/a.scope\\n")
'user.slice/user-1000.slice/user@1000.service/app.slice/a.scope'
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

NOBODY = 65534
CGROUP_ROOT = Path("/sys/fs/cgroup")  # where the cgroup filesystems are mounted
PROC_SELF_CGROUP = Path("/proc/self/cgroup")
CGROUP_PARENT = "campaignlab-grading"
MECHANISMS = ("cgroup v1", "cgroup v2", "rlimit")
MECHANISM_ENV = "CAMPAIGNLAB_SANDBOX_MECHANISM"  # tells the runner's kernel which one is in force
NPROC = 512  # RLIMIT_NPROC of the kernel under the rlimit mechanism (runner.kernel_main)
#: RLIMIT_AS of every process = the memory limit + this (runner.kernel_main uses the same figure):
#: only turns one absurd allocation into a MemoryError; RAM is bounded by the cgroup or RssWatch
AS_HEADROOM = 4 * 1024 * 1024 * 1024

# in rlimit mode the sandbox is started through this (trusted, outside the sandbox): bwrap gets
# RLIMIT_AS at the limit + AS_HEADROOM, a hard limit every process of the run inherits; the wrapper is a child
# subreaper, so bwrap's init comes back to it when bwrap exits, and reaping everything with
# wait4() gives the peak RSS of the run's largest process, written to the report fd
_RLIMIT_EXEC = """\
import ctypes, os, resource, sys
limit, report, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
os.set_inheritable(report, False)
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
pid = os.fork()
if pid == 0:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        os.execv(argv[0], argv)
    finally:
        os._exit(127)
status, peak = 1 << 8, 0
while True:
    try:
        p, st, ru = os.wait4(-1, 0)
    except ChildProcessError:
        break
    peak = max(peak, ru.ru_maxrss)
    if p == pid:
        status = st
os.write(report, b"%d\\n" % peak)
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""
# in cgroup modes: enter the run's cgroup(s) before bwrap starts, so nothing of the run escapes
_CGROUP_ENTER = 'for p in $CL_CGROUPS; do echo $$ > "$p/cgroup.procs" || exit 97; done; exec "$@"'


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces here (or a required mechanism)."""


@dataclass
class Limits:
    """Bounds of one hand-in run (one notebook).  All enforced outside the student's kernel."""

    memory_mb: int = 2048  # cgroups: RAM (+ swap) of the whole sandbox; rlimit: address space
    pids: int = 256  # processes + threads in the sandbox (a kernel alone uses ~20)
    cpus: float = 1.0  # CPU quota (cores)
    cell_timeout: float = 120.0  # seconds per cell (then interrupt; kill if ignored)
    notebook_timeout: float = 600.0  # seconds for the whole notebook, kernel start included
    interrupt_grace: float = 5.0  # seconds a kernel gets to answer after an interrupt
    output_bytes: int = 200_000  # kept per cell (graded notebook and feedback)
    line_chars: int = 2_000  # kept per output line
    notebook_output_bytes: int = 2_000_000  # kept per notebook
    file_mb: int = 256  # largest file the run may write (its /tmp is RAM, counted above)

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_mb) * 1024 * 1024

    @property
    def stream_cap(self) -> int:
        """Bytes the parent reads from a run at most (results are capped before that)."""
        return 4 * self.notebook_output_bytes + 1_000_000


@dataclass
class SandboxResult:
    """What came out of one sandboxed run (all of it read by the trusted parent).

    ``peak_memory_bytes``: under a cgroup, the peak of the whole run (every process, page cache
    and ``/tmp`` included); under ``rlimit``, the largest sample of its processes' summed
    resident memory (``RssWatch``), at least the peak RSS of its largest single process.
    """

    stdout: bytes
    stderr: str
    returncode: int | None
    seconds: float
    timed_out: bool = False
    stdout_capped: bool = False
    oom_killed: bool = False
    peak_memory_bytes: int | None = None
    leftover_processes: int = 0
    mechanism: str = ""
    notes: list[str] = field(default_factory=list)


def _ancestors(path: Path) -> list[Path]:
    """``/a/b/c`` -> ``[/a, /a/b]`` (folders bubblewrap must create before binding ``c``)."""
    return list(reversed(path.parents))[1:]


# ---------------------------------------------------------------------- cgroup file helpers
def _write(path: Path, value: str) -> None:
    with open(path, "w") as f:
        f.write(value)


def _rmdir(path: Path) -> None:
    """Remove a cgroup (its interface files go with it).  Tests replace it on a fake cgroupfs."""
    os.rmdir(path)


def _words(path: Path) -> set[str]:
    """The controllers listed in ``cgroup.controllers`` / ``cgroup.subtree_control``."""
    try:
        return {w.lstrip("+") for w in path.read_text().split()}
    except OSError:
        return set()


def _procs(cg: Path) -> set[int]:
    try:
        return {int(p) for p in (cg / "cgroup.procs").read_text().split()}
    except (OSError, ValueError):
        return set()


def _may_write(path: Path, euid: int) -> bool:
    """Can ``euid`` write ``path``?  Root: unless read-only; a user: only what is delegated to
    them (owned by them, as systemd hands out a subtree)."""
    try:
        st = os.stat(path)
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        return False
    return euid == 0 or (st.st_uid == euid and bool(st.st_mode & stat.S_IWUSR))


def own_cgroup(text: str) -> str | None:
    """The cgroup v2 path (relative, ``""`` for the top) in ``/proc/self/cgroup``'s text."""
    for line in text.splitlines():
        if line.startswith("0::"):
            return line[3:].strip().strip("/")
    return None


def _wait_empty(cg: Path, seconds: float) -> None:
    for _ in range(int(seconds / 0.05)):
        if not _procs(cg):
            return
        time.sleep(0.05)


def _kill_procs(cgs: list[Path]) -> int:
    """SIGKILL every process listed in ``cgs`` until none is left; return how many there were."""
    seen: set[int] = set()
    for _ in range(100):
        pids = set().union(*(_procs(cg) for cg in cgs))
        if not pids:
            break
        seen |= pids
        alive = 0
        for p in pids:
            try:
                os.kill(p, 9)
                alive += 1
            except ProcessLookupError:
                pass
        if not alive:
            break
        time.sleep(0.05)
    return len(seen)


def _remove(cgs: list[Path], notes: list[str] | None = None) -> None:
    for cg in cgs:
        for _ in range(50):
            try:
                _rmdir(cg)
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.05)
        else:
            if notes is not None:
                notes.append(f"could not remove the run's cgroup {cg}")


class _Unusable(Exception):
    """Why a mechanism cannot be used on this host."""


# ---------------------------------------------------------------------- one run's bounds
class _Run:
    """The bounds of one run: made before it starts, read and removed after it ends."""

    cgroups: list[Path] = []

    def wrap(self, cmd: list[str]) -> tuple[list[str], dict[str, str], tuple[int, ...]]:
        """The command that starts the sandbox inside these bounds, its extra environment and
        the file descriptors it is given."""
        return ["/bin/sh", "-c", _CGROUP_ENTER, "sh", *cmd], {
            "CL_CGROUPS": " ".join(map(str, self.cgroups))}, ()

    def started(self, proc: subprocess.Popen) -> None:
        """The sandbox is running."""

    def kill(self, proc: subprocess.Popen) -> None:
        """Stop the sandbox now (its PID namespace takes every process of the run with it)."""
        proc.kill()

    def finish(self, res: SandboxResult) -> None:
        """The sandbox has exited: kill what is left, read the figures, clean up."""


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, through ``/proc/<pid>/task/<tid>/children``."""
    seen, todo = [], [root]
    while todo:
        pid = todo.pop()
        seen.append(pid)
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{pid}/task/{tid}/children", "rb") as f:
                    todo.extend(int(c) for c in f.read().split())
            except (OSError, ValueError):
                pass
    return seen


def _rss(pid: int) -> int:
    """Resident bytes of one process (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _badness(pid: int) -> int:
    """The kernel's own OOM-kill score of a process (``oom_score_adj`` counted in)."""
    try:
        with open(f"/proc/{pid}/oom_score", "rb") as f:
            return int(f.read())
    except (OSError, ValueError):
        return -1


_PAGE = os.sysconf("SC_PAGE_SIZE")


class RssWatch:
    """The RAM bound where no cgroup is available: a thread of the trusted parent sums the
    resident memory of a process tree every ``interval`` seconds and, past ``limit`` bytes,
    kills the process the kernel's OOM killer would pick (the highest ``oom_score``: the
    runner's kernel, whose ``oom_score_adj`` is 1000, before the runner).

    >>> import subprocess, sys
    >>> proc = subprocess.Popen([sys.executable, "-c", "b = bytearray(300 * 2**20); input()"],
    ...                         stdin=subprocess.PIPE)
    >>> watch = RssWatch(proc.pid, 100 * 2**20).start()
    >>> proc.wait(timeout=30)
    -9
    >>> watch.stop()
    >>> watch.killed, watch.peak >= 100 * 2**20
    (True, True)
    """

    def __init__(self, root: int, limit: int, interval: float = 0.01):
        self.root, self.limit, self.interval = root, limit, interval
        self.peak, self.killed = 0, False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> RssWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _watch(self) -> None:
        while not self._stop.is_set():
            sizes = {pid: _rss(pid) for pid in _tree(self.root)}
            total = sum(sizes.values())
            self.peak = max(self.peak, total)
            if total > self.limit:
                self.killed = True
                try:
                    os.kill(max(sizes, key=lambda p: (_badness(p), sizes[p])), 9)
                except (ProcessLookupError, PermissionError):
                    pass
            self._stop.wait(self.interval)


class _RlimitRun(_Run):
    def __init__(self, lim: Limits):
        self.lim = lim
        self.report_r, self.report_w = os.pipe()
        self.watch: RssWatch | None = None

    def wrap(self, cmd):
        return ([sys.executable, "-I", "-S", "-c", _RLIMIT_EXEC,
                 str(self.lim.memory_bytes + AS_HEADROOM), str(self.report_w), *cmd], {},
                (self.report_w,))

    def started(self, proc):
        os.close(self.report_w)
        if proc is not None:
            self.watch = RssWatch(proc.pid, self.lim.memory_bytes).start()

    def kill(self, proc):
        try:
            os.killpg(proc.pid, 9)  # the wrapper and bwrap (the sandbox has its own session)
        except ProcessLookupError:
            pass

    def finish(self, res):
        if self.watch is not None:
            self.watch.stop()
            res.oom_killed = self.watch.killed
            res.peak_memory_bytes = self.watch.peak or None
        os.set_blocking(self.report_r, False)
        try:
            largest = int(os.read(self.report_r, 64).split()[0]) * 1024  # kB
            res.peak_memory_bytes = max(res.peak_memory_bytes or 0, largest)
        except (OSError, ValueError, IndexError):
            pass
        finally:
            os.close(self.report_r)


class _V1Run(_Run):
    def __init__(self, root: Path, lim: Limits, cpu: bool):
        name = f"run-{uuid.uuid4().hex[:12]}"
        self.lim = lim
        self.cgroups = []
        try:
            mem = root / "memory" / CGROUP_PARENT / name
            mem.mkdir(parents=True)
            self.cgroups.append(mem)
            _write(mem / "memory.limit_in_bytes", str(lim.memory_bytes))
            sw = mem / "memory.memsw.limit_in_bytes"
            if sw.exists():
                try:
                    _write(sw, str(lim.memory_bytes))
                except OSError:
                    pass
            pids = root / "pids" / CGROUP_PARENT / name
            pids.mkdir(parents=True)
            self.cgroups.append(pids)
            _write(pids / "pids.max", str(lim.pids))
            if cpu:
                c = root / "cpu" / CGROUP_PARENT / name
                c.mkdir(parents=True)
                self.cgroups.append(c)
                _write(c / "cpu.cfs_period_us", "100000")
                _write(c / "cpu.cfs_quota_us", str(int(100000 * lim.cpus)))
        except OSError:
            _remove(self.cgroups)
            raise

    def finish(self, res):
        # the PID namespace dies with bwrap; give the kernel a moment to reap it, then kill
        # whatever is still in the run's cgroups
        for _ in range(40):
            if not any(_procs(cg) for cg in self.cgroups):
                break
            time.sleep(0.05)
        res.leftover_processes = _kill_procs(self.cgroups)
        mem = self.cgroups[0]
        try:
            res.peak_memory_bytes = int((mem / "memory.max_usage_in_bytes").read_text())
            oom = (mem / "memory.oom_control").read_text()
            kills = [ln.split()[1] for ln in oom.splitlines() if ln.startswith("oom_kill ")]
            failcnt = int((mem / "memory.failcnt").read_text())
            res.oom_killed = bool(kills and int(kills[0]) > 0) or (
                failcnt > 0 and res.peak_memory_bytes >= self.lim.memory_bytes * 0.95
            )
        except (OSError, ValueError):
            pass
        _remove(self.cgroups, res.notes)


class _V2Run(_Run):
    def __init__(self, path: Path, lim: Limits, controllers: set[str]):
        self.path, self.lim = path, lim
        path.mkdir()
        self.cgroups = [path]
        try:
            if "memory" in controllers:
                _write(path / "memory.max", str(lim.memory_bytes))
                if (path / "memory.swap.max").exists():  # absent without swap accounting
                    _write(path / "memory.swap.max", "0")
            if "pids" in controllers:
                _write(path / "pids.max", str(lim.pids))
            if "cpu" in controllers:
                _write(path / "cpu.max", f"{max(1000, int(100000 * lim.cpus))} 100000")
        except OSError:
            _remove(self.cgroups)
            raise
        # memory.peak is Linux >= 5.19; before, sample memory.current while the run lasts
        self.sampled: int | None = None
        self._stop = threading.Event()
        self._sampler = None
        if not (path / "memory.peak").exists():
            self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                cur = int((self.path / "memory.current").read_text())
                self.sampled = max(self.sampled or 0, cur)
            except (OSError, ValueError):
                pass
            self._stop.wait(0.05)

    def started(self, proc):
        if self._sampler is not None:
            self._sampler.start()

    def finish(self, res):
        self._stop.set()
        if self._sampler is not None and self._sampler.is_alive():
            self._sampler.join(timeout=1)
        _wait_empty(self.path, 2.0)
        left = _procs(self.path)
        if left and (self.path / "cgroup.kill").exists():  # Linux >= 5.14: all at once
            try:
                _write(self.path / "cgroup.kill", "1")
            except OSError:
                pass
            _wait_empty(self.path, 2.0)
        res.leftover_processes = max(len(left), _kill_procs(self.cgroups))
        try:
            res.peak_memory_bytes = int((self.path / "memory.peak").read_text())
        except (OSError, ValueError):
            res.peak_memory_bytes = self.sampled
        try:
            for line in (self.path / "memory.events").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill" and int(value) > 0:
                    res.oom_killed = True
        except (OSError, ValueError):
            pass
        _remove(self.cgroups, res.notes)


# ---------------------------------------------------------------------- mechanisms
class Rlimit:
    """The fallback: per-process rlimits (address space at the memory limit, processes)."""

    name = "rlimit"

    def __init__(self, why: str = "", requested: bool = False):
        self.why = why  # why no cgroup mechanism is used
        self.requested = requested

    def describe(self, lim: Limits) -> str:
        why = " (requested)" if self.requested else f" (no usable cgroup: {self.why})"
        return (
            f"limits: rlimit{why}: the run's resident memory, summed over its processes and "
            f"sampled every 10 ms, at most {lim.memory_mb} MB (past it the process the kernel "
            f"would kill first is killed); address space "
            f"{lim.memory_mb + AS_HEADROOM // 2**20} MB per process (RLIMIT_AS); kernel processes/threads: RLIMIT_NPROC {NPROC} (counted per user); "
            f"CPU seconds and file size (RLIMIT_CPU, RLIMIT_FSIZE); no CPU quota"
        )

    def new_run(self, lim: Limits) -> _Run:
        return _RlimitRun(lim)


class CgroupV1:
    """Root and writable cgroup v1 ``memory`` + ``pids`` hierarchies (``cpu`` if mounted)."""

    name = "cgroup v1"

    def __init__(self, root: Path):
        self.root = root
        self.cpu = (root / "cpu" / "cgroup.procs").is_file()

    @classmethod
    def detect(cls, root: Path, euid: int, self_cgroup: str = "") -> CgroupV1:
        for ctl in ("memory", "pids"):
            base = root / ctl
            if not (base / "cgroup.procs").is_file() or (base / "cgroup.controllers").exists():
                raise _Unusable(f"no v1 {ctl} hierarchy at {base}")
        if euid != 0:
            raise _Unusable("needs root")
        for ctl in ("memory", "pids"):
            try:
                (root / ctl / CGROUP_PARENT).mkdir(exist_ok=True)
            except OSError as err:
                raise _Unusable(f"cannot create {root / ctl / CGROUP_PARENT}: "
                                f"{err.strerror}") from None
        return cls(root)

    def describe(self, lim: Limits) -> str:
        ctls = "memory,pids,cpu" if self.cpu else "memory,pids"
        cpu = f", CPU {lim.cpus:g} core(s)" if self.cpu else ", no CPU quota"
        return (
            f"limits: cgroup v1 ({self.root}/{{{ctls}}}/{CGROUP_PARENT}/run-*): per run memory "
            f"{lim.memory_mb} MB (RAM+swap), pids {lim.pids}{cpu}; "
            f"what is left is killed, the cgroup removed"
        )

    def new_run(self, lim: Limits) -> _Run:
        return _V1Run(self.root, lim, self.cpu)


class CgroupV2:
    """A cgroup2 subtree we may write, with the ``memory`` and ``pids`` controllers."""

    name = "cgroup v2"
    REQUIRED = ("memory", "pids")

    def __init__(self, base: Path, how: str, controllers: set[str]):
        self.base = base  # where campaignlab-grading/ lives
        self.grading = base / CGROUP_PARENT
        self.how = how
        self.controllers = controllers  # enabled for the runs (memory, pids, maybe cpu)

    @staticmethod
    def mount(root: Path) -> Path | None:
        """The cgroup2 hierarchy: ``root`` itself (pure v2) or ``root/unified`` (hybrid)."""
        for m in (root, root / "unified"):
            if (m / "cgroup.controllers").is_file():
                return m
        return None

    @classmethod
    def detect(cls, root: Path, euid: int, self_cgroup: str = "") -> CgroupV2:
        mount = cls.mount(root)
        if mount is None:
            raise _Unusable(f"no cgroup2 hierarchy at {root} or {root / 'unified'}")
        own = own_cgroup(self_cgroup)
        candidates: list[tuple[Path, str]] = []
        if euid == 0:
            candidates.append((mount, "root"))
        if own:  # the parent of the cgroup we run in (as a user: systemd's delegated subtree)
            parent = (mount / own).parent
            if parent not in [c for c, _ in candidates]:
                candidates.append((parent, "delegated" if euid else "root"))
        if not candidates:
            raise _Unusable(f"not root, and we run in the top cgroup of {mount}")
        reasons = []
        for base, how in candidates:
            try:
                return cls(base, how, cls._prepare(base, euid))
            except _Unusable as err:
                reasons.append(str(err))
        raise _Unusable("; ".join(reasons))

    @classmethod
    def _prepare(cls, base: Path, euid: int) -> set[str]:
        """Make ``base/campaignlab-grading`` with the controllers on; return those enabled."""
        for f in (base, base / "cgroup.procs", base / "cgroup.subtree_control"):
            if not _may_write(f, euid):
                raise _Unusable(f"{f} is not writable" + ("" if euid == 0 else " by you"))
        available = _words(base / "cgroup.controllers")
        missing = [c for c in cls.REQUIRED if c not in available]
        if missing:
            raise _Unusable(f"{base}: no {' and '.join(missing)} controller (cgroup.controllers: "
                            f"{' '.join(sorted(available)) or 'none'})")
        wanted = [c for c in (*cls.REQUIRED, "cpu") if c in available]
        grading = base / CGROUP_PARENT
        try:
            cls._enable(base, wanted)
            grading.mkdir(exist_ok=True)
            cls._enable(grading, wanted)
        except OSError as err:
            hint = ""
            if err.errno == 16:  # EBUSY: v2's "no internal processes" rule
                hint = (" (it holds processes, and cgroup v2 enables controllers only for the "
                        "children of a cgroup without processes: move them into a leaf cgroup, "
                        "or run under systemd)")
            raise _Unusable(f"{base}: cannot enable {' '.join(wanted)}: {err.strerror}{hint}"
                            ) from None
        enabled = _words(grading / "cgroup.subtree_control")
        missing = [c for c in cls.REQUIRED if c not in enabled]
        if missing:
            raise _Unusable(f"{grading}: {' and '.join(missing)} not enabled")
        return {c for c in wanted if c in enabled}

    @staticmethod
    def _enable(cg: Path, wanted: list[str]) -> None:
        """Enable ``wanted`` controllers for ``cg``'s children (the required ones at least)."""
        missing = [c for c in wanted if c not in _words(cg / "cgroup.subtree_control")]
        if not missing:
            return
        try:
            _write(cg / "cgroup.subtree_control", " ".join(f"+{c}" for c in missing))
        except OSError:
            required = [c for c in missing if c in CgroupV2.REQUIRED]
            if required == missing:
                raise
            _write(cg / "cgroup.subtree_control", " ".join(f"+{c}" for c in required))

    def describe(self, lim: Limits) -> str:
        cpu = (f", cpu.max {lim.cpus:g} core(s)" if "cpu" in self.controllers
               else ", no CPU quota (no cpu controller)")
        who = "delegated to you" if self.how == "delegated" else "as root"
        return (
            f"limits: cgroup v2 ({self.grading}/run-*, {who}): per run memory.max "
            f"{lim.memory_mb} MB, memory.swap.max 0, pids.max {lim.pids}{cpu}; "
            f"what is left is killed, the cgroup removed"
        )

    def new_run(self, lim: Limits) -> _Run:
        path = self.grading / f"run-{uuid.uuid4().hex[:12]}"
        try:
            return _V2Run(path, lim, self.controllers)
        except FileNotFoundError:  # campaignlab-grading was removed meanwhile: make it again
            try:
                self._prepare(self.base, 0 if self.how == "root" else os.geteuid())
            except _Unusable as err:
                raise SandboxUnavailable(f"cgroup v2 no longer usable: {err}") from None
            return _V2Run(path, lim, self.controllers)


def choose_mechanism(cgroup_root: Path | str | None = None, *, euid: int | None = None,
                     self_cgroup: str | None = None, want: str | None = None):
    """The first mechanism that works here (``CgroupV1``, ``CgroupV2``, else ``Rlimit``), or
    exactly ``want`` (one of ``MECHANISMS``; ``SandboxUnavailable`` if it does not work here).

    ``cgroup_root`` (default ``CGROUP_ROOT``), ``euid`` and ``self_cgroup`` (the text of
    ``/proc/self/cgroup``) are this process's unless given (tests use a fake cgroupfs).
    """
    root = Path(cgroup_root) if cgroup_root is not None else CGROUP_ROOT
    euid = os.geteuid() if euid is None else euid
    if self_cgroup is None:
        try:
            self_cgroup = PROC_SELF_CGROUP.read_text()
        except OSError:
            self_cgroup = ""
    if want is not None and want not in MECHANISMS:
        raise ValueError(f"unknown mechanism {want!r} (one of {', '.join(MECHANISMS)})")
    if want == "rlimit":
        return Rlimit("rlimit requested", requested=True)
    reasons = []
    for cls in (CgroupV1, CgroupV2):
        if want is not None and cls.name != want:
            continue
        try:
            return cls.detect(root, euid, self_cgroup)
        except _Unusable as err:
            reasons.append(f"{cls.name}: {err}")
    if want is not None:
        raise SandboxUnavailable(f"{want} is not usable here: {'; '.join(reasons)}")
    return Rlimit("; ".join(reasons))


class Sandbox:
    """Factory for sandboxed runs that share a configuration (binds, limits, mode).

    ``Sandbox(data_dir, limits).run(argv, stdin)`` runs ``argv`` (a command inside the sandbox,
    e.g. the venv's python) with ``stdin`` and returns a ``SandboxResult``.  The limits
    mechanism is chosen here, once (``mechanism``: ``"cgroup v1"``, ``"cgroup v2"`` or
    ``"rlimit"``); pass ``mechanism=`` to require one, ``cgroup_root=`` to look elsewhere than
    ``/sys/fs/cgroup``.
    """

    def __init__(self, data_dir: Path | str, limits: Limits | None = None, *,
                 cgroup_root: Path | str | None = None, mechanism: str | None = None):
        self.data_dir = Path(data_dir).resolve()
        self.limits = limits or Limits()
        self.bwrap = shutil.which("bwrap")
        if not self.bwrap:
            raise SandboxUnavailable(
                "bubblewrap (bwrap) is not installed: hand-ins are untrusted code and are only "
                "graded inside a sandbox. Install it with `apt-get install bubblewrap`."
            )
        self.privileged = os.geteuid() == 0
        self.setpriv = shutil.which("setpriv") if self.privileged else None
        if self.privileged and not self.setpriv:
            raise SandboxUnavailable("running as root needs `setpriv` (Debian: util-linux)")
        self.bounds = choose_mechanism(cgroup_root, want=mechanism)
        import campaignlab

        self.package_dir = Path(campaignlab.__file__).resolve().parent
        self.python = Path(sys.executable)  # the venv's python (a path inside sys.prefix)

    @property
    def mechanism(self) -> str:
        """What bounds memory and processes here: ``cgroup v1``, ``cgroup v2`` or ``rlimit``."""
        return self.bounds.name

    @property
    def cgroups(self) -> bool:
        return self.mechanism != "rlimit"

    # ------------------------------------------------------------------ description
    def describe(self) -> list[str]:
        """One line per protection actually in force (printed by ``campaignlab grade check``)."""
        lim = self.limits
        user = (
            "real uid/gid 65534 (nobody), no capabilities, no_new_privs (setpriv inside bwrap)"
            if self.privileged
            else "uid 65534 in a user namespace (mapped to your uid), no capabilities"
        )
        return [
            f"bubblewrap {self.bwrap}: new PID/network/IPC/UTS/cgroup namespaces, no network",
            f"user: {user}",
            f"visible: /usr, {sys.base_prefix}, {sys.prefix}, {self.package_dir} (read-only), "
            f"{self.data_dir} as /data (read-only), private /tmp",
            self.bounds.describe(lim),
            f"time: {lim.cell_timeout:g} s per cell (interrupt, then kill if ignored), "
            f"{lim.notebook_timeout:g} s per notebook (sandbox killed)",
            f"output kept: {lim.output_bytes} bytes per cell, {lim.line_chars} chars per line, "
            f"{lim.notebook_output_bytes} bytes per notebook",
        ]

    def expected_root(self) -> set[str]:
        """The top-level names the sandbox's ``/`` holds: ``/proc``, ``/dev``, ``/tmp`` and
        whatever ``_binds()`` binds, links or makes."""
        names = {"proc", "dev", "tmp"}
        args = self._binds()
        i = 0
        while i < len(args):
            opt = args[i]
            if opt in ("--ro-bind", "--bind", "--symlink"):
                dest, i = args[i + 2], i + 3
            elif opt in ("--dir", "--tmpfs", "--proc", "--dev"):
                dest, i = args[i + 1], i + 2
            elif opt == "--perms":
                i += 2
                continue
            else:
                i += 1
                continue
            names.add(Path(dest).parts[1])
        return names

    def self_test(self) -> list[str]:
        """Run a probe in the sandbox; return problems (empty: the sandbox works here)."""
        probe = (
            "import os, resource, socket, json\n"
            "r = {'uid': os.getuid(), 'root': sorted(os.listdir('/')), 'net': None,\n"
            "     'as': resource.getrlimit(resource.RLIMIT_AS)[0]}\n"
            "try:\n"
            "    socket.create_connection(('1.1.1.1', 53), timeout=1); r['net'] = 'open'\n"
            "except OSError as e:\n"
            "    r['net'] = 'closed'\n"
            "print(json.dumps(r))\n"
        )
        res = self.run([str(self.python), "-I", "-c", probe], b"")
        problems = []
        if res.returncode != 0:
            return [f"the probe failed (exit {res.returncode}): {res.stderr[-800:]}"]
        import json

        info = json.loads(res.stdout.decode().strip().splitlines()[-1])
        if info["uid"] != NOBODY:
            problems.append(f"the probe ran as uid {info['uid']}, not {NOBODY}")
        if info["net"] != "closed":
            problems.append("the probe reached the network")
        extra = sorted(set(info["root"]) - self.expected_root())
        if extra:
            problems.append(f"unexpected folders visible in the sandbox's /: {extra}")
        want_as = self.limits.memory_bytes + AS_HEADROOM
        if self.mechanism == "rlimit" and info["as"] != want_as:
            problems.append(f"rlimit: the probe's RLIMIT_AS is {info['as']}, not {want_as}")
        if self.mechanism != "rlimit" and res.peak_memory_bytes is None:
            problems.append(f"{self.mechanism}: the run's cgroup reported no memory figures")
        problems += [f"{self.mechanism}: {n}" for n in res.notes]
        return problems

    # ------------------------------------------------------------------ command line
    def _binds(self) -> list[str]:
        args: list[str] = []
        made: set[Path] = set()

        def mkdirs(target: Path):
            for d in _ancestors(target):
                if d not in made and str(d) not in ("/usr", "/tmp"):
                    made.add(d)
                    args.extend(["--perms", "0755", "--dir", str(d)])

        args += ["--ro-bind", "/usr", "/usr"]
        for name in ("lib", "lib64", "lib32", "bin", "sbin"):
            p = Path("/") / name
            if p.is_symlink():
                args += ["--symlink", os.readlink(p), str(p)]
            elif p.is_dir():
                args += ["--ro-bind", str(p), str(p)]
        for etc in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
                    "/etc/localtime", "/etc/fonts"):
            if os.path.exists(etc):
                mkdirs(Path(etc))
                args += ["--ro-bind", etc, etc]
        seen: list[Path] = []
        for src in (Path(sys.base_prefix), Path(sys.prefix), self.package_dir):
            src = src.resolve() if src != Path(sys.prefix) else src
            if str(src).startswith("/usr/") or any(src == s or s in src.parents for s in seen):
                continue
            seen.append(src)
            mkdirs(src)
            args += ["--ro-bind", str(src), str(src)]
        real_python = self.python.resolve()
        if not any(s in real_python.parents for s in seen) and not str(real_python).startswith(
            "/usr/"
        ):
            mkdirs(real_python.parent)
            args += ["--ro-bind", str(real_python.parent), str(real_python.parent)]
        args += ["--ro-bind", str(self.data_dir), "/data"]
        return args

    def _env(self) -> dict[str, str]:
        venv_bin = str(Path(sys.prefix) / "bin")
        return {
            "PATH": f"{venv_bin}:/usr/bin:/bin",
            "HOME": "/tmp/home",
            "USER": "nobody",
            "LANG": "C.UTF-8",
            "TMPDIR": "/tmp",
            "CAMPAIGNLAB_DATA": "/data",
            "IPYTHONDIR": "/tmp/home/.ipython",
            "JUPYTER_CONFIG_DIR": "/tmp/home/.jupyter",
            "JUPYTER_DATA_DIR": "/tmp/home/.local/share/jupyter",
            "JUPYTER_RUNTIME_DIR": "/tmp/home/.local/share/jupyter/runtime",
            "JUPYTER_PATH": "/tmp/home/.local/share/jupyter",
            "JUPYTER_PLATFORM_DIRS": "1",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": "/tmp/home/.matplotlib",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            MECHANISM_ENV: self.mechanism,
        }

    def command(self, argv: list[str]) -> list[str]:
        """The full bwrap command line for ``argv`` (without the cgroup entry step)."""
        cmd = [self.bwrap, "--die-with-parent", "--new-session", "--clearenv"]
        for k, v in self._env().items():
            cmd += ["--setenv", k, v]
        # the private /tmp first: binds made after it stay visible even when the checkout, its
        # venv or the data live under /tmp (a CI clone often does)
        cmd += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"]
        cmd += self._binds()
        cmd += ["--perms", "0777", "--dir", "/tmp/work", "--perms", "0777", "--dir", "/tmp/home"]
        cmd += ["--hostname", "sandbox"]
        cmd += ["--chdir", "/tmp/work"]
        if self.privileged:
            # namespaces as root, then the untrusted side runs as the real nobody, no caps
            cmd += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                    "--unshare-cgroup-try", "--", self.setpriv,
                    f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
        else:
            cmd += ["--unshare-all", "--uid", str(NOBODY), "--gid", str(NOBODY),
                    "--cap-drop", "ALL", "--"]
        return cmd + list(argv)

    # ------------------------------------------------------------------ run
    def run(self, argv: list[str], stdin: bytes) -> SandboxResult:
        """Run ``argv`` in a fresh sandbox with ``stdin``; bounded by ``notebook_timeout``."""
        lim = self.limits
        bounds = self.bounds.new_run(lim)
        cmd, extra_env, fds = bounds.wrap(self.command(argv))
        env = {"PATH": "/usr/bin:/bin", **extra_env}
        started = time.monotonic()
        res = SandboxResult(stdout=b"", stderr="", returncode=None, seconds=0.0,
                            mechanism=self.mechanism)
        try:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=env, start_new_session=True, pass_fds=fds,
            )
        except OSError:
            bounds.started(None)
            bounds.finish(res)
            raise
        bounds.started(proc)
        out_chunks: list[bytes] = []
        err_chunks: list[bytes] = []
        state = {"out": 0, "capped": False}

        def pump_out():
            while True:
                chunk = proc.stdout.read1(65536) if hasattr(proc.stdout, "read1") else b""
                if not chunk:
                    break
                if state["out"] < lim.stream_cap:
                    out_chunks.append(chunk[: lim.stream_cap - state["out"]])
                    state["out"] += len(chunk)
                else:
                    state["capped"] = True

        def pump_err():
            total = 0
            while True:
                chunk = proc.stderr.read1(65536)
                if not chunk:
                    break
                if total < 200_000:
                    err_chunks.append(chunk)
                    total += len(chunk)

        threads = [threading.Thread(target=pump_out, daemon=True),
                   threading.Thread(target=pump_err, daemon=True)]
        for t in threads:
            t.start()
        try:
            try:
                proc.stdin.write(stdin)
                proc.stdin.close()
            except (BrokenPipeError, OSError):
                pass
            try:
                proc.wait(timeout=lim.notebook_timeout)
            except subprocess.TimeoutExpired:
                res.timed_out = True
                bounds.kill(proc)
                proc.wait()
            for t in threads:
                t.join(timeout=10)
        finally:
            if proc.poll() is None:
                bounds.kill(proc)
                proc.wait()
            bounds.finish(res)
        res.seconds = time.monotonic() - started
        res.returncode = proc.returncode
        res.stdout = b"".join(out_chunks)
        res.stdout_capped = state["capped"]
        res.stderr = b"".join(err_chunks).decode("utf-8", "replace")
        return res
