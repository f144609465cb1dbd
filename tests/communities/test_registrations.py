"""Self-registration (a resident claims a unit) and its review by committee staff."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import (
    AuditEvent, Membership, Notification, Person, RegistrationRequest, Residency, Role, User,
)
from communities.services.errors import DomainError
from communities.services.registrations import registration_approve, registration_reject, registration_submit
from communities.forms.passwords import PASSWORD_RULES
from communities.sms.backends import read_sms_file
from tests.factories import BuildingFactory, PersonFactory, ResidencyFactory, UnitFactory, UserFactory, make_member

NEW_PASSWORD = "Luodian-2026-secure!"


@pytest.fixture
def signup(building, unit):
    """A valid registration form for 1号楼 301, as a newcomer would fill it in (after the phone step)."""
    return {
        "action": "submit", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
        "name": "王小明", "building": building.pk, "room": "301",
        "relation": RegistrationRequest.Relation.OWNER, "moved_in": "2024-03-01",
    }


REGISTER = reverse("accounts:register")


def verify_phone(client, outbox, phone="13800138000"):
    """The first step: the SMS code proves the phone."""
    client.post(REGISTER, {"action": "send", "phone": phone})
    client.post(REGISTER, {"action": "verify", "code": read_sms_file(outbox)[-1]["code"]})


def details_url(community):
    return f"{REGISTER}?community={community.pk}"


def submit(*, unit, username="applicant", name="申请人", phone="13600001111",
           relation=RegistrationRequest.Relation.OWNER, verified=False):
    return registration_submit(user=UserFactory(username=username), unit=unit, name=name, phone=phone,
                               relation=relation, moved_in=dt.date(2024, 5, 1),
                               phone_verified_at=timezone.now() if verified else None)


@pytest.fixture
def pending(unit):
    return submit(unit=unit)


def url(name, registration):
    return reverse(f"communities:{name}", args=[registration.pk])


def refreshed(registration):
    registration.refresh_from_db()
    return registration


# --- self-registration ---------------------------------------------------------

def test_register_creates_account_and_pending_request_and_logs_in(client, signup, unit, community, sms_outbox):
    verify_phone(client, sms_outbox)
    response = client.post(details_url(community), signup)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:registration_status")
    user = User.objects.get(username="13800138000")  # the verified phone is the login
    assert user.check_password(NEW_PASSWORD)
    request = RegistrationRequest.objects.get(user=user)
    assert request.unit == unit
    assert request.status == RegistrationRequest.Status.PENDING
    assert (request.name, request.phone, request.relation) == ("王小明", "13800138000", "owner")
    assert request.moved_in == dt.date(2024, 3, 1)
    assert request.phone_verified_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    # Nothing is granted before review: no person record, no residency, no role.
    assert not Person.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()

    status_page = client.get(response["Location"]).content.decode()
    assert "1号楼 301" in status_page and "待审核" in status_page
    assert "申请已提交" in status_page
    client.logout()
    assert client.post(reverse("accounts:login"), {"username": "138 0013 8000", "password": NEW_PASSWORD}
                       ).status_code == 302


def test_registration_asks_for_the_phone_code_first_and_has_no_username_field(client, db, sms_outbox):
    page = client.get(REGISTER).content.decode()
    assert "获取验证码" in page and 'name="username"' not in page
    client.post(REGISTER, {"action": "send", "phone": "13800138000"})
    code = read_sms_file(sms_outbox)[-1]["code"]
    wrong = "000000" if code != "000000" else "111111"
    page = client.post(REGISTER, {"action": "verify", "code": wrong}).content.decode()
    assert "验证码不正确" in page
    assert "请选择社区" not in page


def test_registration_picks_the_community_first_then_only_its_buildings(client, signup, community,
                                                                        other_community, sms_outbox):
    BuildingFactory(community=other_community, name="9号楼")
    verify_phone(client, sms_outbox)
    page = client.get(REGISTER).content.decode()
    assert "请选择社区" in page and "蓉庭居民区" in page and "---------" not in page
    page = client.get(details_url(community)).content.decode()
    assert "1号楼" in page and "9号楼" not in page and "---------" not in page and "请选择楼栋" in page
    assert 'name="username"' not in page


def test_another_communitys_building_posted_is_refused(client, signup, community, other_community, sms_outbox):
    elsewhere = UnitFactory(building=BuildingFactory(community=other_community, name="9号楼"), room="301")
    verify_phone(client, sms_outbox)
    signup["building"] = elsewhere.building.pk
    response = client.post(details_url(community), signup)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not RegistrationRequest.objects.exists()


def test_details_without_a_verified_phone_go_back_to_the_phone_step(client, signup, community):
    response = client.post(details_url(community), signup)
    assert "获取验证码" in response.content.decode()
    assert not User.objects.exists() and not RegistrationRequest.objects.exists()


def test_a_phone_that_has_an_account_is_told_to_sign_in(client, signup, community, resident, sms_outbox):
    resident.person.phone = "13800138000"
    resident.person.save(update_fields=["phone"])
    verify_phone(client, sms_outbox)
    page = client.get(details_url(community)).content.decode()
    assert "这个手机号已经有账号了" in page and reverse("accounts:password_reset") in page
    assert client.post(details_url(community), signup).status_code == 200
    assert not RegistrationRequest.objects.exists()


def test_register_notifies_committee_staff_of_that_community_once_per_queue(client, signup, committee_staff,
                                                                           resident, other_community, unit,
                                                                           building, sms_outbox):
    other_staff = make_member(other_community, Role.COMMITTEE_STAFF, username="otherstaff")

    verify_phone(client, sms_outbox)
    client.post(details_url(building.community), signup)
    submit(unit=UnitFactory(building=building, room="402"), username="second", phone="13600002222")

    note = Notification.objects.get(recipient=committee_staff)  # one, not one per request
    assert "蓉庭居民区" in note.title
    assert note.url == reverse("communities:registration_queue")
    assert not Notification.objects.filter(recipient__in=[resident, other_staff]).exists()
    note.read_at = timezone.now()
    note.save()
    submit(unit=UnitFactory(building=building, room="403"), username="third", phone="13600003333")
    assert Notification.objects.filter(recipient=committee_staff, read_at__isnull=True).count() == 1


@pytest.mark.parametrize("change,message", [
    ({"room": "999"}, "1号楼 没有房号 999"),
    ({"moved_in": "tomorrow"}, "入住日期不能晚于今天"),
    ({"moved_in": "0001-01-01"}, "入住日期不能早于 2000 年"),
    ({"moved_in": "9999-12-31"}, "入住日期不能晚于今天"),
    ({"password2": "Something-else-2026"}, "两次输入的密码不一致"),
    ({"password1": "12345678", "password2": "12345678"}, "这个密码太常见了"),
], ids=["no-such-room", "future-move-in", "ancient-move-in", "far-future", "password-mismatch", "common-password"])
def test_register_with_bad_input_changes_nothing_and_says_why(client, signup, change, message, community,
                                                              sms_outbox):
    verify_phone(client, sms_outbox)
    signup.update(change)
    if signup["moved_in"] == "tomorrow":
        signup["moved_in"] = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    response = client.post(details_url(community), signup)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not RegistrationRequest.objects.exists()
    assert not Notification.objects.exists()
    assert "_auth_user_id" not in client.session


def test_the_password_rules_are_one_sentence(client, community, sms_outbox):
    verify_phone(client, sms_outbox)
    page = client.get(details_url(community)).content.decode()
    assert str(PASSWORD_RULES) in page


def test_register_room_must_be_in_the_chosen_building(client, signup, community, sms_outbox):
    """Room 301 exists in 1号楼; claiming it under 2号楼 must not attach the request to 1号楼's unit."""
    signup["building"] = BuildingFactory(community=community, name="2号楼").pk
    verify_phone(client, sms_outbox)

    response = client.post(details_url(community), signup)

    assert "2号楼 没有房号 301" in response.content.decode()
    assert not RegistrationRequest.objects.exists()


def test_double_submission_makes_one_request(client, signup, community, sms_outbox):
    verify_phone(client, sms_outbox)
    client.post(details_url(community), signup)
    second = client.post(details_url(community), signup)
    assert second["Location"] == reverse("accounts:registration_status")
    assert RegistrationRequest.objects.count() == 1


def test_one_waiting_request_per_phone(unit, building):
    submit(unit=unit, phone="13600001111")
    with pytest.raises(DomainError, match="已有一份待审核的申请"):
        submit(unit=UnitFactory(building=building, room="401"), username="twin", phone="13600001111")


def test_three_requests_per_phone_a_day(unit, building, committee_staff):
    now = timezone.now()
    for i in range(3):
        request = registration_submit(user=UserFactory(username=f"a{i}"), unit=unit, name="某", phone="13600001111",
                                      relation="owner", moved_in=dt.date(2024, 5, 1), now=now + dt.timedelta(minutes=i))
        registration_reject(actor=committee_staff, request_id=request.pk, reason="房号不对")
    with pytest.raises(DomainError, match="今天已提交过 3 次"):
        registration_submit(user=UserFactory(username="a9"), unit=unit, name="某", phone="13600001111",
                            relation="owner", moved_in=dt.date(2024, 5, 1), now=now + dt.timedelta(hours=1))


def test_five_requests_an_hour_per_address(unit):
    now = timezone.now()
    for i in range(5):
        registration_submit(user=UserFactory(username=f"b{i}"), unit=unit, name="某", phone=f"1360000{i:04d}",
                            relation="owner", moved_in=dt.date(2024, 5, 1), ip="10.1.1.1",
                            now=now + dt.timedelta(minutes=i))
    with pytest.raises(DomainError, match="1 小时后再试"):
        registration_submit(user=UserFactory(username="b9"), unit=unit, name="某", phone="13600009999",
                            relation="owner", moved_in=dt.date(2024, 5, 1), ip="10.1.1.1",
                            now=now + dt.timedelta(minutes=10))


def test_signed_in_user_visiting_register_goes_to_status_page(client, resident):
    client.force_login(resident)
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:registration_status")


def test_second_pending_request_is_refused(unit, building):
    first = submit(unit=unit)
    other_unit = UnitFactory(building=building, room="401")

    with pytest.raises(DomainError) as refused:
        registration_submit(user=first.user, unit=other_unit, name="申请人", phone="13600001111",
                            relation=RegistrationRequest.Relation.OWNER, moved_in=dt.date(2024, 5, 1))

    assert "待审核的申请" in refused.value.message
    assert list(RegistrationRequest.objects.filter(user=first.user)) == [first]


def test_after_a_rejection_the_user_may_apply_again(pending, committee_staff, building):
    reject(pending, committee_staff, reason="房号填错了")
    corrected = UnitFactory(building=building, room="402")

    again = registration_submit(user=pending.user, unit=corrected, name="申请人", phone="13600001111",
                                relation=RegistrationRequest.Relation.OWNER, moved_in=dt.date(2024, 5, 1))

    assert again.status == RegistrationRequest.Status.PENDING
    assert RegistrationRequest.objects.filter(user=pending.user).count() == 2


# --- review: approve -----------------------------------------------------------



def approve(registration, actor):
    return registration_approve(actor=actor, request_id=registration.pk)


def reject(registration, actor, reason="材料不全"):
    return registration_reject(actor=actor, request_id=registration.pk, reason=reason)


@pytest.mark.parametrize("relation,role", [
    (RegistrationRequest.Relation.OWNER, Role.RESIDENT),
    (RegistrationRequest.Relation.FAMILY, Role.RESIDENT),
    (RegistrationRequest.Relation.TENANT, Role.TENANT),
])
def test_approve_makes_the_applicant_a_resident_of_the_unit(committee_staff, unit, relation, role):
    registration = submit(unit=unit, relation=relation)

    _, changed = approve(registration, committee_staff)

    assert changed
    registration = refreshed(registration)
    assert registration.status == RegistrationRequest.Status.APPROVED
    assert registration.decided_by == committee_staff and registration.decided_at is not None
    residency = Residency.objects.get(person__user=registration.user, moved_out__isnull=True)
    assert (residency.unit, residency.relation, residency.moved_in) == (unit, relation, dt.date(2024, 5, 1))
    assert (residency.person.name, residency.person.phone) == ("申请人", "13600001111")
    assert list(Membership.objects.filter(user=registration.user).values_list("community", "role")) == [
        (unit.building.community_id, role)]
    assert AuditEvent.objects.filter(action="registration.approve", actor=committee_staff,
                                     community=unit.building.community).count() == 1
    assert Notification.objects.get(recipient=registration.user).title == "您的注册申请已通过"


def test_approved_applicant_can_open_their_unit(client, committee_staff, pending, unit):
    client.force_login(pending.user)
    assert "正在等待居委审核" in client.get(reverse("home")).content.decode()
    assert client.get(reverse("communities:unit_detail", args=[unit.pk])).status_code == 403

    approve(pending, committee_staff)

    home = client.get(reverse("home")).content.decode()
    assert "正在等待居委审核" not in home
    assert reverse("communities:unit_detail", args=[unit.pk]) in home
    assert client.get(reverse("communities:unit_detail", args=[unit.pk])).status_code == 200


def test_approve_button_confirms_and_returns_to_the_queue(client, committee_staff, pending):
    client.force_login(committee_staff)

    response = client.post(url("registration_approve", pending), follow=True)

    assert response.redirect_chain[-1][0] == reverse("communities:registration_queue")
    assert "已批准 申请人 的申请，已通知本人" in response.content.decode()
    assert refreshed(pending).status == RegistrationRequest.Status.APPROVED


def test_approving_twice_is_harmless(committee_staff, pending):
    approve(pending, committee_staff)

    _, changed = approve(pending, committee_staff)

    assert not changed
    assert Residency.objects.filter(person__user=pending.user).count() == 1
    assert Membership.objects.filter(user=pending.user).count() == 1
    assert AuditEvent.objects.filter(action="registration.approve").count() == 1
    assert Notification.objects.filter(recipient=pending.user).count() == 1


def test_approve_button_clicked_twice_says_already_approved(client, committee_staff, pending):
    approve(pending, committee_staff)
    client.force_login(committee_staff)

    response = client.post(url("registration_approve", pending), follow=True)

    assert "该申请之前已批准，无需重复操作" in response.content.decode()
    assert Residency.objects.filter(person__user=pending.user).count() == 1


@pytest.fixture
def registered_namesake(building):
    """The committee registered 申请人 earlier (imported, no account), living in 1号楼 501."""
    person = PersonFactory(name="老申", phone="13600001111")
    ResidencyFactory(person=person, unit=UnitFactory(building=building, room="501"))
    return person


def test_approval_never_binds_a_registered_person_silently(client, committee_staff, pending, registered_namesake):
    client.force_login(committee_staff)
    page = client.get(url("registration_decide", pending)).content.decode()
    assert "这个手机号已登记在本社区的人员名下" in page
    assert "老申" in page and "1号楼 501" in page
    assert "13600001111" not in page and "136****1111" in page  # the typed phone stays masked

    response = client.post(url("registration_approve", pending), follow=True)

    assert "请选择“关联到此人”“新建人员”或不通过" in response.content.decode()
    registered_namesake.refresh_from_db()
    assert registered_namesake.user is None
    assert refreshed(pending).status == RegistrationRequest.Status.PENDING


def test_binding_needs_a_phone_verified_by_sms(client, committee_staff, pending, registered_namesake):
    client.force_login(committee_staff)
    assert "disabled" in client.get(url("registration_decide", pending)).content.decode()
    with pytest.raises(DomainError, match="没有经过短信验证"):
        registration_approve(actor=committee_staff, request_id=pending.pk,
                             person_choice=f"person:{registered_namesake.pk}")
    registered_namesake.refresh_from_db()
    assert registered_namesake.user is None


def test_staff_bind_a_verified_applicant_to_the_registered_person(client, committee_staff, unit,
                                                                  registered_namesake):
    request = submit(unit=unit, verified=True)
    client.force_login(committee_staff)
    client.post(url("registration_approve", request), {"person": f"person:{registered_namesake.pk}"})
    registered_namesake.refresh_from_db()
    assert registered_namesake.user == request.user
    assert Person.objects.filter(phone="13600001111").count() == 1
    assert AuditEvent.objects.filter(action="registration.bind_person", actor=committee_staff).exists()


def test_staff_may_create_a_new_person_instead(client, committee_staff, unit, registered_namesake):
    request = submit(unit=unit, verified=True)
    client.force_login(committee_staff)
    client.post(url("registration_approve", request), {"person": "new"})
    registered_namesake.refresh_from_db()
    assert registered_namesake.user is None and registered_namesake.phone == "13600001111"
    person = Person.objects.get(user=request.user)
    assert person.name == "申请人" and person.residencies.get().unit == unit
    assert refreshed(request).status == RegistrationRequest.Status.APPROVED


def test_a_person_registered_in_another_community_is_neither_shown_nor_bound(client, committee_staff, unit,
                                                                            other_community):
    elsewhere = PersonFactory(name="别处的人", phone="13600001111")
    ResidencyFactory(person=elsewhere, unit=UnitFactory(building=BuildingFactory(community=other_community)))
    request = submit(unit=unit, verified=True)
    client.force_login(committee_staff)
    assert "别处的人" not in client.get(url("registration_decide", request)).content.decode()
    client.post(url("registration_approve", request))
    elsewhere.refresh_from_db()
    assert elsewhere.user is None
    assert Person.objects.get(user=request.user).name == "申请人"


def test_approve_refuses_a_phone_that_belongs_to_another_account(client, committee_staff, pending, resident):
    resident.person.phone = "13600001111"
    resident.person.save()
    client.force_login(committee_staff)

    response = client.post(url("registration_approve", pending), follow=True)

    assert "该手机号已属于另一个账号" in response.content.decode()
    assert refreshed(pending).status == RegistrationRequest.Status.PENDING
    assert not Membership.objects.filter(user=pending.user).exists()


# --- review: reject ------------------------------------------------------------

@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_without_a_reason_is_refused_and_changes_nothing(client, committee_staff, pending, reason):
    client.force_login(committee_staff)

    response = client.post(url("registration_reject", pending), {"reason": reason})

    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()
    registration = refreshed(pending)
    assert registration.status == RegistrationRequest.Status.PENDING and registration.decided_by is None
    assert not Notification.objects.filter(recipient=pending.user).exists()
    assert not AuditEvent.objects.exists()


def test_reject_service_without_a_reason_raises(committee_staff, pending):
    with pytest.raises(DomainError) as refused:
        reject(pending, committee_staff, reason="  ")
    assert "请填写不通过的原因" in refused.value.message
    assert refreshed(pending).status == RegistrationRequest.Status.PENDING


def test_reject_with_a_reason_tells_the_applicant_why(client, committee_staff, pending):
    _, changed = reject(pending, committee_staff, reason="房产证上没有此人")

    assert changed
    registration = refreshed(pending)
    assert registration.status == RegistrationRequest.Status.REJECTED
    assert registration.reason == "房产证上没有此人"
    assert registration.decided_by == committee_staff
    note = Notification.objects.get(recipient=pending.user)
    assert note.title == "您的注册申请未通过" and "房产证上没有此人" in note.body
    assert not Residency.objects.filter(person__user=pending.user).exists()
    assert not Membership.objects.filter(user=pending.user).exists()
    assert AuditEvent.objects.filter(action="registration.reject").count() == 1

    client.force_login(pending.user)
    status_page = client.get(reverse("accounts:registration_status")).content.decode()
    assert "未通过" in status_page and "房产证上没有此人" in status_page


def test_reject_button_with_a_reason_confirms(client, committee_staff, pending):
    client.force_login(committee_staff)

    response = client.post(url("registration_reject", pending), {"reason": "房产证上没有此人"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("communities:registration_queue")
    assert "已驳回 申请人 的申请，已通知本人" in response.content.decode()
    assert refreshed(pending).reason == "房产证上没有此人"


def test_rejecting_twice_is_harmless(committee_staff, pending):
    reject(pending, committee_staff, reason="材料不全")

    _, changed = reject(pending, committee_staff, reason="另一个原因")

    assert not changed
    assert refreshed(pending).reason == "材料不全"
    assert Notification.objects.filter(recipient=pending.user).count() == 1


def test_a_rejected_request_cannot_be_approved(client, committee_staff, pending):
    reject(pending, committee_staff)
    client.force_login(committee_staff)

    response = client.post(url("registration_approve", pending), follow=True)

    assert response.redirect_chain[-1][0] == url("registration_decide", pending)
    assert "该申请已处理，不能再批准" in response.content.decode()
    assert refreshed(pending).status == RegistrationRequest.Status.REJECTED
    assert not Residency.objects.filter(person__user=pending.user).exists()
    assert not Membership.objects.filter(user=pending.user).exists()


def test_an_approved_request_cannot_be_rejected(client, committee_staff, pending):
    approve(pending, committee_staff)
    client.force_login(committee_staff)

    response = client.post(url("registration_reject", pending), {"reason": "改主意了"}, follow=True)

    assert "该申请已处理，不能再驳回" in response.content.decode()
    registration = refreshed(pending)
    assert registration.status == RegistrationRequest.Status.APPROVED and registration.reason == ""
    assert Residency.objects.filter(person__user=pending.user, moved_out__isnull=True).count() == 1


def test_decide_page_offers_actions_only_while_pending(client, committee_staff, pending):
    client.force_login(committee_staff)
    page = client.get(url("registration_decide", pending)).content.decode()
    assert "核实无误，批准" in page and "136****1111" in page and "13600001111" not in page

    approve(pending, committee_staff)
    page = client.get(url("registration_decide", pending)).content.decode()
    assert "已通过" in page and "核实无误，批准" not in page


def test_approve_and_reject_need_post(client, committee_staff, pending):
    client.force_login(committee_staff)
    assert client.get(url("registration_approve", pending)).status_code == 405
    assert client.get(url("registration_reject", pending)).status_code == 405
    assert refreshed(pending).status == RegistrationRequest.Status.PENDING


# --- queue ---------------------------------------------------------------------

def test_queue_lists_this_communitys_pending_requests_only(client, committee_staff, pending, other_community):
    elsewhere = UnitFactory(building=BuildingFactory(community=other_community, name="9号楼"), room="909")
    submit(unit=elsewhere, username="faraway", name="远方来客", phone="13600002222")
    client.force_login(committee_staff)

    page = client.get(reverse("communities:registration_queue")).content.decode()

    assert "申请人" in page and url("registration_decide", pending) in page
    assert "远方来客" not in page


def test_queue_filters_by_status(client, committee_staff, unit):
    approved = submit(unit=unit, username="a1", name="已批准的人", phone="13600003333")
    submit(unit=unit, username="a2", name="还在等的人", phone="13600004444")
    approve(approved, committee_staff)
    client.force_login(committee_staff)

    pending_page = client.get(reverse("communities:registration_queue")).content.decode()
    approved_page = client.get(reverse("communities:registration_queue"), {"status": "approved"}).content.decode()

    assert "还在等的人" in pending_page and "已批准的人" not in pending_page
    assert "已批准的人" in approved_page and "还在等的人" not in approved_page


@pytest.mark.parametrize("count", [3, 30])
def test_queue_query_count_does_not_grow_with_rows(client, committee_staff, building, count,
                                                   django_assert_max_num_queries):
    for n in range(count):
        unit = UnitFactory(building=building, room=f"{1000 + n}")
        submit(unit=unit, username=f"applicant{n}", name=f"申请人{n}", phone=f"136{n:08d}")
    client.force_login(committee_staff)
    client.get(reverse("communities:registration_queue"))  # the first request also writes the session

    with django_assert_max_num_queries(6):
        response = client.get(reverse("communities:registration_queue"))

    assert len(re.findall(r'href="/registrations/\d+/"', response.content.decode())) == count


# --- access --------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["resident", "landlord", "party_secretary", "tenant"])
def test_other_roles_of_the_community_are_refused(client, request, persona, pending):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("communities:registration_queue")).status_code == 403
    assert client.get(url("registration_decide", pending)).status_code == 403
    assert client.post(url("registration_approve", pending)).status_code == 403
    assert client.post(url("registration_reject", pending), {"reason": "不行"}).status_code == 403
    assert refreshed(pending).status == RegistrationRequest.Status.PENDING


def test_committee_staff_of_another_community_gets_404(client, other_community, pending):
    other_staff = make_member(other_community, Role.COMMITTEE_STAFF, username="otherstaff")
    client.force_login(other_staff)

    assert client.get(reverse("communities:registration_queue")).status_code == 200
    assert client.get(url("registration_decide", pending)).status_code == 404
    assert client.post(url("registration_approve", pending)).status_code == 404
    assert client.post(url("registration_reject", pending), {"reason": "不行"}).status_code == 404
    registration = refreshed(pending)
    assert registration.status == RegistrationRequest.Status.PENDING and registration.decided_by is None
    assert not Membership.objects.filter(user=pending.user).exists()


def test_anonymous_is_sent_to_login(client, pending):
    login = reverse("accounts:login")
    for response in (
        client.get(reverse("communities:registration_queue")),
        client.get(url("registration_decide", pending)),
        client.post(url("registration_approve", pending)),
        client.post(url("registration_reject", pending), {"reason": "不行"}),
        client.get(reverse("accounts:registration_status")),
    ):
        assert response.status_code == 302 and response["Location"].startswith(login)
    assert refreshed(pending).status == RegistrationRequest.Status.PENDING
