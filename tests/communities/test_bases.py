"""The shared bases (communities.models.base): a timeline row is never edited or deleted, whichever workflow
wrote it; every stored photo is served by the one photo response with the same security headers; the old
addresses of the needs list (/landlords/needs/…) lead to the core's pages."""
import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from communities.models import (
    CaseEvent, Meeting, MeetingEvent, MeetingKind, NeedEvent, NeedPhoto, StoredPhoto, TimelineEvent,
)
from communities.models.cases import CasePhoto
from communities.services import needs as need_svc
from communities.services.photos import photos_attach
from communities.views.photos import SECURITY_HEADERS
from tests.factories import CaseFactory

from .needs_world import jpeg, need, stored_files  # noqa: F401


@pytest.fixture
def case(community, resident):
    return CaseFactory(community=community, reporter=resident)


@pytest.fixture
def case_event(case, resident):
    return CaseEvent.objects.create(case=case, actor=resident, action="file", to_status=case.status)


@pytest.fixture
def meeting_event(community, committee_staff):
    start = dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.timezone.utc)
    meeting = Meeting.objects.create(community=community, kind=MeetingKind.choices[0][0], title="议事",
                                     organiser=committee_staff, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    return MeetingEvent.objects.create(meeting=meeting, actor=committee_staff, action="create")


def test_case_need_and_meeting_events_and_photos_are_built_on_the_bases():
    assert all(issubclass(m, TimelineEvent) for m in (CaseEvent, NeedEvent, MeetingEvent))
    assert issubclass(CasePhoto, StoredPhoto) and issubclass(NeedPhoto, StoredPhoto)


@pytest.mark.parametrize("kind", ["case", "need", "meeting"])
def test_a_timeline_row_cannot_be_edited_or_deleted(request, kind):
    event = {"case": lambda: request.getfixturevalue("case_event"),
             "need": lambda: request.getfixturevalue("need").events.get(),
             "meeting": lambda: request.getfixturevalue("meeting_event")}[kind]()
    event.note = "改写历史"
    with pytest.raises(RuntimeError, match="never edited"):
        event.save()
    with pytest.raises(RuntimeError, match="never deleted"):
        event.delete()
    rows = type(event).objects.filter(pk=event.pk)
    with pytest.raises(RuntimeError, match="never edited"):
        rows.update(note="改写历史")
    with pytest.raises(RuntimeError, match="never edited"), transaction.atomic():
        type(event).objects.bulk_update([event], ["note"])
    with pytest.raises(RuntimeError, match="never deleted"):
        rows.delete()
    event.refresh_from_db()
    assert event.note == "" and rows.exists()


def test_the_timeline_goes_only_with_its_object(need):
    event_ids = list(need.events.values_list("pk", flat=True))
    need.delete()  # the database cascade, not the refused queryset delete
    assert event_ids and not NeedEvent.objects.filter(pk__in=event_ids).exists()


def _served(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_case_and_need_photos_are_served_with_the_same_security_headers(client, case, case_event, resident, need,
                                                                        landlord, committee_staff):
    case_photo = photos_attach(case=case, event=case_event, uploaded_by=resident, uploads=[jpeg()])[0]
    need_svc.need_claim(need_id=need.pk, actor=landlord)
    need_svc.need_deliver(need_id=need.pk, actor=landlord, photo=jpeg())
    need_photo = need.photos.get()
    client.force_login(committee_staff)
    responses = [_served(client, reverse("communities:case_photo", args=[case.pk, case_photo.pk])),
                 _served(client, reverse("communities:need_photo", args=[need.pk, need_photo.pk]))]
    for response, stem in zip(responses, (f"case-{case.pk}-photo-{case_photo.pk}",
                                          f"need-{need.pk}-photo-{need_photo.pk}")):
        for header, value in SECURITY_HEADERS.items():
            assert response[header] == value
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"] == f'inline; filename="{stem}.jpg"'
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_a_stored_photo_records_its_size_and_gets_a_random_name_in_its_folder(need, landlord, media_root):
    need_svc.need_claim(need_id=need.pk, actor=landlord)
    need_svc.need_deliver(need_id=need.pk, actor=landlord, photo=jpeg(name="王阿姨家门口.jpg"))
    photo = need.photos.get()
    (path,) = stored_files(media_root)
    assert photo.size == path.stat().st_size > 0
    assert photo.image.name.startswith("need-photos/") and "王阿姨" not in photo.image.name
    assert photo.uploaded_by == landlord and photo.uploaded_at is not None


# --- the needs list's old addresses -------------------------------------------------------------------------

def test_old_needs_addresses_redirect_to_the_core_pages(client, need, landlord):
    client.force_login(landlord)
    response = client.get("/landlords/needs/?status=open")
    assert response.status_code == 301 and response["Location"] == reverse("communities:need_list") + "?status=open"
    response = client.get(f"/landlords/needs/{need.pk}/")
    assert response.status_code == 301 and response["Location"] == reverse("communities:need_detail", args=[need.pk])
    # A form posted from a page opened before the move keeps its method and body (308), and then works.
    response = client.post(f"/landlords/needs/{need.pk}/claim/", {"team": ""})
    assert response.status_code == 308
    assert response["Location"] == reverse("communities:need_action", args=[need.pk, "claim"])
    assert client.post(response["Location"], {"team": ""}).status_code == 302
    need.refresh_from_db()
    assert need.claimed_by == landlord


def test_old_needs_address_still_needs_sign_in(client, need):
    response = client.get(f"/landlords/needs/{need.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_actions_fragment_renders_no_template_source(client, case, committee_staff):
    """The shared actions fragment (case and need pages) shows its cards, never its own comment or tags."""
    client.force_login(committee_staff)
    page = client.get(reverse("communities:case_detail", args=[case.pk])).content.decode()
    assert "可以进行的操作" in page
    assert "{#" not in page and "#}" not in page and "{%" not in page and "action_forms" not in page
