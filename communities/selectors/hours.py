"""Reads of the volunteer-hours record. Totals are 平台记录 (platform records): only current recorded entries
count (``VolunteerHours.objects.counted()``); the word 证明 belongs to certificates alone.

Every list here costs the same number of queries for 1 entry or 500 (select_related / prefetch_related).
"""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import policy
from ..models import HoursCorrectionRequest, VolunteerCertificate, VolunteerHours
from .personal_data import Subject

Status = VolunteerHours.Status


def _entries():
    return VolunteerHours.objects.select_related(
        "community", "team", "confirmed_by__person", "corrects").prefetch_related(
        Prefetch("correction_requests", to_attr="open_requests",
                 queryset=HoursCorrectionRequest.objects.filter(status=HoursCorrectionRequest.Status.OPEN)))


@dataclass
class Month:
    month: dt.date
    entries: list = field(default_factory=list)
    recorded_minutes: int = 0

    @property
    def recorded_hours(self) -> float:
        return round(self.recorded_minutes / 60, 2)


def month_of(moment) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def hours_by_month(entries) -> list[Month]:
    """Entries (newest first) grouped by the month they started in; each month's total counts recorded ones."""
    months: dict[dt.date, Month] = {}
    for entry in entries:
        month = months.setdefault(month_of(entry.starts_at), Month(month_of(entry.starts_at)))
        month.entries.append(entry)
        if entry.status == Status.RECORDED:
            month.recorded_minutes += entry.minutes
    return sorted(months.values(), key=lambda m: m.month, reverse=True)


def my_hours(*, user) -> list[Month]:
    """The user's current entries (any status; corrected ones are replaced by their correction), by month."""
    return hours_by_month(_entries().current().filter(volunteer=user).order_by("-starts_at", "-id"))


def total_minutes(*, user) -> int:
    return VolunteerHours.objects.counted().filter(volunteer=user).aggregate(total=Sum("minutes"))["total"] or 0


def my_certificates(*, user):
    return VolunteerCertificate.objects.filter(volunteer=user).exclude(
        status=VolunteerCertificate.Status.VOID).select_related("community").order_by("-created_at")


# --- for the organiser ----------------------------------------------------------------------------------

def review_queue(*, user) -> dict:
    """What waits for this user: manual entries to confirm (staff, or the organising team's backbones), and for
    staff entries waiting for review and volunteers' correction requests."""
    base = _entries().select_related("volunteer__person", "entered_by__person").order_by("starts_at", "id")
    to_confirm = policy.scope(user, "hours.confirm", base.filter(status=Status.AWAITING_CONFIRMATION))
    to_review = policy.scope(user, "hours.manage", base.filter(status=Status.AWAITING_REVIEW))
    requests = policy.scope(user, "hours.manage", HoursCorrectionRequest.objects.filter(
        status=HoursCorrectionRequest.Status.OPEN).select_related(
        "entry__community", "entry__team", "requested_by__person").order_by("created_at"))
    return {"to_confirm": list(to_confirm), "to_review": list(to_review), "requests": list(requests)}


def month_bounds(month: dt.date):
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(month.replace(day=1), dt.time.min, tzinfo=tz)
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, dt.datetime.combine(following, dt.time.min, tzinfo=tz)


def community_month_entries(*, community, month: dt.date):
    """A month's current entries the community organised (any status), for staff to check and correct."""
    start, end = month_bounds(month)
    return (_entries().select_related("volunteer__person").current()
            .filter(community=community, starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "id"))


def export_entries(*, community, month: dt.date):
    """What goes to the national volunteer system: the month's current recorded entries the community organised."""
    start, end = month_bounds(month)
    return (VolunteerHours.objects.counted()
            .filter(community=community, starts_at__gte=start, starts_at__lt=end)
            .select_related("volunteer__person", "community", "team", "confirmed_by__person")
            .order_by("starts_at", "id"))


# The columns the national volunteer system (全国志愿服务信息系统) asks for when service hours are imported. The
# file is written in the community's language whatever the exporter reads (the import expects these names).
EXPORT_HEADERS = (_("志愿者姓名"), _("手机号"), _("服务项目/活动名称"), _("服务开始时间"), _("服务结束时间"),
                  _("服务时长(小时)"), _("服务地点"), _("组织单位"), _("确认人/方式"))


def export_subjects(entries, community) -> list[Subject]:
    return [Subject(key=e.volunteer_id, person=getattr(e.volunteer, "person", None),
                    value=getattr(getattr(e.volunteer, "person", None), "phone", ""), community_id=community.pk,
                    target=community, decided_by=("community", community.pk)) for e in entries]


def confirmation_text(entry) -> str:
    how = entry.get_confirmed_how_display()
    if entry.confirmed_by_id:
        return f"{entry.confirmed_by.display_name()} / {how}" if how else entry.confirmed_by.display_name()
    return str(how)


def export_rows(*, entries, phones: dict) -> list[list]:
    return [[e.volunteer.display_name(), phones.get(e.volunteer_id, ""), e.activity, e.starts_at, e.ends_at,
             round(e.minutes / 60, 2), e.place, e.team.name if e.team_id else e.community.name, confirmation_text(e)]
            for e in entries]


@dataclass(frozen=True)
class TeamMonth:
    month: dt.date
    team: str
    minutes: int
    volunteers: int
    entries: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


def team_month_totals(*, community, since: dt.date) -> list[TeamMonth]:
    """平台记录 per organising team (the committee itself when no team) and month, from ``since``."""
    start, _ = month_bounds(since)
    rows = (VolunteerHours.objects.counted().filter(community=community, starts_at__gte=start)
            .annotate(month=TruncMonth("starts_at")).values("month", "team__name")
            .annotate(minutes=Sum("minutes"), volunteers=Count("volunteer", distinct=True), entries=Count("id"))
            .order_by("-month", "team__name"))
    return [TeamMonth(month=timezone.localtime(r["month"]).date() if isinstance(r["month"], dt.datetime)
                      else r["month"], team=r["team__name"] or community.name, minutes=r["minutes"],
                      volunteers=r["volunteers"], entries=r["entries"]) for r in rows]


# --- certificates -------------------------------------------------------------------------------------

def certificate_register(*, community):
    return (VolunteerCertificate.objects.filter(community=community)
            .select_related("volunteer__person", "handler__person").order_by("-created_at", "-id"))


def certificates_in_notice(*, community):
    """The public notice inside the unit: certificates being published before they are issued."""
    return (VolunteerCertificate.objects.filter(community=community, status=VolunteerCertificate.Status.NOTICE)
            .order_by("notice_starts_on", "id"))



def member_by_phone(*, community, phone: str):
    """The user of ``community`` with this (normalised) phone, or None: how staff name a volunteer on a form."""
    from ..models import User

    return (User.objects.filter(person__phone=phone, memberships__community=community, is_active=True)
            .select_related("person").distinct().first())


def leads_a_team(*, user) -> bool:
    """A current backbone of any team: who, besides staff, may confirm the entries their team organised."""
    from ..models import Backbone

    return Backbone.objects.filter(user=user, term_end__isnull=True).exists()
