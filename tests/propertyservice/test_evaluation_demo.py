"""The evaluation demo against a small 光明村 (not the whole seed_demo): the standard adopted by a villagers'
meeting, two closed months of household scores (some on paper), one improvement action; run twice, nothing more."""
import pytest
from django.urls import reverse

from communities.models import (
    Community, Evaluation, EvaluationStandard, ImprovementAction, Residency, ResidentScore, Role,
)
from communities.selectors.elections import motion_adopted
from propertyservice.demo.evaluation import demo_evaluation_seed
from propertyservice.demo.station_app import demo_app_seed
from propertyservice.selectors.evaluation import SUBJECT

from ..factories import PersonFactory, make_member
from .world import make_house, make_station

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_guangming():
    village = Community.objects.create(slug="guangming", name="光明村", kind=Community.Kind.VILLAGE)
    demo_app_seed()  # the station's seeder runs first: the app serves 光明村
    staff = make_member(village, Role.COMMITTEE_STAFF, username="staff_guangming", name="钱伟")
    head = make_member(village, Role.STATION_STAFF, username="station", name="周国强")
    make_member(village, Role.STATION_STAFF, username="station2", name="丁卫东")
    make_station(village, head)
    for i in range(64):
        Residency.objects.create(person=PersonFactory(name=f"村民{i}"), unit=make_house(village, "丁钱", f"{i}号"),
                                 relation="owner", moved_in="2020-01-01")
    make_member(village, Role.RESIDENT, username="villager", unit=make_house(village, "七图", "1号"))
    return village, staff


def counts():
    return (EvaluationStandard.objects.count(), Evaluation.objects.count(), ResidentScore.objects.count(),
            ImprovementAction.objects.count())


def test_the_demo_seeds_an_adopted_standard_two_closed_months_and_an_action_once(client, small_guangming):
    village, staff = small_guangming
    demo_evaluation_seed()
    standard = EvaluationStandard.objects.get(community=village, subject=SUBJECT)
    assert standard.status == "adopted" and motion_adopted(motion=standard.motion)
    months = list(Evaluation.objects.filter(community=village).order_by("month"))
    assert [e.status for e in months] == ["closed", "closed", "open"]
    residents = standard.criteria.filter(group="residents").count()
    assert ResidentScore.objects.filter(evaluation=months[0]).count() == 60 * residents
    assert ResidentScore.objects.filter(evaluation=months[1], paper=True).exists()
    action = ImprovementAction.objects.get()
    assert (action.criterion.name, action.evaluation, action.owner.username) == ("环境卫生", months[1], "station")
    client.force_login(staff)
    meeting = client.get(reverse("communities:election_detail", args=[standard.motion.election_id]))
    assert meeting.status_code == 200 and "通过《光明村物业管理服务站考核办法》" in meeting.content.decode()
    assert client.get(reverse("propertyservice:evaluation_standard")).status_code == 200
    assert client.get(reverse("propertyservice:evaluation")).status_code == 200
    before = counts()
    demo_evaluation_seed()
    assert counts() == before
