"""Plotly figures for the report: one chart per unit group, each point carrying its source.

Every point's customdata is [url, hover html]; the page script opens the url on
click. Conflicting and derived points get an extra marker trace so they are
visible in the chart and named in the legend.

Figures are plain dicts rendered with validate=False: plotly's object
validation (mostly of the template) cost ~70 ms per chart, most of a build.
"""

from __future__ import annotations

import html
import textwrap
from collections import defaultdict
from functools import lru_cache
from typing import Any

from scrapers.analyst.labels import UNIT_NAMES, chart_value, fmt_change, fmt_value, series_name

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#7f7f7f")
CASE_METRICS = ("total", "carried_over", "new", "enforceable", "unenforceable", "completed", "remaining")
RATE_METRICS = ("completion_rate", "target_rate")
CONFIG = {"displaylogo": False, "responsive": True}


def hover_html(row: dict[str, Any], names=None) -> str:
    lines = [f"<b>{html.escape(series_name(row['metric'], row['unit'], row.get('basis'), names))}</b>",
             f"{html.escape(row['period_text'])}: <b>{html.escape(fmt_value(row['value'], row['unit']))}</b>"]
    change = fmt_change(row.get("yoy_change"), row["unit"], row.get("yoy_change_pct"))
    if change:
        lines.append(f"vs prior year: {html.escape(change)}")
    if row.get("has_conflict"):
        lines.append("⚠ sources disagree on this figure")
    if row.get("value_is_derived"):
        lines.append("◇ derived: computed by the warehouse, not stated in an article")
    if row.get("quote"):
        wrapped = textwrap.wrap(row["quote"], 70)[:6]
        lines.append("<i>" + "<br>".join(html.escape(w) for w in wrapped) + "</i>")
    if row.get("url"):
        lines.append(f"source: {html.escape(row['url'][:90])} (click to open)")
    return "<br>".join(lines)


def _points(rows: list[dict[str, Any]], names) -> dict[str, list]:
    return {
        "x": [r["period_end"].isoformat() for r in rows],
        "y": [chart_value(r["value"], r["unit"]) for r in rows],
        "customdata": [[r.get("url") or "", hover_html(r, names)] for r in rows],
    }


@lru_cache(maxsize=1)
def _template() -> dict:
    import plotly.io as pio

    return pio.templates["plotly_white"].to_plotly_json()


class Fig:
    """The little of plotly.graph_objects.Figure the report needs, as dicts."""

    def __init__(self, trace: dict | None = None):
        self.data: list[dict] = [trace] if trace else []
        self.layout: dict = {}

    def add_trace(self, trace: dict) -> None:
        self.data.append(trace)

    def update_layout(self, **layout) -> None:
        layout["template"] = _template() if layout.get("template") == "plotly_white" else layout.get("template")
        self.layout.update(layout)

    def to_dict(self) -> dict:
        return {"data": self.data, "layout": self.layout}


def scatter(**kw) -> dict:
    return {"type": "scatter", **kw}


def bar(**kw) -> dict:
    return {"type": "bar", **kw}


def series_figure(rows: list[dict[str, Any]], unit: str, metrics: tuple[str, ...], title: str, names=None):
    """Lines over statistical years, markers for partial periods; None when there is nothing to draw."""
    rows = [r for r in rows if r["unit"] == unit and r["metric"] in metrics and r["value"] is not None]
    if not rows:
        return None
    groups: dict[tuple, list] = defaultdict(list)
    for r in rows:
        groups[(metrics.index(r["metric"]), r["metric"], r.get("basis") or "")].append(r)
    fig = Fig()
    hover = "%{customdata[1]}<extra></extra>"
    shown: list[dict[str, Any]] = []
    for i, (key, grp) in enumerate(sorted(groups.items())):
        _, metric, basis = key
        grp.sort(key=lambda r: (r["period_end"], r["period_start"]))
        color = PALETTE[i % len(PALETTE)]
        name = series_name(metric, unit, basis or None, names)
        years = [r for r in grp if r["period_kind"] == "year"]
        partial = [r for r in grp if r["period_kind"] != "year"]
        if years:
            fig.add_trace(scatter(name=name, legendgroup=name, mode="lines+markers", line={"color": color},
                                  marker=_marker(years, color, "circle", 8), hovertemplate=hover,
                                  **_points(years, names)))
            shown += years
        if partial:
            # Part-year figures are cumulative within their year and would zigzag around the yearly line:
            # off until clicked in the legend, unless they are all this series has.
            fig.add_trace(scatter(name=f"{name} (part-year periods)", legendgroup=name, mode="markers",
                                  marker=_marker(partial, color, "diamond", 9), hovertemplate=hover,
                                  visible="legendonly" if years else True, **_points(partial, names)))
            if not years:
                shown += partial
    for flag, label, marker in (
        ("value_is_derived", "◇ derived value", {"symbol": "diamond-open", "size": 16,
                                                 "color": "#555", "line": {"width": 2}}),
        ("has_conflict", "⚠ sources disagree", {"symbol": "circle-open", "size": 20,
                                                "color": "#d00", "line": {"width": 3}}),
    ):
        flagged = [r for r in shown if r.get(flag)]
        if flagged:
            fig.add_trace(scatter(name=label, mode="markers", marker=marker, hovertemplate=hover,
                                  **_points(flagged, names)))
    fig.update_layout(
        title={"text": title}, template="plotly_white", height=460, margin={"l": 60, "r": 20, "t": 60, "b": 30},
        hovermode="closest", legend={"orientation": "h", "y": -0.1, "yanchor": "top"},
        yaxis={"title": {"text": UNIT_NAMES.get(unit, unit)}, "rangemode": "tozero"},
        xaxis={"tickformat": "%m/%Y"},
    )
    return fig


def _marker(rows: list[dict[str, Any]], color: str, symbol: str, size: int) -> dict:
    """Per-point marks, so a flagged point stays marked when its trace is toggled on."""
    return {"color": color, "size": size,
            "symbol": [f"{symbol}-open" if r.get("value_is_derived") else symbol for r in rows],
            "line": {"color": ["#d00" if r.get("has_conflict") else color for r in rows],
                     "width": [3 if r.get("has_conflict") else 0 for r in rows]}}


def league_figure(entries: list[dict[str, Any]], title: str, names=None):
    """Horizontal bars of each province's rate for the league period."""
    entries = [e for e in entries if e.get("rank_row")]
    if not entries:
        return None
    entries = list(reversed(entries))  # plotly draws the first bar at the bottom
    rows = [e["rank_row"] for e in entries]
    fig = Fig(bar(
        orientation="h", y=[e["scope_name"] for e in entries], x=[r["value"] for r in rows],
        customdata=[[r.get("url") or "", hover_html(r, names)] for r in rows],
        hovertemplate="%{customdata[1]}<extra></extra>", name="completion rate",
        marker={"color": ["#f4a3a3" if r.get("has_conflict") else "#9ecae1" for r in rows],
                "line": {"color": ["#d00" if r.get("has_conflict") else "#3182bd" for r in rows],
                         "width": [3 if r.get("has_conflict") else 1 for r in rows]},
                "pattern": {"shape": ["/" if r.get("value_is_derived") else "" for r in rows]}},
        text=[fmt_value(r["value"], "percent") + (" ⚠" if r.get("has_conflict") else "")
              + (" ◇" if r.get("value_is_derived") else "") for r in rows],
        textposition="auto",
    ))
    fig.update_layout(title={"text": title}, template="plotly_white",
                      height=max(260, 60 + 28 * len(entries)), margin={"l": 140, "r": 20, "t": 60, "b": 40},
                      xaxis={"title": {"text": "%"}, "rangemode": "tozero"})
    return fig


def figure_html(fig: Fig, div_id: str) -> str:
    import plotly.io as pio

    # A fixed div id keeps the output byte-identical across runs on the same warehouse.
    return pio.to_html(fig.to_dict(), full_html=False, include_plotlyjs=False, div_id=div_id, config=CONFIG,
                       validate=False)
