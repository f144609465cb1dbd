"""The needs-list pages: right role succeeds, wrong role 403, other community 404; the guarded photo view;
who gave what; constant query counts."""
import pytest
from django.urls import reverse

from communities.models import CommunityTitle, Role
from communities.services.titles import title_award
from communities.models import CommunityNeed, NeedPhoto, NeedStatus
from communities.services import needs as svc

from ..factories import make_member
from .needs_world import (  # noqa: F401
    TYPE_MESSAGE, html_as_jpeg, jpeg, landlord2, need, other_landlord, stored_files,
    texts,
)

LIST = reverse("communities:need_list")
NEW = reverse("communities:need_new")


def detail(need):
    return reverse("communities:need_detail", args=[need.pk])


def action(need, name):
    return reverse("communities:need_action", args=[need.pk, name])


def confirmed(need, *, giver, staff):
    svc.need_claim(need_id=need.pk, actor=giver)
    svc.need_deliver(need_id=need.pk, actor=giver, photo=jpeg())
    svc.need_confirm(need_id=need.pk, actor=staff)
    return CommunityNeed.objects.get(pk=need.pk)


# --- access --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["landlord", "committee_staff", "resident", "tenant", "party_secretary"])
def test_members_see_the_list_and_a_need(client, request, need, who):
    client.force_login(request.getfixturevalue(who))
    assert "小区休闲长椅" in client.get(LIST).content.decode()
    assert client.get(detail(need)).status_code == 200


def test_another_community_sees_nothing(client, need, outsider):
    client.force_login(outsider)
    assert "小区休闲长椅" not in client.get(LIST).content.decode()
    assert client.get(detail(need)).status_code == 404
    assert client.post(action(need, "claim")).status_code == 404


def test_a_user_without_a_role_is_refused(client, need, no_role_user):
    client.force_login(no_role_user)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(need)).status_code == 403


def test_the_page_offers_each_user_only_their_actions(client, need, landlord, committee_staff, resident):
    client.force_login(landlord)
    page = client.get(detail(need)).content.decode()
    assert action(need, "claim") in page and action(need, "withdraw") not in page
    client.force_login(committee_staff)
    page = client.get(detail(need)).content.decode()
    assert action(need, "withdraw") in page and action(need, "claim") not in page
    client.force_login(resident)
    assert f'action="/needs/{need.pk}/' not in client.get(detail(need)).content.decode()


# --- posting -------------------------------------------------------------------------------------------

def test_staff_post_a_need(client, committee_staff, community):
    client.force_login(committee_staff)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, {"community": community.pk, "title": "调解室饮水机", "quantity": "1 台",
                                 "description": "蓉治社接待室夏天需要饮水机", "photo": jpeg()})
    need = CommunityNeed.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(need)
    assert need.community == community and need.photos.count() == 1


@pytest.mark.parametrize("who", ["landlord", "resident", "party_secretary"])
def test_others_cannot_post(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(NEW).status_code == 403


def test_posting_html_renamed_jpg_shows_the_message_and_saves_nothing(client, committee_staff, community,
                                                                      media_root):
    client.force_login(committee_staff)
    response = client.post(NEW, {"community": community.pk, "title": "调解室饮水机", "photo": html_as_jpeg()})
    assert response.status_code == 400 and TYPE_MESSAGE in response.content.decode()
    assert not CommunityNeed.objects.exists() and stored_files(media_root) == []


# --- transitions through the pages ---------------------------------------------------------------------

def test_claim_twice_says_already_claimed(client, need, landlord):
    client.force_login(landlord)
    first = client.post(action(need, "claim"))
    assert first.status_code == 302 and CommunityNeed.objects.get().status == NeedStatus.CLAIMED
    second = client.post(action(need, "claim"))
    assert texts(second)[-1] == "已认领。"


def test_a_need_claimed_by_someone_else_gives_a_clear_message(client, need, landlord, landlord2):
    svc.need_claim(need_id=need.pk, actor=landlord)
    client.force_login(landlord2)
    response = client.post(action(need, "claim"))
    assert response.status_code == 302
    assert texts(response)[-1] == "这项需求已由 陈师傅 认领，请选择其他需求。"


def test_a_wrong_role_acting_gets_403(client, need, resident, committee_staff):
    client.force_login(resident)
    assert client.post(action(need, "claim")).status_code == 403
    assert client.post(action(need, "withdraw")).status_code == 403
    assert client.post(action(need, "no-such-action")).status_code == 404
    assert CommunityNeed.objects.get().status == NeedStatus.OPEN


def test_deliver_with_html_renamed_jpg_shows_the_message(client, need, landlord, media_root):
    svc.need_claim(need_id=need.pk, actor=landlord)
    client.force_login(landlord)
    response = client.post(action(need, "deliver"), {"photo": html_as_jpeg(), "note": "放好了"})
    assert response.status_code == 400 and TYPE_MESSAGE in response.content.decode()
    assert CommunityNeed.objects.get().status == NeedStatus.CLAIMED
    assert not NeedPhoto.objects.exists() and stored_files(media_root) == []


def test_deliver_then_staff_send_back_then_confirm(client, need, landlord, committee_staff):
    svc.need_claim(need_id=need.pk, actor=landlord)
    client.force_login(landlord)
    client.post(action(need, "deliver"), {"photo": jpeg(), "note": "放好了"})
    client.force_login(committee_staff)
    missing = client.post(action(need, "send_back"), {"reason": ""})
    assert missing.status_code == 400 and "请写明退回的原因" in missing.content.decode()
    client.post(action(need, "send_back"), {"reason": "照片不清楚"})
    assert CommunityNeed.objects.get().status == NeedStatus.CLAIMED
    client.force_login(landlord)
    client.post(action(need, "deliver"), {"photo": jpeg()})
    client.force_login(committee_staff)
    response = client.post(action(need, "confirm"), {"note": "已验收"})
    assert texts(response)[-1] == "已确认完成，已记入共建榜。"
    assert CommunityNeed.objects.get().status == NeedStatus.CONFIRMED


# --- photos --------------------------------------------------------------------------------------------

@pytest.fixture
def delivered(need, landlord):
    svc.need_claim(need_id=need.pk, actor=landlord)
    svc.need_deliver(need_id=need.pk, actor=landlord, photo=jpeg())
    return need, need.photos.get()


@pytest.mark.parametrize("who,status", [("committee_staff", 200), ("party_secretary", 200), ("landlord", 200),
                                        ("landlord2", 200), ("resident", 403), ("tenant", 403),
                                        ("outsider", 404), ("no_role_user", 403)])
def test_the_photo_is_served_only_to_allowed_users(client, request, delivered, who, status):
    need, photo = delivered
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("communities:need_photo", args=[need.pk, photo.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg" and response["Cache-Control"].startswith("private")
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


def test_a_photo_of_another_need_is_not_found(client, delivered, committee_staff, community):
    need, photo = delivered
    other = svc.need_post(actor=committee_staff, community=community, title="楼道灯维修")
    client.force_login(committee_staff)
    assert client.get(reverse("communities:need_photo", args=[other.pk, photo.pk])).status_code == 404


def test_the_photo_is_not_under_the_static_root(delivered, settings):
    _need, photo = delivered
    assert not str(photo.image.path).startswith(str(settings.STATIC_ROOT))
    assert photo.image.name.startswith("need-photos/") and "bench" not in photo.image.name


# --- who gave what and query counts --------------------------------------------------------------------

def test_the_list_shows_who_gave_what_with_their_title(client, need, landlord, committee_staff, community):
    confirmed(need, giver=landlord, staff=committee_staff)
    title_award(actor=committee_staff, community=community, person=landlord.person,
                kind=CommunityTitle.Kind.SUPERVISOR)
    client.force_login(committee_staff)
    page = client.get(LIST).content.decode()
    board = page[page.index("谁捐了什么"):]
    assert "陈师傅" in board and "小区休闲长椅" in board and "社区监督员" in board


def test_the_status_filter(client, need, landlord, committee_staff, community):
    svc.need_post(actor=committee_staff, community=community, title="楼道灯维修")
    svc.need_claim(need_id=need.pk, actor=landlord)
    client.force_login(landlord)
    page = client.get(LIST, {"status": "open"}).content.decode()
    listed = page[:page.index("谁捐了什么")]
    assert "楼道灯维修" in listed and "小区休闲长椅" not in listed


def _many(community, staff, givers, count):
    for i in range(count):
        need = svc.need_post(actor=staff, community=community, title=f"需求{i}")
        giver = givers[i % len(givers)]
        if i % 3:
            confirmed(need, giver=giver, staff=staff)
        title_award(actor=staff, community=community, person=giver.person, kind=CommunityTitle.Kind.SUPERVISOR)


def _queries(client, django_assert_max_num_queries, n):
    with django_assert_max_num_queries(n) as captured:
        assert client.get(LIST).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_for_few_and_many_needs(client, community, committee_staff, landlord, landlord2,
                                                        django_assert_max_num_queries):
    givers = [landlord, landlord2] + [make_member(community, Role.SUBLANDLORD, username=f"ll{i}") for i in range(4)]
    _many(community, committee_staff, givers, 3)
    client.force_login(committee_staff)
    few = _queries(client, django_assert_max_num_queries, 8)
    _many(community, committee_staff, givers, 15)
    assert _queries(client, django_assert_max_num_queries, 8) == few


def test_the_detail_costs_a_fixed_number_of_queries(client, need, landlord, committee_staff,
                                                    django_assert_max_num_queries):
    confirmed(need, giver=landlord, staff=committee_staff)
    client.force_login(committee_staff)
    with django_assert_max_num_queries(9):
        assert client.get(detail(need)).status_code == 200
