"""Login, lockout after repeated failures, logout, password change, session limits, elder mode."""
import time

import pytest
from django.urls import reverse

from communities.middleware import LAST_SEEN, STARTED


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_and_logout(client, resident, password):
    response = login(client, "resident", password)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "您好" in client.get("/").content.decode()
    client.post(reverse("accounts:logout"))
    assert client.get("/").status_code == 302


def test_wrong_password_says_so_in_chinese(client, resident):
    response = login(client, "resident", "wrong")
    assert response.status_code == 200
    assert "手机号(或用户名)或密码不正确" in response.content.decode()


def test_lockout_after_five_failures_even_with_the_right_password(client, resident, password):
    for _ in range(5):
        login(client, "resident", "wrong")
    response = login(client, "resident", password)
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert client.get("/").status_code == 302  # still not signed in


def test_other_accounts_are_not_locked_by_someone_elses_failures(client, resident, committee_staff, password):
    for _ in range(5):
        login(client, "resident", "wrong")
    assert login(client, "staff", password).status_code == 302


def test_password_change(client, resident, password):
    client.force_login(resident)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": password, "new_password1": "Luodian-new-2026!", "new_password2": "Luodian-new-2026!"})
    assert response.status_code == 302
    client.logout()
    assert login(client, "resident", "Luodian-new-2026!").status_code == 302


def _age_session(client, *, idle: float = 0, age: float = 0):
    session = client.session
    now = time.time()
    session[STARTED] = now - age
    session[LAST_SEEN] = now - idle
    session.save()


@pytest.mark.parametrize("persona", ["committee_staff", "party_secretary", "town_staff"])
def test_privileged_sessions_end_after_30_minutes_idle(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get("/").status_code == 200
    _age_session(client, idle=31 * 60)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302  # really signed out


def test_privileged_session_survives_29_minutes_idle(client, committee_staff):
    client.force_login(committee_staff)
    client.get("/")
    _age_session(client, idle=29 * 60)
    assert client.get("/").status_code == 200


def test_resident_session_is_not_cut_after_30_minutes(client, resident):
    client.force_login(resident)
    client.get("/")
    _age_session(client, idle=3 * 60 * 60)
    assert client.get("/").status_code == 200


def test_every_session_ends_after_12_hours(client, resident):
    client.force_login(resident)
    client.get("/")
    _age_session(client, age=12 * 60 * 60 + 60)
    assert client.get("/").status_code == 302


def test_elder_mode_switch_is_remembered(client, resident):
    client.force_login(resident)
    client.post(reverse("accounts:elder_mode"), {"on": "1", "next": "/"})
    resident.refresh_from_db()
    assert resident.elder_mode
    assert 'class="elder-mode"' in client.get("/").content.decode()
    client.post(reverse("accounts:elder_mode"), {"on": "0", "next": "/"})
    resident.refresh_from_db()
    assert not resident.elder_mode


def test_elder_mode_before_login_carries_over(client, resident, password):
    client.post(reverse("accounts:elder_mode"), {"on": "1", "next": "/accounts/login/"})
    assert 'class="elder-mode"' in client.get(reverse("accounts:login")).content.decode()
    login(client, "resident", password)
    resident.refresh_from_db()
    assert resident.elder_mode


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "https://evil.example/", "javascript:alert(1)"])
def test_elder_mode_refuses_offsite_redirect(client, db, target):
    response = client.post(reverse("accounts:elder_mode"), {"on": "1", "next": target})
    assert response["Location"] == "/"


def test_elder_mode_goes_back_to_the_page_it_was_switched_on(client, db):
    response = client.post(reverse("accounts:elder_mode"), {"on": "1", "next": "/cases/mine/?page=2"})
    assert response["Location"] == "/cases/mine/?page=2"


def test_home_page_differs_by_role(client, resident, committee_staff):
    client.force_login(resident)
    resident_home = client.get("/").content.decode()
    assert "我的房屋" in resident_home and "注册审核" not in resident_home
    client.force_login(committee_staff)
    staff_home = client.get("/").content.decode()
    assert "注册审核" in staff_home and "社区概况" in staff_home
