"""Answers cross from the kernel to the checker as plain data only (``course.wire``), and the
checker runs a test on them (``course.checker``): no sandbox needed for these."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import pickle

import numpy as np
import pandas as pd
import pytest

from campaignlab.course import checker, wire


def roundtrip(value, tmp_path, name="x"):
    manifest = wire.export({name: value}, [name], tmp_path)
    return wire.load(tmp_path, json.loads((tmp_path / "manifest.json").read_text()), call=None)[name], manifest


@pytest.mark.parametrize("value", [
    0, -3, 2**70, 0.30635, True, None, "00301", ("a", 1), [1, [2, 3]], {3, 1}, frozenset({"x"}),
    {1: "one", ("a", 2): [3.5]}, dt.date(2026, 11, 3), dt.datetime(2026, 11, 3, 7, 30),
    dt.timedelta(days=2), np.int64(40000), np.float32(0.5), np.bool_(True),
    pd.Timestamp("2024-11-05"),
])
def test_plain_values_come_back_equal_and_of_the_same_type(value, tmp_path):
    got, _ = roundtrip(value, tmp_path)
    assert got == value and type(got) is type(value)


def test_floats_that_json_cannot_hold(tmp_path):
    for value in (math.nan, math.inf, -math.inf):
        got, _ = roundtrip(value, tmp_path)
        assert type(got) is float and (math.isnan(got) if math.isnan(value) else got == value)


def test_tables_keep_dtypes_index_and_names(tmp_path):
    df = pd.DataFrame({"ncid": ["AA1", None], "age": [30, 41], "flag": [True, False],
                       "party": pd.Categorical(["DEM", "UNA"]),
                       "reg": pd.to_datetime(["2020-01-02", None])},
                      index=pd.Index(["r1", "r2"], name="row"))
    got, _ = roundtrip(df, tmp_path)
    pd.testing.assert_frame_equal(got, df)
    s = pd.Series([0.3, 0.4], index=pd.Index(["18-29", "30-44"], name="age_group"), name="share")
    got, _ = roundtrip(s, tmp_path)
    pd.testing.assert_series_equal(got, s)
    got, _ = roundtrip(pd.Index([1, 2], name="k"), tmp_path)
    assert list(got) == [1, 2] and got.name == "k"
    got, _ = roundtrip(np.arange(6).reshape(2, 3), tmp_path)
    assert got.shape == (2, 3) and got.dtype == np.arange(1).dtype


def test_a_table_nested_in_a_list(tmp_path):
    got, _ = roundtrip([pd.DataFrame({"a": [1]}), 2], tmp_path)
    assert got[0]["a"].tolist() == [1] and got[1] == 2


class Liar:
    def __eq__(self, other):
        return True

    def __bool__(self):
        return True


class LyingInt(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class MyFrame(pd.DataFrame):
    def equals(self, other):
        return True


@pytest.mark.parametrize("value", [Liar(), LyingInt(3), MyFrame({"a": [1]}), [Liar()],
                                   {"k": Liar()}, np.array([Liar()], dtype=object)])
def test_objects_with_their_own_behaviour_do_not_cross(value, tmp_path):
    got, manifest = roundtrip(value, tmp_path)
    assert isinstance(got, wire.Unsendable), manifest
    for use in (lambda: got == 1, lambda: bool(got), lambda: len(got), lambda: float(got),
                lambda: got["a"], lambda: got.columns, lambda: got < 3):
        with pytest.raises(TypeError, match="grading cannot read"):
            use()


def test_a_pickle_is_never_loaded(tmp_path):
    hit = tmp_path / "unpickled"

    class Evil:
        def __reduce__(self):
            return (open, (str(hit), "w"))

    blob = pickle.dumps(Evil())
    for name in ("v0-0.npy", "v0-0.arrow"):
        (tmp_path / name).write_bytes(blob)
    manifest = {
        "a": {"value": {"t": "ndarray", "file": 0}, "files": [{"name": "v0-0.npy", "kind": "ndarray"}]},
        "b": {"value": {"t": "frame", "file": 0}, "files": [{"name": "v0-0.arrow", "kind": "frame"}]},
        "c": {"value": {"t": "np", "dtype": "|O", "v": 1}, "files": []},
        "d": {"value": {"t": "pickle", "v": blob.hex()}, "files": []},
        "e": {"value": {"t": "frame", "file": 0}, "files": [{"name": "../../etc/passwd", "kind": "frame"}]},
        "f": {"value": {"t": "module", "name": "antigravity"}, "files": []},
    }
    got = wire.load(tmp_path, manifest, call=None)
    assert all(isinstance(v, wire.Unsendable) for v in got.values()), got
    assert not hit.exists()


def test_functions_are_called_through_the_channel(tmp_path):
    got, _ = roundtrip(len, tmp_path)
    assert isinstance(got, wire.Proxy)
    with pytest.raises(TypeError):
        got([1])
    calls = []
    proxy = wire.Proxy("phone10", lambda name, args, kwargs: calls.append((name, args)) or "9195550123")
    assert proxy("555-0123") == "9195550123" and calls == [("phone10", ("555-0123",))]


def test_the_kernel_side_of_a_call(tmp_path):
    request, reply = tmp_path / "req", tmp_path / "rep"
    wire.write_args((pd.Series(["919-555-0100", "5550100"]),), {}, request)
    ns = {"digits": lambda s: s.str.replace(r"\D", "", regex=True)}
    wire.call(ns, "digits", request, reply)
    doc = wire.read_manifest(reply)
    assert doc["ok"]
    assert wire.decode_value(doc, reply).tolist() == ["9195550100", "5550100"]
    wire.call({"boom": lambda s: 1 / 0}, "boom", request, reply)
    doc = wire.read_manifest(reply)
    assert not doc["ok"] and doc["ename"] == "ZeroDivisionError"


def test_checker_runs_a_test_on_exported_values(tmp_path):
    wire.export({"n_active": 3, "voters": pd.DataFrame({"status_cd": ["A", "A", "A", "I"]})},
                ["n_active", "voters", "pd"], tmp_path)
    c = checker.Checker(io.StringIO(), io.StringIO(), tmp_path)
    ok = c.run_test('assert n_active == (voters["status_cd"] == "A").sum(), "wrong"\nprint("passed")',
                    tmp_path)
    assert ok["status"] == "ok" and ok["stdout"] == "passed\n", ok
    bad = c.run_test('assert n_active == 4, "n_active is off: count the active rows"', tmp_path)
    assert bad["status"] == "error" and bad["ename"] == "AssertionError"
    assert bad["evalue"] == "n_active is off: count the active rows"
    assert bad["traceback"] == ["AssertionError: n_active is off: count the active rows"]  # no code
    missing = c.run_test('assert "n_young" in globals(), "no n_young"', tmp_path)
    assert missing["status"] == "error" and missing["evalue"] == "no n_young"


def test_names_a_test_mentions():
    src = "from campaignlab import data as _d\nassert len(walk_list) == sum(x for x in counts)"
    assert checker.names_in(src) == ["_d", "len", "walk_list", "sum", "x", "counts"]
    assert checker.names_in("def (") == []  # not Python: nothing to ask for


def test_months_and_intervals_survive_a_fresh_checker_process(tmp_path):
    """The checker is its own process: Period and Interval values must not come back as numbers."""
    import subprocess
    import sys

    months = pd.period_range("2026-07", "2026-10", freq="M")
    bins = pd.IntervalIndex.from_breaks([0, 5, 10])
    wire.export({"s": pd.Series([1, 2, 3, 4], index=months), "b": pd.Series([1, 2], index=bins)},
                ["s", "b"], tmp_path)
    code = (
        "import json, sys; from pathlib import Path; from campaignlab.course import wire; "
        "d = Path(sys.argv[1]); got = wire.load(d, json.loads((d / 'manifest.json').read_text()), call=None); "
        "print([str(m) for m in got['s'].index], [str(i) for i in got['b'].index])"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['2026-07', '2026-08', '2026-09', '2026-10'] ['(0, 5]', '(5, 10]']"
