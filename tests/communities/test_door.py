"""The door (communities.extensions): panels on core pages, where a case came from, which apps serve a
community, and the apps' figures on the Party dashboard."""
import datetime as dt
import importlib
import logging

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from communities import extensions
from communities.models import (
    ActionItem, CaseOrigin, CommunityApp, CommunityFigure, MeetingKind, Role, RoutingRule, Rota, RotaMember, Shift,
    ShiftAssignment, Team,
)
from communities.selectors.dashboard import dashboard_for
from communities.services import meetings as meeting_svc
from communities.services.cases import case_origin_record
from communities.services.figures import record_figure
from landlords.models import MediationRecord
from landlords.services.figures import landlords_figures_record
from landlords.services.mediation import mediation_record_create
from landlords.services.rental_flags import flag_case_open
from landlords.services.rentals import tenant_register
from landlords.tasks import record_landlords_figures

from ..factories import CaseCategoryFactory, CaseFactory, TeamFactory, make_member, serve

H = dt.timedelta(hours=1)
DAY = dt.date(2026, 6, 15)


@pytest.fixture
def served(community):
    return serve(community, "landlords")


@pytest.fixture
def panels(monkeypatch):
    """A fresh panel registry with landlords' own panels kept, so a test's panels do not leak."""
    fresh = {page: list(entries) for page, entries in extensions.PANELS.items()}
    monkeypatch.setattr(extensions, "PANELS", fresh)
    return fresh


@pytest.fixture
def a_case(community, resident):
    return CaseFactory(community=community, reporter=resident, filed_by=resident)


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- panels -----------------------------------------------------------------------------------------------

def test_a_panel_shows_on_its_page_where_its_app_serves(client, panels, served, a_case, resident):
    extensions.register_panel("case", lambda request, case: mark_safe(f'<p id="door-panel">#{case.pk}</p>'),
                              app_label="landlords")
    assert f'<p id="door-panel">#{a_case.pk}</p>' in _page(client, resident, reverse("communities:case_detail",
                                                                                    args=[a_case.pk]))


def test_a_panel_of_an_app_that_does_not_serve_the_community_is_not_even_called(client, panels, community,
                                                                                 a_case, resident):
    calls = []
    extensions.register_panel("case", lambda request, case: calls.append(case) or "here", app_label="landlords")
    page = _page(client, resident, reverse("communities:case_detail", args=[a_case.pk]))
    assert calls == [] and "here" not in page


def test_a_failing_panel_is_logged_and_left_out_and_the_page_still_renders(client, panels, served, a_case,
                                                                           resident, caplog):
    def broken(request, case):
        raise RuntimeError("the app is broken")

    extensions.register_panel("case", broken, app_label="landlords")
    extensions.register_panel("case", lambda request, case: mark_safe("<p>still here</p>"), app_label="landlords")
    with caplog.at_level(logging.ERROR, logger="communities.extensions"):
        page = _page(client, resident, reverse("communities:case_detail", args=[a_case.pk]))
    assert "<p>still here</p>" in page and a_case.description in page
    assert any("broken" in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_plain_string_panel_is_escaped(client, panels, served, a_case, resident):
    extensions.register_panel("case", lambda request, case: "<script>x</script>", app_label="landlords")
    page = _page(client, resident, reverse("communities:case_detail", args=[a_case.pk]))
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page


def test_an_unknown_page_is_refused_at_start_up():
    with pytest.raises(ValueError, match="unknown page"):
        extensions.register_panel("basement", lambda request, obj: None, app_label="landlords")


def test_every_core_page_renders_its_panels(client, panels, served, community, committee_staff):
    for page in ("home", "community", "profile", "meeting"):
        extensions.register_panel(page, lambda request, obj, page=page: mark_safe(f"<i>panel-{page}</i>"),
                                  app_label="landlords")
    assert "<i>panel-home</i>" in _page(client, committee_staff, reverse("home"))
    assert "<i>panel-profile</i>" in _page(client, committee_staff, reverse("accounts:profile"))
    assert "<i>panel-community</i>" in _page(client, committee_staff,
                                            reverse("communities:community_detail", args=[community.slug]))
    start = (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    meeting = meeting_svc.meeting_create(actor=committee_staff, community=community, title="居民议事会",
                                         kind=MeetingKind.DELIBERATION, venue="居委会议室", starts_at=start,
                                         ends_at=start + 2 * H, organiser=committee_staff)
    assert "<i>panel-meeting</i>" in _page(client, committee_staff,
                                          reverse("communities:meeting_detail", args=[meeting.pk]))


def test_the_landlords_home_tile_is_its_panel_and_shows_once_where_it_serves(client, community, landlord,
                                                                            outsider):
    hint = "二房东自治：一室二群三定、积分卡"
    assert hint not in _page(client, landlord, reverse("home"))  # not served yet: no tile, no menu entry
    serve(community, "landlords")
    page = _page(client, landlord, reverse("home"))
    assert page.count(hint) == 1 and reverse("landlords:hub") in page
    assert hint not in _page(client, outsider, reverse("home"))


def test_a_mediation_room_shift_offers_its_duty_landlord_to_record_a_dispute(client, served, community, landlord,
                                                                           committee_staff):
    room = Rota.objects.create(community=community, name="蓉治社接待室值班", kind=Rota.Kind.MEDIATION_ROOM,
                               place="蓉治社接待室", manager=committee_staff)
    RotaMember.objects.create(rota=room, user=landlord)
    shift = Shift.objects.create(rota=room, starts_at=timezone.now() - H, ends_at=timezone.now() + H)
    ShiftAssignment.objects.create(shift=shift, user=landlord)
    link = reverse("landlords:mediation_record_new", args=[shift.pk])
    assert link in _page(client, landlord, reverse("communities:shift_detail", args=[shift.pk]))
    patrol = Rota.objects.create(community=community, name="巡查", kind=Rota.Kind.PATROL, manager=committee_staff)
    RotaMember.objects.create(rota=patrol, user=landlord)
    other = Shift.objects.create(rota=patrol, starts_at=timezone.now() - H, ends_at=timezone.now() + H)
    ShiftAssignment.objects.create(shift=other, user=landlord)
    assert "/landlords/mediation/" not in _page(client, landlord, reverse("communities:shift_detail",
                                                                          args=[other.pk]))


# --- case origins ----------------------------------------------------------------------------------------

@pytest.fixture
def mediation_case(served, community, landlord):
    CaseCategoryFactory(community=community, code="tenant_dispute", name="租客矛盾")
    room = Rota.objects.create(community=community, name="蓉治社接待室值班", kind=Rota.Kind.MEDIATION_ROOM,
                               place="蓉治社接待室", manager=landlord)
    shift = Shift.objects.create(rota=room, starts_at=timezone.now() - H, ends_at=timezone.now() + H)
    ShiftAssignment.objects.create(shift=shift, user=landlord)
    record, _ = mediation_record_create(actor=landlord, shift=shift, parties="301室租客 vs 302室租客",
                                        issue="深夜噪音", outcome=MediationRecord.Outcome.CASE)
    return record


def test_a_case_from_the_mediation_room_links_its_record(client, mediation_case, committee_staff):
    case = mediation_case.case
    assert (case.origin.kind, case.origin.object_id) == ("landlords.mediation_record", mediation_case.pk)
    page = _page(client, committee_staff, reverse("communities:case_detail", args=[case.pk]))
    assert "这条诉求来自：" in page and "301室租客 vs 302室租客" in page
    assert reverse("landlords:mediation_record_detail", args=[mediation_case.pk]) in page


@pytest.fixture
def flag_case(served, community, let_unit, landlord, committee_staff):
    CaseCategoryFactory(community=community, code="partitioned_flat", name="房屋隔断")
    RoutingRule.objects.create(community=community, target=RoutingRule.Target.UNIT_SUBLANDLORD,
                               only_let_units=True, priority=10)
    for n in range(3):
        tenant_register(actor=landlord, unit=let_unit, name=f"租客{n}", phone=f"1390000000{n}",
                        moved_in=timezone.localdate())
    case, _ = flag_case_open(actor=committee_staff, unit=let_unit)
    return case


def test_a_case_from_a_rental_flag_links_the_unit_for_its_sublandlord_and_the_list_for_staff(
        client, flag_case, let_unit, landlord, committee_staff):
    assert (flag_case.origin.kind, flag_case.origin.object_id) == ("landlords.rental_flag", let_unit.pk)
    url = reverse("communities:case_detail", args=[flag_case.pk])
    page = _page(client, landlord, url)  # the handler: the unit's sublandlord
    assert "这条诉求来自：" in page and reverse("landlords:rental_unit_detail", args=[let_unit.pk]) in page
    page = _page(client, committee_staff, url)
    assert reverse("landlords:rental_flag_list") in page and "1号楼 302" in page


def test_a_case_from_a_meeting_action_item_links_the_meeting(client, community, committee_staff, landlord):
    # A fixed clock: a meeting at 19:00 Shanghai in two days, the item due the day after it (at 23:30 a
    # clock-relative start plus an hour would fall on the next day and the due date would be "in the past").
    now = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.timezone.utc)
    start = dt.datetime(2026, 3, 12, 11, 0, tzinfo=dt.timezone.utc)
    meeting = meeting_svc.meeting_create(actor=committee_staff, community=community, title="楼道堆物专题碰头会",
                                         kind=MeetingKind.DELIBERATION, venue="居委会议室", starts_at=start,
                                         ends_at=start + 2 * H, organiser=committee_staff, now=now)
    item = meeting_svc.action_item_create(meeting_id=meeting.pk, actor=committee_staff, title="3号楼楼道堆物清理",
                                          owner=landlord, due_on=dt.date(2026, 3, 13), now=start + H)
    category = CaseCategoryFactory(community=community, code="corridor_clutter", name="楼道堆物")
    meeting_svc.action_item_to_case(item_id=item.pk, actor=committee_staff, category=category)
    case = ActionItem.objects.get(pk=item.pk).case
    assert (case.origin.kind, case.origin.object_id) == ("communities.action_item", item.pk)
    page = _page(client, committee_staff, reverse("communities:case_detail", args=[case.pk]))
    assert "这条诉求来自：" in page and "3号楼楼道堆物清理" in page
    assert reverse("communities:meeting_detail", args=[meeting.pk]) in page


def test_a_case_filed_directly_has_no_origin_line(client, a_case, resident):
    assert "这条诉求来自" not in _page(client, resident, reverse("communities:case_detail", args=[a_case.pk]))


def test_a_failing_origin_resolver_is_logged_and_the_case_page_renders(client, mediation_case, committee_staff,
                                                                       monkeypatch, caplog):
    def broken(*, user, object_id):
        raise RuntimeError("resolver down")

    monkeypatch.setitem(extensions.CASE_ORIGINS, "landlords.mediation_record", broken)
    with caplog.at_level(logging.ERROR, logger="communities.extensions"):
        page = _page(client, committee_staff, reverse("communities:case_detail", args=[mediation_case.case_id]))
    assert "这条诉求来自" not in page and any(r.exc_info for r in caplog.records)


def test_an_origin_must_be_registered_and_is_recorded_once(a_case):
    with pytest.raises(ValueError, match="not registered"):
        case_origin_record(case=a_case, kind="landlords.nothing", object_id=1)
    first = case_origin_record(case=a_case, kind="landlords.rental_flag", object_id=7)
    again = case_origin_record(case=a_case, kind="landlords.mediation_record", object_id=8)
    assert again == first and CaseOrigin.objects.get().kind == "landlords.rental_flag"


def test_existing_cases_get_their_origins_and_served_communities_from_the_migrations(
        mediation_case, flag_case, community, other_community, committee_staff, a_case):
    CaseOrigin.objects.all().delete()
    CommunityApp.objects.all().delete()
    TeamFactory(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)
    importlib.import_module("landlords.migrations.0004_door").forwards(django_apps, None)
    assert set(CaseOrigin.objects.values_list("case_id", "kind", "object_id")) == {
        (mediation_case.case_id, "landlords.mediation_record", mediation_case.pk),
        (flag_case.pk, "landlords.rental_flag", flag_case.unit_id)}  # a_case, filed directly, has none
    assert set(CommunityApp.objects.values_list("community_id", "app_label")) == {(community.pk, "landlords")}
    importlib.import_module("landlords.migrations.0004_door").forwards(django_apps, None)  # twice: no change
    assert CaseOrigin.objects.count() == 2 and CommunityApp.objects.count() == 1


# --- which apps serve a community ----------------------------------------------------------------------------

def test_the_hub_opens_only_where_the_app_serves_not_where_a_team_is(client, community, landlord):
    TeamFactory(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)
    client.force_login(landlord)
    assert client.get(reverse("landlords:hub")).status_code == 404
    serve(community, "landlords")
    assert client.get(reverse("landlords:hub")).status_code == 200


def test_staff_choose_among_the_project_apps_in_the_admin():
    from communities.admin import community_app_choices

    labels = {label for label, _name in community_app_choices()}
    assert {"landlords", "talents", "propertyservice"} <= labels and "communities" not in labels
    assert "admin" not in labels


# --- figures on the Party dashboard ----------------------------------------------------------------------

def test_record_figure_is_an_idempotent_upsert(community):
    for value in (10, 12, 12):
        record_figure(community=community, app_label="landlords", key="tenant_registrations", day=DAY,
                      value=value, label="在住租客登记")
    record_figure(community=community, app_label="landlords", key="tenant_registrations",
                  day=DAY + dt.timedelta(days=1), value=13, label="在住租客登记")
    assert list(CommunityFigure.objects.order_by("day").values_list("day", "value")) == [
        (DAY, 12), (DAY + dt.timedelta(days=1), 13)]
    with pytest.raises(ValueError):
        record_figure(community=community, app_label="landlords", key="x", day=DAY, value=1.5, label="x")


def test_landlords_pushes_its_registrations_for_the_communities_it_serves_only(served, community, let_unit,
                                                                              landlord, other_community):
    for n in range(2):
        tenant_register(actor=landlord, unit=let_unit, name=f"租客{n}", phone=f"1380000000{n}",
                        moved_in=timezone.localdate())
    assert landlords_figures_record(day=DAY) == 1
    assert landlords_figures_record(day=DAY) == 1  # run twice the same day: the same row
    record_landlords_figures()  # the daily beat task: today's row
    assert CommunityFigure.objects.filter(day=timezone.localdate()).get().value == 2
    CommunityFigure.objects.filter(day=timezone.localdate()).exclude(day=DAY).delete()
    row = CommunityFigure.objects.get()
    assert (row.community_id, row.key, row.value, row.label) == (community.pk, "tenant_registrations", 2,
                                                                 "在住租客登记")


def test_the_dashboard_shows_the_figures_and_runs_no_app_code(client, community, committee_staff,
                                                             party_secretary, monkeypatch):
    now = timezone.now()
    record_figure(community=community, app_label="landlords", key="tenant_registrations",
                  day=timezone.localdate(now) - dt.timedelta(days=1), value=2838, label="在住租客登记")
    record_figure(community=community, app_label="landlords", key="tenant_registrations",
                  day=timezone.localdate(now), value=2840, label="在住租客登记")

    def no_app_code(*args, **kwargs):
        raise AssertionError("the dashboard asked the app")

    monkeypatch.setattr("landlords.services.figures.landlords_figures_record", no_app_code)
    with CaptureQueriesContext(connection) as ctx:
        boards = dashboard_for(user=party_secretary, now=now)
    assert not any("landlords_" in q["sql"] for q in ctx.captured_queries)
    assert [(f.key, f.value) for f in boards[0].figures] == [("tenant_registrations", 2840)]  # the latest day
    page = _page(client, party_secretary, reverse("communities:dashboard"))
    assert "在住租客登记" in page and "2840" in page


def test_a_dashboard_without_figures_shows_no_figures_list(client, community, party_secretary):
    assert "其他指标" not in _page(client, party_secretary, reverse("communities:dashboard"))


def test_the_outsiders_figures_do_not_show(client, community, other_community, party_secretary):
    record_figure(community=other_community, app_label="landlords", key="tenant_registrations", day=DAY,
                  value=99, label="在住租客登记")
    assert dashboard_for(user=party_secretary, now=timezone.now())[0].figures == []


def test_a_new_registration_refreshes_its_communitys_figure_on_commit(served, community, let_unit, landlord,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tenant_register(actor=landlord, unit=let_unit, name="新租客", phone="13600000000",
                        moved_in=timezone.localdate())
    assert CommunityFigure.objects.get(community=community).value == 1


def test_a_member_of_a_community_not_served_sees_no_landlords_panel(client, panels, served, other_community):
    extensions.register_panel("community", lambda request, c: "landlords-here", app_label="landlords")
    staff = make_member(other_community, Role.COMMITTEE_STAFF, username="otherstaff")
    page = _page(client, staff, reverse("communities:community_detail", args=[other_community.slug]))
    assert "landlords-here" not in page
