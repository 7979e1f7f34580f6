"""Fast checks of the course machinery itself: the nbgrader config and the leak detectors.

The gates in test_curriculum_grading.py trust these pieces; here each one is shown to catch what
it must catch, without running nbgrader.
"""

from __future__ import annotations

import nbformat
import pytest
from harness import build_submission
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from campaignlab.course import cells, layout, leaks, trainee


def _load_config(monkeypatch, tmp_path, **env):
    from traitlets.config.loader import PyFileConfigLoader

    for key, value in env.items():
        monkeypatch.setenv(key, str(value))
    loader = PyFileConfigLoader("nbgrader_config.py", path=str(layout.CONFIG.parent))
    return loader.load_config()


def test_config_paths_follow_the_checkout_and_the_env(monkeypatch, tmp_path):
    monkeypatch.delenv("CAMPAIGNLAB_COURSE_ROOT", raising=False)
    monkeypatch.delenv("CAMPAIGNLAB_CURRICULUM", raising=False)
    c = _load_config(monkeypatch, tmp_path)
    assert c.CourseDirectory.root == str(layout.REPO / "build" / "course")
    assert c.CourseDirectory.source_directory == str(layout.REPO / "curriculum")
    assert (
        c.CourseDirectory.db_url == f"sqlite:///{layout.REPO / 'build' / 'course' / 'gradebook.db'}"
    )
    assert c.CourseDirectory.course_id
    c = _load_config(
        monkeypatch,
        tmp_path,
        CAMPAIGNLAB_COURSE_ROOT=tmp_path / "c",
        CAMPAIGNLAB_CURRICULUM=tmp_path,
    )
    assert c.CourseDirectory.root == str(tmp_path / "c")
    assert c.CourseDirectory.source_directory == str(tmp_path)
    assert c.CourseDirectory.db_url == f"sqlite:///{tmp_path / 'c' / 'gradebook.db'}"


def test_config_keeps_solutions_and_hidden_tests_out(monkeypatch, tmp_path):
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import ClearHiddenTests, GetGrades

    c = _load_config(monkeypatch, tmp_path)
    ignore = c.CourseDirectory.ignore
    assert set(CourseDirectory().ignore) <= set(ignore), "nbgrader's defaults dropped"
    assert set(layout.NEVER_RELEASED) <= set(ignore)
    pre = c.GenerateFeedback.preprocessors
    assert pre[:2] == [GetGrades, ClearHiddenTests]
    assert pre[2].__name__ == "CSSHTMLHeaderPreprocessor"
    assert c.Execute.extra_arguments == [
        "--HistoryManager.hist_file=:memory:",
        "--InteractiveShell.xmode=Minimal",
    ]
    assert 0 < c.Execute.timeout <= 300


def _cell(src, **nbgrader):
    cell = new_code_cell(src)
    if nbgrader:
        cell.metadata["nbgrader"] = {"schema_version": 3, **nbgrader}
    return cell


SOURCE = new_notebook(
    cells=[
        new_markdown_cell("Read it as text: `voters = pd.read_csv(path, dtype=str)`."),
        _cell(
            "### BEGIN SOLUTION\nvoters = pd.read_csv(path, dtype=str)\nn_active = "
            '(voters["status_cd"] == "A").sum()\n### END SOLUTION',
            solution=True,
            grade=False,
            grade_id="count-active",
        ),
        _cell(
            'assert n_active > 0, "count the active voters"\n### BEGIN HIDDEN TESTS\n'
            "assert n_active == 41_234, (\n"
            '    "n_active is not the number of active voters"\n'
            ")\n### END HIDDEN TESTS",
            grade=True,
            solution=False,
            locked=True,
            points=1,
            grade_id="count-active-tests",
        ),
    ]
)


def test_secret_lines_skip_public_and_message_lines():
    secrets = cells.secret_lines(SOURCE)
    # the read_csv line is shown in the narrative: not a secret
    assert secrets["solution"] == [
        ("cell 1 (count-active)", 'n_active = (voters["status_cd"] == "A").sum()')
    ]
    # the assertion message line is for trainees (it shows in feedback by design)
    assert secrets["hidden"] == [("cell 2 (count-active-tests)", "assert n_active == 41_234, (")]


def test_notebook_leaks_catch_a_solution_left_in_the_release():
    release = nbformat.from_dict(SOURCE)
    release.cells[1].source = '# YOUR CODE HERE\nn_active = (voters["status_cd"] == "A").sum()'
    release.cells[2].source = 'assert n_active > 0, "count the active voters"'
    assert leaks.notebook_leaks(SOURCE, release) == [
        'cell 1: solution line of cell 1 (count-active): n_active = (voters["status_cd"] == "A").sum()'
    ]
    release.cells[1].source = "# YOUR CODE HERE\nraise NotImplementedError()"
    release.cells[1].outputs = [{"output_type": "stream", "name": "stdout", "text": "END SOLUTION"}]
    assert leaks.notebook_leaks(SOURCE, release) == ["cell 1: marker 'END SOLUTION'"]


def test_feedback_leaks_see_through_syntax_highlighting():
    # how nbconvert renders a test cell: tokens in spans, quotes escaped
    page = (
        '<div class="jp-InputArea"><pre><span class="k">assert</span> <span class="n">n_active'
        '</span> <span class="o">==</span> <span class="mi">41_234</span>, (\n</pre></div>'
    )
    assert leaks.feedback_leaks(SOURCE, page) == [
        "hidden line of cell 2 (count-active-tests): assert n_active == 41_234, ("
    ]
    message = "<pre>AssertionError: n_active is not the number of active voters</pre>"
    assert leaks.feedback_leaks(SOURCE, message) == []
    assert leaks.feedback_leaks(SOURCE, "<p>### BEGIN HIDDEN TESTS</p>") == [
        "marker 'BEGIN HIDDEN TESTS'"
    ]


def test_check_release_flags_files_that_must_not_ship(tmp_path):
    cur, root = tmp_path / "cur", tmp_path / "course"
    (cur / "09-demo").mkdir(parents=True)
    nbformat.write(SOURCE, cur / "09-demo" / "09-demo.ipynb")
    rel = root / "release" / "09-demo"
    rel.mkdir(parents=True)
    student = nbformat.from_dict(SOURCE)
    student.cells[1].source = "# YOUR CODE HERE\nraise NotImplementedError()"
    student.cells[2].source = 'assert n_active > 0, "count the active voters"'
    nbformat.write(student, rel / "09-demo.ipynb")
    assert leaks.check_release("09-demo", root, cur) == []
    (rel / "09-demo.py").write_text("n_active = 41_234\n")
    (rel / "notes.md").write_text("### BEGIN HIDDEN TESTS\n")
    (rel / "exports").mkdir()
    (rel / "exports" / "universe.csv").write_text("ncid\nAA1\n")
    assert leaks.check_release("09-demo", root, cur) == [
        "09-demo/09-demo.py: must not be in the release",
        "09-demo/exports/universe.csv: must not be in the release",
        "09-demo/notes.md: marker 'BEGIN HIDDEN TESTS'",
    ]


def test_build_submission_rejects_cases_for_unknown_cells():
    with pytest.raises(KeyError, match="unknown answer cells"):
        build_submission(SOURCE, SOURCE, {"count-actives": "n_active = 1"})


def test_student_extensions_config_is_read_from_sys_prefix(tmp_path):
    import json

    assert not trainee.student_extensions_configured(tmp_path)
    etc = tmp_path / "etc" / "jupyter"
    (etc / "labconfig").mkdir(parents=True)
    plugins = dict.fromkeys(trainee.STUDENT_DISABLED_LAB_PLUGINS, True)
    (etc / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": plugins, "lockedExtensions": plugins})
    )
    assert not trainee.student_extensions_configured(tmp_path)  # server side still on
    (etc / "jupyter_server_config.d").mkdir()
    for ext in trainee.STUDENT_DISABLED_SERVER_EXTENSIONS:
        (etc / "jupyter_server_config.d" / f"{ext}.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": {ext: False}}})
        )
    assert trainee.student_extensions_configured(tmp_path)
