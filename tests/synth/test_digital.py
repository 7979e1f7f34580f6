"""The digital program: list export mess, truth, M+R calibration, reconciliation, PII rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from campaignlab import data
from campaignlab.synth import digital as dg
from campaignlab.synth import donor_file as df
from campaignlab.synth.digital import LIST_COLUMNS, build_digital
from campaignlab.synth.field import example_people
from campaignlab.voterfile.names import NAME_EQUIVALENTS

DOMAINS = ("@example.com", "@example.org", "@example.net")
EMAIL_COLS = ["message_id", "send_date", "message_type", "subject", "segment", "refcode", "recipients",
              "delivered", "bounces", "opens", "clicks", "actions", "gifts", "revenue", "unsubscribes"]


@pytest.fixture(scope="module")
def people():
    return example_people(60_000, seed=21)[0]


@pytest.fixture(scope="module")
def out(people):
    return build_digital(people, np.random.default_rng(2026))


@pytest.fixture(scope="module")
def big():
    """A 400,000-person county: enough list members for tight calibration checks."""
    return build_digital(example_people(400_000, seed=5)[0], np.random.default_rng(99))


def _digits(s: pd.Series) -> pd.Series:
    return s.dropna().str.replace(r"\D", "", regex=True)


def test_files_and_schema(out):
    assert sorted(out) == sorted([
        "action_network_export.csv", "email_sends.csv", "email_ab_test_recipients.csv", "sms_sends.csv",
        "donations.csv", "truth/list_matches.csv", "truth/ab_tests.csv", "truth/email_opens.csv",
        "truth/donors.csv",
    ])
    an = out["action_network_export.csv"]
    assert list(an.columns) == LIST_COLUMNS
    assert all(an[c].dtype == "str" for c in LIST_COLUMNS)
    assert an["uuid"].is_unique and an["uuid"].str.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}").all()
    assert an["email"].is_unique
    assert set(an["can2_subscription_status"]) == {"subscribed", "unsubscribed", "bouncing"}
    assert set(an["can2_sms_status"].dropna()) == {"subscribed", "unsubscribed"}
    assert an["created_date"].str.fullmatch(r"20(24|25|26)-\d\d-\d\d \d\d:\d\d:\d\d").all()
    assert list(out["email_sends.csv"].columns) == EMAIL_COLS
    assert list(out["sms_sends.csv"].columns) == [
        "send_id", "send_date", "send_type", "purpose", "audience", "refcode", "sent", "delivered",
        "replies", "opt_outs", "clicks", "actions", "gifts", "revenue"]
    assert list(out["email_ab_test_recipients.csv"].columns) == [
        "test_id", "message_id", "send_date", "uuid", "variant", "subject", "delivered", "opened",
        "clicked", "took_action", "donated", "amount"]


def test_deterministic(people, out):
    again = build_digital(people, np.random.default_rng(2026))
    for name, frame in out.items():
        pd.testing.assert_frame_equal(frame, again[name], obj=name)
    other = build_digital(people, np.random.default_rng(1))
    assert not other["action_network_export.csv"].equals(out["action_network_export.csv"])


def test_does_not_mutate_people(people):
    before = people.copy()
    build_digital(people, np.random.default_rng(3))
    pd.testing.assert_frame_equal(people, before)


def test_pii_rules(out):
    """Only example.* emails; only 555 phones in 919/984, 10 digits (or a 7-digit leftover)."""
    an, don = out["action_network_export.csv"], out["donations.csv"]
    for emails in (an["email"], don["Donor Email"]):
        assert emails.str.lower().str.endswith(DOMAINS).all()
    for phones in (an["can2_phone"], don["Donor Phone"]):
        d = _digits(phones)
        d = d.where(~((d.str.len() == 11) & d.str.startswith("1")), d.str[1:])
        ten, seven = d[d.str.len() == 10], d[d.str.len() == 7]
        assert len(ten) + len(seven) == len(d)
        assert ten.str[:3].isin(["919", "984"]).all() and (ten.str[3:6] == "555").all()
        assert (seven.str[:3] == "555").all()
    assert (don["Donor Phone"].dropna().str.fullmatch(r"(919|984)555\d{4}")).all()


def test_list_is_a_realistic_messy_subset(out, people):
    an, truth = out["action_network_export.csv"], out["truth/list_matches.csv"]
    share = truth["in_county"].sum() / len(people)
    assert 0.08 <= share <= 0.15, share
    assert 0.05 <= (~truth["in_county"]).mean() <= 0.2
    zips = an["zip_code"].dropna()
    assert zips.str.fullmatch(r"\d{1,3}").any(), "ZIPs that lost their leading zeros"
    assert zips.str.fullmatch(r"\d{5}-\d{4}").any() and an["zip_code"].isna().any()
    assert an["can2_phone"].str.startswith("(").any() and an["can2_phone"].str.startswith("+1").any()
    assert an["can2_phone"].str.contains(".", regex=False).any()
    assert an["first_name"].str.islower().any() and an["first_name"].str.isupper().any()
    for kind in ("nickname", "typo", "exact"):
        assert (truth["first_name_variant"] == kind).any(), kind
    assert truth["moved"].any() and truth["duplicate_signup"].any()


def test_list_truth_points_to_real_people(out, people):
    an, truth = out["action_network_export.csv"], out["truth/list_matches.csv"]
    assert truth["uuid"].tolist() == an["uuid"].tolist()
    inside = truth[truth["in_county"]]
    assert inside["person_id"].notna().all()
    joined = inside.merge(people[["person_id", "ncid", "last_name", "first_name"]], on="person_id", how="left",
                          validate="many_to_one", suffixes=("", "_p"))
    assert (joined["ncid"] == joined["ncid_p"]).all()
    outside = truth[~truth["in_county"]]
    assert outside["person_id"].isna().all() and outside["ncid"].isna().all()
    # exact-name members really carry the person's name (case aside)
    exact = truth["first_name_variant"].eq("exact") & ~truth["last_name_typo"] & truth["in_county"]
    m = an[exact.to_numpy()].merge(truth, on="uuid").merge(people, on="person_id", suffixes=("", "_p"))
    assert (m["first_name"].str.upper() == m["first_name_p"]).all()
    assert (m["last_name"].str.upper() == m["last_name_p"]).all()
    # duplicates: the same person twice, under different emails
    dups = truth[truth["duplicate_signup"]]
    assert dups["person_id"].isin(truth.loc[~truth["duplicate_signup"], "person_id"]).all()


def test_email_counts_reconcile(out):
    s = out["email_sends.csv"]
    assert (s["recipients"] == s["delivered"] + s["bounces"]).all()
    assert (s["opens"] <= s["delivered"]).all() and (s["clicks"] <= s["opens"]).all()
    assert (s["gifts"] + s["actions"] <= s["clicks"]).all()
    assert (s.loc[s["message_type"] != "fundraising", "gifts"] == 0).all()
    assert s["refcode"].is_unique
    opens = out["truth/email_opens.csv"]
    assert (opens["opens"] == s["opens"]).all()
    assert (opens["opens"] == opens["human_opens"] + opens["machine_only_opens"]).all()
    # every unsubscribe and bounce in the sends shows in the final list status
    an = out["action_network_export.csv"]
    assert (an["can2_subscription_status"] != "subscribed").sum() >= s["unsubscribes"].sum() + s["bounces"].sum()


def test_donations_reconcile_with_sends(out):
    """The program's refcoded gifts are exactly the gifts and revenue the sends report."""
    don = out["donations.csv"]
    first = don[don["Recurrence Number"].isna() | (don["Recurrence Number"] == 1)]
    first = first[first["Date"] >= "2026-07-01"]
    by_ref = first.dropna(subset=["Reference Code"]).groupby("Reference Code")["Amount"].agg(["size", "sum"])
    program_refs = set(out["email_sends.csv"]["refcode"]) | set(out["sms_sends.csv"]["refcode"])
    for sends, ref in ((out["email_sends.csv"], "refcode"), (out["sms_sends.csv"], "refcode")):
        paying = sends[sends["gifts"] > 0].set_index(ref)
        got = by_ref.reindex(paying.index)
        assert (got["size"] == paying["gifts"]).all()
        assert np.allclose(got["sum"], paying["revenue"])
        silent = sends.loc[sends["gifts"] == 0, ref]
        assert not silent.isin(by_ref.index).any()
    # from July 2026 the only email/SMS refcodes are the program's sends
    em = by_ref.index[by_ref.index.str.match(r"(em|sms)\d")]
    assert set(em) <= program_refs
    assert not don.loc[don["Date"] < "2026-07-01", "Reference Code"].isin(program_refs).any()
    program_donors = don.loc[don["Reference Code"].isin(program_refs), "Donor Email"]
    assert program_donors.isin(out["action_network_export.csv"]["email"]).all()
    assert (don["Donor ZIP"].dropna().str.len() == 5).all()
    assert don["Receipt ID"].is_unique and don["Receipt ID"].str.fullmatch(r"AB\d{8}").all()
    dates = pd.to_datetime(don["Date"], format="%Y-%m-%d %H:%M:%S")
    assert dates.is_monotonic_increasing and dates.min() >= pd.Timestamp("2023-01-01") and dates.max() < pd.Timestamp("2026-11-02")
    assert set(don.loc[don["Recurring"] == "N", "Recurrence Number"].isna()) == {True}


def test_donor_file_volume(out):
    """A donor file with real volume: thousands of donors over 2023-2026, one-time and monthly."""
    don = out["donations.csv"]
    donors = don["Donor Email"].nunique()
    years = don["Date"].str[:4].value_counts()
    assert donors >= 2_000 and len(don) >= 2.5 * donors, (donors, len(don))
    assert set(years.index) == {"2023", "2024", "2025", "2026"} and years.min() > 500
    assert {"email", "sms", "web", "event", "partner"} <= set(out["truth/donors.csv"]["source"])
    assert don["Reference Code"].dropna().str.match(r"(em|sms|ev)\d{6}|partner-").all()
    assert set(don["Fundraising Page"]) == {"yes-on-a", "yes-on-a-web", "yes-on-a-events", "alder-housing-partners"}


def test_recurring_series_are_consistent(out):
    """Each monthly series: numbers 1..n without gaps, one donor, one amount, one refcode, monthly dates."""
    don, truth = out["donations.csv"], out["truth/donors.csv"]
    rec = don[don["Recurring"] == "Y"].assign(series=truth["series_id"], d=pd.to_datetime(don["Date"]))
    assert rec["series"].notna().all() and truth.loc[don["Recurring"] == "N", "series_id"].isna().all()
    g = rec.groupby("series")
    assert (g["Recurrence Number"].min() == 1).all()
    assert (g["Recurrence Number"].max() == g.size()).all() and (g["Recurrence Number"].nunique() == g.size()).all()
    assert (g[["Donor Email", "Amount", "Fundraising Page"]].nunique() == 1).all().all()
    assert (g["Reference Code"].nunique(dropna=False) == 1).all()
    rec = rec.sort_values(["series", "Recurrence Number"])
    gap = rec.groupby("series")["d"].diff().dropna().dt.days
    assert gap.between(27, 32).all(), gap.describe()
    assert rec["Recurrence Number"].max() >= 12


def test_donor_truth_matches(out):
    """Truth: one row per receipt; the donor behind it; churn month and reason of every series."""
    don, truth, an = out["donations.csv"], out["truth/donors.csv"], out["action_network_export.csv"]
    assert (truth["receipt_id"] == don["Receipt ID"]).all()
    assert truth.groupby("donor_id")["receipt_id"].size().sum() == len(don)
    # one email per true donor, and one true donor per email
    pairs = pd.DataFrame({"donor": truth["donor_id"], "email": don["Donor Email"]}).drop_duplicates()
    assert pairs["donor"].is_unique and pairs["email"].is_unique
    listed = truth["on_list"].to_numpy()
    assert truth.loc[listed, "donor_id"].isin(an["uuid"]).all() and not truth.loc[~listed, "donor_id"].isin(an["uuid"]).any()
    assert don.loc[listed, "Donor Email"].isin(an["email"]).all() and not don.loc[~listed, "Donor Email"].isin(an["email"]).any()
    # every list member with a receipt carries the list's donor tag
    tagged = set(an.loc[an["can2_user_tags"].fillna("").str.contains("donor"), "uuid"])
    assert set(truth.loc[listed, "donor_id"]) <= tagged
    assert set(truth["segment"]) == {"major", "sustainer", "loyal", "occasional", "2026 program"}
    series = truth.dropna(subset=["series_id"]).drop_duplicates("series_id", keep="last")
    assert set(series["series_end_reason"]) == {"cancelled", "card failed", "active"}
    ended = series["series_end_reason"] != "active"
    assert series.loc[ended, "series_end_month"].str.fullmatch(r"20\d\d-\d\d").all()
    assert series.loc[~ended, "series_end_month"].isna().all()
    # the series stops the month after its last charge
    last = don.assign(series=truth["series_id"]).dropna(subset=["series"]).groupby("series")["Date"].max().str[:7]
    stop = series.set_index("series_id").loc[ended.to_numpy(), "series_end_month"]
    nxt = (pd.PeriodIndex(last.loc[stop.index], freq="M") + 1).strftime("%Y-%m")
    assert (nxt == stop.to_numpy()).all()
    assert (truth["source"] == "partner").eq(don["Fundraising Page"] == "alder-housing-partners").all()


def test_email_calibration_mr(big):
    s = big["email_sends.csv"]
    t = s.groupby("message_type")[["delivered", "opens", "clicks", "actions", "gifts", "revenue"]].sum()
    ctr = t["clicks"] / t["delivered"]
    assert ctr["fundraising"] == pytest.approx(0.0054, rel=0.15)
    assert ctr["advocacy"] == pytest.approx(0.021, rel=0.1)
    assert ctr["welcome"] == pytest.approx(0.032, rel=0.2)
    assert ctr["newsletter"] == pytest.approx(0.011, rel=0.15)
    assert t.loc["fundraising", "gifts"] / t.loc["fundraising", "delivered"] == pytest.approx(0.0009, rel=0.2)
    assert t.loc["advocacy", "actions"] / t.loc["advocacy", "delivered"] == pytest.approx(0.018, rel=0.1)
    per_1000 = t.loc["fundraising", "revenue"] / t.loc["fundraising", "delivered"] * 1000
    assert per_1000 == pytest.approx(58, rel=0.25), per_1000
    assert s["opens"].sum() / s["delivered"].sum() == pytest.approx(0.28, abs=0.03)
    opens = big["truth/email_opens.csv"]
    assert opens["machine_only_opens"].sum() > 0.6 * opens["opens"].sum(), "MPP inflates opens"
    # pace and churn, annualised with the list size (newsletters go to the whole list)
    list_size = s.loc[s["message_type"] == "newsletter", "recipients"].mean()
    years = 124 / 365
    pace = s.loc[s["message_type"] != "welcome", "recipients"].sum() / list_size / years
    assert pace == pytest.approx(60, rel=0.15)
    assert s["unsubscribes"].sum() / list_size / years == pytest.approx(0.091, rel=0.2)
    assert s["bounces"].sum() / list_size / years == pytest.approx(0.078, rel=0.2)


def test_sms_calibration_mr(big):
    m = big["sms_sends.csv"]
    assert (m["delivered"] <= m["sent"]).all()
    p2p, bc = m[m["send_type"] == "p2p"], m[m["send_type"] == "broadcast"]
    assert p2p["clicks"].isna().all() and bc["replies"].isna().all()
    assert p2p["replies"].sum() / p2p["delivered"].sum() == pytest.approx(0.14, rel=0.1)
    assert p2p["opt_outs"].sum() / p2p["delivered"].sum() == pytest.approx(0.02, rel=0.2)
    fr, other = bc[bc["purpose"] == "fundraising"], bc[bc["purpose"] != "fundraising"]
    assert fr["clicks"].sum() / fr["delivered"].sum() == pytest.approx(0.042, rel=0.1)
    assert fr["opt_outs"].sum() / fr["delivered"].sum() == pytest.approx(0.007, rel=0.3)
    assert other["clicks"].sum() / other["delivered"].sum() == pytest.approx(0.048, rel=0.1)
    assert other["actions"].sum() / other["delivered"].sum() == pytest.approx(0.039, rel=0.1)


def test_gift_sizes_many_small_few_large(big):
    amt = big["donations.csv"]["Amount"]
    assert amt.median() <= 35 and amt.quantile(0.99) >= 250 and (amt >= 3).all()


def test_donor_file_calibration(big):
    """Printed figures of the donor file (all unsourced but the ask string's $58 per 1,000 emails)."""
    don, truth = big["donations.csv"], big["truth/donors.csv"]
    d = pd.to_datetime(don["Date"])
    s = big["email_sends.csv"]
    fr = s[s["message_type"] == "fundraising"]
    per_1000 = fr["revenue"].sum() / fr["delivered"].sum() * 1000
    history = don[d < "2026-01-01"]
    hd = pd.to_datetime(history["Date"])
    dec = history.loc[hd.dt.month == 12, "Amount"].sum() / history["Amount"].sum()
    per_day = len(don) / (d.max() - d.min()).days
    gt = don["Date"].str[:10].isin(["2023-11-28", "2024-12-03", "2025-12-02"]).sum() / 3
    series = truth.dropna(subset=["series_id"]).assign(d=d).groupby("series_id").agg(
        months=("d", "size"), why=("series_end_reason", "last"))
    churn = (series["why"] != "active").sum() / series["months"].sum()
    failed = (series["why"] == "card failed").sum() / max((series["why"] != "active").sum(), 1)
    per_donor = don.groupby("Donor Email")["Amount"].sum().sort_values(ascending=False)
    top1 = per_donor.iloc[: max(1, len(per_donor) // 100)].sum() / per_donor.sum()
    first = d.groupby(don["Donor Email"]).transform("min")
    fd = don.assign(first=first, d=d)
    one_time = fd.groupby("Donor Email")["Recurring"].transform(lambda r: (r == "N").all())
    cohort = fd[one_time & (fd["first"] < "2025-07-01")]
    back = cohort[(cohort["d"] > cohort["first"]) & (cohort["d"] <= cohort["first"] + pd.Timedelta(days=365))]
    retention = back["Donor Email"].nunique() / cohort["Donor Email"].nunique()
    print(f"\n$ per 1,000 fundraising emails {per_1000:.0f} (M+R 2024: 58); mean gift ${don['Amount'].mean():.0f}, "
          f"median ${don['Amount'].median():.0f}; top 1% of donors give {top1:.0%}; December {dec:.0%} of 2023-25 "
          f"revenue; Giving Tuesday {gt / per_day:.1f}x an average day; recurring churn {churn:.1%}/month "
          f"({failed:.0%} failed cards); one-time donors back within a year {retention:.0%}")
    assert per_1000 == pytest.approx(58, rel=0.25)
    assert don["Amount"].mean() > 1.8 * don["Amount"].median() and top1 > 0.1
    assert 0.15 < dec < 0.4 and gt / per_day > 3
    assert churn == pytest.approx(dg.RECURRING_MONTHLY_CANCEL + df.CARD_FAILURE_MONTHLY, rel=0.25)
    assert 0.1 < failed < 0.4 and 0.1 < retention < 0.45


def test_ab_rows_match_sends_and_truth(out):
    ab, s, truth = out["email_ab_test_recipients.csv"], out["email_sends.csv"], out["truth/ab_tests.csv"]
    agg = ab.groupby(["message_id", "variant"]).agg(
        recipients=("uuid", "size"), delivered=("delivered", "sum"), opens=("opened", "sum"),
        clicks=("clicked", "sum"), gifts=("donated", "sum"), actions=("took_action", "sum"), revenue=("amount", "sum"))
    test_rows = s[s["segment"].str.startswith("Test ")].assign(variant=lambda d: d["segment"].str[-1])
    test_rows = test_rows.set_index(["message_id", "variant"]).loc[agg.index]
    for col in ("recipients", "delivered", "opens", "clicks", "gifts", "actions"):
        assert (agg[col] == test_rows[col]).all(), col
    assert np.allclose(agg["revenue"], test_rows["revenue"])
    assert ab["uuid"].isin(out["action_network_export.csv"]["uuid"]).all()
    assert not ab.duplicated(["test_id", "uuid"]).any()
    assert set(truth["test_id"]) == set(ab["test_id"])
    assert truth.groupby("test_id")["is_true_best"].sum().eq(1).all()
    # the fundraising test sends its observed winner to the rest of the list
    rest = s[s["segment"].str.startswith("Remainder")]
    assert len(rest) == 1 and truth["chosen_winner"].sum() == 1


def test_ab_true_effects_recovered(big):
    ab, truth = big["email_ab_test_recipients.csv"], big["truth/ab_tests.csv"]
    d = ab[ab["delivered"] == 1]
    obs = d.groupby(["test_id", "variant"])[["opened", "clicked", "took_action", "donated"]].mean()
    n = d.groupby(["test_id", "variant"]).size()
    t = truth.set_index(["test_id", "variant"])
    for col, true_col in (("clicked", "true_click_rate"), ("opened", "true_open_rate"),
                          ("took_action", "true_action_rate"), ("donated", "true_donation_rate")):
        p = t[true_col]
        se = np.sqrt(p * (1 - p) / n) + 1e-9
        z = (obs[col] - p) / se
        assert (z.abs() < 4.5).all(), (col, z.round(2).to_dict())
    # the advocacy A/B difference is large enough to detect, and in the true direction
    a, b = obs.loc[("AB-01", "A"), "clicked"], obs.loc[("AB-01", "B"), "clicked"]
    effect = t.loc[("AB-01", "B"), "true_click_effect_vs_A"]
    se = np.sqrt(a * (1 - a) / n[("AB-01", "A")] + b * (1 - b) / n[("AB-01", "B")])
    assert abs((b - a) - effect) < 4 * se and (b - a) / se > 2


def test_small_county():
    people = example_people(200, seed=1)[0]
    out = build_digital(people, np.random.default_rng(0))
    assert len(out["action_network_export.csv"]) > 0
    assert (out["email_sends.csv"]["recipients"] >= 0).all()


@pytest.fixture(scope="module")
def canonical():
    """The canonical county's digital files and the truth they join to (generated if missing)."""
    def read(name: str) -> pd.DataFrame:
        sep = "\t" if name == "voters" else ","
        return pd.read_csv(data.path(name), sep=sep, dtype=str, keep_default_na=False, na_values=[""])

    return {name: read(name) for name in ("list", "truth_list_matches", "truth_people", "email_sends", "voters")}


def test_real_county(canonical):
    """The digital files of the canonical county (built on the full synthetic world)."""
    an, truth, people = canonical["list"], canonical["truth_list_matches"], canonical["truth_people"]
    assert len(an) > 1_000 and truth["uuid"].tolist() == an["uuid"].tolist()
    assert an["email"].str.lower().str.endswith(DOMAINS).all()
    d = _digits(an["can2_phone"])
    assert len(d) > 0 and (d.str[-7:-4] == "555").all()
    inside = truth[truth["in_county"] == "true"]
    assert inside["person_id"].isin(people["person_id"]).all()
    assert inside["ncid"].isin(canonical["voters"]["ncid"]).all()
    assert truth.loc[truth["in_county"] == "false", "person_id"].isna().all()
    s = canonical["email_sends"][["recipients", "delivered", "bounces"]].astype(int)
    assert (s["recipients"] == s["delivered"] + s["bounces"]).all()


def test_real_county_nicknames_are_the_cleaners(canonical):
    """Every nickname a sign-up uses is one the voter-file toolkit resolves to the true name."""
    an, truth, people = canonical["list"], canonical["truth_list_matches"], canonical["truth_people"]
    nick = truth[(truth["first_name_variant"] == "nickname") & (truth["in_county"] == "true")]
    m = nick.merge(an[["uuid", "first_name"]], on="uuid").merge(
        people[["person_id", "first_name"]], on="person_id", suffixes=("", "_true"))
    assert len(m) == len(nick) > 100
    pairs = set(zip(m["first_name_true"], m["first_name"].str.upper(), strict=True))
    assert pairs <= NAME_EQUIVALENTS, sorted(pairs - NAME_EQUIVALENTS)[:5]
