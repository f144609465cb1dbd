"""The station's objective checks (客观指标) that the monthly evaluation fills from the app's own data.

Each area adds one line to ``METRICS``: a key, its label, and the dotted path of
``fn(*, community, start: datetime.date, end: datetime.date) -> Measure`` over the days ``start`` ≤ day < ``end``
(Asia/Shanghai). ``Measure.part`` of ``Measure.whole`` is the share met (patrols completed of patrols due,
hand-overs on time of hand-overs, calls answered of calls …); ``whole == 0`` means nothing was due and the check
is left out of the score rather than counted as met or failed. ``lower_is_better`` inverts a count
(flying wires found: 0 found is full marks). Each fn runs a fixed number of queries."""
from dataclasses import dataclass
from decimal import Decimal

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Measure:
    part: Decimal | int
    whole: Decimal | int
    note: str = ""  # e.g. "29 / 30 次巡逻按时完成"


@dataclass(frozen=True)
class Metric:
    key: str
    label: object
    fn: str  # dotted path


METRICS: list[Metric] = [
    Metric("patrols_completed", _("巡逻完成率"), "propertyservice.selectors.patrols.patrols_completed"),
    Metric("garbage_on_time", _("垃圾按时交接率"), "propertyservice.selectors.patrols.garbage_on_time"),
    Metric("incident_response", _("突发事件到场达标"), "propertyservice.selectors.incidents.incident_response_measure"),
    Metric("hotline_answered", _("热线来电按时答复"), "propertyservice.selectors.hotline.hotline_answered_measure"),
    Metric("no_flying_wires", _("无飞线充电（无新发现的天数 / 天数）"), "propertyservice.selectors.sheds.no_flying_wires"),
    Metric("sheds_safe", _("充电棚每日安全检查完成且正常"), "propertyservice.selectors.sheds.sheds_safe"),
    Metric("suggestions_answered", _("村民意见已答复"), "propertyservice.selectors.sheds.suggestions_measure"),
    Metric("station_certified", _("持证上岗"), "propertyservice.selectors.station.certified_measure"),
]


def measure(key: str, *, community, start, end) -> Measure:
    metric = next(m for m in METRICS if m.key == key)
    return import_string(metric.fn)(community=community, start=start, end=end)
