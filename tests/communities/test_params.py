"""Ids in query strings (communities.params) and the pages that read them: nothing out of range answers 500,
and a missing place answers like another community's (issue 12, item 13)."""
import pytest
from django.urls import reverse

from communities.params import int_id

from ..factories import BuildingFactory


@pytest.mark.parametrize("value, expected", [
    ("12", 12), (" 7 ", 7), ("2147483647", 2147483647), ("2147483648", None), ("0", None), ("-3", None),
    ("12345678901234567890", None), ("１２", None), ("abc", None), ("", None), (None, None),
])
def test_int_id(value, expected):
    assert int_id(value) == expected


@pytest.mark.django_db
def test_a_missing_building_answers_like_another_communitys(client, resident, other_community):
    client.force_login(resident)
    elsewhere = BuildingFactory(community=other_community, name="9号楼")
    missing = elsewhere.pk + 1000
    answers = {client.get(reverse("communities:case_new"), {"building": value}).status_code
               for value in (elsewhere.pk, missing, "12345678901234567890", "abc")}
    assert answers == {404}
    assert client.get(reverse("communities:case_new"), {"place": missing}).status_code == 404
    assert client.get(reverse("communities:case_new")).status_code == 200


@pytest.mark.django_db
def test_the_similar_case_box_takes_a_20_digit_building_id_without_a_500(client, resident):
    client.force_login(resident)
    response = client.get(reverse("communities:case_similar"), {"building_id": "12345678901234567890"})
    assert response.status_code == 200
