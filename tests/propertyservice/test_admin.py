"""The admin lists 光明村's records read-only: an administrator reads them and can neither add, edit nor delete
(the station's services keep the audit trail and the timelines); callers' phones are not among the columns."""
import pytest
from django.contrib import admin
from django.urls import reverse

from propertyservice.models import HotlineCall, Incident, StationPost

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PROPERTY_MODELS = [m for m in admin.site._registry if m._meta.app_label == "propertyservice"]


def test_every_registered_model_is_read_only_and_its_list_opens(client):
    assert {HotlineCall, Incident, StationPost} <= set(PROPERTY_MODELS)
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    for model in PROPERTY_MODELS:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(None)
        assert not model_admin.has_change_permission(None) and not model_admin.has_delete_permission(None)
        url = reverse(f"admin:propertyservice_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_the_callers_phone_is_not_a_column():
    assert "caller_phone" not in admin.site._registry[HotlineCall].list_display
