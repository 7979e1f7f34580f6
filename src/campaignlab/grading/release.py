"""Student versions ready to share: a folder (e.g. a student repository's checkout) or a zip,
and the links trainees click.

``nbgrader generate_assignment`` (through ``campaignlab.course.release``, which refuses a
release that leaks solutions or hidden tests) builds ``<root>/release/<module>/``; this copies
those folders, and nothing else, to ``--out`` and/or a zip.

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

import shutil
import zipfile
from pathlib import Path
from urllib.parse import quote, urlencode


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


def release(root: Path | str | None, modules: list[str] | None, *, out: Path | str | None = None,
            zip_path: Path | str | None = None, repo: str | None = None, branch: str = "main",
            hub: str | None = None, env_repo: str | None = None, env_branch: str = "main",
            curriculum: Path | str | None = None, log=print) -> dict[str, Path]:
    from campaignlab import course

    built = course.release(root, modules, curriculum=curriculum)
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
