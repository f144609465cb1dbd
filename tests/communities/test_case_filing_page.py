"""The filing page as an older resident meets it (issue 12 item 3): 我家 chosen for a one-flat resident, photos
kept across a validation error (``PendingPhoto``), the similar-case box, status badges, the withdraw button,
the rating reasons, 我关注的 in 我反映的问题, and following that is no way into a case (item 13)."""
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from communities import tasks
from communities.models import Case, CasePhoto, CaseRating, CaseStatus, PendingPhoto, PublicPlace, Residency, Role
from communities.templatetags.case_cards import case_status_badge
from communities.services.cases import case_file, case_follow
from communities.services.photos import pending_photos_keep, pending_photos_purge

from ..factories import BuildingFactory, CaseCategoryFactory, UnitFactory, make_member
from .case_world import (  # noqa: F401 - fixtures
    S,
    as_user,
    category,
    detail_url,
    neighbour,
    texts,
    world,
)

NEW = reverse("communities:case_new")


def jpeg(name="leak.jpg", colour=(120, 160, 200)):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def form_data(community, category, **extra):
    data = {"community": community.slug, "category": category.pk, "place_kind": "unit",
            "description": "卫生间天花板漏水"}
    data.update(extra)
    return data


def checked_kind(html):
    return re.search(r'<input type="radio"[^>]*name="place_kind" value="(\w+)"[^>]*checked>', html).group(1)


# --- 我家 by default ------------------------------------------------------------------------------------------

def test_a_one_flat_resident_gets_my_home_with_the_flat_chosen(client, resident, unit):
    response = as_user(client, resident).get(NEW)
    html = response.content.decode()
    assert checked_kind(html) == "unit"
    assert re.search(rf'<option value="{unit.pk}" selected>', html)


def test_a_resident_with_two_flats_chooses_the_flat(client, community, building, resident, unit):
    second = UnitFactory(building=building, room="502")
    Residency.objects.create(person=resident.person, unit=second, relation=Residency.Relation.OWNER,
                             moved_in=dt.date(2024, 1, 1))
    html = as_user(client, resident).get(NEW).content.decode()
    assert checked_kind(html) == "unit"
    options = html.split('name="unit"')[1].split("</select>")[0]
    assert '<option value="" selected>' in options and options.count(" selected>") == 1


def test_someone_without_a_flat_gets_no_my_home(client, committee_staff):
    html = as_user(client, committee_staff).get(NEW).content.decode()
    assert 'value="unit"' not in html and checked_kind(html) == "building"


def test_a_qr_code_of_a_building_still_opens_on_the_building(client, resident, building):
    html = as_user(client, resident).get(NEW, {"building": building.pk}).content.decode()
    assert checked_kind(html) == "building"


def test_filing_from_my_home_files_the_flat(client, community, category, resident, unit):
    response = as_user(client, resident).post(NEW, form_data(community, category, unit=unit.pk))
    assert response.status_code == 302
    case = Case.objects.get(reporter=resident)
    assert case.unit == unit and case.building == unit.building


# --- photos kept across an error ------------------------------------------------------------------------------

def test_a_validation_error_keeps_the_photos_and_the_next_submit_files_them(client, community, category, resident,
                                                                           unit, media_root):
    as_user(client, resident)
    first = client.post(NEW, form_data(community, category, unit=unit.pk, description="",
                                       photos=[jpeg(), jpeg("b.jpg", (10, 20, 30))]))
    assert first.status_code == 400
    html = first.content.decode()
    kept = list(PendingPhoto.objects.order_by("id"))
    assert len(kept) == 2 and {p.uploaded_by_id for p in kept} == {resident.pk}
    token = first.context["photo_token"]
    assert token and f'name="photo_token" value="{token}"' in html
    assert html.count('class="photo-thumb') == 2 and "不用重新选择" in html
    thumb = reverse("communities:pending_photo", args=[kept[0].pk])
    assert f'src="{thumb}"' in html
    assert client.get(thumb)["Content-Type"] == "image/jpeg"

    # The second attempt drops one kept photo, adds a new one and files.
    second = client.post(NEW, form_data(community, category, unit=unit.pk, photo_token=token,
                                        remove_photo=[str(kept[1].pk)], photos=[jpeg("c.jpg", (200, 0, 0))]))
    assert second.status_code == 302
    case = Case.objects.get(reporter=resident)
    assert CasePhoto.objects.filter(case=case).count() == 2
    assert not PendingPhoto.objects.exists()
    assert not any((media_root / "pending-photos").rglob("*.jpg"))


def test_the_kept_photos_survive_a_second_error(client, community, category, resident, unit, media_root):
    as_user(client, resident)
    first = client.post(NEW, form_data(community, category, unit=unit.pk, description="", photos=[jpeg()]))
    token = first.context["photo_token"]
    second = client.post(NEW, form_data(community, category, description="", unit=unit.pk, photo_token=token))
    assert second.status_code == 400 and second.context["photo_token"] == token
    assert len(second.context["kept_photos"]) == 1


def test_another_users_token_is_ignored(client, community, category, resident, neighbour, unit, media_root):
    as_user(client, resident)
    token = client.post(NEW, form_data(community, category, unit=unit.pk, description="",
                                       photos=[jpeg()])).context["photo_token"]
    photo = PendingPhoto.objects.get()
    as_user(client, neighbour)
    assert client.get(reverse("communities:pending_photo", args=[photo.pk])).status_code == 404
    theirs = client.post(NEW, form_data(community, category, place_kind="building",
                                        building=unit.building_id, description="", photo_token=token))
    assert theirs.context["kept_photos"] == [] and theirs.context["photo_token"] != token
    assert "/cases/new/photos/" not in theirs.content.decode()
    filed = client.post(NEW, form_data(community, category, place_kind="building", building=unit.building_id,
                                       photo_token=token))
    assert filed.status_code == 302
    assert not CasePhoto.objects.exists() and PendingPhoto.objects.get() == photo


def test_more_than_six_photos_in_all_is_refused(client, community, category, resident, unit, media_root):
    as_user(client, resident)
    token = client.post(NEW, form_data(community, category, unit=unit.pk, description="",
                                       photos=[jpeg(f"{i}.jpg") for i in range(5)])).context["photo_token"]
    response = client.post(NEW, form_data(community, category, unit=unit.pk, photo_token=token,
                                          photos=[jpeg("x.jpg"), jpeg("y.jpg")]))
    assert response.status_code == 400 and "最多上传 6 张照片。" in response.content.decode()
    assert PendingPhoto.objects.count() == 5 and not CasePhoto.objects.exists()


def test_a_broken_upload_is_said_next_to_the_field_and_the_kept_ones_stay(client, community, category, resident,
                                                                           unit, media_root):
    as_user(client, resident)
    token = client.post(NEW, form_data(community, category, unit=unit.pk, description="",
                                       photos=[jpeg()])).context["photo_token"]
    bad = SimpleUploadedFile("x.jpg", b"not a photo", content_type="image/jpeg")
    response = client.post(NEW, form_data(community, category, unit=unit.pk, description="", photo_token=token,
                                          photos=[bad]))
    assert response.status_code == 400 and "只能上传 JPEG、PNG 或 WebP 格式的照片。" in response.content.decode()
    assert len(response.context["kept_photos"]) == 1


def test_expired_pending_photos_are_purged_once(community, resident, media_root):
    token = pending_photos_keep(user=resident, community=community, token="", kept=[], uploads=[jpeg()])
    photo = PendingPhoto.objects.get(token=token)
    stored = media_root / photo.image.name
    assert stored.exists()
    assert pending_photos_purge(now=photo.expires_at - dt.timedelta(minutes=1)) == 0
    assert pending_photos_purge(now=photo.expires_at + dt.timedelta(minutes=1)) == 1
    assert not PendingPhoto.objects.exists() and not stored.exists()
    assert pending_photos_purge(now=photo.expires_at + dt.timedelta(minutes=1)) == 0
    tasks.purge_pending_photos()  # the beat task runs the same, quietly


def test_the_purge_runs_daily_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-pending-photos"]
    assert entry["task"] == "communities.tasks.purge_pending_photos" and entry["schedule"] == 24 * 3600.0


# --- the similar-case box -------------------------------------------------------------------------------------

@pytest.fixture
def box(community, category, building, resident, neighbour):
    """At 1号楼: a neighbour's open corridor case, a neighbour's flat case, the resident's own, a closed one,
    one of another category; and a case at a public place."""
    other_category = CaseCategoryFactory(community=community, code="noise", name="噪音扰民")
    flat = neighbour.person.residencies.get().unit
    cases = {
        "corridor": case_file(filed_by=neighbour, community=community, category=category, building=building,
                              description="三楼楼道堆满纸箱\n已经一个月了，消防通道堵死"),
        "flat": case_file(filed_by=neighbour, community=community, category=category, unit=flat,
                          description="我家门口漏水"),
        "own": case_file(filed_by=resident, community=community, category=category, building=building,
                         description="我自己反映的"),
        "noise": case_file(filed_by=neighbour, community=community, category=other_category, building=building,
                           description="晚上装修"),
    }
    closed = case_file(filed_by=neighbour, community=community, category=category, building=building,
                       description="早就修好了")
    closed.status = S.CLOSED
    closed.save(update_fields=["status"])
    cases["closed"] = closed
    return cases


def similar(client, community, **params):
    response = client.get(reverse("communities:case_similar"), {"community": community.slug, **params})
    assert response.status_code == 200
    return response


def test_the_box_shows_only_other_peoples_open_cases_at_the_buildings_public_parts(client, community, category,
                                                                                   building, resident, box):
    as_user(client, resident)
    response = similar(client, community, building_id=building.pk, category_id=category.pk)
    html = response.content.decode()
    assert [c.pk for c in response.context["similar"]] == [box["corridor"].pk]
    assert "三楼楼道堆满纸箱 已经一个月了，消防通道堵死" in html  # one line of its description
    assert "我家门口漏水" not in html and "隔壁赵阿姨" not in html and "neighbour" not in html
    # Without a category chosen: the other category's too, still never the flat's, the own or the closed.
    every = similar(client, community, building_id=building.pk).context["similar"]
    assert {c.pk for c in every} == {box["corridor"].pk, box["noise"].pk}


def test_my_home_looks_at_my_flats_building(client, community, category, resident, unit, box):
    as_user(client, resident)
    assert [c.pk for c in similar(client, community, unit_id=unit.pk, category_id=category.pk)
            .context["similar"]] == [box["corridor"].pk]
    page = client.get(NEW)
    assert {c.pk for c in page.context["similar"]} == {box["corridor"].pk, box["noise"].pk}


def test_someone_elses_flat_or_a_huge_id_shows_nothing(client, community, resident, neighbour, box):
    as_user(client, resident)
    flat = neighbour.person.residencies.get().unit
    assert similar(client, community, unit_id=flat.pk).context["similar"] == []
    assert similar(client, community, building_id="9" * 20).context["similar"] == []


def test_the_box_never_names_a_follower(client, community, category, building, resident, neighbour, box):
    follower = make_member(community, Role.RESIDENT, username="follower", name="关注人钱先生",
                           unit=UnitFactory(building=building, room="601"))
    case_follow(case_id=box["corridor"].pk, user=follower)
    html = similar(as_user(client, resident), community, building_id=building.pk).content.decode()
    assert "钱先生" not in html and "follower" not in html


def test_the_box_of_a_public_place(client, community, category, resident, neighbour):
    square = PublicPlace.objects.create(community=community, name="中心广场")
    there = case_file(filed_by=neighbour, community=community, category=category, public_place=square,
                      description="广场舞音响太响")
    response = similar(as_user(client, resident), community, public_place_id=square.pk)
    assert [c.pk for c in response.context["similar"]] == [there.pk]


# --- following is not a way in (item 13) ----------------------------------------------------------------------

def test_following_a_flat_case_is_refused_and_shows_nothing(client, community, resident, box):
    flat_case = box["flat"]
    response = as_user(client, resident).post(reverse("communities:case_follow", args=[flat_case.pk]))
    assert response.status_code == 403
    assert not flat_case.followers.exists()
    assert client.get(detail_url(flat_case)).status_code == 403


def test_following_another_communitys_case_is_404(client, community, outsider, box):
    response = as_user(client, outsider).post(reverse("communities:case_follow", args=[box["corridor"].pk]))
    assert response.status_code == 404 and not box["corridor"].followers.exists()


def test_a_closed_case_cannot_be_followed(client, resident, box):
    response = as_user(client, resident).post(reverse("communities:case_follow", args=[box["closed"].pk]))
    assert response.status_code == 302 and texts(response) == ["这件诉求已经结束，不能再关注。"]
    assert not box["closed"].followers.exists()


def test_a_follower_sees_the_reduced_page(client, community, building, resident, box, media_root):
    corridor = box["corridor"]
    as_user(client, resident)
    assert client.post(reverse("communities:case_follow", args=[corridor.pk])).status_code == 302
    response = client.get(detail_url(corridor))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "communities/case_summary.html"
    html = response.content.decode()
    assert corridor.category.name in html and "1号楼" in html and "ld-status-submitted" in html
    assert "三楼楼道堆满纸箱" not in html and "隔壁赵阿姨" not in html and "neighbour" not in html
    assert "timeline-title" not in html and "可以进行的操作" not in html
    # Nor the photos or the actions behind it.
    assert client.get(reverse("communities:case_action", args=[corridor.pk, "withdraw"])).status_code in (403, 405)
    photo = CasePhoto.objects.create(case=corridor, uploaded_by=corridor.reporter, image="x.jpg")
    assert client.get(reverse("communities:case_photo", args=[corridor.pk, photo.pk])).status_code == 403


def test_the_handler_who_follows_still_sees_everything(client, world):
    case = world.at(S.DISPATCHED)
    case.followers.add(world.handler)
    html = as_user(client, world.handler).get(detail_url(case)).content.decode()
    assert case.description in html


# --- my cases: 我关注的 ------------------------------------------------------------------------------------------

def test_followed_cases_are_labelled_apart_in_my_cases(client, community, category, building, resident, neighbour,
                                                      django_assert_max_num_queries):
    mine = case_file(filed_by=resident, community=community, category=category, building=building,
                     description="我反映的")
    followed = []
    for i in range(4):
        case = case_file(filed_by=neighbour, community=community, category=category, building=building,
                         description=f"邻居反映的 {i}")
        case_follow(case_id=case.pk, user=resident)
        followed.append(case)
    as_user(client, resident)
    client.get(reverse("communities:case_mine"))  # warm the session and the viewer facts
    with django_assert_max_num_queries(9):
        response = client.get(reverse("communities:case_mine"))
    html = response.content.decode()
    rows = html.split('<li class="list-group-item">')[1:]
    assert len(rows) == 5
    labelled = [row for row in rows if "我关注的" in row]
    assert len(labelled) == 4 and all(f"#{mine.pk} " not in row for row in labelled)


def test_my_cases_costs_the_same_for_more_rows(client, community, category, building, resident, neighbour,
                                              django_assert_max_num_queries):
    as_user(client, resident)
    for i in range(12):
        case = case_file(filed_by=neighbour, community=community, category=category, building=building,
                         description=f"第 {i} 件")
        case_follow(case_id=case.pk, user=resident)
    client.get(reverse("communities:case_mine"))
    with django_assert_max_num_queries(9):
        assert client.get(reverse("communities:case_mine")).status_code == 200


# --- status badges ----------------------------------------------------------------------------------------------

def test_each_state_has_its_own_badge_class():
    badges = {case_status_badge(Case(status=s)) for s in CaseStatus.values}
    assert len(badges) == len(CaseStatus.values)
    for status in CaseStatus:
        assert f"ld-status-{status.value}" in case_status_badge(Case(status=status.value))
        assert str(status.label) in case_status_badge(Case(status=status.value))


def test_the_badges_are_on_the_case_page_and_lists(client, world, committee_staff):
    case = world.at(S.DISPATCHED)
    assert "ld-status-dispatched" in as_user(client, world.reporter).get(detail_url(case)).content.decode()
    assert "ld-status-dispatched" in client.get(reverse("communities:case_mine")).content.decode()
    assert "ld-status-dispatched" in as_user(client, world.staff).get(reverse("communities:case_list")).content.decode()


def test_every_badge_colour_passes_aa_contrast():
    css = (Path(__file__).resolve().parents[2] / "static/communities/site.css").read_text()

    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for status in CaseStatus.values:
        rule = re.search(rf"\.ld-status-{status} \{{([^}}]*)\}}", css).group(1)
        background = re.search(r"background-color: (#[0-9a-f]{6})", rule).group(1)
        colour = re.search(r"(?<!-)color: (#[0-9a-f]{6})", rule).group(1)
        light, dark = sorted([luminance(background), luminance(colour)], reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, status


# --- withdraw behind a button -------------------------------------------------------------------------------------

def test_withdraw_is_a_closed_secondary_button_after_filing(client, community, category, resident, unit):
    as_user(client, resident)
    response = client.post(NEW, form_data(community, category, unit=unit.pk), follow=True)
    html = response.content.decode()
    details = re.search(r'<details class="ld-danger-action[^"]*" data-danger-action="withdraw"\s*>', html)
    assert details, "withdraw sits in a closed <details>"
    assert re.search(r'<summary class="btn btn-outline-secondary">撤回…</summary>', html)


def test_a_withdraw_with_an_error_opens_its_form(client, world):
    case = world.at(S.SUBMITTED)
    as_user(client, world.reporter)
    response = client.post(reverse("communities:case_action", args=[case.pk, "withdraw"]), {"note": "x" * 2001})
    assert response.status_code == 400
    assert re.search(r'data-danger-action="withdraw"\s+open>', response.content.decode())


# --- rating reasons ---------------------------------------------------------------------------------------------

def rate(client, case, **data):
    return client.post(reverse("communities:case_rate", args=[case.pk]), data)


def test_basic_or_unsatisfied_needs_a_reason(client, world):
    case = world.at(S.CLOSED)
    response = rate(as_user(client, world.reporter), case, score="basic")
    assert response.status_code == 400 and "请选择哪里还不够好(至少一项)。" in response.content.decode()
    assert not CaseRating.objects.exists()
    assert rate(client, case, score="unsatisfied", reasons=["speed", "result"]).status_code == 302
    assert CaseRating.objects.get().reasons == ["speed", "result"]
    html = client.get(detail_url(case)).content.decode()
    assert re.search(r"data-rating>.*不满意.*速度、结果", html)


def test_satisfied_ignores_the_reasons(client, world):
    case = world.at(S.CLOSED)
    assert rate(as_user(client, world.reporter), case, score="satisfied", reasons=["attitude"]).status_code == 302
    assert CaseRating.objects.get().reasons == []
    assert "不够好的方面" not in client.get(detail_url(case)).content.decode()


def test_the_rating_form_loads_its_script(client, world):
    case = world.at(S.CLOSED)
    html = as_user(client, world.reporter).get(detail_url(case)).content.decode()
    assert "communities/case_rate.js" in html and "data-rate-form" in html
