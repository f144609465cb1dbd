"""The demo seed as a fixture, shared by the modules that test what seed_demo creates.

The seed runs once per module that uses it, inside a transaction rolled back at the end, so other
modules never see its rows. Each test's `db` fixture nests in it as a savepoint. PBKDF2 would spend
seconds checking the demo passwords, hence the fast hasher.
"""
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from ..factories import FAST_HASHERS


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            out = StringIO()
            call_command("seed_demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def seeded(seed_output, db):
    return seed_output
