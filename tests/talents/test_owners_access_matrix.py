"""Who gets what on the owners' hub's pages (issue 15, item 8): one row per page, one column per person.

"Owners vote and see their own estate; tenants see projects but not votes; another community gets 404." Codes:
200 opens, 302 sends the anonymous visitor to the login, 403 refuses a person of the estate (or a role that can
never act: an owner on a staff page), 404 hides the estate from another estate's people. The Party secretary
reads the public pages and none of the staff pages (names and phones stay with committee staff). Objects are
made through the services; GET only (every write is a POST the same rules guard, tested per area)."""
import datetime as dt
from decimal import Decimal

import pytest

from communities.models import Role
from talents.services import owners_fund as fund_svc

from ..factories import make_member
from .assembly_helpers import make_assembly
from .owners_world import (NOW, estate, frozen, other_estate, outsider, owners, secretary, staff,  # noqa: F401
                           tenant)
from .repairs_world import new_project

pytestmark = pytest.mark.django_db

WHO = ("owner", "tenant", "staff", "secretary", "outsider", "other_staff", "anonymous")
PUBLIC = dict(owner=200, tenant=200, staff=200, secretary=200, outsider=404, other_staff=404, anonymous=302)
# A staff page: the guard refuses every role that can never act (403) before the estate is looked up; committee
# staff of another estate pass the guard and then do not find this estate (404).
STAFF = dict(owner=403, tenant=403, staff=200, secretary=403, outsider=403, other_staff=404, anonymous=302)
# Rating the company (art. 45): owners only; an owner of another estate does not find this one.
OWNERS_ONLY = dict(owner=200, tenant=403, staff=403, secretary=403, outsider=404, other_staff=403, anonymous=302)

PAGES = [  # (name, url with {c} the estate's slug and {assembly}/{project}/{building}/{statement} its objects)
    ("hub", "/talents/owners/?community={c}", PUBLIC),
    ("committee", "/talents/owners/committee/?community={c}", PUBLIC),
    ("election list", "/talents/owners/election/?community={c}", PUBLIC),
    ("assembly list", "/talents/owners/assembly/?community={c}", PUBLIC),
    ("assembly", "/talents/owners/assembly/{assembly}/", PUBLIC),
    ("assembly requests", "/talents/owners/assembly/requests/?community={c}", PUBLIC),
    ("repairs list", "/talents/owners/repairs/?community={c}", PUBLIC),
    ("repair project", "/talents/owners/repairs/{project}/", PUBLIC),
    ("fund", "/talents/owners/fund/?community={c}", PUBLIC),
    ("fund building", "/talents/owners/fund/buildings/{building}/", PUBLIC),
    ("fund statements", "/talents/owners/fund/statements/?community={c}", PUBLIC),
    ("fund statement", "/talents/owners/fund/statements/{statement}/", PUBLIC),
    ("company", "/talents/owners/company/?community={c}", PUBLIC),
    ("物业之窗", "/talents/owners/company/window/?community={c}", PUBLIC),
    ("register", "/talents/owners/register/?community={c}", STAFF),
    ("register import", "/talents/owners/register/import/?community={c}", STAFF),
    ("assembly new", "/talents/owners/assembly/new/?community={c}", STAFF),
    ("voting rules", "/talents/owners/assembly/rules/?community={c}", STAFF),
    ("deliveries", "/talents/owners/assembly/{assembly}/deliveries/", STAFF),
    ("repairs new", "/talents/owners/repairs/new/?community={c}", STAFF),
    ("fund book", "/talents/owners/fund/book/?community={c}", STAFF),
    ("fund freeze", "/talents/owners/fund/freeze/?community={c}", STAFF),
    ("contract new", "/talents/owners/company/contract/new/?community={c}", STAFF),
    ("window new", "/talents/owners/company/window/new/?community={c}", STAFF),
    ("fee new", "/talents/owners/company/fees/new/?community={c}", STAFF),
    ("filing new", "/talents/owners/committee/filings/new/?community={c}", STAFF),
    ("recall new", "/talents/owners/committee/recalls/new/?community={c}", STAFF),
    ("survey", "/talents/owners/company/survey/?community={c}", OWNERS_ONLY),
]


@pytest.fixture
def world(estate, owners, tenant, staff, secretary, other_estate, outsider, frozen):
    fund_svc.fund_collect_initial(actor=staff, community=estate.community, on=dt.date(2025, 3, 1), rate=Decimal("100"))
    statement, _ = fund_svc.fund_statement_publish(actor=staff, community=estate.community,
                                                   period_start=dt.date(2025, 1, 1), now=NOW)
    other_staff = make_member(other_estate.community, Role.COMMITTEE_STAFF, username="jy_other_staff", name="外居委")
    people = {"owner": owners["a"], "tenant": tenant, "staff": staff, "secretary": secretary, "outsider": outsider,
              "other_staff": other_staff, "anonymous": None}
    ids = {"c": estate.community.slug, "assembly": make_assembly(estate, staff).pk,
           "project": new_project(estate, staff).pk, "building": estate.buildings["1号楼"].pk,
           "statement": statement.pk}
    return people, ids


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,url,expected", PAGES, ids=[p[0] for p in PAGES])
def test_who_gets_what(client, world, name, url, expected, who):
    people, ids = world
    if people[who] is not None:
        client.force_login(people[who])
    response = client.get(url.format(**ids))
    assert response.status_code == expected[who], f"{who} on {name}"
    if expected[who] == 302:
        assert "/login" in response["Location"] or "login" in response["Location"]
