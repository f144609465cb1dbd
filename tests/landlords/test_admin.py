"""The admin shows 蓉庭's records and the elections read-only: no add, no change, no delete."""
import pytest
from django.contrib import admin
from django.urls import reverse

from communities.models import Ballot

from ..factories import UserFactory
from .admin_read_only import READ_ONLY


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_listed_but_never_edited_in_the_admin(client, superuser, model):
    client.force_login(superuser)
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{name}_changelist")).status_code == 200
    assert client.get(reverse(f"{name}_add")).status_code == 403


def test_ballots_are_not_in_the_admin():
    assert Ballot not in admin.site._registry
