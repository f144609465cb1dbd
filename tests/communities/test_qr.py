"""The QR sheet: one code per building and public place, each opening the filing form with that place set."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import PublicPlace, Role, VillageGroup
from communities.selectors.qr import landing_path, qr_cards

from ..factories import BuildingFactory, make_member




def absolute(path_):
    return f"http://testserver{path_}"


@pytest.fixture
def square(community):
    return PublicPlace.objects.create(community=community, name="中心广场")


def sheet_url(community):
    return reverse("communities:qr_sheet") + f"?community={community.slug}"


# --- the selector -----------------------------------------------------------------------------------------------

def test_one_card_per_building_then_per_public_place(community, building, square, other_community):
    second = BuildingFactory(community=community, name="2号楼")
    BuildingFactory(community=other_community, name="9号楼")
    cards = qr_cards(community=community, absolute_url=absolute)

    assert [(c.label, c.url) for c in cards] == [
        ("1号楼", f"http://testserver{landing_path(building)}"),
        ("2号楼", f"http://testserver{landing_path(second)}"),
        ("中心广场", f"http://testserver{landing_path(square)}"),
    ]
    # The address is the short signed one, never the bare filing form.
    assert all(c.url.startswith("http://testserver/q/") for c in cards)
    for card in cards:
        assert card.svg.startswith('<svg role="img" ')
        assert f"<title>扫码反映“{card.label}”的问题</title>" in card.svg
        assert "<?xml" not in card.svg and "viewBox" in card.svg


def test_a_village_building_is_labelled_with_its_group(village):
    group = VillageGroup.objects.create(community=village, name="丁钱")
    BuildingFactory(community=village, village_group=group, name="12号")
    assert [c.label for c in qr_cards(community=village, absolute_url=absolute)] == ["丁钱 12号"]


def test_a_place_name_cannot_inject_markup_into_the_svg(community):
    PublicPlace.objects.create(community=community, name='<script>alert("x")</script>')
    [card] = qr_cards(community=community, absolute_url=absolute)
    assert "<script>" not in card.svg and "&lt;script&gt;" in card.svg


def test_the_code_encodes_the_url(community, building):
    import segno

    [card] = qr_cards(community=community, absolute_url=absolute)
    expected = segno.make(card.url, error="m")
    assert expected.designator.endswith("-M")
    assert expected.svg_inline(scale=4, omitsize=True, svgclass="qr-code").split("<path", 1)[1] in card.svg


# --- the view ---------------------------------------------------------------------------------------------------

def test_committee_staff_print_the_sheet(client, committee_staff, community, building, square):
    client.force_login(committee_staff)
    response = client.get(sheet_url(community))
    assert response.status_code == 200
    html = response.content.decode()
    assert "扫码反映问题" in html and community.name in html
    assert html.count("用手机扫一扫，直接反映这里的问题") == 2
    assert "1号楼" in html and "中心广场" in html
    assert html.count('<svg role="img"') == 2
    assert "data-print" in html and "打印" in html
    # The print layout (three cards to an A4 page) lives in the site's style sheet, which the page links.
    assert "/static/communities/site.css" in html
    from django.contrib.staticfiles import finders
    css = open(finders.find("communities/site.css"), encoding="utf-8").read()
    print_rules = css[css.index("@media print"):]
    assert ".qr-grid { grid-template-columns: repeat(3, 1fr)" in print_rules


def test_resident_is_refused(client, resident, community):
    client.force_login(resident)
    assert client.get(sheet_url(community)).status_code == 403


def test_anonymous_is_sent_to_login(client, community):
    response = client.get(sheet_url(community))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_of_another_community_gets_404(client, community, other_community):
    client.force_login(make_member(other_community, Role.COMMITTEE_STAFF, username="meilan-staff"))
    assert client.get(sheet_url(community)).status_code == 404


def test_unknown_community_is_404(client, committee_staff):
    client.force_login(committee_staff)
    assert client.get("/communities/no-such-place/qr-codes/").status_code == 404


def test_query_count_does_not_grow_with_the_buildings(client, committee_staff, community, village):
    group = VillageGroup.objects.create(community=community, name="一组")
    client.force_login(committee_staff)
    BuildingFactory(community=community, name="A1", village_group=group)
    PublicPlace.objects.create(community=community, name="东门")
    client.get(sheet_url(community))  # warm up session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(sheet_url(community)).status_code == 200
    for n in range(10):
        BuildingFactory(community=community, name=f"B{n}", village_group=group)
        PublicPlace.objects.create(community=community, name=f"停车场{n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(sheet_url(community))
    assert response.content.decode().count('<svg role="img"') == 22
    assert len(many.captured_queries) == len(few.captured_queries)


def test_scanning_a_code_opens_the_filing_form_with_the_place_chosen(client, resident, community, building, square):
    building_card, square_card = qr_cards(community=community, absolute_url=absolute)
    client.force_login(resident)
    response = client.get(building_card.url.removeprefix("http://testserver"), follow=True)
    assert response.status_code == 200
    assert response.context["form"].initial == {"place_kind": "building", "building": building}
    response = client.get(square_card.url.removeprefix("http://testserver"), follow=True)
    assert response.status_code == 200
    assert response.context["form"].initial == {"place_kind": "public", "public_place": square}
