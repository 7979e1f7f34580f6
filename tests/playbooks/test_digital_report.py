"""The digital-report playbook, through papermill: the canonical exports, another platform's names, bad input.

Each run checks what the playbook promises: the outputs are there and only in the output folder;
every row of every file is kept or set aside (the reconciliation holds per file and step); the
figures are the toolkit's (recomputed here from the files with ``campaignlab.digital``, never
typed); the notebook and the aggregate outputs show no donor's or recipient's data.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from playbook_runs import Run, check_stored, execute, personal_values, shown  # tests/

from campaignlab import cli, data, digital

pytestmark = pytest.mark.slow

OUTPUTS = {"digital-report.ipynb", "program_metrics.csv", "benchmarks.csv", "ab_tests.csv", "list_growth.csv",
           "donors.csv", "report.md", "set_aside.csv", "reconciliation.csv", "reconciliation.json"}  # fmt: skip
FILES = {"email_file": "email_sends", "ab_file": "email_ab_recipients", "sms_file": "sms_sends",
         "donations_file": "donations", "list_file": "list"}  # fmt: skip


def _read(name: str, **kw) -> pd.DataFrame:
    return pd.read_csv(data.path(name), **kw)


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_numeric(frame[col])


def check_reconciles(run: Run, rows_in: dict[str, int]) -> None:
    """Per file: rows in the input = kept + set aside, step by step, and the set-aside file has the rest."""
    assert run.error() is None
    recon = run.csv("reconciliation.csv")
    assert (recon[["reconciles", "follows_previous"]].apply(lambda c: c.str.lower()) == "true").all().all(), recon
    files = run.json()["files"]
    aside = run.csv("set_aside.csv")
    assert set(files) == set(rows_in)
    for kind, n in rows_in.items():
        f = files[kind]
        assert f["rows_in"] == n == f["rows_out"] + f["rows_set_aside"], (kind, f)
        assert int((aside["file"] == kind).sum()) == f["rows_set_aside"], kind
    assert aside["reason"].notna().all()


@pytest.fixture(scope="module")
def canonical(tmp_path_factory) -> Run:
    folder = tmp_path_factory.mktemp("digital")
    return execute("digital-report", folder, **{k: data.path(v) for k, v in FILES.items()})


def test_the_canonical_exports_reconcile(canonical):
    assert {p.name for p in canonical.out.iterdir()} == OUTPUTS
    rows = {"email": len(_read("email_sends")), "ab": len(_read("email_ab_recipients")), "sms": len(_read("sms_sends")),
            "donations": len(_read("donations")), "list": len(_read("list"))}  # fmt: skip
    check_reconciles(canonical, rows)
    ab = _read("email_ab_recipients")
    aside = canonical.csv("set_aside.csv")
    assert sorted(aside.loc[aside["file"] == "ab", "id"]) == sorted(ab.loc[ab["delivered"] != 1, "uuid"])


def test_program_metrics_and_benchmarks_are_the_toolkits(canonical):
    sends = _read("email_sends", parse_dates=["send_date"])
    ours = canonical.csv("program_metrics.csv")
    email = ours[ours["channel"] == "email"]
    expected = digital.program_metrics(sends, by="message_type")
    got = email[email["by"] == "message type"].set_index("group")
    for col in ("delivered", "click_rate", "action_rate", "response_rate", "unsubscribe_rate", "bounce_rate", "revenue_per_1000"):
        np.testing.assert_allclose(_num(got, col).to_numpy(), expected.loc[got.index, col].to_numpy(), rtol=1e-9, err_msg=col)
    by_month = digital.program_metrics(sends.assign(m=sends["send_date"].dt.to_period("M").astype(str)), by="m")
    got_m = email[email["by"] == "month"].set_index("group")
    np.testing.assert_allclose(_num(got_m, "click_rate").to_numpy(), by_month.loc[got_m.index, "click_rate"].to_numpy())
    bench = canonical.csv("benchmarks.csv")
    expected_b = digital.against_benchmarks(expected)
    got_b = bench[bench["channel"] == "email"]
    assert got_b[["message_type", "metric"]].values.tolist() == expected_b[["message_type", "metric"]].values.tolist()
    np.testing.assert_allclose(_num(got_b, "ratio").to_numpy(), expected_b["ratio"].to_numpy())
    less = bench["metric"].isin(["opt_out_rate", "unsubscribe_rate", "bounce_rate"])  # fewer is better
    ratio = _num(bench, "ratio")
    assert (bench["better"].str.lower() == ((ratio >= 1) & ~less | (ratio <= 1) & less).astype(str).str.lower()).all()
    sms = _read("sms_sends")
    total = digital.program_metrics(sms, sent="sent").loc["all"]
    got_s = ours[(ours["channel"] == "sms") & (ours["by"] == "program")].iloc[0]
    assert float(got_s["opt_out_rate"]) == pytest.approx(total["opt_out_rate"])
    assert set(bench.loc[bench["channel"] == "sms", "message_type"]) <= set(digital.BENCHMARKS)
    text = (canonical.out / "report.md").read_text()
    row = expected.loc["fundraising"]
    assert f"| email | fundraising | click_rate | {100 * row['click_rate']:.2f}% |" in text


def test_ab_readouts_and_the_big_enough_check_are_the_toolkits(canonical):
    recipients = _read("email_ab_recipients")
    delivered = recipients[recipients["delivered"] == 1]
    got = canonical.csv("ab_tests.csv")
    assert set(got["test_id"]) == set(recipients["test_id"])
    for test_id, part in delivered.groupby("test_id"):
        for outcome in ("clicked", "took_action", "donated"):
            expected = digital.ab_readout(part, outcome).set_index("variant")
            rows = got[(got["test_id"] == test_id) & (got["outcome"] == outcome)].set_index("variant")
            assert sorted(rows.index) == sorted(v for v in expected.index if v != expected.index[0])
            for variant, r in rows.iterrows():
                e = expected.loc[variant]
                for col in ("difference", "low", "high", "p_adjusted"):
                    assert float(r[col]) == pytest.approx(e[col], abs=1e-12), (test_id, outcome, variant, col)
                base = expected.iloc[0]
                n = int(min(e["people"], base["people"]))
                if 0 < base["rate"] < 1 and 0 < e["rate"] < 1:
                    needed = digital.sample_size(base["rate"], e["difference"])
                    assert float(r["needed_per_variant"]) == needed
                    assert r["big_enough"].lower() == str(n >= needed).lower()
                    assert float(r["detectable_lift"]) == pytest.approx(digital.detectable_lift(base["rate"], n))
                else:
                    assert r["big_enough"].lower() == "false"
    text = (canonical.out / "report.md").read_text()
    assert "big enough" in text.lower() and all(f"| {t} |" in text for t in set(recipients["test_id"]))


def test_list_growth_and_donors_are_the_toolkits(canonical):
    sends = _read("email_sends", parse_dates=["send_date"])
    members = _read("list", dtype=str)
    start = sends["send_date"].min().to_period("M").start_time
    expected = digital.list_growth(members, sends, start, sends["send_date"].max())
    got = canonical.csv("list_growth.csv")
    assert got["month"].tolist() == [str(m) for m in expected.index]
    assert _num(got, "at_end").tolist() == expected["at_end"].tolist()
    donations = _read("donations", dtype=str)
    as_of = pd.Timestamp(canonical.json()["as_of"])
    assert as_of == pd.to_datetime(pd.concat([donations["Date"], sends["send_date"].astype(str),
                                              _read("sms_sends", dtype=str)["send_date"]]), format="mixed").max().normalize()
    summary = digital.gift_summary(donations)
    table = canonical.csv("donors.csv")
    gifts = table[table["table"] == "gifts"].set_index("measure")["value"].astype(float)
    for key, value in summary.items():
        assert gifts[key] == pytest.approx(value), key
    rfm = digital.rfm_segments(donations, as_of=as_of)["segment"].value_counts()
    seg = table[(table["table"] == "rfm segment") & (table["measure"] == "donors")].set_index("group")["value"].astype(float)
    assert seg.to_dict() == {k: float(v) for k, v in rfm.items()}
    last_full = (as_of + pd.Timedelta(days=1)).to_period("M") - 1  # retention counts the months that are over
    retention = digital.cohort_retention(donations, as_of=last_full.end_time)
    expected_cells = {(str(c), f"gave again {k} later"): v for c, row in retention.iterrows() for k, v in row.items()
                      if k and pd.notna(v)}  # fmt: skip
    expected_cells |= {(str(c), "donors"): row[0] for c, row in retention.iterrows()}
    got_cells = table[table["table"] == "retention"].set_index(["group", "measure"])["value"].astype(float).to_dict()
    assert got_cells.keys() == expected_cells.keys()
    assert all(got_cells[k] == pytest.approx(v) for k, v in expected_cells.items())
    sizes = table[(table["table"] == "gift size") & (table["measure"] == "receipts")]["value"].astype(float)
    assert sizes.sum() == len(donations)
    text = (canonical.out / "report.md").read_text()
    assert f"{summary['donors']:,} donors gave {summary['gifts']:,} gifts" in text
    assert f"The typical gift is ${summary['median_gift']:,.0f}" in text


def test_no_personal_data_in_the_notebook_or_the_aggregates(canonical):
    people = personal_values(data.path("donations"), ["Donor Email", "Donor Phone", "Receipt ID"])
    people |= personal_values(data.path("list"), ["uuid", "email", "can2_phone", "can2_user_address"])
    people |= personal_values(data.path("email_ab_recipients"), ["uuid"])
    leaked = shown(canonical.output_text(), people)
    assert not leaked, f"the notebook's outputs show people's data: {leaked[:5]}"
    for name in ("report.md", "donors.csv", "program_metrics.csv", "ab_tests.csv", "list_growth.csv"):
        assert not shown((canonical.out / name).read_text(), people), name
    assert not (canonical.out / "donor_rfm.csv").exists()


def test_another_platforms_names_and_encodings_through_the_column_map(tmp_path):
    """An email report with its own headers in cp1252, donations with a byte-order mark and "$1,234.00" amounts."""
    sends = _read("email_sends", dtype=str)
    theirs = {"message_id": "Mailing", "send_date": "Date", "message_type": "Type", "subject": "Subject line",
              "recipients": "Sent", "delivered": "Delivered", "clicks": "Unique clicks", "gifts": "Donations",
              "revenue": "Amount raised"}  # fmt: skip
    export = sends[list(theirs)].rename(columns=theirs)
    export["Date"] = pd.to_datetime(export["Date"]).dt.strftime("%m/%d/%Y")
    export.loc[0, "Subject line"] = "Café con la coalición, ¿vienes?"
    email_path = tmp_path / "mailings.csv"
    export.to_csv(email_path, index=False, encoding="cp1252")
    with open(email_path, "ab") as fh:  # a line the reader cannot split: set aside with its line number
        fh.write(b"EM-X,07/30/2026,newsletter\r\n")
    gifts = _read("donations", dtype=str).head(400)
    gifts.loc[0, "Amount"] = "1234"
    dollars = gifts.rename(columns={"Receipt ID": "Transaction", "Donor Email": "Email", "Amount": "Total"})
    dollars["Total"] = "$" + pd.to_numeric(dollars["Total"]).map("{:,.2f}".format)
    gift_path = tmp_path / "gifts.csv"
    gift_path.write_bytes(b"\xef\xbb\xbf" + dollars.to_csv(index=False).encode("utf-8"))
    run = execute("digital-report", tmp_path, email_file=email_path, email_columns={k: v for k, v in theirs.items()},
                  donations_file=gift_path, donor_rows=True,
                  donations_columns={"Receipt ID": "Transaction", "Donor Email": "Email", "Amount": "Total"})  # fmt: skip
    check_reconciles(run, {"email": len(sends) + 1, "donations": len(gifts)})
    aside = run.csv("set_aside.csv")
    assert aside.loc[aside["file"] == "email", "line"].astype(int).tolist() == [len(sends) + 2]
    expected = digital.program_metrics(sends[list(theirs)].assign(**{c: pd.to_numeric(sends[c]) for c in
                                       ("recipients", "delivered", "clicks", "gifts", "revenue")}), by="message_type")  # fmt: skip
    got = run.csv("program_metrics.csv")
    got = got[got["by"] == "message type"].set_index("group")
    np.testing.assert_allclose(_num(got, "click_rate").to_numpy(), expected.loc[got.index, "click_rate"].to_numpy())
    summary = digital.gift_summary(gifts.assign(Amount=pd.to_numeric(gifts["Amount"])))
    table = run.csv("donors.csv").query("table == 'gifts'").set_index("measure")["value"].astype(float)
    assert table["revenue"] == pytest.approx(summary["revenue"]) and table["donors"] == summary["donors"]
    assert {p.name for p in run.out.iterdir()} == {"digital-report.ipynb", "program_metrics.csv", "benchmarks.csv",
                                                   "list_growth.csv", "donors.csv", "donor_rfm.csv", "report.md",
                                                   "set_aside.csv", "reconciliation.csv", "reconciliation.json"}  # fmt: skip
    per_donor = run.csv("donor_rfm.csv")  # asked for with donor_rows: one row per donor, as rfm_segments has them
    rfm = digital.rfm_segments(gifts.assign(Amount=pd.to_numeric(gifts["Amount"])), as_of=run.json()["as_of"])
    assert sorted(per_donor["donor_email"]) == sorted(rfm.index)
    assert not shown(run.output_text(), set(per_donor["donor_email"])), "donor_rows writes a file; the notebook still shows none"


def _broken(tmp_path, what: str) -> dict:
    if what == "missing column":
        sends = _read("email_sends").drop(columns=["delivered"])
        path = tmp_path / "sends.csv"
        sends.to_csv(path, index=False)
        return {"email_file": path}
    if what == "bad amount":
        gifts = _read("donations", dtype=str).head(50)
        gifts.loc[7, "Amount"] = "twenty"
        path = tmp_path / "gifts.csv"
        gifts.to_csv(path, index=False)
        return {"donations_file": path}
    if what == "not csv":
        path = tmp_path / "sends.xlsx"
        path.write_bytes(b"PK\x03\x04" + bytes(200))
        return {"email_file": path}
    if what == "mapped column absent":
        return {"email_file": data.path("email_sends"), "email_columns": {"clicks": "Unique Clicks"}}
    if what == "unknown role":
        return {"sms_file": data.path("sms_sends"), "sms_columns": {"texts_sent": "sent"}}
    return {}


@pytest.mark.parametrize(
    ("what", "says"),
    [
        ("missing column", "no column 'delivered'"),
        ("bad amount", "1 value of Amount is not a number, first on line 9 ('twenty')"),
        ("not csv", "a zip archive or an Excel .xlsx workbook, not a delimited text file"),
        ("unknown role", "sms_columns: unknown roles ['texts_sent']"),
        ("mapped column absent", "no column clicks='Unique Clicks'"),
        ("nothing", "no file given"),
    ],
)
def test_bad_input_stops_at_the_first_cell_with_a_message(tmp_path, what, says):
    run = execute("digital-report", tmp_path, expect_error=True, **_broken(tmp_path, what))
    cell, error = run.error()
    assert cell == 0 and says in error["evalue"], error["evalue"]
    assert {p.name for p in run.out.iterdir()} == {"digital-report.ipynb"}, "wrote outputs on bad input"


def test_the_command_line_runs_it_with_one_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["playbook", "digital-report", "--quiet", "--param", f"sms_file={data.path('sms_sends')}",
                     "--param", "output_dir=cli-out", "--param", "progress=false"]) == 0  # fmt: skip
    out = tmp_path / "cli-out"
    assert {p.name for p in out.iterdir()} == {"digital-report.ipynb", "program_metrics.csv", "benchmarks.csv",
                                               "report.md", "set_aside.csv", "reconciliation.csv", "reconciliation.json"}
    assert json.loads((out / "reconciliation.json").read_text())["files"]["sms"]["rows_in"] == len(_read("sms_sends"))


def test_the_stored_playbook_has_no_outputs_and_a_parameters_cell_and_is_listed(capsys):
    check_stored("digital-report")
    assert cli.main(["playbook", "--list"]) == 0
    assert "digital-report" in capsys.readouterr().out


def test_rows_that_cannot_count_are_set_aside_with_the_reason(tmp_path):
    """Without papermill: the checks of the first cell on a small receipts file with a broken line."""
    from campaignlab.playbooks import PlaybookError
    from campaignlab.playbooks import digital as pdg

    path = tmp_path / "gifts.csv"
    path.write_text("Receipt ID,Date,Amount,Donor Email\n"
                    "R1,2026-07-01 10:00:00,25,a@example.com\n"
                    "R2,2026-07-02,-25,a@example.com\n"
                    "R2,2026-07-02,-25,a@example.com\n"
                    "R3,2026-07-03,10\n"  # a line with a field missing
                    "R4,2026-08-01,$1,000.00,b@example.org\n"  # an unquoted comma: one field too many
                    "R5,2026-09-30,50,\n"
                    "R6,2026-10-02,50,c@example.net\n")  # fmt: skip
    raw, read = pdg.read_export(path, "donations")
    assert read.set_aside["line"].tolist() == [5, 6]
    assert raw["line"].tolist() == [2, 3, 4, 7, 8]
    gifts = pdg.parse_export(raw, "donations", source=str(path))
    kept, checked = pdg.check_rows(gifts, "donations", source=str(path), as_of="2026-09-30")
    assert kept["Receipt ID"].tolist() == ["R1"]
    assert dict(zip(checked.set_aside["Receipt ID"], checked.set_aside["reason"], strict=True)) == {
        "R2": "amount 0 or less (a refund or a test charge): not a gift", "R5": "no Donor Email",
        "R6": "Date after as_of"}  # fmt: skip
    assert checked.set_aside["line"].tolist() == [3, 4, 7, 8]
    raw.loc[raw["Receipt ID"] == "R6", "Amount"] = "fifty"
    with pytest.raises(PlaybookError, match=r"first on line 8 \('fifty'\)"):
        pdg.parse_export(raw, "donations", source=str(path))
