"""The station and its people (/property/station/…) and its management rules (服务站管理制度).

- Everyone in the village sees the station page: its heads, its posts and who holds them, the employer.
- Station staff and the village's committee staff read the staff details (certificates, training records,
  recruitment); villagers never see certificate numbers.
- The heads (负责人) and committee staff (the employer of record) manage: record certificates, hire, train,
  keep the employer's police filing.
- The rules (``propertyservice.rules.*``, a core document kind ``stationrule``): managers draft and adopt,
  station staff acknowledge each adopted version, staff and heads see who has.
"""
from django.db.models import Q

from communities.models import Community, DocumentVersion
from communities.policy import Rule

from ..models import Certificate, Recruit, StaffPost, StationPost, StationProfile, TrainingAttendance, TrainingSession
from .base import ALL, STAFF, STATION, STATION_AND_STAFF, heads_q, is_head


def _in_headed(prefix: str):
    def q(user) -> Q:
        return Q(**{f"{prefix}community__in": Community.objects.filter(heads_q(user)).values("pk")})
    return q


HEAD_SCOPE = {Community: lambda user: heads_q(user), DocumentVersion: _in_headed(""), Certificate: _in_headed(""),
              Recruit: _in_headed(""), StaffPost: _in_headed(""), StationPost: _in_headed(""),
              StationProfile: _in_headed(""), TrainingSession: _in_headed(""),
              TrainingAttendance: _in_headed("session__")}


def _head(user, obj) -> bool:
    return is_head(user, obj)


MANAGE = Rule(STAFF, town=False, extra=_head, extra_roles=STATION, extra_scope=HEAD_SCOPE)

RULES: dict[str, Rule] = {
    # The station page: heads, posts and who holds them, the employer of record. Town roles read it.
    "propertyservice.station.view": Rule(ALL),
    # Staff details (certificates with numbers, training records, recruitment): station staff and committee.
    "propertyservice.station.staff": Rule(STATION_AND_STAFF),
    # Hire, record certificates and training, keep the police filing: the heads and committee staff.
    "propertyservice.station.manage": MANAGE,
    # The station's management rules, a core document kind (registered in propertyservice.door).
    "propertyservice.rules.draft": MANAGE,
    "propertyservice.rules.adopt": MANAGE,
    "propertyservice.rules.acknowledge": Rule(STATION, town=False),
    "propertyservice.rules.report": Rule(STATION_AND_STAFF),
}
