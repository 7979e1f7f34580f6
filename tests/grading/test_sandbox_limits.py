"""The sandbox's memory / process bounds (issue 8): which mechanism is chosen on which cgroup
layout, the cgroup v2 path on a fake cgroupfs (plain files in tmp_path, a stand-in for bwrap
playing the kernel's part), and a real memory bomb stopped at the limit by whatever mechanism
this machine has.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from campaignlab.course import sandbox
from campaignlab.course.sandbox import (
    CGROUP_PARENT,
    MECHANISM_ENV,
    CgroupV1,
    CgroupV2,
    Limits,
    Rlimit,
    Sandbox,
    SandboxResult,
    SandboxUnavailable,
    choose_mechanism,
)

USER = "user.slice/user-1000.slice/user@1000.service"
SCOPE = f"{USER}/app.slice/term.scope"
MB = 2**20


# ---------------------------------------------------------------------- fake cgroupfs
def _cg(path: Path, controllers: str = "", subtree: str = "", procs: str = "") -> Path:
    """A cgroup2 folder as plain files."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "cgroup.controllers").write_text(controllers + "\n")
    (path / "cgroup.subtree_control").write_text(subtree + "\n")
    (path / "cgroup.procs").write_text(procs)
    return path


def fake_v1(root: Path, ctls=("cpu", "cpuacct", "memory", "pids", "systemd")) -> Path:
    for c in ctls:
        (root / c).mkdir(parents=True)
        (root / c / "cgroup.procs").write_text("1\n")
        (root / c / "tasks").write_text("1\n")
    return root


def fake_v2(root: Path, controllers="cpu io memory pids", subtree="") -> Path:
    """A pure cgroup v2 host: the root cgroup, a user's delegated subtree and our scope."""
    _cg(root, controllers, subtree, "1\n")
    _cg(root / "user.slice", controllers, controllers)
    _cg(root / USER, controllers, controllers)
    _cg(root / USER / "app.slice", controllers, controllers)
    _cg(root / SCOPE, controllers, "", f"{os.getpid()}\n")
    return root


def _self(path: str) -> str:
    return f"0::/{path}\n"


def _chown_tree(top: Path, uid: int) -> None:
    for d, _dirs, files in os.walk(top):
        os.chown(d, uid, -1)
        for f in files:
            os.chown(Path(d) / f, uid, -1)


@pytest.fixture
def removed(monkeypatch):
    """cgroupfs removes a cgroup's interface files with it: do that on the fake, and record
    each removed cgroup with what its files held at the end."""
    record: dict[Path, dict[str, str]] = {}

    def rmdir(path: Path):
        path = Path(path)
        record[path] = {f.name: f.read_text() for f in path.iterdir() if f.is_file()}
        shutil.rmtree(path)

    monkeypatch.setattr(sandbox, "_rmdir", rmdir)
    return record


# ---------------------------------------------------------------------- choosing
def test_v1_tree_as_root_is_cgroup_v1(tmp_path):
    root = fake_v1(tmp_path / "cg")
    m = choose_mechanism(root, euid=0, self_cgroup="4:memory:/\n0::/\n")
    assert isinstance(m, CgroupV1) and m.name == "cgroup v1"
    assert m.cpu
    assert (root / "memory" / CGROUP_PARENT).is_dir() and (root / "pids" / CGROUP_PARENT).is_dir()
    assert m.describe(Limits(memory_mb=300)).startswith("limits: cgroup v1 (")


def test_v1_tree_as_a_user_falls_back_to_rlimit(tmp_path):
    root = fake_v1(tmp_path / "cg")
    m = choose_mechanism(root, euid=1000, self_cgroup="0::/\n")
    assert isinstance(m, Rlimit)
    assert "cgroup v1: needs root" in m.why
    assert not (root / "memory" / CGROUP_PARENT).exists()


def test_pure_v2_as_root_enables_controllers_at_the_top(tmp_path):
    root = fake_v2(tmp_path / "cg", controllers="memory pids")
    m = choose_mechanism(root, euid=0, self_cgroup=_self(SCOPE))
    assert isinstance(m, CgroupV2) and m.name == "cgroup v2"
    assert m.base == root and m.grading == root / CGROUP_PARENT
    assert (root / "cgroup.subtree_control").read_text() == "+memory +pids"
    assert (m.grading / "cgroup.subtree_control").read_text() == "+memory +pids"
    assert m.controllers == {"memory", "pids"}
    line = m.describe(Limits(memory_mb=300, pids=64))
    assert line.startswith("limits: cgroup v2 (") and "memory.max 300 MB" in line
    assert "no CPU quota" in line


def test_pure_v2_with_controllers_already_on_writes_nothing_at_the_top(tmp_path):
    root = fake_v2(tmp_path / "cg", subtree="cpu io memory pids")
    m = choose_mechanism(root, euid=0, self_cgroup=_self(SCOPE))
    assert isinstance(m, CgroupV2) and m.controllers == {"cpu", "memory", "pids"}
    assert (root / "cgroup.subtree_control").read_text() == "cpu io memory pids\n"
    assert (m.grading / "cgroup.subtree_control").read_text() == "+memory +pids +cpu"


def test_hybrid_with_v1_memory_is_cgroup_v1(tmp_path):
    """This machine's layout: v1 controllers, a cgroup2 at /unified without memory."""
    root = fake_v1(tmp_path / "cg")
    _cg(root / "unified", "hugetlb")
    assert choose_mechanism(root, euid=0, self_cgroup="0::/\n").name == "cgroup v1"
    m = choose_mechanism(root, euid=1000, self_cgroup="0::/\n")
    assert m.name == "rlimit"
    assert "cgroup v1: needs root" in m.why and "cgroup v2" in m.why


def test_hybrid_with_memory_in_unified_is_cgroup_v2_there(tmp_path):
    root = fake_v1(tmp_path / "cg", ctls=("cpu", "systemd"))
    _cg(root / "unified", "memory pids", "memory pids", "1\n")
    m = choose_mechanism(root, euid=0, self_cgroup="1:name=systemd:/\n0::/\n")
    assert isinstance(m, CgroupV2)
    assert m.grading == root / "unified" / CGROUP_PARENT


def test_hybrid_unified_without_memory_as_root_says_why(tmp_path):
    root = tmp_path / "cg"
    _cg(root / "unified", "hugetlb", "", "1\n")
    m = choose_mechanism(root, euid=0, self_cgroup="0::/\n")
    assert m.name == "rlimit"
    assert "no memory and pids controller" in m.why, m.why


def test_delegated_user_subtree_is_cgroup_v2(tmp_path):
    """A user on a systemd laptop: the cgroup we run in is a leaf of the user's delegated
    subtree; campaignlab-grading goes next to it (its parent holds no processes)."""
    root = fake_v2(tmp_path / "cg")
    uid = 1000 if os.geteuid() == 0 else os.geteuid()
    if os.geteuid() == 0:
        _chown_tree(root / USER, uid)
    m = choose_mechanism(root, euid=uid, self_cgroup=_self(SCOPE))
    assert isinstance(m, CgroupV2), getattr(m, "why", m)
    assert m.how == "delegated"
    assert m.base == root / USER / "app.slice"
    assert m.grading == root / USER / "app.slice" / CGROUP_PARENT
    assert "delegated to you" in m.describe(Limits())
    assert not (root / CGROUP_PARENT).exists()


def test_not_writable_v2_falls_back_to_rlimit(tmp_path):
    """The cgroup tree is not ours (not root, nothing delegated): rlimit, and why."""
    root = fake_v2(tmp_path / "cg")
    uid = 4242 if os.geteuid() != 4242 else 4243
    m = choose_mechanism(root, euid=uid, self_cgroup=_self(SCOPE))
    assert isinstance(m, Rlimit)
    assert "not writable by you" in m.why, m.why
    assert not (root / USER / "app.slice" / CGROUP_PARENT).exists()
    line = m.describe(Limits(memory_mb=2048))
    assert line.startswith("limits: rlimit (no usable cgroup:")
    assert "resident memory" in line and "RLIMIT_AS" in line, line


def test_v2_processes_in_the_parent_are_explained(tmp_path, monkeypatch):
    """cgroup v2's no-internal-processes rule: enabling controllers in a cgroup that holds
    processes fails with EBUSY (a container's root cgroup, say)."""
    root = fake_v2(tmp_path / "cg", controllers="memory pids")
    real = sandbox._write

    def write(path, value):
        if Path(path) == root / "cgroup.subtree_control":
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY))
        real(path, value)

    monkeypatch.setattr(sandbox, "_write", write)
    m = choose_mechanism(root, euid=0, self_cgroup="0::/\n")
    assert m.name == "rlimit"
    assert "holds processes" in m.why and "leaf cgroup" in m.why, m.why


def test_required_mechanism_that_is_not_there(tmp_path):
    root = fake_v1(tmp_path / "cg")
    with pytest.raises(SandboxUnavailable, match="cgroup v2 is not usable here"):
        choose_mechanism(root, euid=0, self_cgroup="0::/\n", want="cgroup v2")
    assert choose_mechanism(root, euid=0, want="rlimit").name == "rlimit"
    with pytest.raises(ValueError):
        choose_mechanism(root, euid=0, want="cgroup v3")


# ---------------------------------------------------------------------- the v2 run, faked
FAKE_BWRAP = """#!/bin/sh
# stands in for bwrap: finds the run cgroup it was moved into and plays the kernel's part
for d in {grading}/run-*; do
  if [ "$(cat "$d/cgroup.procs")" = "$$" ]; then
    echo "in $d"
    {act}
    : > "$d/cgroup.procs"
    exit 137
  fi
done
echo "not in a run cgroup" >&2
exit 3
"""
OOM = """echo 123456789 > "$d/memory.peak"
    printf 'low 0\\nhigh 0\\nmax 7\\noom 1\\noom_kill 1\\noom_group_kill 0\\n' > "$d/memory.events"
"""
SAMPLED = """echo 55555555 > "$d/memory.current"
    sleep 0.4
    echo 4096 > "$d/memory.current"
    printf 'oom 0\\noom_kill 0\\n' > "$d/memory.events"
"""


def _fake_sandbox(tmp_path, monkeypatch, act: str, limits: Limits) -> Sandbox:
    """A Sandbox on a fake pure-v2 cgroupfs whose bwrap is FAKE_BWRAP; as root the grading
    cgroup goes at the top, as a user next to our (fake) scope, which we then own."""
    root = fake_v2(tmp_path / "cg")
    own = tmp_path / "self-cgroup"
    own.write_text(_self(SCOPE))
    monkeypatch.setattr(sandbox, "PROC_SELF_CGROUP", own)
    fake = tmp_path / "bwrap"
    real_which = shutil.which
    monkeypatch.setattr(sandbox.shutil, "which",
                        lambda name, *a, **k: str(fake) if name == "bwrap" else real_which(name))
    sb = Sandbox(tmp_path, limits, cgroup_root=root)
    assert sb.mechanism == "cgroup v2", sb.describe()
    fake.write_text(FAKE_BWRAP.format(grading=sb.bounds.grading, act=act))
    fake.chmod(0o755)
    return sb


def test_v2_run_writes_limits_reads_peak_and_oom_and_removes_the_cgroup(
        tmp_path, monkeypatch, removed):
    lim = Limits(memory_mb=300, pids=64, cpus=0.5, notebook_timeout=20)
    sb = _fake_sandbox(tmp_path, monkeypatch, OOM, lim)
    grading = sb.bounds.grading
    assert sb._env()[MECHANISM_ENV] == "cgroup v2"
    assert any(line.startswith("limits: cgroup v2 (") for line in sb.describe())
    res = sb.run(["python"], b"")
    assert res.returncode == 137, (res.stdout, res.stderr)
    run = Path(res.stdout.decode().split("in ", 1)[1].strip())
    assert run.parent == grading and run.name.startswith("run-")
    assert res.mechanism == "cgroup v2"
    assert res.oom_killed is True
    assert res.peak_memory_bytes == 123456789
    assert res.leftover_processes == 0
    assert list(removed) == [run] and not run.exists()
    files = removed[run]
    assert files["memory.max"] == str(300 * MB)
    assert files["pids.max"] == "64"
    assert files["cpu.max"] == "50000 100000"
    assert not res.notes


def test_v2_run_without_memory_peak_samples_memory_current(tmp_path, monkeypatch, removed):
    sb = _fake_sandbox(tmp_path, monkeypatch, SAMPLED, Limits(memory_mb=300, notebook_timeout=20))
    res = sb.run(["python"], b"")
    assert res.returncode == 137, (res.stdout, res.stderr)
    assert res.peak_memory_bytes == 55555555  # the highest sample, not the last value
    assert res.oom_killed is False
    assert len(removed) == 1


def test_runner_kernel_sets_rlimit_as_by_mechanism():
    """The kernel's RLIMIT_AS is generous under every mechanism (RAM is bounded by the cgroup or
    by the parent's RssWatch); RLIMIT_NPROC only under rlimit."""
    code = ("import json, resource, sys\n"
            "import ipykernel.kernelapp as k\n"
            "k.launch_new_instance = lambda argv: print(json.dumps([\n"
            "    resource.getrlimit(resource.RLIMIT_AS)[0],\n"
            "    resource.getrlimit(resource.RLIMIT_NPROC)[0]]))\n"
            "from campaignlab.course.runner import kernel_main\n"
            "kernel_main(['314572800', '0', '1000000'])\n")
    got = {}
    for mech in ("rlimit", "cgroup v1", "cgroup v2", None):
        env = {k: v for k, v in os.environ.items() if k != MECHANISM_ENV}
        if mech:
            env[MECHANISM_ENV] = mech
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, timeout=60, check=True).stdout
        got[mech] = json.loads(out.strip().splitlines()[-1])
    assert got["rlimit"] == [300 * MB + sandbox.AS_HEADROOM, sandbox.NPROC]
    assert got[None] == got["rlimit"]  # not started by a Sandbox: the cautious default
    for mech in ("cgroup v1", "cgroup v2"):
        assert got[mech][0] == 300 * MB + sandbox.AS_HEADROOM, (mech, got[mech])
        assert got[mech][1] != sandbox.NPROC


# ---------------------------------------------------------------------- a real cgroup2
def _writable_cgroup2() -> Path | None:
    if os.geteuid() != 0:
        return None
    mount = CgroupV2.mount(sandbox.CGROUP_ROOT)
    if mount is None or not sandbox._may_write(mount / "cgroup.procs", 0):
        return None
    return mount


@pytest.mark.skipif(_writable_cgroup2() is None, reason="needs root and a writable cgroup2")
def test_v2_run_lifecycle_on_the_real_cgroup2():
    """Whatever controllers the real cgroup2 has (maybe none, on a hybrid host): a run's
    cgroup is made, the sandbox enters it before it starts, what is left is killed with
    cgroup.kill (or by pid), and the cgroup is removed."""
    mount = _writable_cgroup2()
    mech = CgroupV2(mount, "root", set())
    mech.grading.mkdir(exist_ok=True)
    run = mech.new_run(Limits())
    cmd, env, fds = run.wrap(["/bin/sh", "-c", "sleep 300 & echo $!"])
    proc = subprocess.Popen(cmd, env={"PATH": "/usr/bin:/bin", **env}, pass_fds=fds,
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    run.started(proc)
    sleeper = int(proc.stdout.readline())
    proc.wait(timeout=10)
    path = run.cgroups[0]
    try:
        assert path.parent == mech.grading
        cg = Path(f"/proc/{sleeper}/cgroup").read_text()
        assert f"0::/{path.relative_to(mount)}" in cg, cg
        res = SandboxResult(b"", "", 0, 0.0)
        run.finish(res)
        assert res.leftover_processes == 1
        assert not path.exists()
        assert not Path(f"/proc/{sleeper}").exists() or "Z" in Path(
            f"/proc/{sleeper}/stat").read_text().rsplit(")", 1)[1].split()[0]
    finally:
        try:
            os.kill(sleeper, 9)
        except ProcessLookupError:
            pass


# ---------------------------------------------------------------------- a real memory bomb
BOMB = """import resource
hog = []
try:
    while True:
        hog.append(bytearray(10**7))
except MemoryError:
    n = len(hog)
    del hog
    print("MemoryError after", n, "x 10 MB, max RSS",
          resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    raise
"""


#: what a bomb of 10 MB appends may add between two RssWatch samples, with a loaded machine's
#: scheduling delays (measured here: see the printed peaks)
SAMPLE_OVERSHOOT = 256 * MB


def _bomb(mechanism: str | None, memory_mb: int = 300) -> tuple[Sandbox, SandboxResult]:
    from campaignlab import data

    sb = Sandbox(data.data_dir(), Limits(memory_mb=memory_mb, notebook_timeout=60),
                 mechanism=mechanism)
    return sb, sb.run([str(sb.python), "-I", "-c", BOMB], b"")


def _assert_stopped_at_the_limit(sb: Sandbox, res: SandboxResult) -> None:
    limit = sb.limits.memory_bytes
    mech = sb.mechanism
    what = (f"[{mech}] memory bomb, limit {limit // MB} MB: exit {res.returncode}, "
            f"oom_killed {res.oom_killed}, peak {res.peak_memory_bytes}, "
            f"stdout {res.stdout[-300:]!r}, stderr {res.stderr[-300:]!r}")
    assert res.mechanism == mech, what
    assert not res.timed_out, what
    assert res.returncode != 0, what
    assert res.peak_memory_bytes is not None, what
    assert res.oom_killed, what
    if mech in ("cgroup v1", "cgroup v2"):
        # the cgroup stopped it: OOM kill at the limit, the run's peak at (not over) the limit
        assert 0.9 * limit <= res.peak_memory_bytes <= limit + 4 * MB, what
    else:
        assert mech == "rlimit", what
        # the parent's RssWatch killed it past the limit, before the address-space backstop
        # (limit + 4 GB) could: it may overshoot by what the bomb allocates in one 10 ms sample
        assert "MemoryError" not in res.stderr, what
        assert res.returncode == -9 or res.returncode == 137, what
        assert limit < res.peak_memory_bytes <= limit + SAMPLE_OVERSHOOT, what


@pytest.mark.needs("bwrap")
def test_memory_bomb_is_stopped_at_the_limit_here():
    """With the mechanism this machine has (no escape: every mechanism has its bound)."""
    sb, res = _bomb(None)
    _assert_stopped_at_the_limit(sb, res)
    print(f"{sb.mechanism}: peak {res.peak_memory_bytes / MB:.1f} MB of "
          f"{sb.limits.memory_mb} MB, oom_killed {res.oom_killed}, exit {res.returncode}")


@pytest.mark.needs("bwrap")
def test_memory_bomb_is_stopped_at_the_limit_under_rlimit():
    """The fallback, wherever it runs: the parent's RssWatch."""
    sb, res = _bomb("rlimit")
    _assert_stopped_at_the_limit(sb, res)
    assert any(line.startswith("limits: rlimit") for line in sb.describe())
    print(f"rlimit: peak {res.peak_memory_bytes / MB:.1f} MB of {sb.limits.memory_mb} MB")


@pytest.mark.needs("bwrap")
def test_grade_check_names_the_mechanism():
    from campaignlab import data

    mech = Sandbox(data.data_dir()).mechanism
    exe = Path(sys.executable).with_name("campaignlab")
    out = subprocess.run([str(exe), "grade", "check"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"limits: {mech}" in out.stdout, out.stdout
    assert "sandbox OK" in out.stdout
