"""Shared pieces of the registration tests: a valid sign-up form, the phone step, a pending request."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import RegistrationRequest
from communities.services.registrations import registration_approve, registration_reject, registration_submit
from communities.sms.backends import read_sms_file
from tests.factories import UserFactory

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



def approve(registration, actor):
    return registration_approve(actor=actor, request_id=registration.pk)


def reject(registration, actor, reason="材料不全"):
    return registration_reject(actor=actor, request_id=registration.pk, reason=reason)

