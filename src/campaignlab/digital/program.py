"""Rates of an email or SMS program, over the right denominator, and the published benchmarks.

A rate's denominator is the messages that **arrived** (delivered = sent - bounced): a bounce
never had the chance to be opened, clicked or answered. Revenue is given per 1,000 messages
delivered. Opens are reported, but Apple Mail Privacy Protection opens messages for the
reader ("machine opens", about half of all opens since 2021), so an open rate says little:
use clicks and actions instead.

>>> import pandas as pd
>>> sends = pd.DataFrame({"message_type": ["fundraising", "fundraising", "advocacy"],
...     "recipients": [1000, 1000, 500], "delivered": [980, 990, 490], "bounces": [20, 10, 10],
...     "opens": [300, 310, 150], "clicks": [6, 4, 12], "actions": [1, 1, 9], "gifts": [1, 1, 0],
...     "revenue": [60, 50, 0], "unsubscribes": [2, 1, 1]})
>>> m = program_metrics(sends, by="message_type")
>>> m.loc["fundraising", ["delivered", "click_rate", "revenue_per_1000"]].round(4).tolist()
[1970.0, 0.0051, 55.8376]
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["BENCHMARKS", "LIST_BENCHMARKS", "program_metrics", "against_benchmarks", "text_benchmark_kind", "text_against_benchmarks"]

#: Published benchmarks (DOMAIN.md; M+R Benchmarks), message type -> metric -> (value, source).
#: Rates are per message delivered; revenue per 1,000 messages. M+R's "response rate" is the
#: people who did what the message asked, per message delivered: a gift for a fundraising
#: message (our ``response_rate``), an action for an advocacy email or a text (``action_rate``).
BENCHMARKS: dict[str, dict[str, tuple[float, str]]] = {
    "fundraising": {"click_rate": (0.0054, "M+R Benchmarks 2022"), "response_rate": (0.0009, "M+R Benchmarks 2022"),
                    "revenue_per_1000": (58.0, "M+R Benchmarks 2024")},
    "advocacy": {"click_rate": (0.021, "M+R Benchmarks 2024"), "action_rate": (0.018, "M+R Benchmarks 2024")},
    "welcome": {"click_rate": (0.032, "M+R Benchmarks 2022")},
    "newsletter": {"click_rate": (0.011, "M+R Benchmarks 2022")},
    "text": {"click_rate": (0.048, "M+R Benchmarks 2024"), "action_rate": (0.039, "M+R Benchmarks 2024")},
    "fundraising text": {"click_rate": (0.042, "M+R Benchmarks 2019"), "opt_out_rate": (0.007, "M+R Benchmarks 2019")},
    "p2p text": {"reply_rate": (0.14, "M+R Benchmarks 2019"), "opt_out_rate": (0.02, "M+R Benchmarks 2019")},
}  # fmt: skip

#: Published figures for the list as a whole (DOMAIN.md; M+R Benchmarks): metric -> (value, source).
#: Yearly shares of the list, not rates per message: a list that loses 9.1% of its subscribers
#: to unsubscribes in a year, at ~60 emails each, loses ~0.15% of them per email delivered.
LIST_BENCHMARKS: dict[str, tuple[float, str]] = {
    "churn_per_year": (0.15, "M+R Benchmarks 2024"),
    "unsubscribes_per_year": (0.091, "M+R Benchmarks 2022"),
    "bounces_per_year": (0.078, "M+R Benchmarks 2022"),
    "emails_per_subscriber_per_year": (60.0, "M+R Benchmarks 2022"),
}

#: count column -> the rate it gives, over delivered messages
_RATES = {"opens": "open_rate", "clicks": "click_rate", "actions": "action_rate", "gifts": "response_rate",
          "unsubscribes": "unsubscribe_rate", "replies": "reply_rate", "opt_outs": "opt_out_rate"}  # fmt: skip


def program_metrics(sends: pd.DataFrame, by: str | Sequence[str] | None = None, *, sent: str = "recipients") -> pd.DataFrame:
    """Totals and rates per group of messages (or for the whole program when ``by`` is None).

    Counts are summed first, then divided: a rate over a group is its total over its total
    delivered, not the average of each message's rate (a small test send would weigh as
    much as a send to the whole list). ``sent``: the column of messages sent (``"sent"`` in
    an SMS report). Columns a report lacks are skipped; a blank count (the platform did not
    track it) stays missing and does not count as zero.

    Returns one row per group: messages, sent, delivered, bounces, the counts, the
    ``delivery_rate`` and ``bounce_rate`` (over sent: the share that did not arrive), every
    other rate over delivered, ``revenue_per_1000`` (delivered) and ``average_gift``.
    """
    missing = [c for c in (sent, "delivered") if c not in sends.columns]
    if missing:
        raise KeyError(f"program_metrics: the report has no {missing} column; columns found: {list(sends.columns)}")
    counts = [c for c in ("bounces", *_RATES, "revenue") if c in sends.columns]
    data = sends[[sent, "delivered", *counts]].apply(pd.to_numeric, errors="coerce")
    keys = [by] if isinstance(by, str) else list(by or [])
    if keys:
        data = pd.concat([sends[keys], data], axis=1)
        g = data.groupby(keys, sort=True)
        totals = g[[sent, "delivered", *counts]].sum(min_count=1)
        totals.insert(0, "messages", g.size())
    else:
        totals = data.sum(min_count=1).to_frame().T
        totals.insert(0, "messages", len(sends))
        totals.index = ["all"]
    out = totals.rename(columns={sent: "sent"})
    out["delivery_rate"] = out["delivered"] / out["sent"]
    if "bounces" in out.columns:
        out["bounce_rate"] = out["bounces"] / out["sent"]  # the one rate over sent: what did not arrive
    for col, rate in _RATES.items():
        if col in out.columns:
            out[rate] = out[col] / out["delivered"]
    if "revenue" in out.columns:
        out["revenue_per_1000"] = 1000 * out["revenue"] / out["delivered"]
        if "gifts" in out.columns:
            out["average_gift"] = out["revenue"] / out["gifts"].where(out["gifts"] > 0)
    return out


def against_benchmarks(metrics: pd.DataFrame, kind: str | None = None) -> pd.DataFrame:
    """Each program rate beside its published benchmark: ours, theirs, ratio, source.

    ``metrics``: :func:`program_metrics` rows indexed by message type (or one row with
    ``kind`` naming the benchmark to use).

    >>> m = pd.DataFrame({"click_rate": [0.006], "response_rate": [0.001]}, index=["fundraising"])
    >>> against_benchmarks(m)[["metric", "ours", "benchmark", "ratio"]].round(3).values.tolist()
    [['click_rate', 0.006, 0.005, 1.111], ['response_rate', 0.001, 0.001, 1.111]]
    """
    rows = []
    for name, row in metrics.iterrows():
        ref = BENCHMARKS.get(kind or str(name))
        if ref is None:
            continue
        for metric, (value, source) in ref.items():
            if metric in row.index and pd.notna(row[metric]):
                rows.append({"message_type": kind or name, "metric": metric, "ours": float(row[metric]),
                             "benchmark": value, "ratio": float(row[metric]) / value, "source": source})  # fmt: skip
    return pd.DataFrame(rows, columns=["message_type", "metric", "ours", "benchmark", "ratio", "source"])


def text_benchmark_kind(send_type: str, purpose: str | None = None) -> str:
    """The benchmark a text send compares with: peer-to-peer, fundraising broadcast, or other broadcast.

    M+R report peer-to-peer texts (a person sends each one and reads the replies) apart from
    broadcast texts (one message to the whole list, answered with a click), and fundraising
    broadcasts apart from the rest.

    >>> text_benchmark_kind("p2p", "gotv"), text_benchmark_kind("broadcast", "fundraising"), text_benchmark_kind("broadcast", "event")
    ('p2p text', 'fundraising text', 'text')
    """
    kind = str(send_type).strip().lower().replace("-", "").replace(" ", "")
    if kind in {"p2p", "peertopeer"}:
        return "p2p text"
    return "fundraising text" if str(purpose).strip().lower() == "fundraising" else "text"


def text_against_benchmarks(sms: pd.DataFrame, *, send_type: str = "send_type", purpose: str = "purpose") -> pd.DataFrame:
    """An SMS report's rates by send type and purpose beside M+R's text benchmarks.

    Rates are over delivered texts, summed per group (:func:`program_metrics` with
    ``sent="sent"``); each group is compared with :func:`text_benchmark_kind`'s benchmark.
    A rate the report does not track for that kind (clicks of a P2P text) is left out.

    >>> sms = pd.DataFrame({"send_type": ["p2p", "broadcast"], "purpose": ["gotv", "fundraising"],
    ...     "sent": [1000, 1000], "delivered": [970, 980], "replies": [130, None], "opt_outs": [20, 6],
    ...     "clicks": [None, 40]})
    >>> text_against_benchmarks(sms)[["send_type", "metric", "benchmark"]].values.tolist()
    [['broadcast', 'click_rate', 0.042], ['broadcast', 'opt_out_rate', 0.007], ['p2p', 'reply_rate', 0.14], ['p2p', 'opt_out_rate', 0.02]]
    """
    metrics = program_metrics(sms, by=[send_type, purpose], sent="sent")
    parts = []
    for (kind, why), row in metrics.iterrows():
        got = against_benchmarks(row.to_frame().T, kind=text_benchmark_kind(kind, why))
        parts.append(got.assign(send_type=kind, purpose=why))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    cols = ["send_type", "purpose", "message_type", "metric", "ours", "benchmark", "ratio", "source"]
    return out.reindex(columns=cols)
