"""The environment gates: one set of pins, Binder and conda agree with it, repo2docker finds binder/."""

from __future__ import annotations

import importlib.metadata as md
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)$")


def _pins(specs: list[str]) -> dict[str, str]:
    pins = {}
    for spec in specs:
        m = PIN.match(spec.strip())
        assert m, f"{spec!r} is not an exact pin (name==version): pin the whole stack"
        pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _runtime_pins() -> dict[str, str]:
    return _pins(_pyproject()["project"]["dependencies"])


def _env_pip_pins(path: Path) -> dict[str, str]:
    env = yaml.safe_load(path.read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in conda, f"{path.name} must ask conda for python=3.11 (CI's version)"
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return _pins(pip)


def test_binder_environment_is_the_root_one():
    root, binder = ROOT / "environment.yml", ROOT / "binder" / "environment.yml"
    assert binder.read_bytes() == root.read_bytes(), (
        "binder/environment.yml differs from environment.yml: copy the root file over it"
    )


def test_environment_yml_lists_exactly_the_pyproject_pins():
    assert _env_pip_pins(ROOT / "environment.yml") == _runtime_pins()


def test_every_dependency_is_pinned_exactly():
    extras = _pyproject()["project"]["optional-dependencies"]
    for group in extras.values():
        _pins(group)  # asserts inside
    assert _pyproject()["project"]["requires-python"].startswith(">=3.11,<3.12")


def test_installed_versions_are_the_pinned_ones():
    wanted = _runtime_pins() | _pins(_pyproject()["project"]["optional-dependencies"]["dev"])
    wrong = {
        name: (version, md.version(name))
        for name, version in wanted.items()
        if md.version(name) != version
    }
    assert not wrong, f"installed versions differ from the pins (wanted, installed): {wrong}"


def test_postbuild_is_executable_and_installs_the_package():
    post = ROOT / "binder" / "postBuild"
    assert post.stat().st_mode & 0o111, "binder/postBuild must be executable"
    text = post.read_text()
    for step in ("pip install", "campaignlab generate", "campaignlab release"):
        assert step in text, f"binder/postBuild no longer runs `{step}`"


def test_repo2docker_detects_binder_folder():
    exe = Path(sys.executable).with_name("jupyter-repo2docker")
    if not exe.exists():
        exe = shutil.which("jupyter-repo2docker")
    assert exe, "jupyter-repo2docker is part of the dev extra and must be installed"
    done = subprocess.run(
        [str(exe), "--no-build", "--debug", str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    dockerfile = done.stdout
    assert '--file "binder/environment.yml"' in dockerfile, "repo2docker did not pick binder/environment.yml"
    assert "./binder/postBuild" in dockerfile, "repo2docker will not run binder/postBuild"
    assert "python=3.11" in (ROOT / "binder" / "environment.yml").read_text()


@pytest.mark.parametrize("name", ["README.md", "environment.yml", "pyproject.toml", ".ci/run"])
def test_top_level_files_exist(name):
    assert (ROOT / name).is_file()


def _checkout_copy(dest: Path) -> Path:
    """The repository's files as a Binder clone has them, plus what only a local checkout has
    (``.git`` of a clone, build output with a gradebook, a venv, a trainee's work, data)."""
    skip_top = {".git", ".venv", "build", "my-work", ".ruff_cache", ".pytest_cache", ".notes"}
    skip_any = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints", "exports")

    def ignore(folder, names):
        here = Path(folder).resolve()
        out = set(skip_any(folder, names))
        if here == ROOT:
            out |= skip_top & set(names)
        if here == ROOT / "datasets":
            out |= set(names) - {"README.md", "MANIFEST.sha256"}
        return out

    shutil.copytree(ROOT, dest, ignore=ignore)
    for planted in [".git/HEAD", "build/course/gradebook.db", ".venv/bin/python", "my-work/x.ipynb",
                    "datasets/ncvoter_alder.txt", "src/campaignlab/__pycache__/data.pyc",
                    "curriculum/00-start-here/exports/universe.csv",
                    "tests/submissions/00-start-here/typed-numbers.yml"]:
        (dest / planted).parent.mkdir(parents=True, exist_ok=True)
        (dest / planted).write_text("planted\n")
    return dest


def test_binder_image_leaves_out_history_tests_and_build_output(tmp_path):
    """binder/.dockerignore, as the pinned repo2docker applies it (``image_context``): the image
    of this repository gets no .git, tests or local build output.  It still gets curriculum/
    (postBuild builds the student versions from it, then deletes it): the sources are never
    secret here, the repository is public (grader/README.md, "An open repository")."""
    from image_context import image_files

    files = image_files(_checkout_copy(tmp_path / "repo"))
    for needed in ("binder/environment.yml", "binder/postBuild", "pyproject.toml",
                   "src/campaignlab/data.py", "grader/nbgrader_config.py", "datasets/README.md",
                   "curriculum/00-start-here/00-start-here.ipynb"):
        assert needed in files, f"the Binder image would lack {needed}, which postBuild needs"
    kept_out = (".git/", "tests/", "build/", ".venv/", "my-work/", "datasets/ncvoter", "__pycache__",
                "exports/")
    leaked = sorted(f for f in files if any(f.startswith(k) or f"/{k}" in f for k in kept_out))
    assert not leaked, f"binder/.dockerignore lets these into the image: {leaked}"


def test_a_top_level_dockerignore_is_not_read(tmp_path):
    """With a binder/ folder, repo2docker reads binder/.dockerignore only: one at the top of
    the repository would silently do nothing (so there is none)."""
    from image_context import image_files

    repo = tmp_path / "repo"
    (repo / "binder").mkdir(parents=True)
    (repo / "binder" / "environment.yml").write_text((ROOT / "binder" / "environment.yml").read_text())
    (repo / "secret.txt").write_text("x\n")
    (repo / ".dockerignore").write_text("secret.txt\n")
    assert "secret.txt" in image_files(repo)
    (repo / "binder" / ".dockerignore").write_text("secret.txt\n")
    assert "secret.txt" not in image_files(repo)
    assert not (ROOT / ".dockerignore").exists(), "move .dockerignore into binder/: it is ignored"
