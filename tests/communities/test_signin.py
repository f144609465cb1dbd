"""Residents sign in with their mobile number (password or SMS code) and reset a forgotten password by SMS;
an unknown number is answered exactly like a known one."""
import logging

import pytest
from django.urls import reverse

from communities.forms.passwords import PASSWORD_RULES
from communities.models import AuditEvent, PhoneCode, User
from communities.sms.backends import read_sms_file

from ..factories import UserFactory

PHONE = "13812345678"
LOGIN_CODE = reverse("accounts:login_code")
RESET = reverse("accounts:password_reset")


@pytest.fixture
def mobile_resident(resident):
    resident.person.phone = PHONE
    resident.person.save(update_fields=["phone"])
    return resident


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def signed_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def last_code(outbox):
    return read_sms_file(outbox)[-1]["code"]


# --- password ------------------------------------------------------------------------------------------------


def test_login_page_asks_for_phone_or_username_and_links_code_login_and_reset(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "手机号或用户名" in page
    assert LOGIN_CODE in page and RESET in page


@pytest.mark.parametrize("typed", [PHONE, "138 1234 5678", "+86-138-1234-5678", "１３８１２３４５６７８"])
def test_mobile_number_and_password_sign_in_however_the_number_is_written(client, mobile_resident, password, typed):
    assert login(client, typed, password).status_code == 302
    assert signed_in_as(client) == mobile_resident


def test_login_name_still_works(client, mobile_resident, password):
    assert login(client, "resident", password).status_code == 302


def test_unknown_number_and_wrong_password_get_the_same_answer(client, mobile_resident, password):
    unknown = login(client, "13900009999", password).content.decode()
    wrong = login(client, PHONE, "wrong-password").content.decode()
    assert "手机号(或用户名)或密码不正确" in unknown and "手机号(或用户名)或密码不正确" in wrong
    assert signed_in_as(client) is None


def test_a_number_behind_two_accounts_signs_in_nobody(client, mobile_resident, password):
    UserFactory(username=PHONE)  # another account whose login name is that number
    response = login(client, PHONE, password)
    assert response.status_code == 200 and "密码不正确" in response.content.decode()


def test_lockout_counts_every_spelling_of_a_number_as_one(client, mobile_resident, password):
    for typed in [PHONE, "138 1234 5678", "+8613812345678", "138-1234-5678", "１３８１２３４５６７８"]:
        login(client, typed, "wrong")
    response = login(client, PHONE, password)
    assert response.status_code == 429
    assert signed_in_as(client) is None


# --- SMS code ------------------------------------------------------------------------------------------------


def test_sign_in_with_a_code(client, mobile_resident, sms_outbox):
    response = client.post(LOGIN_CODE, {"action": "send", "phone": "138 1234 5678"}, follow=True)
    page = response.content.decode()
    assert "验证码已发送到 138****5678" in page and "短信验证码" in page
    [message] = read_sms_file(sms_outbox)
    assert message["phone"] == PHONE
    response = client.post(LOGIN_CODE, {"action": "verify", "code": message["code"]})
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_as(client) == mobile_resident
    assert AuditEvent.objects.filter(action="account.login_code", actor=mobile_resident).exists()


def test_code_login_returns_to_next_but_never_offsite(client, mobile_resident, sms_outbox):
    client.post(LOGIN_CODE, {"action": "send", "phone": PHONE})
    response = client.post(LOGIN_CODE, {"action": "verify", "code": last_code(sms_outbox),
                                        "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_unknown_number_gets_the_same_answer_and_no_sms(client, db, sms_outbox):
    page = client.post(LOGIN_CODE, {"action": "send", "phone": "13900009999"}, follow=True).content.decode()
    assert "验证码已发送到 139****9999" in page
    assert read_sms_file(sms_outbox) == []
    response = client.post(LOGIN_CODE, {"action": "verify", "code": "123456"})
    assert "验证码不正确" in response.content.decode() and signed_in_as(client) is None


def test_wrong_code_says_so_and_signs_nobody_in(client, mobile_resident, sms_outbox):
    client.post(LOGIN_CODE, {"action": "send", "phone": PHONE})
    code = last_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    page = client.post(LOGIN_CODE, {"action": "verify", "code": wrong}).content.decode()
    assert "验证码不正确" in page and signed_in_as(client) is None
    assert PhoneCode.objects.get().attempts == 1


def test_a_code_that_is_not_six_digits_is_refused_without_counting(client, mobile_resident, sms_outbox):
    client.post(LOGIN_CODE, {"action": "send", "phone": PHONE})
    page = client.post(LOGIN_CODE, {"action": "verify", "code": "12ab"}).content.decode()
    assert "验证码是 6 位数字" in page and PhoneCode.objects.get().attempts == 0


def test_bad_number_is_refused_in_chinese(client, db, sms_outbox):
    page = client.post(LOGIN_CODE, {"action": "send", "phone": "12345"}).content.decode()
    assert "手机号码格式不正确" in page or "11 位手机号" in page
    assert not PhoneCode.objects.exists()


def test_asking_twice_in_a_minute_is_refused(client, mobile_resident, sms_outbox):
    client.post(LOGIN_CODE, {"action": "send", "phone": PHONE})
    page = client.post(LOGIN_CODE, {"action": "resend"}, follow=True).content.decode()
    assert "1 分钟后再试" in page
    assert len(read_sms_file(sms_outbox)) == 1


def test_sms_service_down_says_so_and_leaves_no_code(client, mobile_resident, settings):
    settings.SMS_BACKEND = "communities.sms.backends.FailingBackend"
    page = client.post(LOGIN_CODE, {"action": "send", "phone": PHONE}).content.decode()
    assert "短信服务暂时不可用" in page
    assert not PhoneCode.objects.filter(used_at__isnull=True).exists()


def test_changing_the_number_starts_again(client, mobile_resident, sms_outbox):
    client.post(LOGIN_CODE, {"action": "send", "phone": PHONE})
    client.post(LOGIN_CODE, {"action": "restart"})
    assert "获取验证码" in client.get(LOGIN_CODE).content.decode()


# --- forgotten password ------------------------------------------------------------------------------------------


def test_reset_a_forgotten_password_by_sms(client, mobile_resident, sms_outbox):
    client.post(RESET, {"action": "send", "phone": PHONE})
    page = client.get(RESET).content.decode()
    assert str(PASSWORD_RULES) in page
    response = client.post(RESET, {"action": "verify", "code": last_code(sms_outbox),
                                   "new_password1": "Rongting-2026!", "new_password2": "Rongting-2026!"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert login(client, PHONE, "Rongting-2026!").status_code == 302


def test_reset_with_a_wrong_code_keeps_the_old_password(client, mobile_resident, password, sms_outbox):
    client.post(RESET, {"action": "send", "phone": PHONE})
    code = last_code(sms_outbox)
    page = client.post(RESET, {"action": "verify", "code": "000000" if code != "000000" else "111111",
                               "new_password1": "Rongting-2026!", "new_password2": "Rongting-2026!"}).content.decode()
    assert "验证码不正确" in page
    mobile_resident.refresh_from_db()
    assert mobile_resident.check_password(password)


def test_reset_with_a_weak_password_keeps_the_code_usable(client, mobile_resident, sms_outbox):
    client.post(RESET, {"action": "send", "phone": PHONE})
    code = last_code(sms_outbox)
    client.post(RESET, {"action": "verify", "code": code, "new_password1": "12345678", "new_password2": "12345678"})
    assert PhoneCode.objects.get().used_at is None
    response = client.post(RESET, {"action": "verify", "code": code,
                                   "new_password1": "Rongting-2026!", "new_password2": "Rongting-2026!"})
    assert response.status_code == 302


def test_reset_for_an_unknown_number_answers_alike_and_sends_nothing(client, db, sms_outbox):
    page = client.post(RESET, {"action": "send", "phone": "13900009999"}, follow=True).content.decode()
    assert "验证码已发送到 139****9999" in page and read_sms_file(sms_outbox) == []


def test_a_login_code_does_not_reset_a_password(client, mobile_resident, password, sms_outbox):
    client.post(LOGIN_CODE, {"action": "send", "phone": PHONE})
    code = last_code(sms_outbox)
    client.post(RESET, {"action": "send", "phone": PHONE})  # refused: a minute has not passed
    session = client.session
    session["signin_code_phone"] = {"purpose": "reset", "phone": PHONE}
    session.save()
    page = client.post(RESET, {"action": "verify", "code": code, "new_password1": "Rongting-2026!",
                               "new_password2": "Rongting-2026!"}).content.decode()
    assert "验证码" in page
    mobile_resident.refresh_from_db()
    assert mobile_resident.check_password(password)


def test_password_change_says_the_rules_in_one_sentence(client, resident):
    client.force_login(resident)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert str(PASSWORD_RULES) in page
    assert "<ul" not in page.split("id_new_password1")[1].split("id_new_password2")[0]


def test_signed_in_users_skip_the_code_pages(client, resident):
    client.force_login(resident)
    assert client.get(LOGIN_CODE).status_code == 302
    assert client.get(RESET)["Location"] == reverse("accounts:password_change")


def test_a_reset_by_sms_lifts_the_lockout_on_that_number(client, mobile_resident, sms_outbox):
    for _ in range(5):
        login(client, PHONE, "wrong")
    assert login(client, PHONE, "whatever").status_code == 429
    client.post(RESET, {"action": "send", "phone": PHONE})
    client.post(RESET, {"action": "verify", "code": last_code(sms_outbox),
                        "new_password1": "Rongting-2026!", "new_password2": "Rongting-2026!"})
    assert login(client, PHONE, "Rongting-2026!").status_code == 302


def test_the_code_never_reaches_a_log_record_along_the_whole_sign_in(client, mobile_resident, sms_outbox, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(LOGIN_CODE, {"action": "send", "phone": PHONE})
    code = last_code(sms_outbox)
    client.post(LOGIN_CODE, {"action": "verify", "code": code})
    assert signed_in_as(client) == mobile_resident
    assert all(code not in record.getMessage() for record in caplog.records)
