"""My leave (请假) and a rota's qualifications (资质): the right role succeeds, the wrong role is refused,
another community gets 404, bad input changes nothing, and the rota engine honours both."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communities import policy
from communities.models import Leave, MemberQualification, Qualification, Role, ShiftAssignment
from communities.services.errors import DomainError
from communities.services.rota_generation import rota_keep_generated, rota_regenerate
from communities.services.rota_qualifications import qualification_grant, qualification_revoke
from communities.services.rotas import SlotSpec, leave_delete, leave_record, rota_save

from ..factories import make_member
from .rota_helpers import MONDAY, at, generate, make_rota, members, qualify


@pytest.fixture
def now():
    return timezone.now().replace(second=0, microsecond=0)


@pytest.fixture
def duty_landlords(community):
    return members(community, 3, prefix="landlord_on_duty")


@pytest.fixture
def rota(community, duty_landlords, landlord, now):
    rota = make_rota(community, duty_landlords, manager=landlord, slots=((0, 8, 1), (8, 16, 1), (16, 0, 1)))
    generate(rota, days=14, now=now - dt.timedelta(days=1))
    return rota


def held_in(user, starts_at, ends_at):
    return ShiftAssignment.objects.filter(user=user, shift__starts_at__lt=ends_at, shift__ends_at__gt=starts_at)


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- my leave: access ----------------------------------------------------------------------------------

def test_leave_page_for_members_linked_from_my_shifts(client, rota, duty_landlords, resident, town_secretary):
    client.force_login(duty_landlords[0])
    assert reverse("communities:leave_list") in client.get(reverse("communities:my_shifts")).content.decode()
    page = client.get(reverse("communities:leave_list"))
    assert page.status_code == 200 and "登记请假" in page.content.decode()
    client.force_login(resident)  # a member of the community on no rota: an empty page, nothing to leave
    assert client.get(reverse("communities:leave_list")).status_code == 200
    client.force_login(town_secretary)  # no membership: leave is for members, and no link leads there
    assert client.get(reverse("communities:leave_list")).status_code == 403
    assert reverse("communities:leave_list") not in client.get(reverse("communities:my_shifts")).content.decode()


def test_another_persons_leave_cannot_be_deleted_or_seen(client, rota, duty_landlords, outsider, now):
    leave, _ = leave_record(user=duty_landlords[0], starts_at=now + dt.timedelta(days=3),
                            ends_at=now + dt.timedelta(days=4), reason="回老家", now=now)
    for user in (duty_landlords[1], outsider):
        client.force_login(user)
        response = client.post(reverse("communities:leave_delete", args=[leave.pk]), follow=True)
        assert "这条请假已不存在" in response.content.decode()
        assert Leave.objects.filter(pk=leave.pk).exists()
        page = client.get(reverse("communities:leave_list"))
        assert page.context["leaves"] == [] and "回老家" not in page.content.decode()


# --- my leave: recording it reassigns the shifts -----------------------------------------------------

def test_recorded_leave_takes_the_member_off_and_keeps_them_off(client, rota, duty_landlords, now):
    member = duty_landlords[0]
    start, end = now + dt.timedelta(days=2), now + dt.timedelta(days=5)
    assert held_in(member, start, end).exists()
    client.force_login(member)
    response = client.post(reverse("communities:leave_list"), {
        "starts_at": local_input(start), "ends_at": local_input(end), "reason": "住院"}, follow=True)
    assert "已登记请假" in response.content.decode()
    leave = Leave.objects.get(user=member)
    assert (leave.starts_at, leave.ends_at, leave.reason) == (start, end, "住院")
    assert not held_in(member, start, end).exists()
    # Every shift in the period is still staffed, by the others.
    in_period = ShiftAssignment.objects.filter(shift__rota=rota, shift__starts_at__lt=end, shift__ends_at__gt=start)
    assert in_period.exists() and not in_period.filter(user=member).exists()
    # The rolling generation later on does not put them back either.
    rota_keep_generated(rota_id=rota.pk, now=now + dt.timedelta(days=1))
    assert not held_in(member, start, end).exists()
    assert "住院" in response.content.decode()


def test_new_shifts_skip_the_leave(community):
    users = members(community, 2)
    rota = make_rota(community, users, slots=((9, 12, 1),))
    leave_record(user=users[0], starts_at=at(2, 0), ends_at=at(5, 0), reason="回老家", now=MONDAY)
    generate(rota, days=14)
    assert not held_in(users[0], at(2, 0), at(5, 0)).exists()
    assert held_in(users[0], at(0, 0), at(2, 0)).exists() and held_in(users[0], at(5, 0), at(14, 0)).exists()


def test_shifts_the_engine_may_not_redo_are_listed_with_an_offer_button(client, rota, duty_landlords, now):
    member = duty_landlords[0]
    start, end = now + dt.timedelta(days=2), now + dt.timedelta(days=5)
    reminded = held_in(member, start, end).order_by("shift__starts_at").first()
    reminded.reminded_day_before_at = now
    reminded.save(update_fields=["reminded_day_before_at"])
    client.force_login(member)
    client.post(reverse("communities:leave_list"), {"starts_at": local_input(start), "ends_at": local_input(end)})
    assert list(held_in(member, start, end)) == [reminded]
    page = client.get(reverse("communities:leave_list")).content.decode()
    assert "请假期间还有您的班" in page
    assert reverse("communities:swap_offer", args=[reminded.pk]) in page
    response = client.post(reverse("communities:swap_offer", args=[reminded.pk]), {"reason": "请假"}, follow=True)
    assert "已发起换班" in response.content.decode()


@pytest.mark.parametrize("first,second,message", [
    (dt.timedelta(days=3), dt.timedelta(days=2), "结束时间要晚于开始时间"),
    (-dt.timedelta(days=3), -dt.timedelta(days=2), "已经过去"),
    (dt.timedelta(days=1), dt.timedelta(days=4), "时间重叠"),
])
def test_bad_leave_is_refused_in_chinese_and_changes_nothing(client, rota, duty_landlords, now, first, second,
                                                             message):
    member = duty_landlords[0]
    existing, _ = leave_record(user=member, starts_at=now + dt.timedelta(days=2), ends_at=now + dt.timedelta(days=3),
                               now=now)
    before = sorted(ShiftAssignment.objects.filter(shift__rota=rota).values_list("shift_id", "user_id"))
    client.force_login(member)
    response = client.post(reverse("communities:leave_list"), {
        "starts_at": local_input(now + first), "ends_at": local_input(now + second)})
    assert response.status_code == 400 and message in response.content.decode()
    assert list(Leave.objects.filter(user=member)) == [existing]
    assert sorted(ShiftAssignment.objects.filter(shift__rota=rota).values_list("shift_id", "user_id")) == before


def test_unreadable_dates_are_refused(client, rota, duty_landlords):
    client.force_login(duty_landlords[0])
    response = client.post(reverse("communities:leave_list"), {"starts_at": "明天", "ends_at": ""})
    assert response.status_code == 400
    assert not Leave.objects.exists()


def test_recording_the_same_leave_twice_changes_nothing(community):
    users = members(community, 2)
    first, created = leave_record(user=users[0], starts_at=at(2, 0), ends_at=at(3, 0), now=MONDAY)
    again, created_again = leave_record(user=users[0], starts_at=at(2, 0), ends_at=at(3, 0), now=MONDAY)
    assert created and not created_again and again == first
    assert Leave.objects.count() == 1


def test_future_leave_is_deleted_and_the_member_is_back_on_duty(client, community):
    users = members(community, 2)
    rota = make_rota(community, users, slots=((9, 12, 1),))
    leave, _ = leave_record(user=users[0], starts_at=at(2, 0), ends_at=at(5, 0), now=MONDAY)
    generate(rota, days=7)
    assert not held_in(users[0], at(2, 0), at(5, 0)).exists()
    assert leave_delete(leave_id=leave.pk, actor=users[0], now=MONDAY)
    assert not Leave.objects.exists()
    assert held_in(users[0], at(2, 0), at(5, 0)).exists()
    assert not leave_delete(leave_id=leave.pk, actor=users[0], now=MONDAY)  # a double click changes nothing


def test_begun_leave_cannot_be_deleted(community):
    users = members(community, 1)
    leave, _ = leave_record(user=users[0], starts_at=at(0, 0), ends_at=at(3, 0), now=MONDAY)
    with pytest.raises(DomainError, match="已经开始"):
        leave_delete(leave_id=leave.pk, actor=users[0], now=MONDAY)
    assert Leave.objects.filter(pk=leave.pk).exists()


def test_delete_through_the_page(client, rota, duty_landlords, now):
    member = duty_landlords[0]
    leave, _ = leave_record(user=member, starts_at=now + dt.timedelta(days=2), ends_at=now + dt.timedelta(days=3),
                            now=now)
    client.force_login(member)
    page = client.get(reverse("communities:leave_list")).content.decode()
    assert reverse("communities:leave_delete", args=[leave.pk]) in page
    response = client.post(reverse("communities:leave_delete", args=[leave.pk]), follow=True)
    assert "已删除这条请假" in response.content.decode()
    assert not Leave.objects.exists()


# --- qualifications: access -------------------------------------------------------------------------------

@pytest.fixture
def training(community):
    return Qualification.objects.create(community=community, name="安保培训")


@pytest.fixture
def security(community, duty_landlords, landlord, training, now):
    rota = make_rota(community, duty_landlords, name="24小时安保", manager=landlord, qualification=training)
    generate(rota, days=7, now=now)
    return rota


def test_qualification_page_for_manager_and_staff_only(client, security, duty_landlords, landlord,
                                                       committee_staff, resident, outsider):
    url = reverse("communities:rota_qualifications", args=[security.pk])
    for user, status in ((landlord, 200), (committee_staff, 200), (duty_landlords[0], 403), (resident, 403),
                         (outsider, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(landlord)
    assert url in client.get(reverse("communities:rota_calendar", args=[security.pk])).content.decode()
    client.force_login(duty_landlords[0])
    assert url not in client.get(reverse("communities:rota_calendar", args=[security.pk])).content.decode()


def test_manager_grants_the_rotas_qualification_and_the_member_goes_on_duty(client, security, duty_landlords,
                                                                           landlord, training, now):
    member = duty_landlords[0]
    assert not ShiftAssignment.objects.filter(shift__rota=security).exists()  # nobody qualified yet
    client.force_login(landlord)
    expires = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(reverse("communities:rota_qualifications", args=[security.pk]), {
        "user": member.pk, "qualification": training.pk, "expires_on": expires.isoformat()}, follow=True)
    assert "已授予" in response.content.decode()
    held = MemberQualification.objects.get(user=member, qualification=training)
    assert held.expires_on == expires
    on_duty = ShiftAssignment.objects.filter(shift__rota=security, user=member)
    assert on_duty.exists()
    last_day = max(timezone.localtime(a.shift.starts_at).date() for a in on_duty.select_related("shift"))
    assert last_day <= expires


def test_manager_cannot_grant_another_qualification(client, security, community, duty_landlords, landlord):
    first_aid = Qualification.objects.create(community=community, name="急救证")
    client.force_login(landlord)
    response = client.post(reverse("communities:rota_qualifications", args=[security.pk]), {
        "user": duty_landlords[0].pk, "qualification": first_aid.pk})
    assert response.status_code == 400
    assert not MemberQualification.objects.exists()


def test_staff_grant_refuses_a_past_expiry_and_changes_nothing(client, security, duty_landlords, committee_staff,
                                                               training):
    client.force_login(committee_staff)
    response = client.post(reverse("communities:rota_qualifications", args=[security.pk]), {
        "user": duty_landlords[0].pk, "qualification": training.pk,
        "expires_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 400 and "有效期不能早于今天" in response.content.decode()
    assert not MemberQualification.objects.exists()


def test_wrong_role_and_other_community_cannot_grant_or_revoke(client, security, community, other_community,
                                                                duty_landlords, resident, training):
    held = MemberQualification.objects.create(user=duty_landlords[1], qualification=training)
    grant = reverse("communities:rota_qualifications", args=[security.pk])
    revoke = reverse("communities:qualification_revoke", args=[security.pk, held.pk])
    elsewhere_staff = make_member(other_community, Role.COMMITTEE_STAFF, username="meilan_staff")
    for user, status in ((duty_landlords[0], 403), (resident, 403), (elsewhere_staff, 404)):
        client.force_login(user)
        assert client.post(grant, {"user": duty_landlords[0].pk, "qualification": training.pk}).status_code == status
        assert client.post(revoke).status_code == status
    assert list(MemberQualification.objects.all()) == [held]


def test_revoke_takes_the_member_off_the_rota(client, security, duty_landlords, landlord, training):
    qualify(security.community, duty_landlords[:2], name=training.name)
    rota_regenerate(rota=security)
    member = duty_landlords[0]
    assert ShiftAssignment.objects.filter(shift__rota=security, user=member).exists()
    row = MemberQualification.objects.get(user=member, qualification=training)
    client.force_login(landlord)
    response = client.post(reverse("communities:qualification_revoke", args=[security.pk, row.pk]), follow=True)
    assert "已撤销" in response.content.decode()
    assert not MemberQualification.objects.filter(pk=row.pk).exists()
    assert not ShiftAssignment.objects.filter(shift__rota=security, user=member).exists()
    again = client.post(reverse("communities:qualification_revoke", args=[security.pk, row.pk]), follow=True)
    assert "这项资质已撤销" in again.content.decode()


def test_staff_create_qualification_names_managers_may_not(client, security, community, other_community,
                                                           committee_staff, landlord):
    url = reverse("communities:qualification_create", args=[security.pk])
    client.force_login(landlord)
    assert client.post(url, {"name": "急救证"}).status_code == 403
    client.force_login(make_member(other_community, Role.COMMITTEE_STAFF, username="meilan_staff"))
    assert client.post(url, {"name": "急救证"}).status_code == 404
    assert not Qualification.objects.filter(name="急救证").exists()
    client.force_login(committee_staff)
    response = client.post(url, {"name": " 急救证 "}, follow=True)
    assert "已新建资质" in response.content.decode()
    assert Qualification.objects.filter(community=community, name="急救证").count() == 1
    response = client.post(url, {"name": "急救证"}, follow=True)
    assert "本社区已有资质" in response.content.decode()
    assert Qualification.objects.filter(community=community, name="急救证").count() == 1
    response = client.post(url, {"name": ""}, follow=True)
    assert "不能为空" in response.content.decode()
    assert policy.qualifications_grantable(committee_staff, security).count() == 2
    assert list(policy.qualifications_grantable(landlord, security)) == [security.required_qualification]


# --- qualifications: the engine --------------------------------------------------------------------------

def test_expired_qualification_keeps_the_member_off_the_rota(community, committee_staff):
    users = members(community, 2)
    training = Qualification.objects.create(community=community, name="安保培训")
    rota = make_rota(community, users, name="24小时安保", slots=((9, 12, 1),), qualification=training)
    expires = MONDAY.date() + dt.timedelta(days=2)
    qualification_grant(actor=committee_staff, qualification=training, user=users[0], expires_on=expires, now=MONDAY)
    qualification_grant(actor=committee_staff, qualification=training, user=users[1], expires_on=None, now=MONDAY)
    generate(rota, days=14)
    mine = [timezone.localtime(a.shift.starts_at).date()
            for a in ShiftAssignment.objects.filter(user=users[0]).select_related("shift")]
    assert mine and max(mine) <= expires
    after = ShiftAssignment.objects.filter(shift__rota=rota, shift__starts_at__gte=at(3, 0))
    assert after.exists() and set(after.values_list("user_id", flat=True)) == {users[1].pk}


def test_granting_the_same_expiry_twice_changes_nothing(community, committee_staff):
    users = members(community, 1)
    training = Qualification.objects.create(community=community, name="安保培训")
    _, changed = qualification_grant(actor=committee_staff, qualification=training, user=users[0],
                                     expires_on=None, now=MONDAY)
    _, changed_again = qualification_grant(actor=committee_staff, qualification=training, user=users[0],
                                           expires_on=None, now=MONDAY)
    assert changed and not changed_again
    assert qualification_revoke(actor=committee_staff, held_id=MemberQualification.objects.get().pk, now=MONDAY)
    assert not MemberQualification.objects.exists()


def test_grant_to_someone_outside_the_community_is_refused(community, other_community, committee_staff, outsider):
    training = Qualification.objects.create(community=community, name="安保培训")
    with pytest.raises(DomainError, match="不属于本社区"):
        qualification_grant(actor=committee_staff, qualification=training, user=outsider, expires_on=None)
    assert not MemberQualification.objects.exists()


def test_policy_rules(security, duty_landlords, landlord, committee_staff, resident, outsider, town_secretary):
    assert policy.can(duty_landlords[0], "rota.leave") and policy.can(resident, "rota.leave")
    assert not policy.can(town_secretary, "rota.leave")
    assert policy.can(landlord, "rota.qualify", security) and policy.can(committee_staff, "rota.qualify", security)
    assert not policy.can(duty_landlords[0], "rota.qualify", security) and not policy.can(outsider, "rota.qualify",
                                                                                          security)
    assert policy.can(committee_staff, "qualification.create", security)
    assert not policy.can(landlord, "qualification.create", security)
    assert not policy.qualifications_grantable(duty_landlords[0], security).exists()


def test_a_manager_cannot_widen_the_required_qualification_and_then_grant_it(security, community, duty_landlords,
                                                                             landlord, committee_staff):
    """The bypass: change the rota to require another qualification, then grant that one (issue 12, item 13)."""
    first_aid = Qualification.objects.create(community=community, name="急救证")
    fields = {"name": security.name, "kind": security.kind, "place": security.place,
              "required_qualification": first_aid, "horizon_weeks": security.horizon_weeks, "active": True}
    slots = [SlotSpec(start_time=s.start_time, end_time=s.end_time, people=s.people, weekdays=tuple(s.weekdays),
                      id=s.pk) for s in security.slots.all()]
    members_ = [(m.user, m.group) for m in security.members.all()]
    with pytest.raises(DomainError, match="只有居委工作人员可以设定"):
        rota_save(actor=landlord, community=community, rota=security, fields=fields, manager=landlord,
                  members=members_, slots=slots)
    security.refresh_from_db()
    assert security.required_qualification.name == "安保培训"
    # committee staff may change it
    rota_save(actor=committee_staff, community=community, rota=security, fields=fields, manager=landlord,
              members=members_, slots=slots)
    security.refresh_from_db()
    assert security.required_qualification == first_aid


def test_the_rota_form_shows_a_manager_the_qualification_but_does_not_let_them_change_it(client, security,
                                                                                        landlord):
    client.force_login(landlord)
    page = client.get(reverse("communities:rota_edit", args=[security.pk])).content.decode()
    assert "要求的资质由居委工作人员设定" in page
    assert 'name="required_qualification"' in page and "disabled" in page.split('name="required_qualification"')[1][:200]
