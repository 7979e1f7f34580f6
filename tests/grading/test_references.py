"""Reference values computed once per batch (``course.references``) and the names a test owns
(``checker.owned_by_test``): the same verdicts, sooner, and no reference a hand-in can forge."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from campaignlab.course import checker, references, wire

VOTERS = "ncid\tstatus_cd\tbirth_year\nAA1\tA\t1990\nAA2\tI\t2001\nAA3\tR\t1950\n"

# a lesson's test cells, in the form the lessons use: imports, then a block per reference
CELLS = [
    'import pandas as pd\n'
    'from campaignlab import data as _data\n'
    'assert "n_active" in globals(), "no n_active"\n'
    'if "_t1_ref" not in globals():\n'
    '    _v = pd.read_csv(_data.path("voters"), sep="\\t", dtype=str).set_index("ncid")\n'
    '    _t1_ref = {"voters": _v, "active": int((_v["status_cd"] == "A").sum()), "ages": [36, 25]}\n'
    'assert n_active == _t1_ref["active"], "n_active is off"\n',
    # needs a value of the notebook: left to the checker
    'if "_t2_ref" not in globals():\n'
    '    _t2_ref = len(voters)\n'
    'assert n_active <= _t2_ref\n',
]


@pytest.fixture
def county(tmp_path):
    folder = tmp_path / "county"
    folder.mkdir()
    (folder / "ncvoter_alder.txt").write_text(VOTERS)
    return folder


def test_blocks_are_found_with_the_imports_before_them():
    found = references.blocks(CELLS[0])
    assert [name for name, _ in found] == ["_t1_ref"]
    code = found[0][1]
    assert code.startswith("import pandas as pd\nfrom campaignlab import data as _data\nif ")
    assert "n_active" not in code  # the asserts stay with the test
    assert references.blocks("if x not in globals():\n    y = 1") == []  # not a test-owned name
    assert references.blocks("def (") == []


def test_built_once_on_the_county_and_unpacked_as_the_checker_would_compute_them(county, tmp_path,
                                                                                 monkeypatch):
    out = references.build({"lesson.ipynb": CELLS}, county, tmp_path / "refs")
    packed = references.pack(out / "lesson.ipynb")
    assert packed is not None and set(packed["manifest"]) == {"_t1_ref"}  # _t2_ref needs `voters`
    got = references.unpack(json.loads(json.dumps(packed)))  # as it travels in the job
    monkeypatch.setenv("CAMPAIGNLAB_DATA", str(county))
    ns, made = references.run_blocks(CELLS)
    assert made == ["_t1_ref"]
    want = ns["_t1_ref"]
    pd.testing.assert_frame_equal(got["_t1_ref"]["voters"], want["voters"])
    assert got["_t1_ref"]["active"] == want["active"] == 1
    assert got["_t1_ref"]["ages"] == [36, 25]


def test_nothing_to_precompute_and_nothing_readable_give_nothing(tmp_path):
    assert references.pack(tmp_path) is None
    assert references.unpack({"manifest": {}, "files": {"../x": "AA=="}}) == {}
    assert references.unpack({"nonsense": 1}) == {}


def _checker_with(tmp_path, notebook: dict) -> tuple[checker.Checker, object]:
    export = tmp_path / "export"
    wire.export(notebook, list(notebook), export)
    return checker.Checker(io.StringIO(), io.StringIO(), tmp_path), export


def test_a_reference_forged_in_the_notebook_is_never_used(tmp_path, county, monkeypatch):
    monkeypatch.setenv("CAMPAIGNLAB_DATA", str(county))
    # wrong answer, and a forged reference that agrees with it
    c, export = _checker_with(tmp_path, {"n_active": 3, "_t1_ref": {"active": 3}})
    res = c.run_test(CELLS[0], export)
    assert res["status"] == "error" and res["evalue"] == "n_active is off", res
    # the test's own reference stays for the next test cells (built once per notebook)
    assert c.ns["_t1_ref"]["active"] == 1


def test_precomputed_references_are_used_and_give_the_same_verdicts(tmp_path, county, monkeypatch):
    out = references.build({"lesson.ipynb": CELLS}, county, tmp_path / "refs")
    values = references.unpack(references.pack(out / "lesson.ipynb"))
    monkeypatch.setenv("CAMPAIGNLAB_DATA", str(tmp_path / "no-county-here"))  # not read again
    for answer, status in ((1, "ok"), (2, "error")):
        c, export = _checker_with(tmp_path, {"n_active": answer})
        c.ns.update(values)
        assert c.run_test(CELLS[0], export)["status"] == status


def test_the_notebook_is_never_asked_for_the_tests_own_names():
    asked = checker.asked_of_notebook(CELLS[0])
    assert "n_active" in asked and not [n for n in asked if n.startswith("_")], asked
    assert all(not checker.owned_by_test(n) for n in checker.asked_of_notebook(CELLS[1]))
