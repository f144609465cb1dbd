"""Flying-wire charging (飞线充电): a report becomes a core case in the 飞线充电 category, routed as every case;
the same place within 90 days counts up; a photo is required and never shown on a page of this app."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities.models import Case, CaseCategory, CasePhoto, Role, RoutingRule
from communities.services.errors import DomainError
from propertyservice.models import FlyingWireReport
from propertyservice.services.flying import flying_wire_report
from propertyservice.selectors.sheds import flying_places

from ..factories import make_member
from .sheds_world import photo
from .world import (  # noqa: F401
    DAY, NOW, committee, head, head2, make_house, other_village, staff_member, station, village, villager,
)

pytestmark = pytest.mark.django_db

REPORT, PLACES = reverse("propertyservice:flying_report"), reverse("propertyservice:flying_places")


def _report(actor, village, *, now=NOW, text="3排东头二楼窗口", **extra):
    return flying_wire_report(actor=actor, community=village, photo=photo(), place_text=text, now=now, **extra)


def test_a_patrol_report_becomes_a_case_in_the_flying_wire_category_routed_to_the_station(village, station,
                                                                                         staff_member):
    CaseCategory.objects.filter(community=village, code="flying_wire").delete()
    report, created = _report(staff_member, village)
    assert created and report.channel == FlyingWireReport.Channel.PATROL
    category = CaseCategory.objects.get(community=village, code="flying_wire")
    assert category.name == "飞线充电" and report.case.category == category
    assert "3排东头二楼窗口" in report.case.description and CasePhoto.objects.filter(case=report.case).count() == 1
    # The category is made once; the core's routing rule (here: to the station team) routes the next case.
    RoutingRule.objects.create(community=village, category=category, target=RoutingRule.Target.TEAM, team=station)
    second, _ = _report(staff_member, village, text="七图5排楼道", now=NOW + DAY)
    assert CaseCategory.objects.filter(community=village, code="flying_wire").count() == 1
    assert second.case.handler_team == station


def test_the_same_place_within_90_days_is_counted_and_a_double_submission_is_one_report(village, villager,
                                                                                       staff_member):
    first, _ = _report(villager, village, now=NOW - 200 * DAY)
    assert first.repeat_number == 1 and first.channel == FlyingWireReport.Channel.VILLAGER
    second, _ = _report(villager, village, now=NOW - 30 * DAY, text=" 3排东头 二楼窗口 ")
    assert second.repeat_number == 1  # the first is older than 90 days
    third, _ = _report(staff_member, village, now=NOW, text="3排东头二楼窗口")
    assert third.repeat_number == 2
    again, created = _report(staff_member, village, now=NOW + DAY / 1440)
    assert not created and again.pk == third.pk
    assert Case.objects.filter(community=village).count() == 3
    places = flying_places(community=village)
    assert places[0]["count"] == 3


def test_a_house_is_one_place_whatever_the_text(village, villager, staff_member):
    house = make_house(village, "七图", "5号")
    one, _ = _report(villager, village, unit=house, text="")
    two, _ = _report(staff_member, village, unit=house, text="后门", now=NOW + DAY)
    assert two.repeat_number == 2 and one.village_group.name == "七图"
    assert "七图5号" in two.place_label


def test_a_photo_and_a_place_are_required(client, village, villager):
    with pytest.raises(DomainError):
        flying_wire_report(actor=villager, community=village, photo=None, place_text="3排", now=NOW)
    with pytest.raises(DomainError):
        flying_wire_report(actor=villager, community=village, photo=photo(), place_text="  ", now=NOW)
    client.force_login(villager)
    page = client.post(REPORT, {"community": village.slug, "place_text": "3排"})
    assert page.status_code == 400 and "请拍一张飞线充电的照片" in page.content.decode()
    assert not FlyingWireReport.objects.exists() and not Case.objects.exists()


def test_the_form_cites_the_regulation_and_a_villager_reports_with_a_photo(client, village, villager):
    client.force_login(villager)
    form = client.get(REPORT).content.decode()
    assert "第二十九条" in form and "第四十四条" in form and "50 元以上 200 元以下" in form
    assert "照片只给服务站工作人员看" in form
    page = client.post(REPORT, {"community": village.slug, "photo": photo(), "place_text": "3排东头"}, follow=True)
    assert "第 1 次" in page.content.decode()
    assert FlyingWireReport.objects.get().case.reporter == villager


def test_a_report_that_comes_back_with_an_error_keeps_its_photo(client, village, villager):
    from communities.models import PendingPhoto

    client.force_login(villager)
    page = client.post(REPORT, {"community": village.slug, "photo": photo(), "place_text": ""})
    body = page.content.decode()
    assert page.status_code == 400 and "请选择房屋或写明具体位置" in body and "刚才的照片已保留" in body
    token = PendingPhoto.objects.get(uploaded_by=villager).token
    assert f'value="{token}"' in body and not FlyingWireReport.objects.exists()
    # sent again with the place and without picking the photo again: filed with the kept photo, which goes
    page = client.post(REPORT, {"community": village.slug, "photo_token": token, "place_text": "3排东头"},
                       follow=True)
    report = FlyingWireReport.objects.get()
    assert "第 1 次" in page.content.decode() and CasePhoto.objects.filter(case=report.case).count() == 1
    assert not PendingPhoto.objects.exists()
    # another user's token keeps nothing for them: the photo is asked for again
    other = make_member(village, Role.RESIDENT, username="other-villager")
    client.force_login(other)
    page = client.post(REPORT, {"community": village.slug, "photo_token": token, "place_text": "5排"})
    assert page.status_code == 400 and "请拍一张飞线充电的照片" in page.content.decode()


def test_photos_are_on_no_page_of_this_app(client, village, villager, head, station, committee):
    report, _ = _report(villager, village)
    photo_url = reverse("communities:case_photo", args=[report.case_id, CasePhoto.objects.get().pk])
    for user, urls in ((villager, [REPORT, reverse("propertyservice:hub"), reverse("propertyservice:shed_list"),
                                   reverse("propertyservice:suggestions")]),
                       (head, [PLACES, reverse("propertyservice:board"), reverse("propertyservice:hub")]),
                       (committee, [PLACES])):
        client.force_login(user)
        for url in urls:
            page = client.get(url)
            assert page.status_code == 200, url
            assert photo_url not in page.content.decode() and "/photos/" not in page.content.decode()


def test_the_places_list_is_for_the_heads_and_the_committee_only(client, village, villager, head, staff_member,
                                                                 committee, station, other_village):
    _report(villager, village)
    _report(staff_member, village, now=NOW + DAY)
    for user in (head, committee):
        client.force_login(user)
        page = client.get(PLACES).content.decode()
        assert "3排东头二楼窗口" in page and "<td>2</td>" in page
    for user in (villager, staff_member):  # a station member who is not a head
        client.force_login(user)
        assert client.get(PLACES).status_code == 403
    client.force_login(head)
    assert client.get(PLACES, {"community": other_village.slug}).status_code == 404


def test_another_village_cannot_report_here(village, other_village):
    outsider = make_member(other_village, Role.RESIDENT, username="outsider")
    with pytest.raises(PermissionDenied):
        _report(outsider, village)
