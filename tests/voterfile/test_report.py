import pandas as pd
import pytest

from campaignlab.voterfile import StepReport, combine_reports


def test_reconciles_or_raises():
    aside = pd.DataFrame({"x": [1, 2], "reason": ["a", "b"]})
    r = StepReport("s", rows_in=5, rows_kept=3, set_aside=aside, changes={"fixed": 2, "none": 0})
    assert r.rows_set_aside == 2 and r.reasons == {"a": 1, "b": 1}
    assert r.changes == {"fixed": 2}  # zero counts are dropped
    with pytest.raises(ValueError, match="do not reconcile"):
        StepReport("s", rows_in=5, rows_kept=4, set_aside=aside)


def test_set_aside_needs_reason():
    with pytest.raises(ValueError, match="reason"):
        StepReport("s", rows_in=1, rows_kept=0, set_aside=pd.DataFrame({"x": [1]}))


def test_printable_and_frame():
    r = StepReport("step", 2, 2, flags={"flagged thing": 1})
    text = str(r)
    assert text.splitlines()[0] == "step: 2 rows in, 2 kept, 0 set aside"
    assert "flagged thing" in text
    table = combine_reports([r, StepReport("other", 1, 1, changes={"c": 1})])
    assert table["step"].tolist() == ["step", "other"]
    assert set(table.columns) == {"step", "kind", "what", "rows"}
