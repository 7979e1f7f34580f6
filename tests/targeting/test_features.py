import pandas as pd
import pytest

from campaignlab import targeting


def test_only_elections_before_the_target_count_once(history):
    before = history.copy()
    f, report = targeting.history_features(history, "2022-11-08", voters=["AL1", "AL4", "AL5"])
    pd.testing.assert_frame_equal(history, before)
    assert f.loc["AL1", "generals"] == 3  # 2016 twice (label drift) counts once; 2022 is the target
    assert f.loc["AL1", "primaries"] == 1
    assert f.loc["AL4"].tolist() == [0, 0, 1, True]  # the 2024 general is after the target
    assert f.loc["AL5"].tolist() == [0, 0, 0, False]  # no vote: a row of zeros
    assert report.rows_in == report.rows_kept + report.rows_set_aside
    assert report.reasons["voter not in voters="] == 2  # AL9 and AL2 are not asked for
    assert "11/08/2022" not in report.notes[0].split(": ")[1]  # the target is not used


def test_last_k(history):
    f, report = targeting.history_features(history, "2022-11-08", voters=["AL1"], last=1)
    assert f.loc["AL1", "generals"] == 1
    assert report.notes[0].endswith("11/03/2020")


def test_repeated_voters(history):
    with pytest.raises(ValueError, match="repeated"):
        targeting.history_features(history, "2022-11-08", voters=["AL1", "AL1"])


def test_years_registered():
    y = targeting.years_registered(pd.Series(pd.to_datetime(["2012-11-08", "2030-01-01"])), "2022-11-08")
    assert y.round(2).tolist()[0] == 10.0 and pd.isna(y.iloc[1])


def test_propensity_table_and_score():
    past = pd.Series([0, 1, 1, 3], index=list("abcd"))
    voted = pd.Series([False, True, False, True], index=list("dcba"))  # other order: aligned by label
    t = targeting.propensity_table(past, voted)
    assert t.to_dict("index") == {0: {"voters": 1, "voted": 1, "turnout": 1.0},
                                  1: {"voters": 2, "voted": 1, "turnout": 0.5},
                                  3: {"voters": 1, "voted": 0, "turnout": 0.0}}  # fmt: skip
    with pytest.raises(TypeError, match="True/False"):
        targeting.propensity_table(past, pd.Series([1, 0, 1, 0], index=list("abcd")))
    feats = pd.DataFrame({"generals": [3, 0], "primaries": [1, 0], "municipals": [0, 2]})
    assert targeting.rule_score(feats).tolist() == [11, 2]
    assert targeting.rule_score(feats, {"generals": 1}).tolist() == [3, 0]


def test_capture_ties_and_order():
    s = pd.Series([5, 5, 5, 5])
    y = pd.Series([1, 0, 0, 1])
    assert targeting.capture(s, y, 0.5) == pytest.approx(0.5)  # all tied: as good as random
    s2 = pd.Series([1, 9, 2, 8])
    y2 = pd.Series([0, 1, 0, 1])
    assert targeting.capture(s2, y2, 0.5) == 1.0
    assert targeting.capture(s2[::-1], y2[::-1], 0.5) == 1.0  # row order does not matter
    with pytest.raises(ValueError):
        targeting.capture(s, y, 0)
