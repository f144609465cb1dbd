"""Incidents and the emergency team: the whole path with the minutes between steps, the escalation chain moved
by the beat (the task's service run with ``now=``), acknowledgement stopping it, repeats, who may do what, another
village, the board's medians per month and the metric."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from communities.models import Case, Notification, Role, Team
from communities.services.errors import DomainError
from communities.services.teams import team_member_join
from propertyservice.metrics import measure
from propertyservice.models import Incident, IncidentDispatch, IncidentWarning, ResponderProfile, Skill
from propertyservice.selectors import incidents as sel
from propertyservice.services import incidents as svc

from ..factories import CaseCategoryFactory, make_member
from .world import (  # noqa: F401
    NOW, committee, head, head2, make_house, other_village, staff_member, station,
    village, villager,
)

pytestmark = pytest.mark.django_db
MIN = dt.timedelta(minutes=1)
D = IncidentDispatch.Status


def _responder(team, user, skills, order, hours="all"):
    member, _ = team_member_join(team=team, user=user)
    return ResponderProfile.objects.create(member=member, skills=skills, on_call_order=order, hours=hours)


@pytest.fixture
def team(village, station, staff_member, head2):
    team = Team.objects.create(community=village, name="物业服务志愿队", kind=Team.Kind.VOLUNTEER_TEAM)
    craftsman = make_member(village, Role.RESIDENT, username="craftsman", name="施永福")
    plumber2 = make_member(village, Role.RESIDENT, username="plumber2", name="丁建国")
    _responder(team, craftsman, [Skill.PLUMBER, Skill.ELECTRICIAN], 1)
    _responder(team, staff_member, [Skill.PLUMBER], 2)
    _responder(team, plumber2, [Skill.PLUMBER], 3)
    _responder(team, head2, [Skill.FIRST_AID], 4)
    return team


def _users(*names):
    from communities.models import User

    return [User.objects.get(username=n) for n in names]


def _detect(actor, village, at=NOW, **kw):
    args = {"kind": Incident.Kind.BURST_PIPE, "how": "patrol", "place": "丁钱 12 号门前", "description": "主水管爆裂"}
    args.update(kw)
    return svc.incident_detect(actor=actor, community=village, now=at, **args)


def _dispatched(head, village, team, at=NOW):
    incident = _detect(head, village, at=at)
    svc.incident_dispatch(incident_id=incident.pk, actor=head, skill=Skill.PLUMBER, now=at)
    return incident


def test_the_full_path_keeps_each_moment_and_the_page_shows_the_minutes_between(client, head, village, team,
                                                                                 committee):
    craftsman, = _users("craftsman")
    group = make_house(village, "丁钱").building.village_group
    incident = _detect(head, village)
    svc.incident_warn(incident_id=incident.pk, actor=head, level="yellow", audience="group", village_group=group,
                      channels=["wechat", "broadcast"], message="丁钱组停水", now=NOW + 3 * MIN)
    svc.incident_dispatch(incident_id=incident.pk, actor=head, skill=Skill.PLUMBER, now=NOW + 5 * MIN)
    call = IncidentDispatch.objects.get(incident=incident, status=D.CALLED)
    assert call.user == craftsman and call.ack_due_at == NOW + 10 * MIN
    assert Notification.objects.filter(recipient=craftsman, url=reverse("propertyservice:incident_ack",
                                                                        args=[call.pk])).exists()
    svc.dispatch_acknowledge(dispatch_id=call.pk, actor=craftsman, now=NOW + 7 * MIN)
    svc.incident_arrive(incident_id=incident.pk, actor=craftsman, now=NOW + 12 * MIN)
    svc.incident_handle(incident_id=incident.pk, actor=craftsman, action_taken="更换管段", now=NOW + 40 * MIN)
    category = CaseCategoryFactory(community=village, code="other", name="其他")
    svc.incident_close(incident_id=incident.pk, actor=committee, open_case=True, category=category,
                       now=NOW + 50 * MIN)

    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED
    assert [incident.warned_at, incident.dispatched_at, incident.arrived_at, incident.handled_at,
            incident.closed_at] == [NOW + m * MIN for m in (3, 5, 12, 40, 50)]
    assert sorted(IncidentWarning.objects.filter(incident=incident).values_list("channel", flat=True)) == \
        ["broadcast", "wechat"]
    assert incident.case.channel == Case.Channel.PATROL and incident.case.reporter == head
    client.force_login(head)
    page = client.get(reverse("propertyservice:incident_detail", args=[incident.pk])).content.decode()
    for gap in ("发现→预警 3 分钟", "预警→派遣 2 分钟", "派遣→到场 7 分钟", "到场→处置 28 分钟", "处置→关闭 10 分钟"):
        assert gap in page
    assert "三级（黄色）" in page and "丁钱" in page and "达标" in page  # 12 min ≤ 15 (urgent)
    assert "已响应" in page and "施永福" in page


def test_the_beat_calls_the_next_member_after_n_minutes_and_tells_the_heads_when_the_chain_runs_out(
        head, head2, village, team):
    craftsman, guard, plumber2 = _users("craftsman", "guard", "plumber2")
    incident = _dispatched(head, village, team)
    chain = list(IncidentDispatch.objects.filter(incident=incident).order_by("position"))
    assert [d.user for d in chain] == [craftsman, guard, plumber2]  # plumbers only, in on-call order
    assert svc.escalations_advance(now=NOW + 4 * MIN) == 0
    assert svc.escalations_advance(now=NOW + 5 * MIN) == 1
    assert svc.escalations_advance(now=NOW + 5 * MIN) == 0  # a doubled beat changes nothing
    statuses = dict(IncidentDispatch.objects.filter(incident=incident).values_list("user__username", "status"))
    assert statuses == {"craftsman": D.TIMED_OUT, "guard": D.CALLED, "plumber2": D.QUEUED}
    assert Notification.objects.filter(recipient=guard).count() == 1
    svc.escalations_advance(now=NOW + 10 * MIN)
    svc.escalations_advance(now=NOW + 15 * MIN)
    assert set(IncidentDispatch.objects.filter(incident=incident).values_list("status", flat=True)) == {D.TIMED_OUT}
    assert Notification.objects.filter(recipient=head, title__contains="无人响应").count() == 1
    assert svc.escalations_advance(now=NOW + 30 * MIN) == 0
    assert Notification.objects.filter(recipient=head, title__contains="无人响应").count() == 1
    assert incident.events.filter(action="chain_exhausted").count() == 1


def test_a_setting_changes_the_minutes_before_the_next_is_called(settings, head, village, team):
    settings.PROPERTY_INCIDENT_ACK_MINUTES = 2
    incident = _dispatched(head, village, team)
    assert svc.escalations_advance(now=NOW + 2 * MIN) == 1
    assert IncidentDispatch.objects.get(incident=incident, status=D.CALLED).user.username == "guard"


def test_an_acknowledgement_stops_the_chain_and_a_double_click_is_a_repeat(client, head, village, team):
    craftsman, guard = _users("craftsman", "guard")
    incident = _dispatched(head, village, team)
    svc.escalations_advance(now=NOW + 5 * MIN)  # craftsman timed out, guard called
    call = IncidentDispatch.objects.get(incident=incident, user=guard)
    client.force_login(guard)
    url = reverse("propertyservice:incident_ack", args=[call.pk])
    assert "确认前往" in client.get(url).content.decode()
    client.post(url)
    client.post(url)  # the double click
    assert incident.events.filter(action="acknowledge").count() == 1
    statuses = dict(IncidentDispatch.objects.filter(incident=incident).values_list("user__username", "status"))
    assert statuses == {"craftsman": D.TIMED_OUT, "guard": D.ACKNOWLEDGED, "plumber2": D.STOOD_DOWN}
    assert svc.escalations_advance(now=NOW + 30 * MIN) == 0
    with pytest.raises(DomainError):  # the one stood down has nothing to answer
        stood_down = IncidentDispatch.objects.get(incident=incident, user__username="plumber2")
        svc.dispatch_acknowledge(dispatch_id=stood_down.pk, actor=stood_down.user)
    # a late answer from the one who timed out, once someone else is going, is told so
    with pytest.raises(DomainError):
        svc.dispatch_acknowledge(dispatch_id=IncidentDispatch.objects.get(incident=incident, user=craftsman).pk,
                                 actor=craftsman)


def test_another_members_call_is_403_and_another_villages_is_404(client, head, village, team, other_village):
    incident = _dispatched(head, village, team)
    call = IncidentDispatch.objects.get(incident=incident, status=D.CALLED)
    url = reverse("propertyservice:incident_ack", args=[call.pk])
    client.force_login(_users("guard")[0])
    assert client.post(url).status_code == 403
    client.force_login(_users("other-station")[0])
    assert client.post(url).status_code == 404
    assert client.get(reverse("propertyservice:incident_detail", args=[incident.pk])).status_code == 404
    assert IncidentDispatch.objects.get(pk=call.pk).status == D.CALLED


def test_the_steps_through_the_pages_repeat_harmlessly_and_refuse_the_wrong_role(client, head, village, team,
                                                                                villager):
    incident = _detect(head, village)
    warn = reverse("propertyservice:incident_step", args=[incident.pk, "warn"])
    client.force_login(villager)
    assert client.post(warn, {"level": "red", "audience": "all", "channels": ["broadcast"]}).status_code == 403
    assert client.get(reverse("propertyservice:incident_detail", args=[incident.pk])).status_code == 403
    client.force_login(head)
    for _twice in range(2):
        assert client.post(warn, {"level": "red", "audience": "all", "channels": ["broadcast"]}).status_code == 302
    assert IncidentWarning.objects.filter(incident=incident).count() == 1
    assert incident.events.filter(action="warn").count() == 1
    bad = client.post(reverse("propertyservice:incident_step", args=[incident.pk, "handle"]), {"action_taken": "x"})
    assert bad.status_code == 400 and "不能进行这项操作" in bad.content.decode()
    missing = client.post(reverse("propertyservice:incident_step", args=[incident.pk, "dispatch"]), {"skill": "mason"})
    assert missing.status_code == 400 and "没有具备这项技能" in missing.content.decode()
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.WARNED
    page = client.get(reverse("propertyservice:incident_detail", args=[incident.pk])).content.decode()
    assert "派遣队员" in page and "发布预警</button>" not in page  # only what the table allows now


def test_a_villager_reports_an_incident_and_follows_only_their_own(client, head, village, villager, station):
    client.force_login(villager)
    response = client.post(reverse("propertyservice:incident_new") + f"?community={village.slug}",
                           {"kind": "fall", "place": "七图 5 号", "description": "隔壁阿婆摔倒了"})
    incident = Incident.objects.get()
    assert response.status_code == 302 and incident.how == "resident" and incident.urgency == "life"
    assert Notification.objects.filter(recipient=head, title__contains="村民报告").exists()
    assert client.get(reverse("propertyservice:incident_detail", args=[incident.pk])).status_code == 200
    other = _detect(head, village)
    listing = client.get(reverse("propertyservice:incident_list")).content.decode()
    assert "七图 5 号" in listing and other.place not in listing
    with pytest.raises(PermissionDenied):  # a villager cannot record a patrol's finding or a drill
        _detect(villager, village)


def test_bad_input_changes_nothing(head, village, team):
    with pytest.raises(DomainError):
        _detect(head, village, place=" ")
    with pytest.raises(DomainError):
        _detect(head, village, detected_at=NOW + 10 * MIN)
    incident = _detect(head, village)
    with pytest.raises(DomainError):
        svc.incident_warn(incident_id=incident.pk, actor=head, level="yellow", audience="all", channels=[])
    with pytest.raises(DomainError):
        svc.incident_warn(incident_id=incident.pk, actor=head, level="yellow", audience="group", channels=["phone"])
    assert Incident.objects.count() == 1 and not IncidentWarning.objects.exists()
    assert Incident.objects.get().status == Incident.Status.DETECTED


def test_the_hotline_detects_through_the_public_service_and_its_case_is_a_hotline_case(head, village, team,
                                                                                        committee):
    incident = _detect(head, village, how="hotline", kind=Incident.Kind.POWER_CUT)
    assert incident.needed_skill == Skill.ELECTRICIAN
    svc.incident_dispatch(incident_id=incident.pk, actor=head, skill=Skill.ELECTRICIAN, now=NOW)
    svc.incident_arrive(incident_id=incident.pk, actor=head, now=NOW + 9 * MIN)  # recorded by the station
    svc.incident_handle(incident_id=incident.pk, actor=head, action_taken="合上跳闸的总开关", now=NOW + 20 * MIN)
    category = CaseCategoryFactory(community=village, code="other", name="其他")
    # The station closes it and opens the follow-up case itself (station staff file on a caller's behalf).
    svc.incident_close(incident_id=incident.pk, actor=head, open_case=True, category=category, now=NOW + 30 * MIN)
    assert svc.incident_case_open(incident_id=incident.pk, actor=committee, category=category).changed is False
    case = Incident.objects.get(pk=incident.pk).case
    assert (case.channel, case.filed_by) == (Case.Channel.HOTLINE, head)


def test_a_villager_may_not_open_the_follow_up_case(head, village, team, villager):
    incident = _detect(head, village, how="patrol", kind=Incident.Kind.BURST_PIPE)
    Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.CLOSED, closed_at=NOW + 30 * MIN)
    category = CaseCategoryFactory(community=village, code="other", name="其他")
    with pytest.raises((DomainError, PermissionDenied, Http404)):
        svc.incident_case_open(incident_id=incident.pk, actor=villager, category=category)
    assert Incident.objects.get(pk=incident.pk).case is None


def _closed(head, village, at, arrive, drill=False, urgency="urgent"):
    incident = _detect(head, village, at=at, drill=drill, urgency=urgency)
    Incident.objects.filter(pk=incident.pk).update(
        warned_at=at + 2 * MIN, dispatched_at=at + 4 * MIN, arrived_at=at + arrive * MIN,
        handled_at=at + (arrive + 30) * MIN, status=Incident.Status.HANDLED)
    return incident


def test_the_board_gives_medians_per_month_with_a_month_without_incidents_and_drills_apart(
        head, village, station, django_assert_num_queries):
    jan = dt.datetime(2026, 1, 15, 9, 0, tzinfo=NOW.tzinfo)
    for arrive in (10, 20, 12):
        _closed(head, village, jan, arrive)
    _closed(head, village, NOW - 2 * dt.timedelta(days=1), 8)
    _closed(head, village, NOW - dt.timedelta(days=1), 14)
    _closed(head, village, NOW - dt.timedelta(days=1), 90, drill=True)
    with django_assert_num_queries(2):
        board = sel.incidents_board(community=village, now=NOW)
    assert board["counts"] == {"real": 2, "drills": 1, "open": 2}
    months = {row["month"]: row for row in board["months"]}
    assert len(months) == 6 and min(months) == dt.date(2025, 10, 1)
    assert months[dt.date(2026, 1, 1)]["medians"] == [2, 4, 12, 42]
    assert months[dt.date(2026, 2, 1)] == {"month": dt.date(2026, 2, 1), "count": 0, "medians": [None] * 4}
    assert months[dt.date(2026, 3, 1)]["medians"] == [2, 4, 11, 41]  # the drill's 90 minutes are not in it


def test_the_board_card_shows_for_the_heads_in_a_constant_number_of_queries(client, head, village, station):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(head)
    url = reverse("propertyservice:board")
    counts = []
    for n in (1, 4):
        for _i in range(n):
            _closed(head, village, NOW - dt.timedelta(days=1), 14)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, {"community": village.slug})
        counts.append(len(queries))
        html = page.content.decode()
        assert page.status_code == 200 and "突发事件（本月）" in html and "每月中位数" in html
    assert counts[0] == counts[1]


def test_the_response_metric_counts_real_arrivals_against_their_targets(head, village):
    _closed(head, village, NOW, 4, urgency="life")  # met (≤ 5)
    _closed(head, village, NOW, 7, urgency="life")  # missed
    _closed(head, village, NOW, 20, urgency="ordinary")  # met (≤ 30)
    _closed(head, village, NOW, 40, drill=True)  # a drill: not counted
    result = measure("incident_response", community=village, start=NOW.date(), end=NOW.date() + dt.timedelta(days=1))
    assert (result.part, result.whole) == (2, 3)
    empty = measure("incident_response", community=village, start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 1))
    assert empty.whole == 0


def test_the_team_page_lists_members_in_on_call_order_and_a_profile_is_kept(client, head, village, team, villager):
    client.force_login(head)
    page = client.get(reverse("propertyservice:emergency_team"), {"community": village.slug}).content.decode()
    assert page.index("施永福") < page.index("丁卫东") < page.index("丁建国")
    member = ResponderProfile.objects.get(member__user__username="plumber2").member
    url = reverse("propertyservice:emergency_profile", args=[member.pk])
    assert client.post(url, {"skills": ["mason", "first_aid"], "hours": "night", "on_call_order": 9}).status_code == 302
    profile = ResponderProfile.objects.get(member=member)
    assert (profile.skills, profile.hours, profile.on_call_order) == (["first_aid", "mason"], "night", 9)
    client.force_login(villager)
    assert client.get(url).status_code == 403


def test_away_and_off_hours_members_are_not_called(head, village, team):
    ResponderProfile.objects.filter(member__user__username="craftsman").update(away_until=NOW + dt.timedelta(days=2))
    ResponderProfile.objects.filter(member__user__username="guard").update(hours="night")  # NOW is 10:00
    names = [p.member.user.username for p in sel.dispatch_candidates(community=village, skill=Skill.PLUMBER, now=NOW)]
    assert names == ["plumber2"]


def test_the_hub_card_shows_a_villager_the_warnings_addressed_to_them(client, head, village, station, villager):
    from communities.models import Building

    home = Building.objects.get(units__residencies__person__user=villager)
    elsewhere = make_house(village, "七图", "9号").building
    now = dt.datetime.now(tz=NOW.tzinfo)
    for place, audience, extra in (("丁钱 1 号", "group", {"village_group": home.village_group}),
                                   ("七图 9 号", "building", {"building": elsewhere})):
        incident = _detect(head, village, at=now, place=place)
        svc.incident_warn(incident_id=incident.pk, actor=head, level="orange", audience=audience,
                          channels=["wechat", "door"], now=now, **extra)
    shown = sel.warnings_for(user=villager, community=village, now=now)
    assert [w.incident.place for w in shown] == ["丁钱 1 号"]  # one per incident, not per channel
    assert sel.warnings_for(user=villager, community=village, now=now + dt.timedelta(days=2)) == []
    client.force_login(villager)
    hub = client.get(reverse("propertyservice:hub"), {"community": village.slug}).content.decode()
    assert "报告突发事件" in hub and "二级（橙色）" in hub


def test_a_reporter_is_told_when_their_report_is_dispatched_and_closed(head, village, team, villager):
    incident = svc.incident_detect(actor=villager, community=village, kind="burst_pipe", how="resident",
                                   place="丁钱 3 号", description="漏水", now=NOW)
    svc.incident_dispatch(incident_id=incident.pk, actor=head, skill=Skill.PLUMBER, now=NOW + MIN)
    svc.incident_arrive(incident_id=incident.pk, actor=head, now=NOW + 9 * MIN)
    svc.incident_handle(incident_id=incident.pk, actor=head, action_taken="修好", now=NOW + 30 * MIN)
    svc.incident_close(incident_id=incident.pk, actor=head, now=NOW + 40 * MIN)
    titles = list(Notification.objects.filter(recipient=villager).values_list("title", flat=True))
    assert any("已派遣" in t for t in titles) and any("处置完毕" in t for t in titles)


def test_a_reporter_follows_progress_without_the_members_names(client, head, village, team, villager):
    incident = svc.incident_detect(actor=villager, community=village, kind="burst_pipe", how="resident",
                                   place="丁钱 3 号", description="漏水", now=NOW)
    svc.incident_dispatch(incident_id=incident.pk, actor=head, skill=Skill.PLUMBER, now=NOW + MIN)
    client.force_login(villager)
    page = client.get(reverse("propertyservice:incident_detail", args=[incident.pk])).content.decode()
    assert "服务站已派遣队员" in page and "施永福" not in page
    client.force_login(_users("craftsman")[0])  # the member being called sees the chain and the button
    page = client.get(reverse("propertyservice:incident_detail", args=[incident.pk])).content.decode()
    assert "施永福" in page and "我去，确认前往" in page


def test_the_beat_task_itself_moves_the_chain(head, village, team):
    from propertyservice.tasks import advance_incident_escalations

    incident = _dispatched(head, village, team)
    assert advance_incident_escalations(now=(NOW + 5 * MIN).isoformat()) == 1
    assert advance_incident_escalations(now=NOW + 5 * MIN) == 0
    assert IncidentDispatch.objects.get(incident=incident, status=D.CALLED).user.username == "guard"


def test_when_nobody_answers_the_station_calls_again_with_another_skill(client, head, village, team, villager):
    incident = _dispatched(head, village, team)
    for minutes in (5, 10, 15):
        svc.escalations_advance(now=NOW + minutes * MIN)
    client.force_login(head)
    page = client.get(reverse("propertyservice:incident_detail", args=[incident.pk])).content.decode()
    assert "再次呼叫" in page
    recall = reverse("propertyservice:incident_recall", args=[incident.pk])
    client.force_login(villager)
    assert client.post(recall, {"skill": "first_aid"}).status_code == 403
    client.force_login(head)
    client.post(recall, {"skill": "first_aid"})
    client.post(recall, {"skill": "first_aid"})  # the double click: someone is being called now
    called = IncidentDispatch.objects.get(incident=incident, status=D.CALLED)
    assert called.user.username == "head2" and called.position == 4
    assert IncidentDispatch.objects.filter(incident=incident).count() == 4
    svc.escalations_advance(now=called.ack_due_at)  # the page's call was made on the real clock
    with pytest.raises(DomainError):  # nobody new with that skill once head2 has been called too
        svc.incident_recall(incident_id=incident.pk, actor=head, skill="first_aid", now=called.ack_due_at + MIN)


def test_the_follow_up_case_links_back_to_its_incident(client, head, village, team, committee):
    incident = _detect(head, village)
    svc.incident_dispatch(incident_id=incident.pk, actor=head, skill=Skill.PLUMBER, now=NOW)
    svc.incident_arrive(incident_id=incident.pk, actor=head, now=NOW + 9 * MIN)
    svc.incident_handle(incident_id=incident.pk, actor=head, action_taken="临时封堵", now=NOW + 20 * MIN)
    category = CaseCategoryFactory(community=village, code="other", name="其他")
    svc.incident_close(incident_id=incident.pk, actor=committee, open_case=True, category=category,
                       case_description="路面修补", now=NOW + 30 * MIN)
    incident.refresh_from_db()
    client.force_login(committee)
    page = client.get(reverse("communities:case_detail", args=[incident.case_id])).content.decode()
    assert "突发事件：爆管" in page and reverse("propertyservice:incident_detail", args=[incident.pk]) in page


def test_the_list_and_the_page_keep_their_query_counts(client, head, village, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(head)
    counts = {"list": [], "page": []}
    for n in (1, 5):
        for _i in range(n):
            incident = _dispatched(head, village, team)
            svc.escalations_advance(now=NOW + 5 * MIN)
        for key, url in (("list", reverse("propertyservice:incident_list")),
                         ("page", reverse("propertyservice:incident_detail", args=[incident.pk]))):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, {"community": village.slug}).status_code == 200
            counts[key].append(len(queries))
    assert counts["list"][0] == counts["list"][1] and counts["page"][0] == counts["page"][1]


def test_staff_add_a_villager_to_the_team_and_another_villages_person_is_refused(client, head, village, team,
                                                                                 villager, other_village):
    client.force_login(head)
    url = reverse("propertyservice:emergency_team") + f"?community={village.slug}"
    assert client.post(url, {"user": villager.pk}).status_code == 302
    assert client.post(url, {"user": villager.pk}).status_code == 302  # a repeat: already in
    assert team.memberships.filter(user=villager, left_at__isnull=True).count() == 1
    outsider = _users("other-station")[0]
    with pytest.raises(DomainError):
        svc.emergency_member_add(actor=head, team=team, user=outsider)
    client.force_login(villager)
    assert client.post(url, {"user": villager.pk}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_late_answer_racing_the_beat_leaves_one_member_going_and_nobody_still_called(head, village, team):
    import threading

    from django.db import connection

    craftsman, = _users("craftsman")
    incident = _dispatched(head, village, team)
    barrier, errors = threading.Barrier(2), []

    def run(fn):
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    call = IncidentDispatch.objects.get(incident=incident, user=craftsman)
    threads = [threading.Thread(target=run, args=(lambda: svc.escalations_advance(now=NOW + 5 * MIN),)),
               threading.Thread(target=run, args=(lambda: svc.dispatch_acknowledge(
                   dispatch_id=call.pk, actor=craftsman, now=NOW + 5 * MIN),))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    statuses = list(IncidentDispatch.objects.filter(incident=incident).values_list("status", flat=True))
    assert statuses.count(D.ACKNOWLEDGED) == 1 and D.CALLED not in statuses and D.QUEUED not in statuses
