"""The student repository ``campaignlab grade release --out`` writes, for a cohort whose hidden
tests must stay hidden (grader/README.md, "An open repository"):

- complete: trainee README, Binder config, the package, the data dictionary, every lesson;
- launchable: repo2docker builds it from binder/, its image gets exactly these files, the
  package builds and finds its data there, every ``campaignlab`` import of a lesson resolves;
- giving nothing away: every file written (hidden ones, archives opened) is read by
  ``leaks.check_handout``, and that check is shown to catch leaks planted in every kind of file.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from campaignlab.course import county, layout, leaks

REPO = "alder/cdl-students"
#: A grading seed kept by the instructor's course root (as ``county.ensure`` keeps one).
SEED = 918_273_645
TOP = {"README.md", ".gitignore", "binder", "pyproject.toml", "src", "datasets"}


def _grade(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "campaignlab", "grade", *args],
                          capture_output=True, text=True, timeout=timeout)


class Released:
    def __init__(self, base: Path):
        self.base, self.root = base, base / "course"
        self.out, self.zip = base / "cdl-students", base / "students.zip"
        state = self.root / "campaignlab"
        state.mkdir(parents=True)
        (state / county.SEED_FILE).write_text(json.dumps({"seed": SEED, "voters": 50_900}) + "\n")
        self.run = _grade("release", "--root", str(self.root), "--out", str(self.out),
                          "--zip", str(self.zip), "--repo", REPO)
        # read back at once: the package copy is compared with the package as it is now
        self.problems = {t: leaks.check_handout(t, root=self.root) for t in (self.out, self.zip)}

    def files(self) -> set[str]:
        return {p.relative_to(self.out).as_posix() for p in self.out.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Released:
    """``grade release --out --zip`` of every module, once, from a course root that keeps a
    grading seed (and has the gradebook the release wrote)."""
    return Released(tmp_path_factory.mktemp("release"))


@pytest.mark.slow
def test_release_out_passes_its_own_check(released):
    assert released.run.returncode == 0, released.run.stdout[-3000:] + released.run.stderr[-3000:]
    assert (released.root / "gradebook.db").is_file()


@pytest.mark.slow
def test_release_out_writes_a_complete_student_repository(released, curriculum_dir, repo_root):
    out = released.out
    modules = layout.modules(curriculum_dir)
    assert {p.name for p in out.iterdir()} == TOP | set(modules)
    for module in modules:
        assert layout.notebooks(module, out) == layout.notebooks(module, curriculum_dir)
    assert (out / "binder" / "environment.yml").read_bytes() == (
        repo_root / "binder" / "environment.yml").read_bytes()
    post = out / "binder" / "postBuild"
    assert post.stat().st_mode & 0o111, "binder/postBuild must be executable"
    for step in ("pip install", "campaignlab generate", "disable_student_extensions"):
        assert step in post.read_text(), f"the student postBuild no longer runs {step}"
    readme = (out / "README.md").read_text()
    for module in modules:
        for nb in layout.notebooks(module, out):
            assert f"https://mybinder.org/v2/gh/{REPO}/main?urlpath=lab/tree/{module}/{nb}" in readme
    assert (out / "src" / "campaignlab" / "data.py").is_file()
    assert not list(out.rglob("__pycache__"))
    with zipfile.ZipFile(released.zip) as z:
        assert {n.split("/")[0] for n in z.namelist()} == set(modules)


@pytest.mark.slow
def test_nothing_written_gives_a_lesson_away(released):
    for target, problems in released.problems.items():
        assert not problems, f"{target} gives lessons away:\n  " + "\n  ".join(problems)


def _lesson(curriculum_dir):
    import nbformat

    module = layout.modules(curriculum_dir)[0]
    name = layout.notebooks(module, curriculum_dir)[0]
    return curriculum_dir / module / name, nbformat.read(curriculum_dir / module / name, 4)


def _secret(curriculum_dir, kind: str) -> str:
    return next(line for k, _, line in leaks.lesson_secrets(curriculum_dir) if k == kind)


def _plant_source(out, cur, root):
    path, _ = _lesson(cur)
    shutil.copy(path, out / "src" / path.name)
    return f"src/{path.name}", "marker 'BEGIN SOLUTION'"


def _plant_zip(out, cur, root):
    path, _ = _lesson(cur)
    with zipfile.ZipFile(out / "binder" / "extras.zip", "w") as z:
        z.write(path, f"inner/{path.name}")
    return f"binder/extras.zip!inner/{path.name}", "solution line of"


def _plant_hidden_dotfile(out, cur, root):
    (out / ".hints").write_text(_secret(cur, "hidden") + "\n")
    return ".hints", "hidden line of"


def _plant_solution_in_package(out, cur, root):
    with (out / "src" / "campaignlab" / "data.py").open("a") as f:
        f.write("\n" + _secret(cur, "solution") + "\n")
    return "src/campaignlab/data.py", "solution line of"


def _plant_answer_json(out, cur, root):
    answer = _secret(cur, "answer")
    (out / "datasets" / "answers.json").write_text(json.dumps({"walk": answer}))
    return "datasets/answers.json", "answer line of"


def _plant_gradebook(out, cur, root):
    shutil.copy(root / "gradebook.db", out / "gradebook.db")
    return "gradebook.db", "must never be handed out"


def _plant_renamed_gradebook(out, cur, root):
    shutil.copy(root / "gradebook.db", out / "binder" / "cache.sqlite")
    return "binder/cache.sqlite", "hidden line of"


def _plant_seed_file(out, cur, root):
    shutil.copy(root / "campaignlab" / county.SEED_FILE, out / county.SEED_FILE)
    return county.SEED_FILE, "must never be handed out"


def _plant_seed_renamed(out, cur, root):
    shutil.copy(root / "campaignlab" / county.SEED_FILE, out / "binder" / "settings.json")
    return "binder/settings.json", "the grading seed"


def _plant_marker_in_readme(out, cur, root):
    with (out / "README.md").open("a") as f:
        f.write("\n### BEGIN HIDDEN TESTS\n")
    return "README.md", "marker 'BEGIN HIDDEN TESTS'"


def _plant_hidden_test_in_student_version(out, cur, root):
    import nbformat

    module = layout.modules(cur)[0]
    nb_path = out / module / layout.notebooks(module, cur)[0]
    nb = nbformat.read(nb_path, 4)
    nb.cells.append(nbformat.v4.new_code_cell(_secret(cur, "hidden")))
    nbformat.write(nb, nb_path)
    return nb_path.relative_to(out).as_posix(), "hidden line of"


PLANTS = [_plant_source, _plant_zip, _plant_hidden_dotfile, _plant_solution_in_package,
          _plant_answer_json, _plant_gradebook, _plant_renamed_gradebook, _plant_seed_file,
          _plant_seed_renamed, _plant_marker_in_readme, _plant_hidden_test_in_student_version]


@pytest.mark.slow
@pytest.mark.parametrize("plant", PLANTS, ids=[p.__name__.removeprefix("_plant_") for p in PLANTS])
def test_the_check_catches_a_planted_leak(released, curriculum_dir, tmp_path, plant):
    out = tmp_path / "cdl-students"
    shutil.copytree(released.out, out)
    where, what = plant(out, curriculum_dir, released.root)
    problems = leaks.check_handout(out, curriculum_dir, root=released.root)
    assert any(p.startswith(f"{where}:") and what in p for p in problems), (
        f"planted {what!r} in {where}, the check reported:\n  " + "\n  ".join(problems))


@pytest.mark.slow
def test_binder_builds_the_student_repository_and_nothing_else(released):
    """repo2docker picks the student binder/; the image's copy is exactly the files written
    (all of them read by the check above)."""
    from image_context import image_files

    exe = Path(sys.executable).with_name("jupyter-repo2docker")
    done = subprocess.run([str(exe), "--no-build", "--debug", str(released.out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert '--file "binder/environment.yml"' in done.stdout
    assert "./binder/postBuild" in done.stdout
    assert image_files(released.out) == released.files()


@pytest.mark.slow
def test_the_student_package_builds_and_finds_its_data(released, tmp_path):
    """The copy of the package is a package (pip builds it, tables included), and run from the
    student repository it finds its data in datasets/, generates a county and has every
    ``campaignlab`` module a lesson imports."""
    repo = tmp_path / "cdl-students"
    shutil.copytree(released.out, repo)
    wheels = tmp_path / "wheels"
    pip = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                          "-q", "-w", str(wheels), str(repo)],
                         capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, pip.stdout[-2000:] + pip.stderr[-2000:]
    (wheel,) = wheels.glob("campaignlab-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "campaignlab/data.py" in names
    assert any(n.startswith("campaignlab/synth/tables/") for n in names)
    imports = sorted({m for nb in repo.glob("*/*.ipynb")
                      for m in re.findall(r"(?:from|import) (campaignlab(?:\.\w+)*)", nb.read_text())})
    assert imports, "no lesson imports campaignlab: the pattern above is stale"
    code = (
        "import importlib, sys, tempfile\n"
        "from pathlib import Path\n"
        "import campaignlab\n"
        "from campaignlab import data\n"
        "from campaignlab.synth import generate\n"
        "from campaignlab.course import trainee\n"
        f"for m in {imports!r}: importlib.import_module(m)\n"
        "print(Path(campaignlab.__file__).resolve())\n"
        "print(data.data_dir())\n"
        "print(len(generate(tempfile.mkdtemp(), seed=3, voters=2000)))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, timeout=300, env={"PYTHONPATH": str(repo / "src"),
                                                      "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr[-3000:]
    package, data_dir, n_files = run.stdout.split()
    assert package == str((repo / "src" / "campaignlab" / "__init__.py").resolve())
    assert data_dir == str((repo / "datasets").resolve())
    assert int(n_files) > 0


def test_release_refuses_to_write_into_the_course_checkout(repo_root):
    before = sorted(p.name for p in repo_root.iterdir())
    done = _grade("release", "--out", str(repo_root), timeout=120)
    assert done.returncode == 1 and "refusing --out" in done.stderr
    assert sorted(p.name for p in repo_root.iterdir()) == before
