"""The charter and covenant services: numbering, adoption and supersession, who may do what, and
acknowledgements in the app and on paper."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from communities.models import AuditEvent, Notification
from communities.services.errors import DomainError
from communities.models import DocumentAcknowledgement, DocumentVersion
from communities.services import documents as svc
from landlords.services.documents import covenant_paper_record

from .documents_helpers import CHARTER, COVENANT, adopted, make_officer, other_landlord_unit, tenant_of

Status = DocumentVersion.Status


def draft(community, kind, actor, body="第一条 ……"):
    return svc.document_draft(actor=actor, community=community, kind=kind, title="标题", body=body)


# --- drafting and numbering ------------------------------------------------------------------------

def test_only_officers_among_sublandlords_draft_the_charter(community, landlord):
    """Every sublandlord may propose a covenant revision; the charter is drafted by staff or officers."""
    draft(community, COVENANT, landlord)
    with pytest.raises(PermissionDenied):
        draft(community, CHARTER, landlord)
    make_officer(community, landlord)
    assert draft(community, CHARTER, landlord).drafted_by == landlord


def test_versions_are_numbered_per_community_and_kind(community, other_community, committee_staff, landlord):
    first = draft(community, CHARTER, committee_staff)
    svc.document_withdraw(actor=committee_staff, version_id=first.pk)
    make_officer(community, landlord)
    second = draft(community, CHARTER, landlord)
    covenant = draft(community, COVENANT, landlord)
    assert (first.number, second.number, covenant.number) == (1, 2, 1)
    assert first.status == Status.DRAFT and second.drafted_by == landlord
    assert AuditEvent.objects.filter(action="document.draft", community=community).count() == 3


def test_only_one_open_draft_at_a_time(community, committee_staff):
    draft(community, CHARTER, committee_staff)
    with pytest.raises(DomainError, match="已有一份草案"):
        draft(community, CHARTER, committee_staff)
    assert DocumentVersion.objects.count() == 1


@pytest.mark.parametrize("kind,persona", [(CHARTER, "resident"), (CHARTER, "tenant"), (COVENANT, "resident"),
                                          (COVENANT, "tenant"), (COVENANT, "committee_staff"),
                                          (CHARTER, "party_secretary"), (CHARTER, "outsider")])
def test_drafting_by_the_wrong_role_is_refused(request, community, kind, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        draft(community, kind, user)
    assert not DocumentVersion.objects.exists()


def test_empty_draft_is_refused_with_a_message(community, committee_staff):
    with pytest.raises(DomainError, match="正文"):
        draft(community, CHARTER, committee_staff, body="   ")
    assert not DocumentVersion.objects.exists()


# --- adoption ----------------------------------------------------------------------------------------

def test_adopting_supersedes_the_current_version(community, committee_staff, landlord):
    v1 = adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    v2 = draft(community, COVENANT, landlord, body="第一条 新")
    outcome = svc.document_adopt(actor=committee_staff, version_id=v2.pk)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert outcome.changed and v2.status == Status.ADOPTED and v1.status == Status.SUPERSEDED
    assert v2.adopted_on == timezone.localdate() and v2.approved_by == committee_staff
    assert v1.body == "第一条 ……" and v1.superseded_at is not None  # history stays readable
    # The drafter is told, in the outbox.
    assert Notification.objects.filter(recipient=landlord, title__contains="租户公约").count() == 2


def test_approving_twice_is_harmless(community, committee_staff, landlord):
    version = draft(community, COVENANT, landlord)
    svc.document_adopt(actor=committee_staff, version_id=version.pk)
    again = svc.document_adopt(actor=committee_staff, version_id=version.pk)
    assert not again.changed
    assert DocumentVersion.objects.filter(status=Status.ADOPTED).count() == 1
    assert AuditEvent.objects.filter(action="document.adopt").count() == 1


def test_a_superseded_version_cannot_be_adopted_again(community, committee_staff, landlord):
    v1 = adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    outcome = svc.document_adopt(actor=committee_staff, version_id=v1.pk)
    v1.refresh_from_db()
    assert not outcome.changed and v1.status == Status.SUPERSEDED


def test_the_database_allows_one_current_version(community, committee_staff, landlord):
    v1 = adopted(community, CHARTER, drafter=committee_staff, staff=committee_staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentVersion.objects.create(community=community, kind=CHARTER, number=2, title="x", body="y",
                                       drafted_by=landlord, status=Status.ADOPTED, adopted_on=v1.adopted_on,
                                       approved_by=committee_staff)


def test_charter_is_adopted_with_its_date(community, committee_staff):
    version = draft(community, CHARTER, committee_staff)
    svc.document_adopt(actor=committee_staff, version_id=version.pk, adopted_on=dt.date(2024, 5, 20))
    version.refresh_from_db()
    assert version.adopted_on == dt.date(2024, 5, 20)


def test_charter_adoption_date_not_in_the_future(community, committee_staff):
    version = draft(community, CHARTER, committee_staff)
    with pytest.raises(DomainError, match="不能晚于今天"):
        svc.document_adopt(actor=committee_staff, version_id=version.pk,
                           adopted_on=timezone.localdate() + dt.timedelta(days=1))
    version.refresh_from_db()
    assert version.status == Status.DRAFT and version.adopted_on is None


def test_charter_adoption_date_not_before_the_current_version(community, committee_staff):
    adopted(community, CHARTER, drafter=committee_staff, staff=committee_staff, adopted_on=dt.date(2024, 3, 1))
    version = draft(community, CHARTER, committee_staff)
    with pytest.raises(DomainError, match="不能早于现行版本"):
        svc.document_adopt(actor=committee_staff, version_id=version.pk, adopted_on=dt.date(2024, 2, 1))


@pytest.mark.parametrize("persona", ["landlord", "tenant", "party_secretary", "resident"])
def test_only_committee_staff_adopt(request, community, committee_staff, landlord, persona):
    version = draft(community, COVENANT, landlord)
    with pytest.raises(PermissionDenied):
        svc.document_adopt(actor=request.getfixturevalue(persona), version_id=version.pk)
    version.refresh_from_db()
    assert version.status == Status.DRAFT


def test_staff_of_another_community_cannot_adopt(community, other_community, landlord):
    from communities.models import Role
    from tests.factories import make_member
    foreign_staff = make_member(other_community, Role.COMMITTEE_STAFF, username="staff2")
    version = draft(community, COVENANT, landlord)
    with pytest.raises(PermissionDenied):
        svc.document_adopt(actor=foreign_staff, version_id=version.pk)


def test_withdraw_by_drafter_and_not_after_adoption(community, committee_staff, landlord, tenant):
    version = draft(community, COVENANT, landlord)
    with pytest.raises(PermissionDenied):
        svc.document_withdraw(actor=tenant, version_id=version.pk)
    assert svc.document_withdraw(actor=landlord, version_id=version.pk).changed
    assert not svc.document_withdraw(actor=landlord, version_id=version.pk).changed
    with pytest.raises(DomainError, match="已撤回"):
        svc.document_adopt(actor=committee_staff, version_id=version.pk)
    current = adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    with pytest.raises(DomainError, match="不能撤回"):
        svc.document_withdraw(actor=committee_staff, version_id=current.pk)


# --- acknowledgements ---------------------------------------------------------------------------

def test_member_acknowledges_the_charter_once(community, committee_staff, landlord):
    version = adopted(community, CHARTER, drafter=committee_staff, staff=committee_staff)
    first = svc.document_acknowledge(actor=landlord, community=community, kind=CHARTER)
    second = svc.document_acknowledge(actor=landlord, community=community, kind=CHARTER)
    assert first.changed and not second.changed
    ack = DocumentAcknowledgement.objects.get()
    assert (ack.version, ack.person, ack.method) == (version, landlord.person, "app")
    assert ack.signed_on == timezone.localdate()


def test_tenant_cannot_acknowledge_the_charter(community, committee_staff, tenant):
    adopted(community, CHARTER, drafter=committee_staff, staff=committee_staff)
    with pytest.raises(PermissionDenied):
        svc.document_acknowledge(actor=tenant, community=community, kind=CHARTER)
    assert not DocumentAcknowledgement.objects.exists()


def test_nothing_to_acknowledge_without_an_adopted_version(community, committee_staff, landlord, tenant):
    draft(community, COVENANT, landlord)
    with pytest.raises(DomainError, match="还没有通过"):
        svc.document_acknowledge(actor=tenant, community=community, kind=COVENANT)


def test_tenant_acknowledges_the_covenant(community, committee_staff, landlord, tenant):
    adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    assert svc.document_acknowledge(actor=tenant, community=community, kind=COVENANT).changed
    assert DocumentAcknowledgement.objects.get().person == tenant.person


def test_former_tenant_cannot_acknowledge_the_covenant(community, committee_staff, landlord, tenant):
    adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    tenant.person.residencies.update(moved_out=timezone.localdate())
    with pytest.raises(DomainError, match="在住的租客"):
        svc.document_acknowledge(actor=tenant, community=community, kind=COVENANT)


def test_new_version_needs_a_new_acknowledgement(community, committee_staff, landlord, tenant):
    adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    svc.document_acknowledge(actor=tenant, community=community, kind=COVENANT)
    v2 = adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    outcome = svc.document_acknowledge(actor=tenant, community=community, kind=COVENANT)
    assert outcome.changed and outcome.obj.version == v2
    assert DocumentAcknowledgement.objects.filter(person=tenant.person).count() == 2


# --- paper signatures ----------------------------------------------------------------------------

def test_sublandlord_records_paper_for_own_tenant(community, committee_staff, landlord, tenant):
    version = adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    day = version.adopted_on  # a covenant is adopted on the day it is approved
    first = covenant_paper_record(actor=landlord, community=community, person_id=tenant.person.pk, signed_on=day)
    again = covenant_paper_record(actor=landlord, community=community, person_id=tenant.person.pk, signed_on=day)
    assert first.changed and not again.changed
    ack = DocumentAcknowledgement.objects.get()
    assert (ack.version, ack.method, ack.signed_on, ack.recorded_by) == (version, "paper", day, landlord)


def test_paper_for_another_landlords_tenant_is_refused(community, building, committee_staff, landlord):
    adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    _, their_unit = other_landlord_unit(building, community)
    theirs = tenant_of(their_unit, name="别家租客")
    with pytest.raises(PermissionDenied):
        covenant_paper_record(actor=landlord, community=community, person_id=theirs.pk,
                                  signed_on=timezone.localdate())
    assert not DocumentAcknowledgement.objects.exists()


@pytest.mark.parametrize("offset,message", [(1, "不能晚于今天"), (None, "不能早于本版公约")])
def test_paper_date_must_be_within_the_version(community, committee_staff, landlord, tenant, offset, message):
    version = adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    day = timezone.localdate() + dt.timedelta(days=1) if offset else version.adopted_on - dt.timedelta(days=1)
    with pytest.raises(DomainError, match=message):
        covenant_paper_record(actor=landlord, community=community, person_id=tenant.person.pk, signed_on=day)
    assert not DocumentAcknowledgement.objects.exists()


def test_paper_after_app_acknowledgement_changes_nothing(community, committee_staff, landlord, tenant):
    adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    svc.document_acknowledge(actor=tenant, community=community, kind=COVENANT)
    outcome = covenant_paper_record(actor=landlord, community=community, person_id=tenant.person.pk,
                                        signed_on=timezone.localdate())
    assert not outcome.changed and DocumentAcknowledgement.objects.get().method == "app"


def test_tenant_cannot_record_paper(community, committee_staff, landlord, tenant):
    adopted(community, COVENANT, drafter=landlord, staff=committee_staff)
    with pytest.raises(PermissionDenied):
        covenant_paper_record(actor=tenant, community=community, person_id=tenant.person.pk,
                                  signed_on=timezone.localdate())
