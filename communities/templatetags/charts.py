"""Simple charts for dashboards and boards: a bar chart and a trend line drawn as inline SVG (no JavaScript, no
CDN, nothing the Content-Security-Policy forbids: no ``style=`` attributes, only SVG geometry), each with the
same figures as a table behind it for screen readers and print. Usage::

    {% load charts %}
    {% bar_chart rows "name" "value" caption="本月各项得分" max=1 unit="percent" %}
    {% trend_chart rows "month" "overall" caption="近 6 个月综合得分" max=1 unit="score" %}

``rows`` is a list of dicts or objects; ``label_key`` and ``value_key`` name the label and the value of each
(a value may be None: 暂无数据, no bar, a gap in the line). ``max`` is the top of the scale (default: the largest
value); ``unit`` formats the values: ``"percent"`` (0.9667 → 96.7%), ``"score"`` (0.9667 → 96.7 分),
``"minutes"`` (12.5 → 12.5 分钟, 7.0 → 7 分钟) or ``"number"`` (as is; a fraction to one decimal). A key may be
dotted to reach into a row: ``"medians.2"`` is ``row["medians"][2]``. A label that is a date shows as 2026-03
when ``month=True`` (trend_chart's default).
The SVG is ``aria-hidden``: the table (class ``ld-chart-table``: hidden on screen, printed) carries the data.
"""
import datetime as dt
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()

WIDTH, BAR_H, GAP, LABEL_W = 320, 22, 8, 110
TREND_H, PAD = 140, 24


def _get(row, key):
    for part in str(key).split("."):
        if row is None:
            return None
        if isinstance(row, (list, tuple)):
            row = row[int(part)] if part.isdigit() and int(part) < len(row) else None
        else:
            row = row.get(part) if isinstance(row, dict) else getattr(row, part, None)
    return row


def _one_decimal(value) -> str:
    text = f"{Decimal(str(value)):.1f}"
    return text[:-2] if text.endswith(".0") else text


def _fmt(value, unit: str) -> str:
    if value is None:
        return _("暂无数据")
    if unit == "percent":
        return f"{Decimal(value) * 100:.1f}%"
    if unit == "score":
        return _("%(n)s 分") % {"n": f"{Decimal(value) * 100:.1f}"}
    if unit == "minutes":
        return _("%(n)s 分钟") % {"n": _one_decimal(value)}
    if isinstance(value, float) or (isinstance(value, Decimal) and value != value.to_integral_value()):
        return _one_decimal(value)
    return str(value)


def _label(value, month: bool) -> str:
    if month and isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    return str(value)


def _points(rows, label_key, value_key, unit, month):
    return [{"label": _label(_get(r, label_key), month), "value": _get(r, value_key),
             "text": _fmt(_get(r, value_key), unit)} for r in rows]


def _top(points, given) -> Decimal:
    values = [Decimal(p["value"]) for p in points if p["value"] is not None]
    top = Decimal(given) if given is not None else max(values, default=Decimal(0))
    return top or Decimal(1)


@register.inclusion_tag("communities/charts/bars.html")
def bar_chart(rows, label_key, value_key, caption="", max=None, unit="number", month=False):
    points = _points(rows, label_key, value_key, unit, month)
    top = _top(points, max)
    span = WIDTH - LABEL_W - 60
    for i, p in enumerate(points):
        p["y"] = i * (BAR_H + GAP)
        p["text_y"] = p["y"] + BAR_H * 0.7
        p["w"] = 0 if p["value"] is None else round(float(min(Decimal(p["value"]), top) / top) * span, 1)
        p["text_x"] = LABEL_W + p["w"] + 4
    return {"points": points, "caption": caption, "width": WIDTH, "label_w": LABEL_W, "bar_h": BAR_H, "span": span,
            "height": len(points) * (BAR_H + GAP) or BAR_H}


@register.inclusion_tag("communities/charts/trend.html")
def trend_chart(rows, label_key, value_key, caption="", max=None, unit="number", month=True):
    points = _points(rows, label_key, value_key, unit, month)
    top = _top(points, max)
    n = len(points)
    step = (WIDTH - 2 * PAD) / (n - 1) if n > 1 else 0
    for i, p in enumerate(points):
        p["x"] = round(PAD + i * step, 1)
        p["y"] = None if p["value"] is None else round(
            TREND_H - PAD - float(min(Decimal(p["value"]), top) / top) * (TREND_H - 2 * PAD), 1)
        p["text_y"] = None if p["y"] is None else p["y"] - 8
        # Under the axis a month shows as its MM (2026-03 → 03); any other label (a quarter, 2026Q2) in full.
        p["axis"] = p["label"][5:] if month else p["label"]
    # One polyline per run of months with a value: a month without one is a gap, not a zero.
    runs, run = [], []
    for p in points:
        if p["y"] is None:
            runs, run = runs + ([run] if run else []), []
        else:
            run.append(f"{p['x']},{p['y']}")
    if run:
        runs.append(run)
    return {"points": points, "caption": caption, "width": WIDTH, "height": TREND_H, "base": TREND_H - PAD,
            "label_y": TREND_H - 6, "axis_end": WIDTH - PAD, "lines": [" ".join(r) for r in runs], "pad": PAD,
            "month": month}


@register.filter
def score100(value) -> str:
    """0.9667 → "96.7" (a score out of 100); None → 暂无数据."""
    return _("暂无数据") if value in (None, "") else f"{Decimal(value) * 100:.1f}"
