"""The trainee's first minutes, in a real browser.

JupyterLab runs headless on the freshly built student version, with the nbgrader student
extensions disabled exactly as ``tasks.py lab`` and Binder disable them
(``campaignlab.course.disable_student_extensions``, which writes the environment's sys_prefix
config).  Headless Chromium (Playwright, system ``/usr/bin/chromium``) opens the start-here lesson,
runs the setup cells, pastes the reference answer of the first exercise into its answer cell,
runs it and its test cell, and checks that nothing shows an error.  A screenshot is saved.

Needs ``chromium`` (``@pytest.mark.needs``, tests/system_requirements.py): ``python3 tasks.py
test`` installs Debian's when it can; otherwise the test is skipped with the command that installs
it, and under CI (``CI=true``) it fails instead.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from campaignlab.course import cells, layout, release, trainee

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.needs("chromium")]

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")  # Debian's, as the marker checks
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 90  # s
CELL_TIMEOUT = 120  # s, as nbgrader's per-cell bound
VALIDATE_TIMEOUT = 300  # s: Validate runs the whole notebook on the server
ERROR_MIME = "application/vnd.jupyter.stderr"  # how JupyterLab renders errors and stderr


def _start_here(curriculum: Path) -> tuple[str, str]:
    """(module, notebook) of the lesson a trainee opens first."""
    names = layout.modules(curriculum)
    if not names:
        pytest.fail(f"no module with a notebook in {curriculum}")
    module = next((m for m in names if "start-here" in m), names[0])
    nbs = layout.notebooks(module, curriculum)
    return module, next((n for n in nbs if "start-here" in n), nbs[0])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(course_build, curriculum_dir, tmp_path_factory):
    """A headless JupyterLab serving a copy of the start-here student version.

    Yields a namespace: ``base`` URL, ``token``, ``module``, ``notebook`` (file name),
    ``path`` (the served copy of the notebook), ``log`` (the server's log file).
    """
    module, notebook = _start_here(curriculum_dir)
    release_dir = course_build.release(module)
    work = tmp_path_factory.mktemp("lab")
    root = work / "trainee"
    shutil.copytree(release_dir, root / module)  # the trainee's edits never touch the build

    trainee.disable_student_extensions()
    state = trainee.student_extensions_state()
    wrong = {
        name: on
        for name, on in state.items()
        if on != name.endswith(("validate-assignment", "validate_assignment"))
    }
    assert not wrong, f"nbgrader extensions not as trainees should have them: {wrong}"

    # Private Jupyter state: no user settings or workspace leaks in, none leaks out.
    settings = work / "settings"
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}')  # every cell in the DOM
    notes = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notes.parent.mkdir(parents=True)
    notes.write_text('{"fetchNews": "false", "checkForUpdates": false}')
    # no autosave racing the save the Validate button makes ("File Changed" dialog)
    docs = settings / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings"
    docs.parent.mkdir(parents=True)
    docs.write_text('{"autosave": false}')
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(work / "config"),  # no ~/.jupyter; sys_prefix config still applies
        JUPYTER_RUNTIME_DIR=str(work / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(work / "workspaces"),
        PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI containers run as root
    log_path = work / "jupyterlab.log"
    log = open(log_path, "w")  # noqa: SIM115 (closed at teardown)
    server = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                release.kill_tree(server)
                log.close()
                pytest.fail(f"JupyterLab did not start:\n{log_path.read_text()[-4000:]}")
            time.sleep(0.3)
    try:
        yield SimpleNamespace(
            base=base,
            token=token,
            module=module,
            notebook=notebook,
            path=root / module / notebook,
            log=log_path,
        )
    finally:
        release.kill_tree(server)
        log.close()


@pytest.fixture()
def page(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1400, "height": 1000})
            pg.console_messages = []
            pg.on("console", lambda m: pg.console_messages.append(f"{m.type}: {m.text}"))
            pg.on("pageerror", lambda e: pg.console_messages.append(f"pageerror: {e}"))
            yield pg
        finally:
            browser.close()


CELLS = ".jp-NotebookPanel .jp-Notebook .jp-Cell"


def _open(page, lab, n_cells: int):
    """Open the lab's notebook; wait until all ``n_cells`` cells render and the kernel is idle."""
    page.goto(f"{lab.base}/lab/tree/{lab.module}/{lab.notebook}?token={lab.token}&reset")
    try:
        page.wait_for_function(
            f"document.querySelectorAll({CELLS!r}).length >= {n_cells}", timeout=60_000
        )
    except Exception:
        shown = page.locator(CELLS).count()
        pytest.fail(f"JupyterLab shows {shown} cells of the {n_cells} in {lab.notebook}")
    _wait_for_kernel(lab)
    return page.locator(CELLS)


def _dialogs(page) -> list[str]:
    """Text of every open JupyterLab dialog and error notification."""
    texts = page.locator(".jp-Dialog").all_inner_texts()
    texts += page.locator(".Toastify__toast--error").all_inner_texts()
    return [t.strip() for t in texts]


def _errors(cell) -> list[str]:
    return [
        t.strip()
        for t in cell.locator(
            f".jp-OutputArea-output[data-mime-type='{ERROR_MIME}']"
        ).all_inner_texts()
        if re.search(r"Error|Exception|Traceback", t)
    ]


def _run(page, cells, index: int, is_code: bool, click: bool = True) -> None:
    """Run one cell as a trainee does (select it, Shift+Enter) and wait until it finished."""
    cell = cells.nth(index)
    if click:
        cell.locator(".jp-InputPrompt").click()  # selects the cell without editing it
    page.keyboard.press("Shift+Enter")
    if not is_code:
        return
    prompt = cell.locator(".jp-InputPrompt")
    deadline = time.monotonic() + CELL_TIMEOUT
    while time.monotonic() < deadline:
        text = prompt.inner_text().strip()
        if re.fullmatch(r"\[\d+\]:", text) or _errors(cell):
            return
        page.wait_for_timeout(200)
    pytest.fail(f"cell {index} did not finish within {CELL_TIMEOUT} s (prompt {text!r})")


def _wait_for_kernel(lab, timeout: float = 90) -> None:
    """Wait until the notebook's kernel is connected and idle (the toolbar says idle earlier)."""
    import json

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{lab.base}/api/kernels?token={lab.token}", timeout=10) as r:
            kernels = json.load(r)
        if any(k["execution_state"] == "idle" and k["connections"] > 0 for k in kernels):
            return
        time.sleep(0.3)
    pytest.fail(f"the kernel of {lab.notebook} did not start within {timeout} s")


def _exercise(source_nb, release_nb) -> tuple[int, str, int, str]:
    """(answer cell index, grade_id, its test cell index, reference answer) of the first exercise."""
    first = next((i for i, c in enumerate(release_nb.cells) if cells.is_solution_cell(c)), None)
    assert first is not None, "the start-here lesson has no exercise (no answer cell)"
    gid = cells.grade_id(release_nb.cells[first])
    ids = [cells.grade_id(c) for c in release_nb.cells]
    if f"{gid}-tests" in ids:
        test = ids.index(f"{gid}-tests")
    else:
        test = next(
            i
            for i, c in enumerate(release_nb.cells)
            if i > first and c.metadata.get("nbgrader", {}).get("grade")
        )
    answer = next(
        cells.strip_solution(c.source) for c in source_nb.cells if cells.grade_id(c) == gid
    )
    return first, gid, test, answer


def test_trainee_answers_first_exercise(lab, page, curriculum_dir, tmp_path):
    source_nb = nbformat.read(curriculum_dir / lab.module / lab.notebook, as_version=4)
    release_nb = nbformat.read(lab.path, as_version=4)
    first, gid, test, answer = _exercise(source_nb, release_nb)
    where = f"{lab.module}/{lab.notebook}"
    shot = tmp_path / "start-here.png"
    try:
        cells = _open(page, lab, len(release_nb.cells))
        menus = page.locator("#jp-MainMenu .lm-MenuBar-itemLabel").all_inner_texts()
        assert "Nbgrader" not in menus, f"trainees see the instructor's Nbgrader menu: {menus}"

        # the setup cells, one at a time: click, Shift+Enter, wait
        for i in range(first):
            _run(page, cells, i, release_nb.cells[i].cell_type == "code")
        setup_errors = {f"cell {i}": _errors(cells.nth(i)) for i in range(first)}
        setup_errors = {i: e for i, e in setup_errors.items() if e}
        assert not setup_errors, f"{where}: setup cells fail in JupyterLab: {setup_errors}"

        # the first exercise: replace the stub with the answer, as pasted by the trainee
        answer_cell = cells.nth(first)
        answer_cell.locator(".cm-content").click()  # edit mode
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.insert_text(answer)
        typed = answer_cell.locator(".cm-content").inner_text()
        assert " ".join(typed.split()) == " ".join(answer.split()), (
            f"{where}: the answer cell holds {typed!r} after typing {answer!r}"
        )
        for i in range(first, test + 1):
            _run(page, cells, i, release_nb.cells[i].cell_type == "code", click=i != first)
        page.wait_for_timeout(500)  # let late outputs and dialogs render
        page.screenshot(path=str(shot), full_page=True)

        problems = {i: _errors(cells.nth(i)) for i in range(first, test + 1)}
        problems = {f"cell {i}": e for i, e in problems.items() if e}
        assert not problems, (
            f"{where}: the reference answer to {gid!r} shows errors in JupyterLab "
            f"(screenshot {shot}): {problems}"
        )
        dialogs = _dialogs(page)
        assert not dialogs, (
            f"{where}: JupyterLab shows dialogs/errors (screenshot {shot}): {dialogs}"
        )
        nbgrader_errors = [
            m
            for m in page.console_messages
            if m.startswith(("error", "pageerror")) and "nbgrader" in m
        ]
        assert not nbgrader_errors, f"{where}: nbgrader errors in the browser: {nbgrader_errors}"

        # nbgrader's Validate button (kept for trainees) works without an exchange: it saves the
        # notebook, runs it on the server and lists what still fails, but not the first exercise
        page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).click()
        message = page.locator(".jp-Dialog #validation-message")
        message.wait_for(timeout=VALIDATE_TIMEOUT * 1000)
        verdict = message.get_attribute("class") or ""
        text = message.inner_text()
        page.screenshot(path=str(tmp_path / "validate.png"), full_page=True)
        assert "validation-failed" in verdict or "validation-success" in verdict, (
            f"{where}: Validate did not work for the trainee ({verdict!r}):\n{text[:3000]}"
        )
        test_source = " ".join(release_nb.cells[test].source.split())
        failed = [" ".join(t.split()) for t in message.locator("pre").all_inner_texts()]
        assert test_source not in failed, (
            f"{where}: Validate reports the answered first exercise ({gid}) as failing:\n{text[:3000]}"
        )
        later_tests = [
            " ".join(c.source.split())
            for c in release_nb.cells[test + 1 :]
            if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"
        ]
        if later_tests:  # unanswered exercises must be listed: proves the list was read right
            assert any(t in failed for t in later_tests), (
                f"{where}: Validate does not list the unanswered exercises:\n{text[:3000]}"
            )
    except BaseException:  # pytest.fail raises a BaseException
        shot = tmp_path / "failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}\nbrowser console:\n" + "\n".join(page.console_messages))
        print("JupyterLab log (tail):\n" + lab.log.read_text()[-3000:])
        raise
    print(f"screenshot: {shot}")
