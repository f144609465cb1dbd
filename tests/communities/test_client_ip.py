"""Behind a reverse proxy the login lockout keys on the client's address, not the proxy's (issue 12, item 13):
otherwise five wrong passwords from anywhere lock a username for everyone."""
import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from communities.client_ip import client_ip

PROXY = "10.0.0.1"


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_peer_address_is_the_client():
    assert client_ip(request("203.0.113.5", "198.51.100.7")) == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "127.0.0.1"])
@pytest.mark.parametrize("remote, forwarded, expected", [
    (PROXY, "198.51.100.7", "198.51.100.7"),
    (PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),        # the left part is the client's to forge
    (PROXY, "198.51.100.7, 10.0.0.2", "198.51.100.7"),       # two proxies of ours
    (PROXY, "", PROXY), (PROXY, None, PROXY),
    (PROXY, "not-an-ip", PROXY),
    ("203.0.113.5", "198.51.100.7", "203.0.113.5"),         # not from our proxy: the header is ignored
])
def test_behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_address(remote, forwarded, expected):
    assert client_ip(request(remote, forwarded)) == expected


def login(client, username, password, address):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[PROXY])
def test_one_persons_failures_behind_the_proxy_do_not_lock_the_account_for_another(client, resident, password):
    for _ in range(5):
        login(client, "resident", "wrong", "203.0.113.5")
    assert login(client, "resident", password, "203.0.113.5").status_code == 429
    assert login(client, "resident", password, "198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_without_the_setting_everyone_behind_the_proxy_shares_one_address(client, resident, password):
    """What the setting is for: unset, the proxy's address is everyone's, and the lockout hits everyone."""
    for _ in range(5):
        login(client, "resident", "wrong", "203.0.113.5")
    assert login(client, "resident", password, "198.51.100.7").status_code == 429
