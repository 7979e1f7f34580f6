"""Student versions: build them (nbgrader ``generate_assignment`` behind the leak gate), and hand
them out as a folder (e.g. a student repository's checkout) or a zip, with the links trainees
click.  Trainee set-up (``python3 tasks.py lab``, Binder) and the instructor's ``campaignlab
grade release`` call the same ``build``.

Links (``--repo owner/name`` of the student repository on GitHub, ``--branch``):

- Binder, the student repository as its own environment:
  ``https://mybinder.org/v2/gh/<repo>/<branch>?urlpath=lab/tree/<module>/<lesson>``;
- Binder + nbgitpuller, the course repository's environment with the student repository's
  content pulled in (``--env-repo owner/name``);
- nbgitpuller on a JupyterHub (``--hub https://hub.example.org``).

>>> binder_link("alder/cdl-students", "main", "00-start-here/00-start-here.ipynb")
'https://mybinder.org/v2/gh/alder/cdl-students/main?urlpath=lab/tree/00-start-here/00-start-here.ipynb'
>>> nbgitpuller_link("https://hub.example.org", "alder/cdl-students", "main",
...                  "00-start-here/00-start-here.ipynb")  # doctest: +NORMALIZE_WHITESPACE
'https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Falder%2Fcdl-students&branch=main&urlpath=lab%2Ftree%2Fcdl-students%2F00-start-here%2F00-start-here.ipynb'
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import quote, urlencode

from campaignlab.course import layout, leaks

#: Wall-clock seconds allowed per notebook for a whole nbgrader command (cells are bounded at
#: 120 s each by the config).
NOTEBOOK_BUDGET = 600
#: Seconds an nbgrader command needs besides the notebooks (it takes ~3 s to start).
COMMAND_OVERHEAD = 120


def kill_tree(proc: subprocess.Popen) -> None:
    """Kill ``proc`` and every process it started (kernels run in their own sessions)."""
    import psutil

    try:
        parent = psutil.Process(proc.pid)
        victims = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        victims = []
    for p in victims:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(victims, timeout=10)


def nbgrader(
    args: list[str],
    *,
    root: Path | str | None = None,
    curriculum: Path | str | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess:
    """Run ``nbgrader <args>`` with ``grader/nbgrader_config.py``; raise ``CourseError`` when it
    fails or runs longer than ``timeout`` seconds (then it and its kernels are killed)."""
    root = Path(root) if root is not None else layout.course_root()
    root.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["CAMPAIGNLAB_COURSE_ROOT"] = str(root.resolve())
    env["CAMPAIGNLAB_CURRICULUM"] = str(Path(curriculum or layout.curriculum_dir()).resolve())
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # nbgrader runs `alembic` (a script of this environment) to create the gradebook
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # traitlets wants the config file name without ".py"
    cmd = [
        sys.executable,
        "-m",
        "nbgrader",
        *args,
        f"--NbGrader.config_file={layout.CONFIG.with_suffix('')}",
    ]
    timeout = timeout if timeout is not None else COMMAND_OVERHEAD + NOTEBOOK_BUDGET
    proc = subprocess.Popen(
        cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_tree(proc)
        out, _ = proc.communicate()
        raise layout.CourseError(
            f"`nbgrader {' '.join(args)}` ran longer than {timeout:.0f} s and was killed.\n"
            + out[-4000:]
        ) from None
    if proc.returncode != 0:
        raise layout.CourseError(
            f"`nbgrader {' '.join(args)}` failed (exit {proc.returncode}):\n" + out[-4000:]
        )
    return subprocess.CompletedProcess(cmd, proc.returncode, out, "")



def build(
    dest_root: Path | str | None = None,
    modules: list[str] | None = None,
    *,
    curriculum: Path | str | None = None,
    check: bool = True,
) -> dict[str, Path]:
    """Build the student versions: ``nbgrader generate_assignment --force`` for each module.

    Returns ``{module: release folder}``.  With ``check`` (the default) a release that would leak
    a solution or a hidden test raises ``CourseError`` (``check_release``); nothing unsafe is
    left in place for trainees to open.
    """
    root = Path(dest_root) if dest_root is not None else layout.course_root()
    curriculum = Path(curriculum) if curriculum is not None else layout.curriculum_dir()
    names = modules if modules is not None else layout.modules(curriculum)
    built = {}
    for module in names:
        n = len(layout.notebooks(module, curriculum))
        nbgrader(
            ["generate_assignment", module, "--force"],
            root=root,
            curriculum=curriculum,
            timeout=COMMAND_OVERHEAD + 60 * n,
        )
        if check:
            problems = leaks.check_release(module, root, curriculum)
            if problems:
                shutil.rmtree(root / "release" / module, ignore_errors=True)
                raise layout.CourseError(
                    f"The student version of {module} would leak (release removed):\n  "
                    + "\n  ".join(problems)
                )
        built[module] = root / "release" / module
    return built


def binder_link(repo: str, branch: str, path: str) -> str:
    return f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{path}"


def _pull_query(repo: str, branch: str, path: str) -> str:
    name = repo.rsplit("/", 1)[-1]
    return urlencode({"repo": f"https://github.com/{repo}", "branch": branch,
                      "urlpath": f"lab/tree/{name}/{path}"}, quote_via=quote, safe="")


def nbgitpuller_link(hub: str, repo: str, branch: str, path: str) -> str:
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{_pull_query(repo, branch, path)}"


def binder_pull_link(env_repo: str, env_branch: str, repo: str, branch: str, path: str) -> str:
    inner = "git-pull?" + _pull_query(repo, branch, path)
    return f"https://mybinder.org/v2/gh/{env_repo}/{env_branch}?urlpath={quote(inner, safe='')}"


def hand_out(root: Path | str | None, modules: list[str] | None, *, out: Path | str | None = None,
            zip_path: Path | str | None = None, repo: str | None = None, branch: str = "main",
            hub: str | None = None, env_repo: str | None = None, env_branch: str = "main",
            curriculum: Path | str | None = None, log=print) -> dict[str, Path]:
    built = build(root, modules, curriculum=curriculum)
    if out:
        out = Path(out)
        for module, folder in built.items():
            dest = out / module
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(folder, dest)
            log(f"student version: {dest}")
    if zip_path:
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
            for module, folder in built.items():
                for p in sorted(folder.rglob("*")):
                    if p.is_file():
                        z.write(p, f"{module}/{p.relative_to(folder).as_posix()}")
        log(f"zip for trainees: {zip_path}")
    for module, folder in built.items():
        log(f"{module}: {folder}")
        for nb in sorted(p.name for p in folder.glob("*.ipynb")):
            path = f"{module}/{nb}"
            if repo:
                log(f"  Binder:          {binder_link(repo, branch, path)}")
                if env_repo:
                    log(f"  Binder+pull:     {binder_pull_link(env_repo, env_branch, repo, branch, path)}")
                if hub:
                    log(f"  JupyterHub:      {nbgitpuller_link(hub, repo, branch, path)}")
    if not repo:
        log("(pass --repo owner/name of the student repository to print Binder/nbgitpuller links)")
    return built
