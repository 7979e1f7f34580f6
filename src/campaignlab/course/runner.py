"""Runs INSIDE the sandbox: execute one notebook's code cells in a fresh kernel and stream one
JSON line per cell to the parent.  Nothing here is trusted by the parent: it re-checks
everything (tokens, statuses, sizes).  The runner only makes honest results possible:

- test cells never run in the kernel: at each one the kernel exports the values the test names
  as plain data (``wire.export``) and the checker (``checker``, a process started before the
  kernel, which trainee code never ran in) runs the test on them; a trainee's function is called
  in the kernel on the checker's behalf, on plain data; the test's check-in token is reported
  only when the checker passed it, and never enters the kernel;

- it reads its whole job from stdin, then points fds 0/1/2 at /dev/null, so the kernel (its
  child) inherits no channel to the parent; results go to a private, close-on-exec copy of fd 1;
- it marks itself non-dumpable, so the kernel (same uid) cannot read its memory or fds
  (``/proc/<pid>/mem``, ``/proc/<pid>/fd``), where the later cells' check-in tokens are;
- the kernel starts through ``--kernel`` (below): OOM-kill score 1000 (killed before the
  runner, so what ran before a memory bomb is still reported), rlimits on address space
  (generous: RAM is bounded by the run's cgroup or the parent's ``RssWatch``), CPU seconds,
  file size and core dumps (and processes under the rlimit mechanism);
- each cell has a timeout; a timed-out cell is interrupted; a kernel that ignores the
  interrupt is killed and the rest of the notebook is reported as not run;
- output is capped per cell (bytes, line length) and per notebook before it is stored;
  anything that looks like a check-in token (``CLTOKEN-...``) is taken out of what the kernel
  prints, so a forged one never shows in feedback.

Job (stdin, JSON): ``{"cells": [source, ...], "tests": {index: token}, "refs", "cell_timeout", "interrupt_grace",
"output_bytes", "line_chars", "notebook_output_bytes", "memory_bytes", "cpu_seconds",
"file_bytes"}``.  Output lines: ``{"event": "start"}``, ``{"event": "cell", "i", "status",
"ename", "evalue", "outputs", "tokens", "truncated", "seconds"}``, ``{"event": "stop",
"reason"}``, ``{"event": "done", "cpu_seconds"}`` (the runner's, the kernel's and the checker's CPU).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

from campaignlab.course.outputs import TOKEN_RE, cap_text

KERNEL_NAME = "campaignlab-sandbox"


def _undumpable() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0
    except Exception:  # noqa: BLE001 - best effort; the parent does not rely on it
        pass


def kernel_main(argv: list[str]) -> None:
    """``python -m campaignlab.course.runner --kernel MEM CPU FSIZE -f CONN ...``"""
    import resource

    mem, cpu, fsize = (int(x) for x in argv[:3])
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    # which mechanism bounds the sandbox (sandbox.MECHANISM_ENV): "cgroup v1" / "cgroup v2" or,
    # when unset (not started by a Sandbox), the rlimit fallback
    rlimit_only = os.environ.get("CAMPAIGNLAB_SANDBOX_MECHANISM", "rlimit") == "rlimit"
    limits = [(resource.RLIMIT_CORE, 0), (resource.RLIMIT_FSIZE, fsize)]
    if cpu > 0:
        limits.append((resource.RLIMIT_CPU, cpu))
    if mem > 0:
        # RAM is bounded by the run's cgroup, or under rlimit by the parent's RssWatch; a
        # generous address-space limit (sandbox.AS_HEADROOM) only turns one absurd allocation
        # into a MemoryError the trainee sees (at the limit itself, pandas/pyarrow, which
        # reserve more than they touch, could not read a CSV)
        limits.append((resource.RLIMIT_AS, mem + 4 * 1024 * 1024 * 1024))
    if rlimit_only:
        limits.append((resource.RLIMIT_NPROC, 512))  # sandbox.NPROC
    for which, value in limits:
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=argv[3:])


def _write_kernelspec(job: dict) -> None:
    home = os.environ.get("JUPYTER_PATH", "/tmp/home/.local/share/jupyter")
    d = os.path.join(home, "kernels", KERNEL_NAME)
    os.makedirs(d, exist_ok=True)
    spec = {
        "argv": [
            sys.executable, "-m", "campaignlab.course.runner", "--kernel",
            str(job.get("memory_bytes", 0)), str(int(job.get("cpu_seconds", 0))),
            str(job.get("file_bytes", 256 * 1024 * 1024)),
            "-f", "{connection_file}",
            "--HistoryManager.hist_file=:memory:",
            "--InteractiveShell.xmode=Minimal",
        ],
        "display_name": "sandboxed python",
        "language": "python",
    }
    with open(os.path.join(d, "kernel.json"), "w") as f:
        json.dump(spec, f)


def main() -> int:
    _undumpable()
    # jsonschema (via nbformat) compiles an IRI grammar on import (~2.5 s per run, for a format
    # check nobody uses here): skip it, jsonschema treats it as an optional dependency
    sys.modules.setdefault("rfc3987_syntax", None)
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")  # non-inheritable: the kernel gets none
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)

    def emit(obj: dict) -> None:
        out.write(json.dumps(obj) + "\n")
        out.flush()

    emit({"event": "start"})
    try:
        _run(job, emit)
    except Exception as err:  # noqa: BLE001 - reported to the parent, which decides
        emit({"event": "stop", "reason": f"runner error: {type(err).__name__}: {err}"[:500]})
    import resource

    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    emit({"event": "done", "cpu_seconds": round(sum(u.ru_utime + u.ru_stime for u in used), 2)})
    out.close()
    return 0


def _run(job: dict, emit) -> None:
    import asyncio

    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    _write_kernelspec(job)
    cell_budget = int(job.get("output_bytes", 200_000))
    line_chars = int(job.get("line_chars", 2_000))
    total_budget = int(job.get("notebook_output_bytes", 2_000_000))
    cell_timeout = float(job.get("cell_timeout", 120))
    grace = float(job.get("interrupt_grace", 5))
    sources = job["cells"]
    # test cells (index -> check-in token): run by the checker, never by the kernel
    tests = {int(k): str(v) for k, v in (job.get("tests") or {}).items()}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    state = {"used": 0}
    per_cell: dict[int, dict] = {}

    class CappedClient(NotebookClient):
        def output(self, outs, msg, display_id, cell_index):
            rec = per_cell.setdefault(cell_index, {"bytes": 0, "tokens": [], "truncated": False})
            content = msg.get("content", {})
            if msg["msg_type"] == "stream":
                text = content.get("text", "")
                found = TOKEN_RE.findall(text)
                if found:
                    rec["tokens"].extend(found[: 20 - len(rec["tokens"])])
                    content["text"] = TOKEN_RE.sub("", text)
                    if not content["text"].strip("\n"):
                        return None
            if msg["msg_type"] == "error":
                content["evalue"] = cap_text(str(content.get("evalue", "")), 2000, line_chars)[0]
                content["traceback"] = [
                    cap_text(t, 4000, line_chars)[0] for t in content.get("traceback", [])[-20:]
                ]
            size = len(json.dumps(content, default=str))
            left = min(cell_budget - rec["bytes"], total_budget - state["used"])
            if size > left:
                if msg["msg_type"] == "stream" and left > 200:
                    content["text"], _ = cap_text(content["text"], left - 200, line_chars)
                    size = len(json.dumps(content, default=str))
                elif msg["msg_type"] != "error":
                    if not rec["truncated"]:
                        rec["truncated"] = True
                        outs.append(nbformat.v4.new_output(
                            "stream", name="stderr",
                            text=f"[output cut: more than {cell_budget} bytes]\n"))
                    return None
            if msg["msg_type"] == "stream":
                content["text"], cut = cap_text(content["text"], cell_budget, line_chars)
                rec["truncated"] |= cut
            rec["bytes"] += size
            state["used"] += size
            return super().output(outs, msg, display_id, cell_index)

    replies: dict[int, dict] = {}

    def on_executed(cell, cell_index, execute_reply):
        replies[cell_index] = (execute_reply or {}).get("content", {})

    km = AsyncKernelManager(kernel_name=KERNEL_NAME)
    client = CappedClient(
        nb,
        km=km,
        timeout=cell_timeout,
        startup_timeout=120,
        interrupt_on_timeout=True,
        error_on_timeout={
            "ename": "CellTimeoutError",
            "evalue": f"the cell ran longer than {cell_timeout:g} s and was interrupted",
            "traceback": [],
        },
        allow_errors=True,
        record_timing=False,
        on_cell_executed=on_executed,
        iopub_timeout=2,
        shutdown_kernel="immediate",
    )

    async def probe() -> bool:
        """Is the kernel answering again (after an interrupt)?"""
        msg_id = client.kc.execute("", silent=True, store_history=False)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            try:
                reply = await client.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            except Exception:  # noqa: BLE001 - queue.Empty
                return False
            if reply["parent_header"].get("msg_id") == msg_id:
                return True
        return False

    exchange = tempfile.mkdtemp(prefix="cl-exchange-")
    checker: dict = {}

    # the lesson's precomputed references (``references``): for the first checker only, which
    # starts before the kernel; a restarted one recomputes them (same verdicts, slower)
    refs = {"packed": job.get("refs")}

    async def start_checker():
        checker["proc"] = await asyncio.create_subprocess_exec(
            sys.executable, "-I", "-m", "campaignlab.course.checker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL, limit=2**24,
            cwd="/tmp/work" if os.path.isdir("/tmp/work") else None,
            env=dict(os.environ, CAMPAIGNLAB_EXCHANGE=exchange))
        packed = refs.pop("packed", None)
        if packed:
            line = json.dumps({"op": "refs", "packed": packed}) + "\n"
            checker["proc"].stdin.write(line.encode())
            await checker["proc"].stdin.drain()

    async def stop_checker():
        proc = checker.pop("proc", None)
        if proc and proc.returncode is None:
            proc.kill()
            await proc.wait()

    async def in_kernel(code: str, timeout: float) -> str | None:
        """Run our own code silently in the kernel; None when done, else what went wrong."""
        msg_id = client.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            try:
                reply = await client.kc.get_shell_msg(timeout=min(left, 1.0))
            except Exception:  # noqa: BLE001 - queue.Empty: is the kernel still there?
                if not await client.km.is_alive():
                    return "dead"
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                content = reply.get("content", {})
                if content.get("status") == "ok":
                    return None
                return f"{content.get('ename', 'error')}: {content.get('evalue', '')}"[:500]

    phases: dict = {}  # where the last test's seconds went (reported with its cell)

    async def check(i: int, source: str) -> tuple[dict, str | None]:
        """Run test cell ``i`` in the checker, on the kernel's values: (result, why stopped)."""
        from campaignlab.course.checker import asked_of_notebook

        folder = os.path.join(exchange, f"cell-{i}")
        wire = "__import__('campaignlab.course.wire', fromlist=['export'])"
        deadline = time.monotonic() + cell_timeout
        failed = {"op": "result", "status": "error", "stdout": "", "traceback": []}
        t_export = time.monotonic()
        err = await in_kernel(f"{wire}.export(globals(), {asked_of_notebook(source)!r}, {folder!r})",
                              cell_timeout)
        phases["export"] = round(time.monotonic() - t_export, 3)
        if err in ("dead", "timeout"):
            return dict(failed, ename="NotChecked", evalue="the notebook's values could not be "
                        "read: the kernel " + ("died" if err == "dead" else "did not answer")), err
        request = (json.dumps({"op": "test", "source": source, "export": folder}) + "\n").encode()
        for attempt in (1, 2):  # the kernel may have killed the checker: start a fresh one
            if "proc" not in checker or checker["proc"].returncode is not None:
                await start_checker()
            proc = checker["proc"]
            try:
                proc.stdin.write(request)
                await proc.stdin.drain()
                break
            except (BrokenPipeError, ConnectionResetError):
                await stop_checker()
                if attempt == 2:
                    return dict(failed, ename="NotChecked", evalue="the checker could not start"), None
        calls = 0
        while True:
            left = deadline - time.monotonic()
            try:
                line = await asyncio.wait_for(proc.stdout.readline(), timeout=max(left, 0.01))
            except TimeoutError:
                await stop_checker()
                return dict(failed, ename="CellTimeoutError", evalue=f"the test ran longer than "
                            f"{cell_timeout:g} s and was stopped"), None
            if not line:
                await stop_checker()
                return dict(failed, ename="NotChecked", evalue="the checker was stopped while it "
                            "ran this test"), None
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if msg.get("op") == "result":
                phases.update(load=msg.get("seconds_load"), test=msg.get("seconds_test"), calls=calls)
                return msg, None
            if msg.get("op") == "call":
                calls += 1
                reply = os.path.join(exchange, f"reply-{i}-{calls}")
                err = await in_kernel(
                    f"{wire}.call(globals(), {str(msg.get('name'))!r}, "
                    f"{str(msg.get('request'))!r}, {reply!r})", max(left, 0.01))
                if err == "dead":
                    await stop_checker()
                    return dict(failed, ename="NotChecked", evalue="the kernel died while the "
                                f"test ran {msg.get('name')}(...)"), err
                if err == "timeout":
                    await stop_checker()
                    return dict(failed, ename="CellTimeoutError", evalue=f"{msg.get('name')}(...) "
                                f"ran longer than {cell_timeout:g} s"), err
                answer = {"op": "reply", "folder": reply} if err is None else {
                    "op": "reply", "error": err}
                try:
                    proc.stdin.write((json.dumps(answer) + "\n").encode())
                    await proc.stdin.drain()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the checker is gone: the readline above ends the test

    def checked_outputs(result: dict) -> list:
        outs = []
        text = str(result.get("stdout") or "")
        if text:
            text, _ = cap_text(text, cell_budget, line_chars)
            outs.append(nbformat.v4.new_output("stream", name="stdout", text=text))
        if result.get("status") != "ok":
            outs.append(nbformat.v4.new_output(
                "error", ename=str(result.get("ename") or "Error")[:100],
                evalue=cap_text(str(result.get("evalue", "")), 2000, line_chars)[0],
                traceback=[cap_text(str(t), 4000, line_chars)[0]
                           for t in (result.get("traceback") or [])[:5]]))
        return outs

    async def go():
        if tests:
            await start_checker()  # before the kernel: trainee code never ran in it
        async with client.async_setup_kernel(
            cwd="/tmp/work" if os.path.isdir("/tmp/work") else None,
            stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"),
            stdin=open(os.devnull),
        ):
            try:
                kernel_pid.append(client.km.provisioner.process.pid)
            except AttributeError:
                pass
            for i, cell in enumerate(nb.cells):
                start = time.monotonic()
                stop = None
                if i in tests:
                    phases.clear()
                    result, why = await check(i, cell.source)
                    ok = result.get("status") == "ok"
                    emit({
                        "event": "cell", "i": i, "status": "ok" if ok else "error",
                        "ename": None if ok else result.get("ename"),
                        "evalue": cap_text(str(result.get("evalue", "")), 2000, line_chars)[0],
                        "outputs": checked_outputs(result), "execution_count": None,
                        "tokens": [tests[i]] if ok else [], "truncated": False,
                        "seconds": round(time.monotonic() - start, 3), "phases": dict(phases),
                    })
                    if why == "dead":
                        emit({"event": "stop", "at": i, "reason": "the kernel died (it crashed, "
                              "exited, or ran out of memory)"})
                        return
                    if why == "timeout":
                        try:
                            await client.km.interrupt_kernel()
                        except Exception:  # noqa: BLE001 - a dead kernel shows in the probe
                            pass
                        if not await probe():
                            emit({"event": "stop", "at": i, "reason": "the kernel did not "
                                  "answer after the time limit and was stopped"})
                            return
                    continue
                try:
                    await client.async_execute_cell(cell, i)
                except DeadKernelError:
                    stop = "the kernel died (it crashed, exited, or ran out of memory)"
                except CellTimeoutError:
                    stop = "the kernel did not answer"
                reply = replies.get(i, {})
                status = reply.get("status", "ok" if stop is None else "dead")
                ename = reply.get("ename")
                if stop:
                    status = "dead"
                rec = per_cell.get(i, {"tokens": [], "truncated": False})
                errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
                if ename is None and errors:
                    ename = errors[-1].get("ename")
                emit({
                    "event": "cell", "i": i, "status": status, "ename": ename,
                    "evalue": cap_text(str(reply.get("evalue", "")), 2000, line_chars)[0],
                    "outputs": cell.get("outputs", []),
                    "execution_count": cell.get("execution_count"),
                    "tokens": rec["tokens"], "truncated": rec["truncated"],
                    "seconds": round(time.monotonic() - start, 3),
                })
                if stop:
                    emit({"event": "stop", "at": i, "reason": stop})
                    return
                if ename == "CellTimeoutError" and not await probe():
                    try:
                        await client.km.shutdown_kernel(now=True)
                    except Exception:  # noqa: BLE001
                        pass
                    emit({"event": "stop", "at": i,
                          "reason": "the kernel ignored the interrupt after the time limit "
                                    "and was stopped"})
                    return

    kernel_pid: list[int] = []

    async def main_task():
        try:
            await go()
        finally:
            await stop_checker()

    asyncio.run(main_task())
    import signal

    for pid in kernel_pid:  # the kernel itself is gone or going: make sure, and reap it
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    time.sleep(0.2)
    # anything still alive now was started by the notebook and detached from the kernel
    me = os.getpid()
    stray = []
    for d in os.listdir("/proc"):
        if d.isdigit() and int(d) not in (1, me):
            try:
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
            except OSError:
                continue
            try:
                with open(f"/proc/{d}/stat") as f:
                    zombie = f.read().rsplit(")", 1)[1].split()[0] == "Z"
            except (OSError, IndexError):
                zombie = True
            if not zombie:
                stray.append(cmd[:120] or f"pid {d}")
    if stray:
        emit({"event": "leftover", "n": len(stray), "commands": stray[:5]})


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--kernel":
        kernel_main(sys.argv[2:])
    else:
        sys.exit(main())
