"""Which known-wrong cases may share a hand-in (tests/packing.py), on a small lesson.

The lesson: ``a`` and ``b`` are separate exercises, ``total = a + b`` a third that uses both,
and ``names`` a fourth that mutates a list. A pack must never hold two cases when one of them can
change a cell that the other's points rest on.
"""

from __future__ import annotations

import packing
from harness import Case

CELLS = [
    "import pandas as pd",                                  # 0
    "a = 1",                                                # 1  answer a
    "assert a == 1",                                        # 2  a-tests (2 points)
    "b = 2",                                                # 3  answer b
    "assert b == 2",                                        # 4  b-tests (2 points)
    "total = a + b",                                        # 5  answer total
    "assert total == 3",                                    # 6  total-tests (2 points)
    "names = ['x']",                                        # 7  answer names
    "assert names == ['x']",                                # 8  names-tests (2 points)
]
IDS = [None, "a", "a-tests", "b", "b-tests", "total", "total-tests", "names", "names-tests"]
POINTS = {"a-tests": 2.0, "b-tests": 2.0, "total-tests": 2.0, "names-tests": 2.0}


def case(name, answers, total, tests, base="solution"):
    return Case(name, "l.ipynb", name, base, answers, total, tests)


def names(groups):
    return sorted(sorted(c.name for c in g) for g in groups)


def test_cases_on_separate_exercises_share_a_hand_in():
    wrong_b = case("wrong-b", {"b": "b = 5"}, 6.0, {"b-tests": 0})
    wrong_names = case("wrong-names", {"names": "names = []"}, 6.0, {"names-tests": 0})
    assert names(packing.plan([wrong_b, wrong_names], CELLS, IDS, POINTS)) == [
        ["wrong-b", "wrong-names"]]
    pack = packing.combined([wrong_b, wrong_names], "pack", POINTS)
    assert (pack.total, pack.tests) == (4.0, {"b-tests": 0, "names-tests": 0})


def test_a_case_that_reaches_what_another_rests_on_is_kept_apart():
    # a wrong a also changes total: a case that loses total-tests cannot join it
    wrong_a = case("wrong-a", {"a": "a = 5"}, 4.0, {"a-tests": 0, "total-tests": 0})
    wrong_total = case("wrong-total", {"total": "total = a * b"}, 6.0, {"total-tests": 0})
    assert names(packing.plan([wrong_a, wrong_total], CELLS, IDS, POINTS)) == [
        ["wrong-a"], ["wrong-total"]]
    # nor can a case whose answer cell a wrong a reaches (the cell would run on other inputs)
    assert packing.influence(CELLS, {1: "a = 5"}) == {1, 2, 5, 6}


def test_mutation_through_a_method_is_followed():
    cells = CELLS + ["names.append('y')", "assert len(names) == 2"]
    assert packing.influence(cells, {7: "names = []"}) == {7, 8, 9, 10}
    assert packing.influence(cells, {9: "names.append('z')"}) == {9, 10}


def test_cases_of_one_answer_cell_never_share_a_hand_in():
    one = case("b-five", {"b": "b = 5"}, 6.0, {"b-tests": 0})
    two = case("b-six", {"b": "b = 6"}, 6.0, {"b-tests": 0})
    assert names(packing.plan([one, two], CELLS, IDS, POINTS)) == [["b-five"], ["b-six"]]


def test_what_the_reading_cannot_follow_is_graded_alone():
    wrong_names = case("wrong-names", {"names": "names = []"}, 6.0, {"names-tests": 0})
    hostile = case("imports", {"b": "import os\nb = 5"}, 6.0, {"b-tests": 0})
    owned = case("test-owned", {"b": "_ref = 2\nb = 5"}, 6.0, {"b-tests": 0})
    stub = case("stub", {"b": "b = 2"}, 2.0, {"a-tests": 0, "total-tests": 0, "names-tests": 0},
                base="release")
    # points not explained by what the case reaches: a loss on a test it cannot change
    odd = case("odd", {"b": "b = 5"}, 4.0, {"b-tests": 0, "a-tests": 0})
    # a total that its listed tests do not add up to
    unlisted = case("unlisted", {"b": "b = 5"}, 4.0, {"b-tests": 0})
    groups = packing.plan([wrong_names, hostile, owned, stub, odd, unlisted], CELLS, IDS, POINTS)
    assert names(groups) == [["imports"], ["odd"], ["stub"], ["test-owned"], ["unlisted"],
                             ["wrong-names"]]


def test_a_loss_wins_over_full_marks_listed_by_another_member():
    # wrong-b also says that total-tests keeps its 2 points; wrong-total loses them
    wrong_b = case("wrong-b", {"b": "b = 2.0"}, 6.0, {"b-tests": 0, "total-tests": 2})
    wrong_total = case("wrong-total", {"total": "total = 0"}, 6.0, {"total-tests": 0})
    for order in ([wrong_b, wrong_total], [wrong_total, wrong_b]):
        pack = packing.combined(order, "pack", POINTS)
        assert (pack.total, pack.tests) == (4.0, {"b-tests": 0, "total-tests": 0})
