"""The pieces of the digital-report playbook that are not already toolkit steps.

``campaignlab.digital`` does the statistics (``program_metrics``, ``against_benchmarks``,
``list_growth``, ``ab_readout``, ``sample_size``, ``detectable_lift``, ``gift_summary``,
``cohort_retention``, ``rfm_segments``). This module reads and checks the platform exports
(an email send report, per-recipient A/B data, an SMS send report, donation receipts, an
email list export) with the toolkit's reader and a column map for another platform's names,
sets aside the rows that cannot count (with the reason), and lays the results out as the
playbook's tables and its short report.

>>> import pandas as pd
>>> sends = pd.DataFrame({"message_id": ["M1", "M1", "M2"], "send_date": ["2026-07-02"] * 3,
...     "message_type": ["fundraising"] * 3, "segment": ["All", "All", "All"],
...     "recipients": ["1000", "1000", "500"], "delivered": ["980", "980", "600"]})
>>> kept, report = check_rows(parse_export(sends, "email", source="sends.csv"), "email", source="sends.csv")
>>> kept["message_id"].tolist(), report.reasons  # doctest: +NORMALIZE_WHITESPACE
(['M1'], {'repeated row (message_id, segment): counted once': 1,
          'more delivered than sent: the counts cannot both be right': 1})
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from campaignlab import digital
from campaignlab import voterfile as vf
from campaignlab.playbooks import PlaybookError
from campaignlab.voterfile.layouts import suggest_column_map
from campaignlab.voterfile.report import StepReport

__all__ = ["EXPORTS", "Export", "read_export", "parse_export", "check_rows", "delivered_only", "sms_kind",
           "program_table", "benchmark_table", "ab_table", "growth_table", "donor_tables", "report_text",
           "last_complete_period"]  # fmt: skip


@dataclass(frozen=True)
class Export:
    """What the playbook needs from one kind of export: its columns (the toolkit's names) and checks."""

    title: str
    required: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    sent: str | None = None
    id: str | None = None  # the column that names a row in set_aside.csv

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.required, *self.numbers, *self.dates, *self.optional, *self.key)))


#: Export kind -> its columns, named as in the course's datasets (Action Network, ActBlue).
EXPORTS: dict[str, Export] = {
    "email": Export("email send report", required=("message_id", "send_date", "recipients", "delivered"),
                    numbers=("recipients", "delivered", "bounces", "opens", "clicks", "actions", "gifts", "revenue",
                             "unsubscribes"),
                    dates=("send_date",), optional=("message_type", "segment", "subject", "refcode"), key=("message_id", "segment"),
                    sent="recipients", id="message_id"),
    "ab": Export("A/B test recipients", required=("test_id", "uuid", "variant", "delivered"),
                 numbers=("delivered", "opened", "clicked", "took_action", "donated", "amount"),
                 optional=("message_id", "send_date", "subject"), key=("test_id", "uuid"), id="uuid"),
    "sms": Export("SMS send report", required=("send_id", "send_date", "sent", "delivered"),
                  numbers=("sent", "delivered", "replies", "opt_outs", "clicks", "actions", "gifts", "revenue"),
                  dates=("send_date",), optional=("send_type", "purpose", "audience", "refcode"), key=("send_id",), sent="sent",
                  id="send_id"),
    "donations": Export("donation receipts", required=("Receipt ID", "Date", "Amount", "Donor Email"),
                        numbers=("Amount",), dates=("Date",),
                        optional=("Recurring", "Recurrence Number", "Reference Code", "Fundraising Page"),
                        key=("Receipt ID",), id="Receipt ID"),
    "list": Export("email list export", required=("created_date", "can2_subscription_status"), dates=("created_date",),
                   optional=("uuid",), key=("uuid",), id="uuid"),
}  # fmt: skip

#: The 0/1 outcomes an A/B test is read on, with what each rate means.
AB_OUTCOMES = {"clicked": "click rate", "took_action": "action rate", "donated": "gift rate", "opened": "open rate"}


def _line_numbers(n_rows: int, bad_lines: Sequence[int]) -> np.ndarray:
    """File line of each row the reader kept (header = line 1; lines it set aside skipped)."""
    bad = sorted(int(b) for b in bad_lines if b is not None and not pd.isna(b))
    lines, row, skip = np.empty(n_rows, dtype=np.int64), 0, 0
    line = 2
    while row < n_rows:
        if skip < len(bad) and bad[skip] == line:
            skip += 1
        else:
            lines[row] = line
            row += 1
        line += 1
    return lines


def read_export(path, kind: str, columns: Mapping[str, str | None] | None = None) -> tuple[pd.DataFrame, StepReport]:
    """Read one export with the toolkit's reader (any encoding it knows; binary files refused).

    Returns the rows as text with the toolkit's column names (``columns``: role -> your
    column, for a platform that names them otherwise) and a ``line`` column (its line in the
    file), and the reader's report (lines it could not split are set aside with their line).
    Stops with a :class:`~campaignlab.playbooks.PlaybookError` naming the file, the problem
    and the fix: a file that is not delimited text, a missing column (all named at once,
    with a map guessed from the header), a role the export does not have.
    """
    spec = EXPORTS[kind]
    columns = dict(columns or {})
    unknown = sorted(set(columns) - set(spec.roles))
    if unknown:
        raise PlaybookError(f"{kind}_columns: unknown roles {unknown}; the roles of the {spec.title} are "
                            f"{', '.join(spec.roles)}")  # fmt: skip
    try:
        frame, report = vf.read_voter_file(path, layout="delimited", required=[])
    except vf.VoterFileError as err:
        raise PlaybookError(f"{kind}_file ({spec.title}): {str(err).removeprefix('read_voter_file: ')}") from None
    except FileNotFoundError:
        raise PlaybookError(f"{kind}_file: no file at {path}: check the path (relative to the folder you run in)") from None
    header = list(frame.columns)
    mapped = {role: col for role, col in columns.items() if col is not None}
    absent = [f"{role}={col!r}" for role, col in mapped.items() if col not in frame.columns]
    if absent:
        raise PlaybookError(f"{kind}_file {path}: no column {', '.join(absent)}; its columns: {header}. "
                            f"Fix {kind}_columns (null for a column the export does not have)")  # fmt: skip
    frame = frame.rename(columns={col: role for role, col in mapped.items()})
    dropped = [role for role, col in columns.items() if col is None]
    frame = frame.drop(columns=[c for c in dropped if c in frame.columns])
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        guess = {v: k for k, v in suggest_column_map(missing, [h for h in header if h not in spec.roles]).items()}
        raise PlaybookError(f"{kind}_file {path} ({spec.title}): no column {', '.join(map(repr, missing))}. "
                            f"Its columns: {header}. If the export names them otherwise, map them: "
                            f"{kind}_columns={guess}")  # fmt: skip
    report = dataclasses.replace(report, step=f"read {spec.title}")
    frame.insert(0, "line", _line_numbers(len(frame), report.set_aside["line"].tolist() if len(report.set_aside) else []))
    frame.attrs["source"] = str(path)
    return frame, report


def _money(text: pd.Series) -> pd.Series:
    """Numbers as exports write them: "1,234.50", "$25", " 3 "; blank stays missing."""
    cleaned = text.astype("str").str.strip().str.replace(r"^\$|,", "", regex=True).where(text.notna())
    return pd.to_numeric(cleaned, errors="coerce")


def parse_export(frame: pd.DataFrame, kind: str, *, source: str) -> pd.DataFrame:
    """The export with its counts and amounts as numbers and its dates as dates (not modified).

    Message types and send types are lower-cased (the benchmarks' names); an email report
    without message types gets ``"(no type)"`` (its rates, no benchmark). A value that is
    there but is not a number (or a date) stops the playbook with the file,
    its lines and the fix: the column map points at the wrong column, or the export is
    broken. A blank stays missing (the row checks decide what it means).

    >>> parse_export(pd.DataFrame({"Amount": ["25", "ten"], "line": [2, 3]}), "donations", source="gifts.csv")
    Traceback (most recent call last):
    ...
    campaignlab.playbooks.PlaybookError: gifts.csv (donation receipts): 1 value of Amount is not a number, first on line 3 ('ten'). Fix those lines in the export (an amount is written 25 or 25.00), or map Amount to the right column with donations_columns
    """
    spec = EXPORTS[kind]
    out = frame.copy()
    lines = out["line"] if "line" in out.columns else pd.Series(np.arange(len(out)) + 2, index=out.index)
    checks = [(c, "number", _money) for c in spec.numbers] + [
        (c, "date", lambda s: pd.to_datetime(s, errors="coerce", format="mixed")) for c in spec.dates]  # fmt: skip
    for col, what, parse in checks:
        if col not in out.columns:
            continue
        value = parse(out[col])
        bad = value.isna() & out[col].notna()
        if bad.any():
            first = int(np.flatnonzero(bad.to_numpy())[0])
            example = "25 or 25.00" if col.lower() in ("amount", "revenue") else ("2026-07-02" if what == "date" else "1200")
            kind_word = "an amount" if col.lower() in ("amount", "revenue") else ("a date" if what == "date" else "a count")
            raise PlaybookError(f"{source} ({spec.title}): {int(bad.sum())} value{'s' if bad.sum() > 1 else ''} of {col} "
                                f"{'are' if bad.sum() > 1 else 'is'} not a {what}, first on line {int(lines.iloc[first])} "
                                f"({out[col].iloc[first]!r}). Fix those lines in the export ({kind_word} is written "
                                f"{example}), or map {col} to the right column with {kind}_columns")  # fmt: skip
        out[col] = value
    for col in ("message_type", "send_type", "purpose"):  # the benchmarks' names: "Fundraising" is "fundraising"
        if kind in ("email", "sms") and col in out.columns:
            out[col] = out[col].str.strip().str.lower()
    if kind == "email" and "message_type" not in out.columns:
        out["message_type"] = "(no type)"
    return out


def check_rows(frame: pd.DataFrame, kind: str, *, source: str, as_of=None) -> tuple[pd.DataFrame, StepReport]:
    """The rows that can count; the others set aside with the reason (``frame`` is not modified).

    Set aside: a blank in a required column; a repeated row (the same key, when the export has
    all of its columns: counted once);
    a negative count; more delivered than sent; a receipt of 0 or less (a refund or a test
    charge, not a gift); a date after ``as_of`` (the report is as of that day).
    """
    spec = EXPORTS[kind]
    reason = pd.Series(pd.NA, index=frame.index, dtype="str")

    def mark(mask, why: str) -> None:
        nonlocal reason
        reason = reason.mask(mask & reason.isna(), why)

    for col in spec.required:
        mark(frame[col].isna(), f"no {col}")
    numbers = [c for c in spec.numbers if c in frame.columns]
    for col in numbers if kind != "donations" else []:  # a negative receipt is a refund (below)
        mark(frame[col] < 0, f"negative {col}")
    if spec.sent and spec.sent in frame.columns:
        mark(frame["delivered"] > frame[spec.sent], "more delivered than sent: the counts cannot both be right")
    if kind == "ab":
        for col in [c for c in AB_OUTCOMES if c in frame.columns] + ["delivered"]:
            mark(~frame[col].isin([0, 1]) & frame[col].notna(), f"{col} is not 0 or 1 (one row per recipient)")
    if kind == "donations":
        mark(frame["Amount"] <= 0, "amount 0 or less (a refund or a test charge): not a gift")
    if as_of is not None:
        for col in [c for c in spec.dates if c in frame.columns]:
            mark(frame[col] > pd.Timestamp(as_of) + pd.Timedelta(days=1) - pd.Timedelta(seconds=1), f"{col} after as_of")
    key = list(spec.key) if all(c in frame.columns for c in spec.key) else []  # part of a key is no key
    if key and kind != "list":
        mark(frame.duplicated(key, keep="first") & reason.isna(), f"repeated row ({', '.join(key)}): counted once")
    aside = frame[reason.notna()].assign(reason=reason[reason.notna()])
    return frame[reason.isna()], StepReport(f"check {spec.title}", len(frame), int(reason.isna().sum()), aside)


def delivered_only(recipients: pd.DataFrame) -> tuple[pd.DataFrame, StepReport]:
    """A/B recipients the email reached: a bounce never had the chance to click, act or give.

    >>> r = pd.DataFrame({"uuid": ["a", "b"], "delivered": [1, 0]})
    >>> kept, report = delivered_only(r)
    >>> kept["uuid"].tolist(), report.reasons
    (['a'], {'not delivered (bounced): not in the denominator of the test': 1})
    """
    gone = recipients["delivered"] != 1
    aside = recipients[gone].assign(reason="not delivered (bounced): not in the denominator of the test")
    return recipients[~gone], StepReport("delivered only", len(recipients), int((~gone).sum()), aside)


def sms_kind(sms: pd.DataFrame) -> pd.Series:
    """The M+R benchmark each text send is read against: ``p2p text``, ``fundraising text`` or ``text``.

    Peer-to-peer texts are benchmarked on replies and opt-outs; broadcast fundraising texts on
    clicks and opt-outs; other broadcasts on clicks and actions (``digital.BENCHMARKS``). A
    report without a send type is read as broadcasts.

    >>> sms_kind(pd.DataFrame({"send_type": ["p2p", "broadcast", "Broadcast"],
    ...                        "purpose": ["gotv", "fundraising", "advocacy"]})).tolist()
    ['p2p text', 'fundraising text', 'text']
    """
    kind = (sms["send_type"].astype("str").str.strip().str.lower() if "send_type" in sms.columns
            else pd.Series("broadcast", index=sms.index))  # fmt: skip
    purpose = sms["purpose"].astype("str").str.strip().str.lower() if "purpose" in sms.columns else pd.Series("", index=sms.index)
    out = np.where(kind.str.contains("p2p|peer"), "p2p text", np.where(purpose.str.contains("fundrais"), "fundraising text", "text"))
    return pd.Series(out, index=sms.index, name="benchmark_kind")


def program_table(sends: pd.DataFrame, *, channel: str, kind: str, sent: str) -> pd.DataFrame:
    """``digital.program_metrics`` for the whole program, per message type and per month, in one table.

    Columns ``channel``, ``by`` ("program", "message type", "month"), ``group``, then the toolkit's
    totals and rates (each over its right denominator: delivered, bounces over sent).
    """
    work = sends.assign(month=sends["send_date"].dt.to_period("M").astype("str"))
    parts = [("program", digital.program_metrics(work, sent=sent)),
             ("message type", digital.program_metrics(work, by=kind, sent=sent)),
             ("month", digital.program_metrics(work, by="month", sent=sent))]  # fmt: skip
    frames = [m.rename_axis("group").reset_index().assign(by=by) for by, m in parts]
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "channel", channel)
    return out[["channel", "by", *[c for c in out.columns if c not in ("channel", "by")]]]


#: Rates where less is better: below the benchmark is good news.
LOWER_IS_BETTER = ("opt_out_rate", "unsubscribe_rate", "bounce_rate")


def benchmark_table(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Each program rate of each message type beside its M+R benchmark (``digital.against_benchmarks``).

    ``better``: our rate is at least the benchmark, or at most it for a rate where less is
    better (opt-outs, unsubscribes, bounces).

    >>> t = pd.DataFrame({"channel": "sms", "by": "message type", "group": ["p2p text"], "reply_rate": [0.15],
    ...                   "opt_out_rate": [0.03]})
    >>> benchmark_table([t])[["metric", "ratio", "better"]].round(2).values.tolist()
    [['reply_rate', 1.07, True], ['opt_out_rate', 1.5, False]]
    """
    frames = []
    for table in tables:
        by_type = table[table["by"] == "message type"].set_index("group")
        found = digital.against_benchmarks(by_type)
        if len(found):
            frames.append(found.assign(channel=table["channel"].iloc[0]))
    cols = ["channel", "message_type", "metric", "ours", "benchmark", "ratio", "better", "source"]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    out["better"] = (out["ratio"] >= 1).where(~out["metric"].isin(LOWER_IS_BETTER), out["ratio"] <= 1).astype(bool)
    return out[cols]


def _power(rate_a: float, rate_b: float, n_a: int, n_b: int, alpha: float) -> float:
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    if not (0 < rate_a < 1 and 0 < rate_b < 1) or rate_a == rate_b:
        return float("nan")
    h = proportion_effectsize(rate_b, rate_a)
    return float(NormalIndPower().power(h, nobs1=n_a, alpha=alpha, ratio=n_b / n_a))


def _needed(base: float, lift: float, alpha: float, power: float) -> float:
    if not (0 < base < 1 and 0 < base + lift < 1) or lift == 0:
        return float("nan")
    return float(digital.sample_size(base, lift, alpha=alpha, power=power))


def ab_table(recipients: pd.DataFrame, outcomes: Sequence[str], *, control: str | None = None, confidence: float = 0.95,
             power: float = 0.8, adjust: str | None = "holm", progress: bool = False) -> pd.DataFrame:  # fmt: skip
    """One row per test, outcome and variant against the control, with the "was it big enough?" check.

    ``recipients``: delivered recipients only, one row per person. For each test the toolkit's
    ``ab_readout`` (difference B - A, its interval, the p-value; Holm-adjusted when a test
    has several variants) and, at the control's rate: ``power_at_observed`` (the chance this
    test had to detect a difference as large as the one it shows), ``needed_per_variant``
    (people per variant to detect that difference with ``power``: ``digital.sample_size``),
    ``detectable_lift`` (the smallest lift it could detect with ``power``:
    ``digital.detectable_lift``) and ``big_enough`` (each arm had the people it needed).

    >>> r = pd.DataFrame({"test_id": "T1", "variant": ["A"] * 1000 + ["B"] * 1000,
    ...                   "clicked": [1] * 20 + [0] * 980 + [1] * 45 + [0] * 955})
    >>> t = ab_table(r, ["clicked"])
    >>> t[["variant", "difference", "significant", "needed_per_variant", "big_enough"]].round(4).values.tolist()
    [['B', 0.025, True, 760.0, True]]
    """
    from tqdm.auto import tqdm

    rows = []
    tests = list(recipients.groupby("test_id", sort=True))
    for test_id, part in tqdm(tests, desc="A/B tests", unit="test", disable=not progress, leave=False):
        for outcome in [o for o in outcomes if o in part.columns and part[o].notna().all()]:
            ctrl = control if control is not None and control in set(part["variant"].astype("str")) else None
            read = digital.ab_readout(part, outcome, control=ctrl, confidence=confidence, adjust=adjust)
            base = read.iloc[0] if ctrl is None else read[read["variant"] == ctrl].iloc[0]
            for r in read[read["variant"] != base["variant"]].itertuples():
                n_min = int(min(r.people, base["people"]))
                needed = _needed(base["rate"], r.difference, 1 - confidence, power)
                lift = digital.detectable_lift(base["rate"], n_min, alpha=1 - confidence, power=power) \
                    if 0 < base["rate"] < 1 and n_min >= 2 else float("nan")  # fmt: skip
                rows.append({"test_id": test_id, "outcome": outcome, "control": base["variant"], "variant": r.variant,
                             "control_people": int(base["people"]), "people": int(r.people),
                             "control_rate": float(base["rate"]), "rate": float(r.rate), "difference": float(r.difference),
                             "low": float(r.low), "high": float(r.high), "p_value": float(r.p_value),
                             "p_adjusted": float(r.p_adjusted), "significant": bool(r.significant),
                             "power_at_observed": _power(base["rate"], r.rate, int(base["people"]), int(r.people), 1 - confidence),
                             "needed_per_variant": needed, "detectable_lift": lift,
                             "big_enough": bool(not math.isnan(needed) and n_min >= needed)})  # fmt: skip
    cols = ["test_id", "outcome", "control", "variant", "control_people", "people", "control_rate", "rate", "difference",
            "low", "high", "p_value", "p_adjusted", "significant", "power_at_observed", "needed_per_variant",
            "detectable_lift", "big_enough"]  # fmt: skip
    out = pd.DataFrame(rows, columns=cols)
    out["verdict"] = [_verdict(r, power) for r in out.itertuples()]
    return out


def _verdict(r, power: float) -> str:
    if r.significant and r.big_enough:
        return f"{r.variant} {'better' if r.difference > 0 else 'worse'} than {r.control}: the interval leaves out 0"
    if r.significant:
        return (f"{r.variant} {'better' if r.difference > 0 else 'worse'} than {r.control}, but the test was too small "
                f"for a difference this size ({r.power_at_observed:.0%} power): the true difference is likely smaller")
    if r.control_rate == 0 and r.rate == 0:
        return "nothing to read: no one in either arm did it"
    if math.isnan(r.detectable_lift):
        return "no proof either way: too few people or too few successes to read"
    return (f"no proof either way: the interval includes 0; this test could only detect a lift of "
            f"{100 * r.detectable_lift:.2f} points or more")


def growth_table(sends: pd.DataFrame, members: pd.DataFrame | None, *, start, end) -> pd.DataFrame:
    """The list month by month: ``digital.list_growth`` with a list export, else the departures alone.

    Without the list export the joins and the size are unknown: the table has each month's
    unsubscribes and bounces, and the messages delivered, from the send report.
    """
    months = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq="M", name="month")
    if members is not None:
        work = sends.assign(send_date=sends["send_date"])
        deps = tuple(c for c in ("unsubscribes", "bounces") if c in sends.columns)
        grown = digital.list_growth(members, work, months[0].start_time, months[-1].end_time.normalize(), departures=deps)
        return grown.reset_index().assign(month=lambda d: d["month"].astype("str"))
    cols = [c for c in ("delivered", "unsubscribes", "bounces") if c in sends.columns]
    per = sends.groupby(sends["send_date"].dt.to_period("M"))[cols].sum().reindex(months, fill_value=0)
    per["left"] = per[[c for c in ("unsubscribes", "bounces") if c in per.columns]].sum(axis=1)
    return per.reset_index().assign(month=lambda d: d["month"].astype("str"))


GIFT_BANDS = [0, 10, 25, 50, 100, 250, 1000, np.inf]


def last_complete_period(as_of, freq: str = "M") -> pd.Period:
    """The last period (month, quarter, year) that is over on the day ``as_of``.

    >>> str(last_complete_period("2026-11-02")), str(last_complete_period("2026-10-31"))
    ('2026-10', '2026-10')
    """
    return (pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)).to_period(freq) - 1


def donor_tables(donations: pd.DataFrame, *, as_of, freq: str = "M", progress: bool = False
                 ) -> tuple[pd.DataFrame, dict, pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """Donor aggregates as one long table (``table``, ``group``, ``measure``, ``value``), no donor rows.

    Tables: ``gifts`` (``digital.gift_summary``), ``gift type`` (one-time vs recurring: receipts,
    donors, revenue, median gift), ``gift size`` (receipts and revenue per band of amounts),
    ``retention`` (``digital.cohort_retention``: each first-gift cohort's donors and the share
    who gave again k periods later, counting only the periods that are over at ``as_of``: a month
    two days old would read as a month nobody came back in), ``rfm segment`` (``digital.rfm_segments``: donors and money
    per segment). Also returns the summary dict, the retention table and the per-donor RFM
    table (for ``donor_rows``; never shown in the notebook).
    """
    from tqdm.auto import tqdm

    bar = tqdm(total=3, desc="donors", unit="step", disable=not progress, leave=False)
    recurring = "Recurring" if "Recurring" in donations.columns else None
    summary = digital.gift_summary(donations, recurring=recurring)
    rows = [("gifts", "all", k, float(v)) for k, v in summary.items()]
    gift_type = (donations["Recurring"].astype("str").str.strip().str.upper().isin(["Y", "YES", "TRUE", "1"])
                 .map({True: "recurring", False: "one-time"}) if recurring else pd.Series("all", index=donations.index))  # fmt: skip
    donor = donations["Donor Email"].astype("str").str.strip().str.lower()
    amounts = donations["Amount"].groupby(gift_type.to_numpy())
    by = pd.DataFrame({"receipts": amounts.size(), "revenue": amounts.sum(), "median_gift": amounts.median()})
    by["donors"] = donor.groupby(gift_type.to_numpy()).nunique()
    rows += [("gift type", g, m, float(v)) for g, r in by.iterrows() for m, v in r.items()]
    band = pd.cut(donations["Amount"], GIFT_BANDS, right=False)
    labels = {iv: (f"${iv.left:,.0f} or more" if np.isinf(iv.right) else f"${iv.left:,.0f} to ${iv.right - 0.01:,.2f}")
              for iv in band.cat.categories}  # fmt: skip
    sizes = donations.groupby(band, observed=False)["Amount"].agg(["size", "sum"])
    total = float(donations["Amount"].sum())
    for iv, r in sizes.iterrows():
        rows += [("gift size", labels[iv], "receipts", float(r["size"])), ("gift size", labels[iv], "revenue", float(r["sum"])),
                 ("gift size", labels[iv], "share_of_revenue", float(r["sum"]) / total if total else float("nan"))]  # fmt: skip
    bar.update()
    retention = digital.cohort_retention(donations, freq=freq, as_of=last_complete_period(as_of, freq).end_time)
    for cohort, r in retention.iterrows():
        rows.append(("retention", str(cohort), "donors", float(r[0])))
        rows += [("retention", str(cohort), f"gave again {k} later", float(v)) for k, v in r.items() if k and pd.notna(v)]
    bar.update()
    rfm = digital.rfm_segments(donations, as_of=as_of)
    seg = rfm.groupby("segment").agg(donors=("monetary", "size"), money=("monetary", "sum"))
    rows += [("rfm segment", s, m, float(v)) for s, r in seg.iterrows() for m, v in r.items()]
    bar.update()
    bar.close()
    return pd.DataFrame(rows, columns=["table", "group", "measure", "value"]), summary, retention, rfm


def _pct(x: float, digits: int = 2) -> str:
    return "n/a" if x is None or pd.isna(x) else f"{100 * x:.{digits}f}%"


def report_text(*, as_of, inputs: Mapping[str, str], program: pd.DataFrame | None, benchmarks: pd.DataFrame,
                ab: pd.DataFrame | None, growth: pd.DataFrame | None, donors: dict | None,
                retention: pd.DataFrame | None, segments: pd.DataFrame | None, recon: pd.DataFrame,
                period: str = "M") -> str:  # fmt: skip
    """The short report an organizer reads (Markdown): every figure computed from the tables it is given."""
    lines = [f"# Digital report, as of {pd.Timestamp(as_of):%m/%d/%Y}", ""]
    lines += ["Read from: " + "; ".join(f"{EXPORTS[k].title} `{v}`" for k, v in inputs.items()) + ".", ""]
    if program is not None and len(program):
        lines += ["## Email and text programs", "",
                  "Rates are over the messages **delivered** (a bounce never had the chance to be read); the bounce "
                  "rate is over those sent. Open rates are left out: Apple Mail opens messages for the reader, so "
                  "they say little. Clicks, actions and gifts are what people did.", ""]  # fmt: skip
        for ch, part in program[program["by"] == "program"].groupby("channel", sort=False):
            r = part.iloc[0]
            bits = [f"{int(r['messages']):,} sends", f"{int(r['sent']):,} sent", f"{int(r['delivered']):,} delivered"]
            bits += [f"{name} {_pct(r[col])}" for col, name in (("click_rate", "clicked"), ("action_rate", "took action"),
                     ("reply_rate", "replied"), ("response_rate", "gave"), ("unsubscribe_rate", "unsubscribed"),
                     ("opt_out_rate", "opted out")) if col in r.index and pd.notna(r[col])]  # fmt: skip
            if "revenue" in r.index and pd.notna(r["revenue"]):
                bits.append(f"${r['revenue']:,.0f} raised (${r['revenue_per_1000']:,.2f} per 1,000 delivered)")
            lines.append(f"- **{ch}**: " + ", ".join(bits) + ".")
        lines.append("")
        if len(benchmarks):
            lines += ["Against the M+R benchmarks (ratio: ours / theirs; for opt-outs and unsubscribes, lower is better):", "",
                      "| channel | message type | metric | ours | benchmark | ratio | better? | source |",
                      "|---|---|---|---|---|---|---|---|"]  # fmt: skip
            for b in benchmarks.itertuples():
                ours = f"${b.ours:,.2f}" if "revenue" in b.metric else _pct(b.ours)
                theirs = f"${b.benchmark:,.2f}" if "revenue" in b.metric else _pct(b.benchmark)
                lines.append(f"| {b.channel} | {b.message_type} | {b.metric} | {ours} | {theirs} | {b.ratio:.2f} | "
                             f"{'yes' if b.better else 'no'} | {b.source} |")
            lines.append("")
    if growth is not None and len(growth):
        lines += ["## The list", ""]
        if "at_end" in growth.columns:
            first, last = growth.iloc[0], growth.iloc[-1]
            lines.append(f"- {int(first['at_start']):,} subscribers at the start of {first['month']}, {int(last['at_end']):,} "
                         f"at the end of {last['month']}: {int(growth['joined'].sum()):,} joined, {int(growth['left'].sum()):,} "
                         f"left; monthly churn (left over the list at the start of the month) from "
                         f"{_pct(growth['churn'].min(), 1)} to {_pct(growth['churn'].max(), 1)}.")  # fmt: skip
            yearly, source = digital.LIST_BENCHMARKS["churn_per_year"]
            lines.append(f"- M+R: {yearly:.0%} of a list churns in a year ({source}), about "
                         f"{_pct(1 - (1 - yearly) ** (1 / 12), 1)} a month.")
        else:
            lines.append(f"- {int(growth['left'].sum()):,} left the list (unsubscribed or bounced) from {growth['month'].iloc[0]} "
                         f"to {growth['month'].iloc[-1]}. Give the list export (`list_file`) for the joins, the size and the churn.")
        lines.append("")
    if ab is not None and len(ab):
        lines += ["## A/B tests", "",
                  "Each variant against the control, on delivered recipients. *Big enough* means each arm had the "
                  "people needed to detect the difference the test shows with 80% power; a test too small for it "
                  "cannot tell a real difference from chance, and a 'winner' it finds is likely smaller than it looks.", "",
                  "| test | outcome | variant | rate (control) | difference, 95% interval | p (adjusted) | big enough? | needed per variant | verdict |",
                  "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
        for r in ab.itertuples():
            needed = "n/a" if pd.isna(r.needed_per_variant) else f"{int(r.needed_per_variant):,}"
            lines.append(f"| {r.test_id} | {r.outcome} | {r.variant} | {_pct(r.rate)} ({_pct(r.control_rate)}) | "
                         f"{100 * r.difference:+.2f} pts ({100 * r.low:+.2f} to {100 * r.high:+.2f}) | {r.p_adjusted:.3f} | "
                         f"{'yes' if r.big_enough else 'no'} ({r.people:,} of them) | {needed} | {r.verdict} |")  # fmt: skip
        lines.append("")
    if donors is not None:
        lines += ["## Donors", ""]
        lines.append(f"- {donors['donors']:,} donors gave {donors['gifts']:,} gifts, ${donors['revenue']:,.0f} in all. The typical "
                     f"gift is ${donors['median_gift']:,.0f} (the median); the mean, ${donors['mean_gift']:,.0f}, is pulled up by "
                     f"large gifts: the top 10% of donors gave {donors['top_10pct_share']:.0%} of the money.")  # fmt: skip
        if "recurring_gifts" in donors:
            lines.append(f"- {donors['recurring_gifts']:,} of the gifts are recurring charges, "
                         f"{donors['recurring_revenue_share']:.0%} of the money.")
        if retention is not None and retention.shape[1] > 1:
            later = [k for k in (1, 3, 6, 12) if k in retention.columns and retention[k].notna().any()]
            unit = {"M": "month", "Q": "quarter", "Y": "year"}.get(period, "period")
            shares = ", ".join(f"{_pct(retention[k].mean(), 1)} {k} {unit}{'s' if k > 1 else ''} later" for k in later)
            lines.append(f"- Of each {unit}'s new donors ({len(retention)} first-gift cohorts), the share who gave again, on "
                         f"average over the cohorts that had the time: {shares}.")
        if segments is not None and len(segments):
            seg = ", ".join(f"{s} {int(n):,}" for s, n in segments["donors"].items())
            lines.append(f"- RFM segments (donors): {seg}.")
        lines.append("")
    total_in = recon.groupby("file")["rows_in"].first()
    aside = recon.groupby("file")["rows_set_aside"].sum()
    lines += ["## Rows set aside", "", "Every row of every file is counted once: rows in = kept + set aside "
              "(`reconciliation.csv`; the rows and reasons in `set_aside.csv`).", ""]  # fmt: skip
    lines += [f"- {EXPORTS[f].title}: {int(total_in[f]):,} rows in, {int(aside[f]):,} set aside" for f in total_in.index]
    return "\n".join(lines) + "\n"
