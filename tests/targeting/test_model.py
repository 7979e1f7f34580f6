"""The turnout model: features honest in time, a deterministic Pipeline, and the leakage check."""

import numpy as np
import pandas as pd
import pytest

from campaignlab import targeting


@pytest.fixture
def file(voters):
    """The conftest registrations with the columns a model uses (party, gender, precinct)."""
    return voters.assign(party_cd=["DEM", "REP", "UNA", "DEM", "LIB", "REP", "DEM", "UNA"],
                         gender_code=["F", "M", "U", "F", "M", "F", "M", "F"],
                         precinct_abbrv=["01", "02", "01", "03", "02", "01", "02", "03"])  # fmt: skip


def test_features_use_only_what_was_known_before(file, history):
    before_v, before_h = file.copy(), history.copy()
    f, report = targeting.turnout_features(file, history, "2022-11-08")
    pd.testing.assert_frame_equal(file, before_v)
    pd.testing.assert_frame_equal(history, before_h)
    electorate, _ = targeting.eligible_at(file, "2022-11-08")
    assert f.index.tolist() == electorate["ncid"].tolist() == ["AL1", "AL2", "AL4", "AL5"]
    assert list(f.columns) == targeting.NUMBERS + targeting.CATEGORIES
    assert f.loc["AL1", "generals"] == 3 and f.loc["AL1", "last_general"] == 1  # 2020; 2022 is the target
    assert f.loc["AL1", "last_primary"] == 1 and f.loc["AL4", "generals"] == 0  # AL4's 2024 vote is after
    assert f.loc["AL4", "municipals"] == 1 and f.loc["AL4", "last_municipal"] == 1
    assert f.loc["AL1", "age"] == 52 and np.isnan(f.loc["AL4", "years_registered"])  # 01/01/1900: unknown
    assert f.loc["AL4", "registration_date_unknown"] == 1 and f.loc["AL5", "registration_date_unknown"] == 1
    assert f.loc["AL2", "years_registered"] == pytest.approx(25 / 365.25)
    assert not any(c in f.columns for c in targeting.model.STATUS_COLUMNS)
    assert targeting.leaky_columns(f, "2022-11-08") == {}
    assert any("11/06/2018, 11/03/2020" in n for n in report.notes)


def test_outcome_and_a_coming_election(file, history):
    f, _ = targeting.turnout_features(file, history, "2022-11-08")
    voted = targeting.voted_in(history, "2022-11-08", f.index)
    assert voted.name == "voted" and voted.to_dict() == {"AL1": True, "AL2": False, "AL4": False, "AL5": False}
    f26, _ = targeting.turnout_features(file, history, "2026-11-03")
    assert f26.loc["AL1", "generals"] == 2 and f26.loc["AL4", "last_general"] == 1  # 2022 and 2024 count now
    assert f26.loc["AL1", "age"] == 56
    with pytest.raises(ValueError, match="no outcome yet"):
        targeting.voted_in(history, "2026-11-03", f26.index)


def test_repeated_ids(file, history):
    with pytest.raises(ValueError, match="resolve"):
        targeting.turnout_features(pd.concat([file, file.iloc[:1]]), history, "2022-11-08")


def _toy(n=400, seed=1):
    rng = np.random.default_rng(seed)
    g = rng.integers(0, 4, n)
    X = pd.DataFrame({"generals": g, "age": rng.integers(18, 90, n).astype(float),
                      "party": rng.choice(["DEM", "REP", "UNA"], n), "precinct": rng.choice(["01", "02"], n)},
                     index=[f"AL{i}" for i in range(n)])  # fmt: skip
    X.loc[X.index[:5], "age"] = np.nan
    y = rng.random(n) < 1 / (1 + np.exp(-(g - 1.5)))
    return X, y


def test_pipeline_is_deterministic_and_refits():
    X, y = _toy()
    pipe = targeting.turnout_pipeline(["party", "precinct"], ["generals", "age"])
    assert not hasattr(pipe, "classes_")  # unfitted
    a = targeting.fit_turnout_model(X, y, pipeline=pipe)
    b = targeting.fit_turnout_model(X, y, pipeline=pipe)
    assert not hasattr(pipe, "classes_")  # the pipeline passed in is cloned
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    X2, y2 = _toy(seed=2)
    c = targeting.fit_turnout_model(X2, y2, pipeline=pipe)
    assert not np.allclose(a.named_steps["model"].coef_, c.named_steps["model"].coef_)
    new = X.assign(precinct="99")  # a precinct the model never saw
    s = targeting.score_turnout(a, new)
    assert s.index.equals(X.index) and s.between(0, 1).all() and s.name == "turnout_score"


def test_default_pipeline_uses_the_columns_present():
    X, y = _toy()
    m = targeting.fit_turnout_model(X, pd.Series(y, index=X.index)[::-1])  # aligned by label
    s = targeting.score_turnout(m, X)
    assert s[X["generals"] == 3].mean() > s[X["generals"] == 0].mean()
    with pytest.raises(ValueError, match="align"):
        targeting.fit_turnout_model(X, pd.Series(y[:10], index=X.index[:10]))


def test_leaky_columns_by_name():
    cols = ["generals", "status_cd", "voter_status_desc", "voted_11/05/2024", "voted_2024-11-05",
            "general_2024", "primary_2024", "general_2022", "voted_11/08/2022", "voted", "age_2024",
            "turnout_2025"]  # fmt: skip
    X = pd.DataFrame(0, index=range(3), columns=cols)
    leaks = targeting.leaky_columns(X, "2024-11-05")
    assert set(leaks) == {"status_cd", "voter_status_desc", "voted_11/05/2024", "voted_2024-11-05",
                          "general_2024", "voted", "turnout_2025"}  # fmt: skip
    assert "today" in leaks["status_cd"] and "11/05/2024" in leaks["voted_11/05/2024"]


def test_leaky_columns_by_data_and_fit_refuses():
    X, y = _toy()
    X["copy_of_outcome"] = y.astype(int)
    X["category_copy"] = np.where(y, "yes", "no")
    leaks = targeting.leaky_columns(X, "2024-11-05", outcome=y)
    assert set(leaks) == {"copy_of_outcome", "category_copy"}
    with pytest.raises(ValueError, match="copy_of_outcome"):
        targeting.fit_turnout_model(X, y, election_date="2024-11-05")
    with pytest.raises(ValueError, match="values"):
        targeting.leaky_columns(X, "2024-11-05", outcome=y[:3])
