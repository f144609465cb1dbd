"""Committee staff review a registration: approve (binding to a registered person) or reject with a reason."""
import datetime as dt

import pytest
from django.urls import reverse

from communities.models import AuditEvent, Membership, Notification, Person, RegistrationRequest, Residency, Role
from communities.services.errors import DomainError
from communities.services.registrations import registration_approve
from tests.factories import BuildingFactory, PersonFactory, ResidencyFactory, UnitFactory

from .registrations_world import (  # noqa: F401 - fixtures and helpers
    approve, pending, refreshed, reject, submit, url,
)


# --- review: approve -----------------------------------------------------------




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


