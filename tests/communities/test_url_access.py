"""Deny by default: every URL of the project is either on a short public list or needs a
signed-in user with a role the policy grants. New views are covered automatically."""
import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from communities.policy import SELF

# The only views reachable without signing in.
PUBLIC = {"communities:qr_landing", "communities:invitation_open", "accounts:login", "accounts:login_code", "accounts:password_reset", "accounts:register", "accounts:elder_mode", "healthz", "set_language",
          "communities:calendar_feed",  # the iCal feed: its secret token is the credential
          "propertyservice:parking_prices"}  # 光明村's posted parking fees (明码标价), for visitors too

SAMPLES = {"int": "999999", "slug": "no-such-thing", "str": "nothing", "path": "nothing",
           "uuid": str(uuid.UUID(int=1))}
PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # admin.site guards its own views (staff only); tested below
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}{entry.name}" if entry.name else route
            yield name, route, entry.callback


def sample_url(route: str) -> str:
    url = PARAM.sub(lambda m: SAMPLES[m.group("conv") or "str"], route)
    return "/" + url.lstrip("^").rstrip("$")


ALL = list(walk(get_resolver().url_patterns))


def test_walker_sees_the_project_urls():
    names = {name for name, _, _ in ALL}
    assert {"home", "accounts:login", "communities:unit_detail", "communities:registration_queue"} <= names


@pytest.mark.parametrize("name,route,callback", ALL, ids=[n for n, _, _ in ALL])
def test_every_view_declares_its_policy(name, route, callback):
    if name in PUBLIC:
        assert getattr(callback, "policy_public", False), f"{name} is on the public list but not marked public"
        return
    assert getattr(callback, "policy_action", None), (
        f"{name} ({route}) is not wrapped in communities.policy.guard(...) and is not on the public list")


@pytest.mark.parametrize("name,route,callback", [a for a in ALL if a[0] not in PUBLIC],
                         ids=[n for n, _, _ in ALL if n not in PUBLIC])
def test_anonymous_is_sent_to_login(client, db, name, route, callback):
    for method in (client.get, client.post):
        response = method(sample_url(route))
        assert response.status_code == 302, f"{name}: anonymous {method.__name__} got {response.status_code}"
        assert response["Location"].startswith("/accounts/login/")


ROLE_GUARDED = [a for a in ALL if a[0] not in PUBLIC and getattr(a[2], "policy_action", None) != SELF]


@pytest.mark.parametrize("name,route,callback", ROLE_GUARDED, ids=[n for n, _, _ in ROLE_GUARDED])
def test_signed_in_user_without_a_role_is_refused(client, no_role_user, name, route, callback):
    client.force_login(no_role_user)
    response = client.get(sample_url(route))
    assert response.status_code in (403, 404), f"{name}: a user with no role got {response.status_code}"


@pytest.mark.parametrize("url", ["/admin/", "/admin/communities/person/", "/admin/communities/personaldataaccess/"])
def test_admin_needs_a_staff_login(client, db, resident, url):
    assert client.get(url).status_code == 302
    client.force_login(resident)
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
