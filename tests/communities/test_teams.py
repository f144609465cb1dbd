"""Teams in the core: TeamMember is the one definition of a team's members, the sublandlords' team follows the
sublandlord role, backbones are elected or appointed (audited), and what a member notices follows from it."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from communities.models import (
    AuditEvent, Backbone, Case, CaseStatus, MeetingInvite, MeetingKind, Membership, NeedStatus, Notification, Role,
    Team, TeamMember,
)
from communities.selectors import teams as sel
from communities.selectors.cases import work_queue
from communities.services import case_workflow as wf
from communities.services import meetings as meeting_svc
from communities.services import needs as need_svc
from communities.services.errors import DomainError
from communities.services.teams import (
    backbone_appoint, backbone_end, team_member_join, team_member_leave,
)

from ..factories import CaseFactory, TeamFactory, UserFactory, make_member, serve

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)  # a fixed clock: no test reads today's date
TERM = dt.date(2026, 3, 1)


@pytest.fixture
def rongzhi(community, landlord):
    return TeamFactory(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)


@pytest.fixture
def newcomer(community, rongzhi):
    """A sublandlord registered after the team was founded (the role granted as staff or the admin grant it)."""
    return make_member(community, Role.SUBLANDLORD, username="newcomer", name="新房东")


def open_rows(team, user):
    return TeamMember.objects.filter(team=team, user=user, left_at__isnull=True)


# --- the sublandlords' team follows the sublandlord role -----------------------------------------------------

def test_a_new_team_starts_with_the_communitys_sublandlords_only(rongzhi, landlord, resident, committee_staff,
                                                                 other_community):
    far = make_member(other_community, Role.SUBLANDLORD, username="far", name="别处房东")
    assert list(sel.active_members(rongzhi)) == [landlord]
    assert not sel.is_member(rongzhi, far) and not sel.is_member(rongzhi, committee_staff)
    assert open_rows(rongzhi, landlord).get().invited_by is None  # a role grant is no invitation


def test_granting_the_role_opens_and_taking_it_closes_a_membership(community, rongzhi, newcomer):
    assert sel.is_member(rongzhi, newcomer)
    Membership.objects.filter(user=newcomer, community=community, role=Role.SUBLANDLORD).delete()
    assert not sel.is_member(rongzhi, newcomer)
    left = TeamMember.objects.get(team=rongzhi, user=newcomer)
    assert left.left_at is not None  # the history stays
    Membership.objects.create(user=newcomer, community=community, role=Role.SUBLANDLORD)
    assert sel.is_member(rongzhi, newcomer)
    assert TeamMember.objects.filter(team=rongzhi, user=newcomer).count() == 2


def test_other_roles_and_other_teams_are_not_touched(community, rongzhi, newcomer):
    squad = TeamFactory(community=community, name="治理小分队", kind=Team.Kind.SQUAD)
    Membership.objects.create(user=newcomer, community=community, role=Role.VOLUNTEER)
    assert not sel.is_member(squad, newcomer)
    Membership.objects.filter(user=newcomer, role=Role.VOLUNTEER).delete()
    assert sel.is_member(rongzhi, newcomer)  # still a sublandlord


def test_a_deactivated_account_is_no_member(rongzhi, newcomer):
    newcomer.is_active = False
    newcomer.save(update_fields=["is_active"])
    assert not sel.is_member(rongzhi, newcomer)
    assert newcomer.pk not in set(sel.member_user_ids(rongzhi).values_list("user_id", flat=True))


# --- joining and leaving by hand ------------------------------------------------------------------------------

def test_join_records_a_real_invitation_and_a_repeat_changes_nothing(community, landlord):
    squad = TeamFactory(community=community, name="治理小分队", kind=Team.Kind.SQUAD)
    user = UserFactory(username="volunteer")
    row, created = team_member_join(team=squad, user=user, invited_by=landlord, at=NOW)
    again, created_again = team_member_join(team=squad, user=user, invited_by=None)
    assert created and not created_again and again.pk == row.pk
    assert (again.invited_by, again.joined_at) == (landlord, NOW)
    assert team_member_leave(team=squad, user=user, at=NOW + dt.timedelta(days=1))
    assert not team_member_leave(team=squad, user=user)  # repeated: nothing to close
    assert list(sel.teams_of(user)) == []


def test_two_open_memberships_of_one_person_are_refused_by_the_database(community, rongzhi, landlord):
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMember.objects.create(team=rongzhi, user=landlord)


# --- behaviour a member notices ---------------------------------------------------------------------------------

@pytest.fixture
def need(community, committee_staff):
    return need_svc.need_post(actor=committee_staff, community=community, title="小区休闲长椅", quantity="长椅 6 张",
                              description="中心花园缺少可以坐下休息的地方。")


def test_a_newly_registered_sublandlord_claims_a_need_for_the_team(client, need, rongzhi, newcomer):
    client.force_login(newcomer)
    response = client.get(reverse("communities:need_detail", args=[need.pk]))
    claim_form = next(form for t, form in response.context["action_forms"] if t.action == "claim")
    assert list(claim_form.fields["team"].queryset) == [rongzhi]  # the team is offered in the claim form
    client.post(reverse("communities:need_action", args=[need.pk, "claim"]), {"team": rongzhi.pk})
    need.refresh_from_db()
    assert need.status == NeedStatus.CLAIMED and (need.claimed_by, need.team) == (newcomer, rongzhi)


def test_a_former_sublandlord_can_no_longer_claim_for_the_team(community, need, rongzhi, newcomer):
    Membership.objects.filter(user=newcomer, community=community, role=Role.SUBLANDLORD).delete()
    Membership.objects.create(user=newcomer, community=community, role=Role.RESIDENT)
    with pytest.raises(PermissionDenied):  # no longer a sublandlord at all
        need_svc.need_claim(need_id=need.pk, actor=newcomer, team=rongzhi)
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN and need.team is None


def test_a_newly_registered_sublandlord_hears_of_the_teams_cases(community, rongzhi, newcomer, landlord,
                                                                  committee_staff, resident):
    case = CaseFactory(community=community, reporter=resident, status=CaseStatus.SUBMITTED)
    assert wf.case_dispatch(case_id=case.pk, actor=committee_staff, handler_team=rongzhi).changed
    for member in (newcomer, landlord):
        assert Notification.objects.filter(recipient=member, title__contains="新诉求派给您处理").count() == 1
    assert case in work_queue(user=newcomer)


def test_a_member_who_left_hears_nothing_of_the_teams_cases(community, rongzhi, newcomer, committee_staff,
                                                            resident):
    Membership.objects.filter(user=newcomer, community=community, role=Role.SUBLANDLORD).delete()
    case = CaseFactory(community=community, reporter=resident, status=CaseStatus.SUBMITTED)
    wf.case_dispatch(case_id=case.pk, actor=committee_staff, handler_team=rongzhi)
    assert not Notification.objects.filter(recipient=newcomer).exists()
    assert not work_queue(user=newcomer).filter(pk=case.pk).exists()
    assert Case.objects.get(pk=case.pk).handler_team == rongzhi


def test_a_meeting_invites_the_teams_current_members(community, rongzhi, newcomer, landlord, committee_staff):
    gone = make_member(community, Role.SUBLANDLORD, username="gone", name="已退出")
    Membership.objects.filter(user=gone, role=Role.SUBLANDLORD).delete()
    meeting = meeting_svc.meeting_create(
        actor=committee_staff, community=community, title="蓉治社碰头会", kind=MeetingKind.CHECK_IN, venue="接待室",
        starts_at=NOW + dt.timedelta(days=1), ends_at=NOW + dt.timedelta(days=1, hours=1),
        organiser=committee_staff, invited_teams=[rongzhi], now=NOW)
    invited = set(MeetingInvite.objects.filter(meeting=meeting, team=rongzhi).values_list("user__username", flat=True))
    assert invited == {"landlord", "newcomer"}


# --- backbones ----------------------------------------------------------------------------------------------------

def test_staff_appoint_a_backbone_with_an_audit_row_and_a_repeat_is_harmless(rongzhi, landlord, committee_staff):
    row, created = backbone_appoint(actor=committee_staff, team=rongzhi, user=landlord,
                                    office=Backbone.Office.BACKBONE, term_start=TERM)
    again, created_again = backbone_appoint(actor=committee_staff, team=rongzhi, user=landlord,
                                            office=Backbone.Office.BACKBONE, term_start=TERM)
    assert created and not created_again and again.pk == row.pk
    assert (row.source, row.appointed_by, row.election) == (Backbone.Source.APPOINTED, committee_staff, None)
    audit = AuditEvent.objects.get(action="team.backbone_appoint")
    assert (audit.actor, audit.detail["user"], audit.detail["office"]) == (committee_staff, landlord.pk, "backbone")
    assert [b.user for b in sel.current_backbones(rongzhi)] == [landlord]


def test_a_new_office_ends_the_old_term(rongzhi, landlord, committee_staff):
    first, _ = backbone_appoint(actor=committee_staff, team=rongzhi, user=landlord, office=Backbone.Office.BACKBONE,
                                term_start=TERM)
    backbone_appoint(actor=committee_staff, team=rongzhi, user=landlord, office=Backbone.Office.VICE_PRESIDENT,
                     term_start=TERM + dt.timedelta(days=30))
    first.refresh_from_db()
    assert first.term_end == TERM + dt.timedelta(days=30)
    assert [b.office for b in sel.current_backbones(rongzhi)] == [Backbone.Office.VICE_PRESIDENT]


@pytest.mark.parametrize("who", ["landlord", "party_secretary", "resident", "other_staff"])
def test_only_the_communitys_committee_staff_appoint(request, rongzhi, landlord, other_community, who):
    actor = (make_member(other_community, Role.COMMITTEE_STAFF, username="far-staff") if who == "other_staff"
             else request.getfixturevalue(who))
    with pytest.raises(PermissionDenied):
        backbone_appoint(actor=actor, team=rongzhi, user=landlord, office=Backbone.Office.BACKBONE, term_start=TERM)
    assert not Backbone.objects.exists() and not AuditEvent.objects.filter(action__startswith="team.").exists()


def test_appointing_a_stranger_or_an_unknown_office_is_refused(rongzhi, landlord, resident, committee_staff):
    with pytest.raises(DomainError, match="只能任命本团队的成员"):
        backbone_appoint(actor=committee_staff, team=rongzhi, user=resident, office=Backbone.Office.BACKBONE,
                         term_start=TERM)
    with pytest.raises(DomainError, match="请选择一个职务"):
        backbone_appoint(actor=committee_staff, team=rongzhi, user=landlord, office="king", term_start=TERM)
    assert not Backbone.objects.exists()


def test_ending_a_term_is_audited_once_and_checks_the_date(rongzhi, landlord, committee_staff):
    row, _ = backbone_appoint(actor=committee_staff, team=rongzhi, user=landlord, office=Backbone.Office.BACKBONE,
                              term_start=TERM)
    with pytest.raises(DomainError, match="卸任日期不能早于任职日期"):
        backbone_end(actor=committee_staff, backbone_id=row.pk, term_end=TERM - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        backbone_end(actor=landlord, backbone_id=row.pk, term_end=TERM)
    assert backbone_end(actor=committee_staff, backbone_id=row.pk, term_end=TERM + dt.timedelta(days=90))
    assert not backbone_end(actor=committee_staff, backbone_id=row.pk, term_end=TERM + dt.timedelta(days=91))
    assert AuditEvent.objects.filter(action="team.backbone_end").count() == 1
    assert sel.current_backbones(rongzhi) == []


def test_the_team_page_shows_the_newcomer_and_the_appointed_officer(client, rongzhi, newcomer, landlord,
                                                                   committee_staff):
    backbone_appoint(actor=committee_staff, team=rongzhi, user=landlord, office=Backbone.Office.PRESIDENT,
                     term_start=TERM)
    serve(rongzhi.community)  # the landlords app serves 蓉庭 (a CommunityApp row), so its team page opens
    client.force_login(newcomer)
    response = client.get(reverse("landlords:team"))
    assert {m.username for m in response.context["members"]} == {"landlord", "newcomer"}
    assert "会长" in response.content.decode() and "2026-03-01" in response.content.decode()
