"""One-page dashboards as small multiples, and what a figure's panels hold.

A dashboard is one figure of several small panels (``plt.subplots(rows, cols)``), each with
its own title and labelled axes, so a reader compares them at a glance. :func:`figure_panels`
describes a finished figure as a table (one row per panel), which is how a test, or a
colleague, checks that the panels asked for are there without looking at the picture.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, axes = plt.subplots(1, 2)
>>> _ = axes[0].bar(["door", "phone"], [12, 30]); _ = axes[0].set_title("Shifts by kind")
>>> _ = axes[0].set_xlabel("Kind of shift"); _ = axes[0].set_ylabel("Shifts")
>>> _ = axes[1].plot([1, 2, 3], [5, 7, 6]); _ = axes[1].set_title("Volunteers by week")
>>> figure_panels(fig)[["title", "xlabel", "ylabel", "bars", "lines", "points"]].values.tolist()
[['Shifts by kind', 'Kind of shift', 'Shifts', 2, 0, 2], ['Volunteers by week', '', '', 0, 1, 3]]
>>> plt.close(fig)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["figure_panels"]


def figure_panels(fig) -> pd.DataFrame:
    """One row per panel (axes) of a matplotlib figure: what it says and what it draws.

    Columns: ``title``, ``xlabel``, ``ylabel`` (text, "" when missing), ``bars`` (rectangles
    drawn: bars and histogram bins), ``lines`` (plotted lines), ``points`` (data points of the
    lines, scatters and bars), ``y_min`` and ``y_max`` (the smallest and largest plotted value:
    a bar's height or a point's y), ``legend`` (True when the panel has one). Panels are in the
    figure's order (row by row for ``plt.subplots``). The figure is not modified.
    """
    rows = []
    for ax in fig.axes:
        bars = [p for p in ax.patches if type(p).__name__ == "Rectangle"]
        lefts, bottoms = {round(b.get_x(), 9) for b in bars}, {round(b.get_y(), 9) for b in bars}
        if len(bars) > 1 and len(lefts) == 1 and len(bottoms) > 1:  # barh: a bar's value is its width
            ys = [b.get_x() + b.get_width() for b in bars]
        else:
            ys = [b.get_y() + b.get_height() for b in bars]
        lines = [ln for ln in ax.get_lines() if len(np.atleast_1d(ln.get_ydata())) > 0]
        n_points = len(bars)
        for ln in lines:
            y = np.asarray(ln.get_ydata(), dtype=float)
            n_points += len(y)
            ys += list(y[np.isfinite(y)])
        for coll in ax.collections:
            offsets = np.asarray(coll.get_offsets(), dtype=float)
            if offsets.ndim == 2 and len(offsets):
                n_points += len(offsets)
                ys += list(offsets[np.isfinite(offsets[:, 1]), 1])
        rows.append({"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                     "bars": len(bars), "lines": len(lines), "points": n_points,
                     "y_min": float(min(ys)) if ys else float("nan"), "y_max": float(max(ys)) if ys else float("nan"),
                     "legend": ax.get_legend() is not None})  # fmt: skip
    return pd.DataFrame(rows, columns=["title", "xlabel", "ylabel", "bars", "lines", "points", "y_min", "y_max", "legend"])
