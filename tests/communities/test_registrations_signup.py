"""Self-registration: a resident claims a unit (the phone step, the details, the limits)."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership, Notification, Person, RegistrationRequest, Role, User
from communities.services.errors import DomainError
from communities.services.registrations import registration_reject, registration_submit
from communities.forms.passwords import PASSWORD_RULES
from communities.sms.backends import read_sms_file
from tests.factories import BuildingFactory, UnitFactory, UserFactory, make_member

from .registrations_world import (  # noqa: F401 - fixtures and helpers
    NEW_PASSWORD, NEW_PASSWORD, REGISTER, details_url, pending, reject, signup, submit, verify_phone,
)


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


