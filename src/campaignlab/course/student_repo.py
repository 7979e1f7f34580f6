"""The student repository: what ``campaignlab grade release --out FOLDER`` leaves in FOLDER, a
repository trainees can clone or open on Binder, with nothing in it that a lesson's grading
depends on::

    README.md                 for trainees: open a lesson on Binder or a laptop, hand it in
    <module>/<lesson>.ipynb   the student versions (nbgrader generate_assignment)
    binder/environment.yml    the course's pinned environment
    binder/postBuild          installs the package, generates the canonical county into
                              datasets/, turns off nbgrader's exchange extensions
    pyproject.toml, src/campaignlab/
                              the campaignlab package (lessons find their data with it)
    datasets/README.md        the data dictionary (the data is generated, never committed)
    .gitignore

Nothing of ``curriculum/`` (solutions, hidden tests), ``tests/`` or the course root (gradebook,
hand-ins, the grading county and its seed) is copied, and ``leaks.check_handout`` reads every
file afterwards to make sure.  Every file here is rewritten on each release; the module folders
of earlier releases stay.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from campaignlab.course import layout
from campaignlab.course.release import binder_link

#: Files copied from the course checkout into the student repository.
COPIED = {
    "pyproject.toml": "pyproject.toml",
    "binder/environment.yml": "binder/environment.yml",
    "datasets/README.md": "datasets/README.md",
    "datasets/MANIFEST.sha256": "datasets/MANIFEST.sha256",
}
#: Folders of the student repository that are not modules.
NOT_MODULES = {"binder", "src", "datasets"}

POSTBUILD = """\
#!/usr/bin/env bash
# Written by `campaignlab grade release --out` (rewritten on every release).
# repo2docker runs this once, after binder/environment.yml is installed and the repository is
# copied. On a laptop, run it once inside the virtual environment where you ran `pip install -e .`.
set -euo pipefail

# The campaignlab package (its pinned dependencies come from binder/environment.yml).
python -m pip install --no-deps --no-build-isolation -e .

# The canonical synthetic county every lesson uses, into datasets/ (deterministic, seconds).
campaignlab generate --if-missing

# nbgrader's assignment list and instructor tools need an exchange: turn them off (and lock
# them); the Validate button stays.
python -c "from campaignlab.course.trainee import disable_student_extensions as off; off()"
"""

GITIGNORE = """\
.venv/
__pycache__/
*.egg-info/
.ipynb_checkpoints/
# the data is generated (binder/postBuild, `campaignlab generate`): only its dictionary is kept
datasets/*
!datasets/README.md
!datasets/MANIFEST.sha256
"""


def unsafe_destination(out: Path | str) -> str | None:
    """Why ``out`` must not become a student repository (None: it may).

    The course checkout (or a folder that holds it) would get a trainee README and Binder
    config over its own; any other folder inside the checkout, except the build output, is
    tracked by it and would be pushed with it.

    >>> unsafe_destination(layout.REPO) is not None
    True
    >>> unsafe_destination(layout.REPO / "build" / "students") is None
    True
    """
    out = Path(out).resolve()
    repo = layout.REPO.resolve()
    if out == repo or out in repo.parents:
        return f"{out} is (or holds) the course checkout; use a folder outside it"
    if repo in out.parents and (repo / "build") not in (out, *out.parents):
        return f"{out} is inside the course checkout ({repo}); use a folder outside it"
    return None


def modules_in(out: Path) -> list[str]:
    """The module folders of a student repository (folders holding notebooks)."""
    return [m for m in layout.modules(out) if m not in NOT_MODULES]


def readme(out: Path, repo: str | None = None, branch: str = "main") -> str:
    """The trainees' README of the student repository at ``out``."""
    name = repo.rsplit("/", 1)[-1] if repo else "<this repository>"
    url = f"https://github.com/{repo}.git" if repo else "<the address of this repository>"
    lines = [
        "# Campaign Data Lab: your lessons",
        "",
        "The notebooks of the Campaign Data Lab course, ready for you to work in: read each lesson,",
        "write your answers in the cells that say `# YOUR CODE HERE`, run the checks under them,",
        "and hand the notebook in. The data is a synthetic county, Alder County, generated for",
        "you; what every file and column means is in [datasets/README.md](datasets/README.md).",
        "",
        "## Open a lesson",
        "",
    ]
    if repo:
        lines += [
            "**On Binder** (nothing to install): press a lesson's link below. Binder forgets",
            "everything when you close the tab: download your notebook first (File > Download).",
        ]
    else:
        lines += ["**On Binder** (nothing to install): use the link your instructor gives you."]
        lines += ["Binder forgets everything when you close the tab: download your notebook first."]
    lines += [
        "",
        "**On a laptop** with Python 3.11 and git:",
        "",
        "```bash",
        f"git clone {url} && cd {name}",
        "python3.11 -m venv .venv && . .venv/bin/activate",
        "pip install -e .          # the pinned packages (a few minutes, once)",
        "bash binder/postBuild     # the data and the notebook set-up (seconds)",
        "jupyter lab",
        "```",
        "",
        "## Lessons",
        "",
        "| module | lesson |",
        "|---|---|",
    ]
    for module in modules_in(out):
        for nb in layout.notebooks(module, out):
            path = f"{module}/{nb}"
            link = f" ([Binder]({binder_link(repo, branch, path)}))" if repo else ""
            lines.append(f"| {module} | [{nb}]({path}){link} |")
    lines += [
        "",
        "## Checks and grading",
        "",
        "The cells under each exercise check your answer as you go. Your hand-in is graded on",
        "another county of the same kind, which you never see: an answer computed from the data",
        "passes there, a number typed in from your screen does not. Keep the notebook's file name",
        "when you hand it in, and hand it in the way your instructor tells you (an upload or an",
        "email).",
        "",
    ]
    return "\n".join(lines)


def write(out: Path | str, *, repo: str | None = None, branch: str = "main",
          log=print) -> list[Path]:
    """Make ``out`` (which already holds the student versions) a complete student repository:
    README, Binder config, the package and the data dictionary.  Returns the files written."""
    import campaignlab

    out = Path(out)
    reason = unsafe_destination(out)
    if reason:
        raise layout.CourseError(reason)
    written = []
    for src, dest in COPIED.items():
        if (layout.REPO / src).is_file():
            (out / dest).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(layout.REPO / src, out / dest)
            written.append(out / dest)
        elif src == "pyproject.toml":
            raise layout.CourseError(
                f"{layout.REPO / src} is missing: a student repository is built from a checkout "
                "of the course (pip install -e .)")
    package = out / "src" / "campaignlab"
    if package.exists():
        shutil.rmtree(package)
    shutil.copytree(Path(campaignlab.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    written += sorted(p for p in package.rglob("*") if p.is_file())
    post = out / "binder" / "postBuild"
    post.write_text(POSTBUILD)
    post.chmod(0o755)
    (out / ".gitignore").write_text(GITIGNORE)
    (out / "README.md").write_text(readme(out, repo, branch))
    written += [post, out / ".gitignore", out / "README.md"]
    log(f"student repository: {out} (README.md, binder/, pyproject.toml, src/campaignlab, "
        "datasets/README.md)")
    return written
