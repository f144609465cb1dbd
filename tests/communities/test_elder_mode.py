"""长辈模式 is simpler, not only larger: the home page keeps three cards, and the filing form is split into the
steps the elder-mode wizard (static/communities/elder_steps.js) shows one at a time. The wizard itself is
exercised in the browser (tests/e2e/test_elder.py)."""
import re

from django.urls import reverse

from communities.selectors.home import home_for
from communities.services.cases import case_file

from .case_world import as_user, category  # noqa: F401 - fixtures

ELDER_CARDS = ["反映问题", "我反映的问题", "消息"]


def tile_labels(context):
    return [str(item.label) for item in context["tiles"]]


def main(response):
    """The page's <main>, without the menu (which keeps every entry in elder mode)."""
    return response.content.decode().split('<main id="main"')[1].split("</main>")[0]


def elder(user):
    user.elder_mode = True
    user.save(update_fields=["elder_mode"])
    return user


def test_elder_home_keeps_only_the_three_things_a_resident_comes_for(resident):
    normal = tile_labels(home_for(user=resident))
    assert set(ELDER_CARDS) < set(normal) and "我的账号" in normal
    assert tile_labels(home_for(user=elder(resident))) == ELDER_CARDS


def test_elder_home_for_staff_drops_the_figures_but_keeps_the_to_do_list(client, committee_staff, resident, unit,
                                                                         community, category):  # noqa: F811
    case_file(filed_by=resident, community=community, category=category, unit=unit, description="楼道灯坏了")
    normal = main(as_user(client, committee_staff).get("/"))
    assert "社区概况" in normal and "筛选、派单、验收、导出" in normal
    elder(committee_staff)
    page = main(client.get("/"))
    assert "社区概况" not in page and "筛选、派单、验收、导出" not in page  # the figures and the 诉求管理 card
    assert "1 件诉求待派单" in page  # what waits for the user is still on the page
    assert "其他功能请点右上角的“菜单”。" in page
    assert all(f">{label}" in page for label in ["反映问题", "消息"])


def test_elder_home_is_not_shown_to_someone_who_did_not_choose_it(client, resident):
    page = main(as_user(client, resident).get("/"))
    assert "其他功能请点右上角的“菜单”。" not in page and "密码、语言和长辈模式" in page


def test_elder_home_query_count_does_not_grow_with_the_cards(client, resident, django_assert_max_num_queries):
    as_user(client, elder(resident))
    with django_assert_max_num_queries(25):
        assert client.get("/").status_code == 200


def steps(page):
    return re.findall(r'<fieldset data-step(?: data-step-confirm hidden)?>\s*<legend[^>]*>([^<]+)</legend>', page)


def test_filing_form_is_grouped_into_the_wizard_steps(client, resident, community, category):  # noqa: F811
    page = as_user(client, elder(resident)).get(reverse("communities:case_new")).content.decode()
    assert steps(page) == ["是什么问题？", "问题在哪里？", "请说说情况", "拍张照片(可以不拍)", "请核对后提交"]
    assert "communities/elder_steps.js" in page and "<script>" not in page
    # Without JS the confirm screen and the step buttons stay hidden and the one-page form submits as before.
    assert re.search(r'<fieldset data-step data-step-confirm hidden>', page)
    assert re.search(r'<div class="ld-step-nav" data-step-nav [^>]*hidden>', page)
    for name in ["category", "place_kind", "unit", "building", "room", "public_place", "place_text", "description",
                 "photos", "anonymous"]:
        assert f'name="{name}"' in page


def test_filing_on_behalf_asks_who_reported_first(client, committee_staff, community, category):  # noqa: F811
    page = as_user(client, committee_staff).get(
        reverse("communities:case_new"), {"on_behalf": "1", "community": community.slug}).content.decode()
    assert steps(page)[:2] == ["是谁反映的？", "是什么问题？"] and len(steps(page)) == 6
    assert all(f'name="{name}"' in page for name in ["channel", "reporter_name", "reporter_phone"])


def test_a_server_side_error_is_shown_inside_its_step(client, resident, community, category):  # noqa: F811
    response = as_user(client, elder(resident)).post(reverse("communities:case_new"), {
        "community": community.slug, "category": category.pk, "place_kind": "building", "description": ""})
    assert response.status_code == 400
    page = response.content.decode()
    description_step = page.split("请说说情况")[1].split("<fieldset data-step")[0]
    assert "is-invalid" in description_step and 'name="description"' in description_step
