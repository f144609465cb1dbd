"""代登记 with one-time invitation slips: staff register a resident and print a slip; the resident scans it and
sets a password; the slip is then used. Expired, used, voided and forged slips are refused plainly."""
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.urls import reverse

from communities.models import Invitation, Membership, Person, Role, User
from communities.services.errors import DomainError
from communities.services.invitations import invitation_accept, invitation_issue, resident_register_on_behalf

from ..factories import make_member

REGISTER = reverse("communities:register_on_behalf")
NEW_PASSWORD = "Lu0dian-garden-42"


def register(client, community, building, **data):
    fields = {"community": community.slug, "name": "赵阿婆", "phone": "139 0000 1111", "building": building.pk,
              "room": "301"}
    fields.update(data)
    return client.post(REGISTER, fields)


def slip_token(client, response):
    """The token the printed slip encodes (the page's QR code names the /invite/ URL)."""
    slip = client.get(response["Location"])
    return slip.context["url"].rsplit("/invite/", 1)[1].strip("/"), slip


def test_staff_register_a_resident_and_print_a_slip(client, committee_staff, community, building, unit):
    client.force_login(committee_staff)
    response = register(client, community, building)
    assert response.status_code == 302
    user = User.objects.get(username="13900001111")
    assert not user.has_usable_password()
    assert Person.objects.get(user=user).name == "赵阿婆"
    assert Membership.objects.filter(user=user, community=community, role=Role.RESIDENT).exists()
    assert user.person.residencies.get().unit == unit
    token, slip = slip_token(client, response)
    html = slip.content.decode()
    assert '<svg role="img"' in html and "data-print" in html and "赵阿婆" in html
    invitation = Invitation.objects.get(user=user)
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)


def test_the_resident_opens_the_slip_sets_a_password_and_is_signed_in(client, committee_staff, community,
                                                                        building, unit):
    client.force_login(committee_staff)
    token, _ = slip_token(client, register(client, community, building))
    client.logout()
    url = reverse("communities:invitation_open", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "赵阿婆，您好！" in page.content.decode()
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(username="13900001111")
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).context["user"] == user
    assert Invitation.objects.get(user=user).used_at is not None
    # used: the same slip says so plainly and changes nothing
    client.logout()
    again = client.post(url, {"new_password1": "Another-pass-77", "new_password2": "Another-pass-77"})
    assert again.status_code == 410 and "这张邀请单已经用过了" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_weak_password_is_refused_and_the_slip_stays_open(client, committee_staff, community, building, unit):
    client.force_login(committee_staff)
    token, _ = slip_token(client, register(client, community, building))
    client.logout()
    response = client.post(reverse("communities:invitation_open", args=[token]),
                           {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 400
    assert Invitation.objects.get().used_at is None


def test_an_expired_slip_says_so(client, committee_staff, community, building, unit):
    user, invitation, token = resident_register_on_behalf(
        actor=committee_staff, unit=unit, name="钱老伯", phone="13900002222",
        now=datetime(2026, 1, 1, tzinfo=dt_timezone.utc))
    response = client.get(reverse("communities:invitation_open", args=[token]))
    assert response.status_code == 410 and "这张邀请单已过期" in response.content.decode()
    with pytest.raises(DomainError):
        invitation_accept(token=token, password=NEW_PASSWORD, now=datetime(2026, 1, 15, tzinfo=dt_timezone.utc))
    invitation_accept(token=token, password=NEW_PASSWORD, now=datetime(2026, 1, 14, 23, tzinfo=dt_timezone.utc))


def test_a_forged_token_is_404(client, db):
    assert client.get(reverse("communities:invitation_open", args=["not-a-real-token"])).status_code == 404


def test_reissuing_voids_the_old_slip(client, committee_staff, community, building, unit):
    user, first, old_token = resident_register_on_behalf(actor=committee_staff, unit=unit, name="孙阿姨",
                                                         phone="13900003333")
    client.force_login(committee_staff)
    response = client.post(reverse("communities:invitation_reissue", args=[user.pk]), {"community": community.slug})
    assert response.status_code == 302
    new_token, slip = slip_token(client, response)
    assert new_token != old_token
    client.logout()
    old = client.get(reverse("communities:invitation_open", args=[old_token]))
    assert old.status_code == 410 and "这张邀请单已作废" in old.content.decode()
    assert client.get(reverse("communities:invitation_open", args=[new_token])).status_code == 200


def test_registering_twice_is_refused_the_second_time(client, committee_staff, community, building, unit):
    client.force_login(committee_staff)
    assert register(client, community, building).status_code == 302
    again = register(client, community, building)
    assert again.status_code == 400 and "这个手机号已经有账号了" in again.content.decode()
    assert User.objects.filter(username="13900001111").count() == 1
    assert Invitation.objects.count() == 1


def test_a_missing_flat_and_a_bad_phone_are_refused_in_chinese(client, committee_staff, community, building, unit):
    client.force_login(committee_staff)
    response = register(client, community, building, room="999")
    assert response.status_code == 400 and "这栋楼没有这个房号，请核对。" in response.content.decode()
    response = register(client, community, building, phone="12345")
    assert response.status_code == 400 and "手机号码格式不正确" in response.content.decode()
    assert not User.objects.exclude(pk=committee_staff.pk).exists()


def test_a_phone_registered_elsewhere_is_refused_without_naming_anyone(client, committee_staff, community,
                                                                       building, unit, outsider):
    Person.objects.filter(user=outsider).update(phone="13900004444", user=None)
    client.force_login(committee_staff)
    response = register(client, community, building, phone="13900004444")
    html = response.content.decode()
    assert response.status_code == 400 and "这个手机号已登记在别人名下" in html and "外人" not in html


def test_a_resident_may_not_register_on_behalf(client, resident, community, building):
    client.force_login(resident)
    assert client.get(REGISTER).status_code == 403
    assert register(client, community, building).status_code == 403
    assert not User.objects.filter(username="13900001111").exists()


def test_staff_of_another_community_get_404(client, community, building, other_community, unit):
    client.force_login(make_member(other_community, Role.COMMITTEE_STAFF, username="meilan-staff"))
    assert register(client, community, building).status_code == 404
    assert not User.objects.filter(username="13900001111").exists()


def test_staff_of_another_community_cannot_open_or_reissue_a_slip(client, committee_staff, community, unit,
                                                                  other_community):
    user, invitation, _ = resident_register_on_behalf(actor=committee_staff, unit=unit, name="周大爷",
                                                      phone="13900005555")
    other = make_member(other_community, Role.COMMITTEE_STAFF, username="meilan-staff")
    client.force_login(other)
    assert client.get(reverse("communities:invitation_slip", args=[invitation.pk])).status_code == 404
    response = client.post(reverse("communities:invitation_reissue", args=[user.pk]),
                           {"community": community.slug})
    assert response.status_code == 404
    with pytest.raises(Exception):
        invitation_issue(actor=other, user=user, community=community)
    assert Invitation.objects.filter(user=user).count() == 1


def test_staff_reissue_a_slip_from_the_flat_page(client, committee_staff, community, unit):
    user, first, _ = resident_register_on_behalf(actor=committee_staff, unit=unit, name="吴阿姨",
                                                 phone="13900006666")
    client.force_login(committee_staff)
    html = client.get(reverse("communities:unit_detail", args=[unit.pk])).content.decode()
    assert reverse("communities:invitation_reissue", args=[user.pk]) in html and "为吴阿姨打印邀请单" in html


def test_a_resident_sees_no_reissue_button_on_their_flat(client, resident, unit):
    client.force_login(resident)
    assert "打印邀请单" not in client.get(reverse("communities:unit_detail", args=[unit.pk])).content.decode()
