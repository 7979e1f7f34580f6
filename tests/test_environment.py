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
