"""Past one machine: two grading shards (each a copy of the course graded with --student for
its share) merge into one gradebook with the scores one machine would have given, and shards
that do not fit together are refused before anything is written."""

from __future__ import annotations

import json
import shutil

import pytest
from harness import scores_from_gradebook

from campaignlab.course import feedback, release
from campaignlab.course.autograde import Grader
from campaignlab.course.merge import ShardError, merge_shards
from campaignlab.course.sandbox import Limits

from .conftest import LESSON, MODULE

pytestmark = [pytest.mark.slow, pytest.mark.needs("bwrap", "setpriv")]
SHARDS = {"shard-1": ["reference", "blank"], "shard-2": ["edit-tests", "delete-answer", "no-handin"]}


def _ungraded_copy(src, dest):
    """The course as it was before grading: released, hand-ins collected, never autograded."""
    release.build(dest, [MODULE])
    shutil.copytree(src / "submitted", dest / "submitted")
    (dest / "campaignlab").mkdir(exist_ok=True)
    shutil.copy(src / "campaignlab" / "roster.csv", dest / "campaignlab" / "roster.csv")
    return dest


@pytest.fixture(scope="module")
def shards(cohort, grading_county, tmp_path_factory):
    base = tmp_path_factory.mktemp("shards")
    # generous limits: this test is about the merge, not about timeouts on a busy machine
    limits = Limits(memory_mb=1000, cell_timeout=60, notebook_timeout=300, interrupt_grace=3)
    roots, graded = {}, {}
    for name, students in SHARDS.items():
        roots[name] = _ungraded_copy(cohort.root, base / name)
        for r in Grader(roots[name], MODULE, limits=limits, data_dir=grading_county,
                        log=lambda *_: None).run(students):
            graded[r.student] = r.score
    return base, roots, graded


def test_merged_gradebook_has_each_shards_scores(cohort, shards):
    base, roots, graded = shards
    main = _ungraded_copy(cohort.root, base / "main")
    merged = merge_shards(main, MODULE, list(roots.values()), log=lambda *_: None)
    assert {r.student for r in merged} == {s for group in SHARDS.values() for s in group}
    got = scores_from_gradebook(main, MODULE)
    for student in sum(SHARDS.values(), []):
        assert got[student][LESSON].code_score == graded[student], student
    assert got["reference"][LESSON].code_score == got["reference"][LESSON].max_code_score > 0
    assert got["blank"][LESSON].code_score == 0
    assert got["no-handin"][LESSON].code_score == 0
    rows = json.loads((main / "campaignlab" / MODULE / "results.json").read_text())
    assert {(r["student"], r["notebook"]) for r in rows["results"]} == {(r.student, r.notebook) for r in merged}
    assert (main / "autograded" / "reference" / MODULE / LESSON).is_file()
    pages = feedback.generate(main, MODULE, log=lambda *_: None)  # the next step works on the merge
    assert pages


def test_a_student_in_two_shards_is_refused(cohort, shards, tmp_path):
    _, roots, _ = shards
    main = _ungraded_copy(cohort.root, tmp_path / "main")
    with pytest.raises(ShardError, match="graded in two shards"):
        merge_shards(main, MODULE, [roots["shard-1"], roots["shard-1"]], log=lambda *_: None)
    assert not scores_from_gradebook(main, MODULE)  # nothing written


def test_a_shard_on_another_county_is_refused(cohort, shards, tmp_path):
    _, roots, _ = shards
    other = shutil.copytree(roots["shard-2"], tmp_path / "other")
    path = other / "campaignlab" / MODULE / "results.json"
    doc = json.loads(path.read_text())
    doc["county"] = {"seed": doc["county"]["seed"] + 1, "voters": doc["county"]["voters"]}
    path.write_text(json.dumps(doc))
    main = _ungraded_copy(cohort.root, tmp_path / "main")
    with pytest.raises(ShardError, match="graded on the county"):
        merge_shards(main, MODULE, [roots["shard-1"], other], log=lambda *_: None)
    with pytest.raises(ShardError, match="no results"):
        merge_shards(main, MODULE, [tmp_path / "nowhere"], log=lambda *_: None)
    assert not scores_from_gradebook(main, MODULE)  # nothing written
