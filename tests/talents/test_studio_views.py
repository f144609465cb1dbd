"""The 郡园 hub and the studio pages, by role: a host manages their own studio only, residents follow, staff
open studios and appoint hosts, another community gets 404."""
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from communities.models import AuditEvent, Backbone, Role, TeamMember
from talents.models import StudioPhoto
from communities.services.teams import team_member_join
from talents.selectors.studios import invite_code
from talents.services.studios import studio_create

from ..factories import make_member
from .studio_world import (  # noqa: F401
    TODAY, host, j_resident, j_staff, junyuan, moxiang, other_host, xianghui, zhenjiu)


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def png_upload(name="a.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


# --- the hub ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["host", "other_host", "j_resident", "j_staff"])
def test_members_of_junyuan_reach_the_hub_and_see_the_studios(client, moxiang, xianghui, persona, request):
    page = _get(client, request.getfixturevalue(persona), reverse("talents:hub")).content.decode()
    assert "墨香工作室" in page and "香荟工作室" in page and "书法达人" in page


def test_the_outsider_and_a_community_not_served_get_404(client, moxiang, outsider, community, resident):
    assert _get(client, outsider, reverse("talents:hub")).status_code == 404
    # 蓉庭 is not served by this app: its resident has no hub, and no studio page of 郡园 either.
    assert _get(client, resident, reverse("talents:hub")).status_code == 404
    assert _get(client, resident, reverse("talents:studio_detail", args=["moxiang"])).status_code == 404
    assert _get(client, outsider, reverse("talents:studio_detail", args=["moxiang"])).status_code == 404


def test_the_menu_and_home_card_show_only_where_the_app_serves(client, moxiang, j_resident, outsider):
    assert "郡园达人" in _get(client, j_resident, reverse("home")).content.decode()
    assert "郡园达人" not in _get(client, outsider, reverse("home")).content.decode()


def test_staff_see_the_management_links_residents_do_not(client, moxiang, j_staff, j_resident):
    staff_page = _get(client, j_staff, reverse("talents:hub")).content.decode()
    assert reverse("talents:qualification_list") in staff_page and reverse("talents:studio_new") in staff_page
    page = _get(client, j_resident, reverse("talents:hub")).content.decode()
    assert reverse("talents:qualification_list") not in page and reverse("talents:merchant_list") not in page


def test_a_host_sees_their_studio_to_manage_on_the_hub(client, moxiang, xianghui, host):
    page = _get(client, host, reverse("talents:hub")).content.decode()
    assert reverse("talents:studio_edit", args=["moxiang"]) in page
    assert reverse("talents:studio_edit", args=["xianghui"]) not in page


# --- the studio page: following -------------------------------------------------------------------------

def test_a_resident_follows_and_unfollows_and_repeats_change_nothing(client, moxiang, j_resident):
    client.force_login(j_resident)
    follow = reverse("talents:studio_follow", args=["moxiang"])
    unfollow = reverse("talents:studio_unfollow", args=["moxiang"])
    client.post(follow)
    response = client.post(follow, follow=True)
    assert "您已经关注了这个工作室。" in response.content.decode()
    assert TeamMember.objects.filter(team=moxiang.team, user=j_resident).count() == 1
    assert "1 人关注" not in response.content.decode()  # the host follows too: two
    assert "2 人关注" in response.content.decode()
    client.post(unfollow)
    response = client.post(unfollow, follow=True)
    assert "您没有关注这个工作室。" in response.content.decode()
    rows = TeamMember.objects.filter(team=moxiang.team, user=j_resident)
    assert rows.count() == 1 and rows.get().left_at is not None


def test_a_host_cannot_unfollow_their_own_studio(client, moxiang, host):
    client.force_login(host)
    response = client.post(reverse("talents:studio_unfollow", args=["moxiang"]), follow=True)
    assert "您是这个工作室的主理人，不能取消关注。" in response.content.decode()
    assert TeamMember.objects.filter(team=moxiang.team, user=host, left_at__isnull=True).exists()


def test_the_share_link_records_the_inviting_host(client, moxiang, host, j_resident):
    share = _get(client, host, reverse("talents:studio_detail", args=["moxiang"])).context["share_url"]
    code = share.split("invited_by=")[1]
    assert code == invite_code(studio=moxiang, host=host)
    page = _get(client, j_resident, reverse("talents:studio_detail", args=["moxiang"]), invited_by=code)
    assert "书法达人 邀请您关注" in page.content.decode()
    client.post(reverse("talents:studio_follow", args=["moxiang"]), {"invited_by": code})
    assert TeamMember.objects.get(team=moxiang.team, user=j_resident).invited_by == host


@pytest.mark.parametrize("code", ["", "garbage", "1-0000000000000000", "{host}-deadbeefdeadbeef"])
def test_a_made_up_code_records_no_inviter(client, moxiang, host, j_resident, code):
    code = code.replace("{host}", str(host.pk))
    client.force_login(j_resident)
    client.post(reverse("talents:studio_follow", args=["moxiang"]), {"invited_by": code})
    assert TeamMember.objects.get(team=moxiang.team, user=j_resident).invited_by is None


def test_another_studios_host_link_is_no_invitation_here(client, moxiang, xianghui, other_host, j_resident):
    code = invite_code(studio=xianghui, host=other_host)  # genuine, but for the other studio
    client.force_login(j_resident)
    client.post(reverse("talents:studio_follow", args=["moxiang"]), {"invited_by": code})
    assert TeamMember.objects.get(team=moxiang.team, user=j_resident).invited_by is None


def test_town_staff_read_the_studio_page_but_do_not_follow(client, moxiang, town_staff):
    assert _get(client, town_staff, reverse("talents:studio_detail", args=["moxiang"])).status_code == 200
    assert client.post(reverse("talents:studio_follow", args=["moxiang"])).status_code == 403


# --- what the studio page says -----------------------------------------------------------------------------

def test_the_acupuncture_page_says_talks_only_citing_the_law(client, zhenjiu, j_resident):
    page = _get(client, j_resident, reverse("talents:studio_detail", args=["zhenjiu"])).content.decode()
    assert "《中医药法》第十五条" in page and "暂不提供" in page and "针灸治疗" in page


# --- the host's pages -------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona,status", [("host", 200), ("j_staff", 200), ("other_host", 403),
                                            ("j_resident", 403), ("outsider", 404)])
def test_who_may_open_the_edit_and_follower_pages(client, moxiang, persona, status, request):
    user = request.getfixturevalue(persona)
    assert _get(client, user, reverse("talents:studio_edit", args=["moxiang"])).status_code == status
    assert _get(client, user, reverse("talents:studio_followers", args=["moxiang"])).status_code == status


def test_the_host_edits_the_text_and_another_host_cannot(client, moxiang, host, other_host):
    client.force_login(other_host)
    url = reverse("talents:studio_edit", args=["moxiang"])
    assert client.post(url, {"tagline": "被改了", "description": ""}).status_code == 403
    client.force_login(host)
    client.post(url, {"tagline": "周二、周六免费书法课", "description": "笔墨纸砚都备好"})
    moxiang.refresh_from_db()
    assert moxiang.tagline == "周二、周六免费书法课"
    assert AuditEvent.objects.filter(action="talents.studio_update").count() == 1
    response = client.post(url, {"tagline": "周二、周六免费书法课", "description": "笔墨纸砚都备好"}, follow=True)
    assert "没有改动。" in response.content.decode()
    assert AuditEvent.objects.filter(action="talents.studio_update").count() == 1


def test_a_too_long_tagline_is_refused_and_nothing_changes(client, moxiang, host):
    client.force_login(host)
    response = client.post(reverse("talents:studio_edit", args=["moxiang"]), {"tagline": "长" * 101})
    assert response.status_code == 400
    moxiang.refresh_from_db()
    assert moxiang.tagline == "免费书法课"


def test_the_host_adds_and_removes_a_photo_shown_to_members(client, moxiang, host, j_resident, outsider):
    client.force_login(host)
    client.post(reverse("talents:studio_photo_add", args=["moxiang"]), {"photo": png_upload()})
    photo = StudioPhoto.objects.get(studio=moxiang)
    url = reverse("talents:studio_photo", args=["moxiang", photo.pk])
    assert _get(client, j_resident, url).status_code == 200
    assert _get(client, outsider, url).status_code == 404
    assert url in _get(client, j_resident, reverse("talents:hub")).content.decode()
    client.force_login(host)
    client.post(reverse("talents:studio_photo_remove", args=["moxiang", photo.pk]))
    assert not StudioPhoto.objects.filter(studio=moxiang).exists()


def test_a_file_that_is_no_photo_is_refused_and_the_page_says_to_attach_again(client, moxiang, host):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(host)
    response = client.post(reverse("talents:studio_photo_add", args=["moxiang"]),
                           {"photo": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")})
    page = response.content.decode()
    assert response.status_code == 400
    assert "只能上传 JPEG、PNG 或 WebP 格式的照片。" in page and "照片没有保存，请重新选择后再上传。" in page
    assert not StudioPhoto.objects.exists()


def test_the_follower_list_masks_phones_and_names_the_inviter(client, moxiang, host, j_resident):
    j_resident.person.phone = "13912345678"
    j_resident.person.save(update_fields=["phone"])
    client.force_login(j_resident)
    client.post(reverse("talents:studio_follow", args=["moxiang"]),
                {"invited_by": invite_code(studio=moxiang, host=host)})
    page = _get(client, host, reverse("talents:studio_followers", args=["moxiang"])).content.decode()
    assert "郡园王阿姨" in page and "139****5678" in page and "13912345678" not in page
    assert "书法达人 邀请" in page


# --- staff open studios and appoint hosts ----------------------------------------------------------------

def test_staff_open_a_studio_with_a_host(client, junyuan, j_staff, j_resident):
    client.force_login(j_staff)
    response = client.post(reverse("talents:studio_new") + "?community=junyuan", {
        "community": "junyuan", "name": "书香工作室", "slug": "shuxiang", "talent_kind": "reading",
        "tagline": "绘本共读", "description": "", "host": j_resident.pk})
    assert response.status_code == 302
    backbone = Backbone.objects.get(team__name="书香工作室")
    assert backbone.user == j_resident and backbone.office == Backbone.Office.STUDIO_HOST
    # The same form again: a clear message, nothing made twice.
    again = client.post(reverse("talents:studio_new") + "?community=junyuan", {
        "community": "junyuan", "name": "书香工作室2", "slug": "shuxiang", "talent_kind": "reading", "host": ""})
    assert again.status_code == 400 and "代号已被使用，请换一个。" in again.content.decode()


def test_a_host_cannot_open_a_studio_and_outsiders_are_not_offered(client, junyuan, host, j_staff, outsider):
    assert _get(client, host, reverse("talents:studio_new")).status_code == 403
    client.force_login(j_staff)
    response = client.post(reverse("talents:studio_new") + "?community=junyuan", {
        "community": "junyuan", "name": "摄影工作室", "slug": "sheying", "talent_kind": "photography",
        "host": outsider.pk})
    assert response.status_code == 400 and "所选的人不在本社区的名单里" in response.content.decode()


def test_staff_appoint_a_second_host_who_then_manages(client, moxiang, j_staff, j_resident):
    client.force_login(j_staff)
    client.post(reverse("talents:studio_host_appoint", args=["moxiang"]), {"host": j_resident.pk})
    assert _get(client, j_resident, reverse("talents:studio_edit", args=["moxiang"])).status_code == 200
    client.force_login(j_staff)
    response = client.post(reverse("talents:studio_host_appoint", args=["moxiang"]), {"host": j_resident.pk},
                           follow=True)
    assert "已是主理人，未作改动。" in response.content.decode()
    assert Backbone.objects.filter(team=moxiang.team, user=j_resident, term_end__isnull=True).count() == 1


def test_a_host_whose_term_ended_no_longer_manages(client, moxiang, host, j_staff):
    Backbone.objects.filter(team=moxiang.team, user=host).update(term_end="2026-06-15")
    assert _get(client, host, reverse("talents:studio_edit", args=["moxiang"])).status_code == 403


# --- query counts -------------------------------------------------------------------------------------------

def _studios(junyuan, j_staff, first, n):
    for i in range(first, first + n):
        h = make_member(junyuan, Role.TALENT, username=f"qhost{i}", name=f"达人{i}")
        s = studio_create(actor=j_staff, community=junyuan, name=f"工作室{i}", slug=f"s{i}", talent_kind="other",
                          hosts=[h], today=TODAY)
        StudioPhoto.objects.create(studio=s, uploaded_by=h, image=f"studios/x{i}.png", extension="png")


def _queries(client, url) -> int:
    client.get(url)  # warm: the session, the content types
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_hub_queries_do_not_grow_with_studios(client, junyuan, j_staff, j_resident, django_assert_max_num_queries):
    _studios(junyuan, j_staff, 0, 1)
    client.force_login(j_resident)
    one = _queries(client, reverse("talents:hub"))
    _studios(junyuan, j_staff, 1, 49)
    with django_assert_max_num_queries(one):
        page = client.get(reverse("talents:hub")).content.decode()
    assert page.count('class="card h-100"') >= 50 and "工作室49" in page


def test_studio_page_queries_do_not_grow_with_followers_or_photos(client, moxiang, host, j_resident,
                                                                   django_assert_max_num_queries):
    client.force_login(j_resident)
    url = reverse("talents:studio_detail", args=["moxiang"])
    one = _queries(client, url)
    client.force_login(host)
    followers_url = reverse("talents:studio_followers", args=["moxiang"])
    followers_one = _queries(client, followers_url)
    for i in range(50):
        fan = make_member(moxiang.team.community, Role.RESIDENT, username=f"fan{i}")
        team_member_join(team=moxiang.team, user=fan, invited_by=host)
        StudioPhoto.objects.create(studio=moxiang, uploaded_by=host, image=f"studios/f{i}.png", extension="png")
    client.force_login(j_resident)
    with django_assert_max_num_queries(one):
        page = client.get(url).content.decode()
    assert "51 人关注" in page
    client.force_login(host)
    with django_assert_max_num_queries(followers_one):
        page = client.get(followers_url).content.decode()
    assert page.count("书法达人 邀请") == 50
