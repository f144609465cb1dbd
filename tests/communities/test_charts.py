"""The chart tags: inline SVG with the same figures in a table; a missing value is a gap, never a zero."""
import datetime as dt
from decimal import Decimal

from django.template import Context, Template


def render(source, **context) -> str:
    return Template("{% load charts %}" + source).render(Context(context))


def test_bars_draw_each_value_and_list_it_in_the_table():
    rows = [{"name": "客观指标", "v": Decimal("0.9")}, {"name": "诉求办理", "v": None}]
    html = render('{% bar_chart rows "name" "v" caption="各类得分" max=1 unit="score" %}', rows=rows)
    assert html.count('class="ld-chart-bar"') == 1  # no bar for the missing value
    assert 'width="135.0"' in html  # 0.9 of the 150-wide track
    assert "<th scope=\"row\">诉求办理</th><td>暂无数据</td>" in html and "<td>90.0 分</td>" in html
    assert 'aria-hidden="true"' in html and "<caption>各类得分</caption>" in html
    assert "style=" not in html and "<script" not in html


def test_a_trend_line_breaks_at_a_month_without_a_value():
    months = [dt.date(2026, m, 1) for m in (1, 2, 3, 4)]
    rows = [{"m": m, "v": v} for m, v in zip(months, (Decimal("0.5"), Decimal("0.7"), None, Decimal("1")))]
    html = render('{% trend_chart rows "m" "v" max=1 unit="percent" %}', rows=rows)
    assert html.count("<polyline") == 2  # Jan–Feb, then Apr alone
    assert "<th scope=\"row\">2026-03</th><td>暂无数据</td>" in html and "<td>70.0%</td>" in html


def test_score100():
    assert render("{{ v|score100 }}", v=Decimal("0.96666")) == "96.7"
    assert render("{{ v|score100 }}", v=None) == "暂无数据"


def test_a_dotted_key_reaches_into_a_list_and_minutes_read_as_minutes():
    months = [dt.date(2026, m, 1) for m in (1, 2)]
    rows = [{"m": months[0], "medians": [3, 5, 12.5, None]}, {"m": months[1], "medians": [None, None, None, None]}]
    html = render('{% trend_chart rows "m" "medians.2" unit="minutes" %}', rows=rows)
    assert "<td>12.5 分钟</td>" in html
    assert "<th scope=\"row\">2026-02</th><td>暂无数据</td>" in html  # a median of nothing says so


def test_a_fraction_shows_to_one_decimal():
    html = render('{% bar_chart rows "n" "v" %}', rows=[{"n": "a", "v": 7.333333}, {"n": "b", "v": 4}])
    assert "<td>7.3</td>" in html and "<td>4</td>" in html and "7.333" not in html
