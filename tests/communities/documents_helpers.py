"""Shared set-up for the documents tests: adopted versions and extra tenants."""
import datetime as dt

from communities.models import Residency, Role
from communities.services import documents as svc
from landlords.documents import DocumentKind
from tests.factories import PersonFactory, ResidencyFactory, UnitFactory, make_member, serve

CHARTER, COVENANT = DocumentKind.CHARTER, DocumentKind.COVENANT


def adopted(community, kind, *, drafter, staff, adopted_on=None, body="第一条 ……"):
    version = svc.document_draft(actor=drafter, community=community, kind=kind, title=str(kind.label), body=body)
    svc.document_adopt(actor=staff, version_id=version.pk, adopted_on=adopted_on or dt.date(2024, 3, 1))
    version.refresh_from_db()
    return version


def tenant_of(unit, *, name="租客", user=False, community=None):
    """A person living in ``unit`` as tenant (with a tenant login when ``user``)."""
    if user:
        account = make_member(community, Role.TENANT, username=f"t-{name}", unit=unit,
                              relation=Residency.Relation.TENANT, name=name)
        return account.person
    person = PersonFactory(name=name)
    ResidencyFactory(person=person, unit=unit, relation=Residency.Relation.TENANT)
    return person


def other_landlord_unit(building, community):
    other = make_member(community, Role.SUBLANDLORD, username="landlord_b", name="李老板")
    return other, UnitFactory(building=building, room="501", is_let=True, sublandlord=other.person)


def make_officer(community, user, office="backbone"):
    """``user`` becomes a current officer of the community's 蓉治社 (which is created if missing)."""
    import datetime as dt

    from communities.models import Backbone, Team

    team, _ = Team.objects.get_or_create(community=community, kind=Team.Kind.LANDLORD_TEAM,
                                         defaults={"name": "蓉治社"})
    serve(community)
    return Backbone.objects.create(team=team, user=user, office=office, term_start=dt.date(2026, 1, 1),
                                   source=Backbone.Source.APPOINTED)
