"""Run one untrusted command in a fresh sandbox: bubblewrap namespaces, an unprivileged user,
cgroup v1 limits (memory, pids, CPU) and a wall-clock bound enforced from outside.

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

Limits: with writable cgroup v1 controllers (root), each run gets its own memory (RAM + swap),
pids and CPU-quota cgroup; everything left in it is killed and the cgroup removed at the end.
Without them, the runner falls back to ``resource.setrlimit`` (address space, CPU seconds,
file size, processes).  The wall clock is always enforced here, by killing the sandbox, whose
PID namespace takes every process of the run with it.

>>> Limits(memory_mb=512).memory_bytes
536870912
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

NOBODY = 65534
CGROUP_ROOT = Path("/sys/fs/cgroup")
CGROUP_PARENT = "campaignlab-grading"


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces here."""


@dataclass
class Limits:
    """Bounds of one hand-in run (one notebook).  All enforced outside the student's kernel."""

    memory_mb: int = 2048  # RAM (+ swap) of the whole sandbox; the kernel is OOM-killed first
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
    """What came out of one sandboxed run (all of it read by the trusted parent)."""

    stdout: bytes
    stderr: str
    returncode: int | None
    seconds: float
    timed_out: bool = False
    stdout_capped: bool = False
    oom_killed: bool = False
    peak_memory_bytes: int | None = None
    leftover_processes: int = 0
    notes: list[str] = field(default_factory=list)


def _ancestors(path: Path) -> list[Path]:
    """``/a/b/c`` -> ``[/a, /a/b]`` (folders bubblewrap must create before binding ``c``)."""
    return list(reversed(path.parents))[1:]


def _cgroup_writable() -> bool:
    if os.geteuid() != 0:
        return False
    for ctl in ("memory", "pids"):
        base = CGROUP_ROOT / ctl
        if not (base / "cgroup.procs").exists() or not os.access(base, os.W_OK):
            return False
    return True


class Sandbox:
    """Factory for sandboxed runs that share a configuration (binds, limits, mode).

    ``Sandbox(data_dir, limits).run(argv, stdin)`` runs ``argv`` (a command inside the sandbox,
    e.g. the venv's python) with ``stdin`` and returns a ``SandboxResult``.
    """

    def __init__(self, data_dir: Path | str, limits: Limits | None = None):
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
        self.cgroups = _cgroup_writable()
        import campaignlab

        self.package_dir = Path(campaignlab.__file__).resolve().parent
        self.python = Path(sys.executable)  # the venv's python (a path inside sys.prefix)

    # ------------------------------------------------------------------ description
    def describe(self) -> list[str]:
        """One line per protection actually in force (printed by ``campaignlab grade check``)."""
        lim = self.limits
        user = (
            "real uid/gid 65534 (nobody), no capabilities, no_new_privs (setpriv inside bwrap)"
            if self.privileged
            else "uid 65534 in a user namespace (mapped to your uid), no capabilities"
        )
        lines = [
            f"bubblewrap {self.bwrap}: new PID/network/IPC/UTS/cgroup namespaces, no network",
            f"user: {user}",
            f"visible: /usr, {sys.base_prefix}, {sys.prefix}, {self.package_dir} (read-only), "
            f"{self.data_dir} as /data (read-only), private /tmp",
        ]
        if self.cgroups:
            lines.append(
                f"cgroup v1 per run: memory {lim.memory_mb} MB (RAM+swap), pids {lim.pids}, "
                f"CPU {lim.cpus:g} core(s); all processes killed, cgroup removed at the end"
            )
        else:
            lines.append(
                "cgroups not writable (not root?): rlimits instead (address space "
                f"{lim.memory_mb} MB + slack, CPU seconds, file size, processes)"
            )
        lines.append(
            f"time: {lim.cell_timeout:g} s per cell (interrupt, then kill if ignored), "
            f"{lim.notebook_timeout:g} s per notebook (sandbox killed)"
        )
        lines.append(
            f"output kept: {lim.output_bytes} bytes per cell, {lim.line_chars} chars per line, "
            f"{lim.notebook_output_bytes} bytes per notebook"
        )
        return lines

    def self_test(self) -> list[str]:
        """Run a probe in the sandbox; return problems (empty: the sandbox works here)."""
        probe = (
            "import os, socket, json\n"
            "r = {'uid': os.getuid(), 'root': sorted(os.listdir('/')), 'net': None}\n"
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
        if "work" in info["root"] and not str(sys.prefix).startswith("/work"):
            problems.append(f"unexpected folders visible: {info['root']}")
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
            "CAMPAIGNLAB_SANDBOX_CGROUPS": "1" if self.cgroups else "0",
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

    # ------------------------------------------------------------------ cgroups
    def _make_cgroups(self) -> list[Path]:
        if not self.cgroups:
            return []
        name = f"run-{uuid.uuid4().hex[:12]}"
        lim = self.limits
        made = []
        try:
            mem = CGROUP_ROOT / "memory" / CGROUP_PARENT / name
            mem.mkdir(parents=True)
            made.append(mem)
            (mem / "memory.limit_in_bytes").write_text(str(lim.memory_bytes))
            sw = mem / "memory.memsw.limit_in_bytes"
            if sw.exists():
                try:
                    sw.write_text(str(lim.memory_bytes))
                except OSError:
                    pass
            pids = CGROUP_ROOT / "pids" / CGROUP_PARENT / name
            pids.mkdir(parents=True)
            made.append(pids)
            (pids / "pids.max").write_text(str(lim.pids))
            cpu = CGROUP_ROOT / "cpu" / CGROUP_PARENT / name
            if (CGROUP_ROOT / "cpu" / "cgroup.procs").exists():
                cpu.mkdir(parents=True)
                made.append(cpu)
                (cpu / "cpu.cfs_period_us").write_text("100000")
                (cpu / "cpu.cfs_quota_us").write_text(str(int(100000 * lim.cpus)))
        except OSError:
            self._remove_cgroups(made)
            raise
        return made

    @staticmethod
    def _kill_cgroup(cgs: list[Path]) -> int:
        """Kill every process left in the run's cgroups; return how many there were."""
        seen: set[int] = set()
        for _ in range(100):
            pids = set()
            for cg in cgs:
                try:
                    pids |= {int(p) for p in (cg / "cgroup.procs").read_text().split()}
                except OSError:
                    pass
            if not pids:
                break
            seen |= pids
            for p in pids:
                try:
                    os.kill(p, 9)
                except ProcessLookupError:
                    pass
            time.sleep(0.05)
        return len(seen)

    @staticmethod
    def _remove_cgroups(cgs: list[Path]) -> None:
        for cg in cgs:
            for _ in range(50):
                try:
                    cg.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)

    # ------------------------------------------------------------------ run
    def run(self, argv: list[str], stdin: bytes) -> SandboxResult:
        """Run ``argv`` in a fresh sandbox with ``stdin``; bounded by ``notebook_timeout``."""
        lim = self.limits
        cgs = self._make_cgroups()
        cmd = self.command(argv)
        if cgs:
            # enter the cgroups before bwrap starts, so nothing of the run escapes them
            enter = 'for p in $CL_CGROUPS; do echo $$ > "$p/cgroup.procs" || exit 97; done; exec "$@"'
            cmd = ["/bin/sh", "-c", enter, "sh", *cmd]
        env = {"PATH": "/usr/bin:/bin", "CL_CGROUPS": " ".join(map(str, cgs))}
        started = time.monotonic()
        res = SandboxResult(stdout=b"", stderr="", returncode=None, seconds=0.0)
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            start_new_session=True,
        )
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
                proc.kill()
                proc.wait()
            for t in threads:
                t.join(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if cgs:
                # the PID namespace dies with bwrap; give the kernel a moment to reap it, then
                # kill whatever is still in the run's cgroups
                for _ in range(40):
                    if not any((cg / "cgroup.procs").read_text().strip() for cg in cgs):
                        break
                    time.sleep(0.05)
                res.leftover_processes = self._kill_cgroup(cgs)
                mem = cgs[0]
                try:
                    res.peak_memory_bytes = int((mem / "memory.max_usage_in_bytes").read_text())
                    oom = (mem / "memory.oom_control").read_text()
                    kills = [ln.split()[1] for ln in oom.splitlines() if ln.startswith("oom_kill ")]
                    failcnt = int((mem / "memory.failcnt").read_text())
                    res.oom_killed = bool(kills and int(kills[0]) > 0) or (
                        failcnt > 0 and res.peak_memory_bytes >= lim.memory_bytes * 0.95
                    )
                except (OSError, ValueError):
                    pass
                self._remove_cgroups(cgs)
        res.seconds = time.monotonic() - started
        res.returncode = proc.returncode
        res.stdout = b"".join(out_chunks)
        res.stdout_capped = state["capped"]
        res.stderr = b"".join(err_chunks).decode("utf-8", "replace")
        return res
