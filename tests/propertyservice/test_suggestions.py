"""The suggestion box (村民意见箱): post (anonymous to other villagers, never to staff), answer, turn into a core
meeting topic (once), the wrong role and another village."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities.models import Meeting, MeetingKind, Notification, Role, TopicProposal
from communities.services.meeting_topics import proposal_accept
from communities.services.errors import DomainError
from propertyservice.models import Suggestion
from propertyservice.selectors.sheds import suggestions_measure
from propertyservice.services.suggestions import suggestion_answer, suggestion_post, suggestion_to_topic

from ..factories import make_member
from .world import (  # noqa: F401
    DAY, NOW, committee, head, head2, other_village, staff_member, station, village, villager,
)

pytestmark = pytest.mark.django_db

BOX, STAFF = reverse("propertyservice:suggestions"), reverse("propertyservice:suggestions_staff")


def test_a_villager_posts_once_and_an_empty_text_is_refused(village, villager):
    one, created = suggestion_post(actor=villager, community=village, text="充电棚加盏灯", now=NOW)
    again, created_again = suggestion_post(actor=villager, community=village, text="充电棚加盏灯", now=NOW + DAY / 1440)
    assert created and not created_again and one.pk == again.pk
    with pytest.raises(DomainError):
        suggestion_post(actor=villager, community=village, text="   ", now=NOW)
    assert Suggestion.objects.count() == 1


def test_anonymous_hides_the_author_from_villagers_but_not_from_staff(client, village, villager, head, station):
    suggestion_post(actor=villager, community=village, text="七图棚端口太少", anonymous=True, now=NOW)
    neighbour = make_member(village, Role.RESIDENT, username="neighbour", name="施阿姨")
    client.force_login(neighbour)
    page = client.get(BOX).content.decode()
    assert "七图棚端口太少" in page and "匿名村民" in page and "丁阿婆" not in page
    client.force_login(head)
    staff_page = client.get(f"{STAFF}?community={village.slug}").content.decode()
    assert "丁阿婆" in staff_page and "对村民匿名" in staff_page


def test_a_head_answers_and_the_villager_is_told_and_sees_it(client, village, villager, head, station):
    suggestion, _ = suggestion_post(actor=villager, community=village, text="灯太暗", now=NOW)
    with pytest.raises(DomainError):
        suggestion_answer(actor=head, suggestion_id=suggestion.pk, answer=" ")
    with django_capture_on_commit():
        assert suggestion_answer(actor=head, suggestion_id=suggestion.pk, answer="已加装 LED 灯", now=NOW + DAY)
    assert not suggestion_answer(actor=head, suggestion_id=suggestion.pk, answer="已加装 LED 灯")
    assert Notification.objects.filter(recipient=villager, title="您的意见有了答复").exists()
    client.force_login(villager)
    assert "已加装 LED 灯" in client.get(BOX).content.decode()


def test_a_suggestion_becomes_a_meeting_topic_once_and_shows_the_link(client, village, villager, committee, head,
                                                                     station):
    suggestion, _ = suggestion_post(actor=villager, community=village, text="再建一个充电棚", now=NOW)
    row, created = suggestion_to_topic(actor=committee, suggestion_id=suggestion.pk, now=NOW + DAY)
    _again, created_again = suggestion_to_topic(actor=committee, suggestion_id=suggestion.pk, now=NOW + DAY)
    assert created and not created_again
    topic = TopicProposal.objects.get()
    assert row.topic == topic and "再建一个充电棚" in topic.text and topic.community == village
    client.force_login(villager)
    assert "已提交为会议议题" in client.get(BOX).content.decode()
    client.force_login(committee)
    assert reverse("communities:proposal_queue") in client.get(STAFF).content.decode()
    # the station's head answers too, but the topics' queue is the committee's: no link to a page that refuses
    client.force_login(head)
    staff_page = client.get(f"{STAFF}?community={village.slug}").content.decode()
    assert "已提交为会议议题" in staff_page and reverse("communities:proposal_queue") not in staff_page
    assert client.get(reverse("communities:proposal_queue") + f"?community={village.slug}").status_code == 403
    # Accepted into a villagers' meeting (the core's queue), the box links to the meeting.
    meeting = Meeting.objects.create(community=village, kind=MeetingKind.VILLAGERS, title="三月村民议事会",
                                     venue="村委会", starts_at=NOW + 7 * DAY, ends_at=NOW + 7 * DAY + DAY / 12,
                                     organiser=committee)
    proposal_accept(proposal_id=topic.pk, actor=committee, meeting_id=meeting.pk, now=NOW + DAY)
    client.force_login(villager)
    box = client.get(BOX).content.decode()
    assert "三月村民议事会" in box and reverse("communities:meeting_detail", args=[meeting.pk]) in box


def test_a_villager_or_plain_station_staff_may_not_answer_and_another_village_is_a_404(
        client, village, villager, staff_member, head, other_village):
    suggestion, _ = suggestion_post(actor=villager, community=village, text="灯太暗", now=NOW)
    for user in (villager, staff_member):
        with pytest.raises(PermissionDenied):
            suggestion_answer(actor=user, suggestion_id=suggestion.pk, answer="好")
        client.force_login(user)
        assert client.get(STAFF).status_code == 403
        assert client.post(reverse("propertyservice:suggestion_topic", args=[suggestion.pk])).status_code == 403
    outsider = make_member(other_village, Role.COMMITTEE_STAFF, username="outsider-staff")
    client.force_login(outsider)
    assert client.post(reverse("propertyservice:suggestion_answer", args=[suggestion.pk]),
                       {"answer": "好"}).status_code == 404
    assert client.get(BOX, {"community": village.slug}).status_code == 404


def test_the_box_page_posts_and_lists_mine(client, village, villager):
    client.force_login(villager)
    page = client.post(BOX, {"community": village.slug, "text": "希望公示牌字大一点"}, follow=True).content.decode()
    assert "谢谢您的意见" in page and "我的意见" in page and "希望公示牌字大一点" in page


def test_suggestions_count_for_the_evaluation(village, villager, head, station):
    one, _ = suggestion_post(actor=villager, community=village, text="一", now=NOW)
    suggestion_post(actor=villager, community=village, text="二", now=NOW)
    suggestion_answer(actor=head, suggestion_id=one.pk, answer="好", now=NOW)
    measure = suggestions_measure(community=village, start=NOW.date(), end=NOW.date() + DAY)
    assert (measure.part, measure.whole) == (1, 2)


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
