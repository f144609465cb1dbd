"""The squad pages (on the real clock): the list with proposals and consent, a squad's page with members, tasks and
hours; the right role succeeds, a wrong role is refused, another community gets 404; constant queries."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Role, Team
from talents.models import SquadProposal, SquadTask, SquadTaskParticipant
from talents.services.squads import squad_approve, squad_propose

from ..factories import make_member
from .services_world import junyuan, people


@pytest.fixture
def world(db):
    community = junyuan()
    talent = make_member(community, Role.TALENT, username="talent_jy", name="达人老周")
    staff = make_member(community, Role.COMMITTEE_STAFF, username="staff_jy", name="居委小李")
    residents = people(community, 2)
    proposal = squad_propose(actor=talent, community=community, name="楼道巡查小分队", purpose="巡查楼道",
                             members=residents[:1])
    squad = squad_approve(actor=staff, proposal_id=proposal.pk, consent_note="居委会议同意")
    return {"community": community, "talent": talent, "staff": staff, "residents": residents, "squad": squad}


def test_staff_consent_to_a_proposal_from_the_list(client, world):
    client.force_login(world["talent"])
    response = client.post(reverse("talents:squad_propose") + "?community=junyuan",
                           {"name": "护绿小分队", "purpose": "照看绿地", "members": [world["residents"][1].pk]})
    assert response.status_code == 302
    proposal = SquadProposal.objects.get(name="护绿小分队")
    client.force_login(world["staff"])
    page = client.get(reverse("talents:squad_list") + "?community=junyuan").content.decode()
    assert "护绿小分队" in page and "同意成立" in page
    empty = client.post(reverse("talents:squad_proposal_approve", args=[proposal.pk]), {"consent_note": ""},
                        follow=True)
    assert "请写明居委同意的依据" in empty.content.decode()
    response = client.post(reverse("talents:squad_proposal_approve", args=[proposal.pk]),
                           {"consent_note": "居委会 3 月例会同意"})
    team = Team.objects.get(name="护绿小分队", kind=Team.Kind.SQUAD)
    assert response.status_code == 302 and response["Location"] == reverse("talents:squad_detail", args=[team.pk])


def test_a_resident_may_not_propose_or_consent(client, world):
    client.force_login(world["residents"][1])
    assert client.post(reverse("talents:squad_propose"), {"name": "x", "purpose": "y"}).status_code == 403
    proposal = squad_propose(actor=world["talent"], community=world["community"], name="夜巡队", purpose="夜巡")
    assert client.post(reverse("talents:squad_proposal_approve", args=[proposal.pk]),
                       {"consent_note": "我同意"}).status_code == 403
    client.force_login(world["talent"])
    assert client.post(reverse("talents:squad_proposal_approve", args=[proposal.pk]),
                       {"consent_note": "我同意"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == SquadProposal.Status.PROPOSED


def test_members_see_the_squad_others_are_refused_and_another_community_gets_404(client, world, outsider):
    url = reverse("talents:squad_detail", args=[world["squad"].pk])
    client.force_login(world["residents"][0])
    page = client.get(url).content.decode()
    assert "楼道巡查小分队" in page and "由 达人老周 邀请" in page and "添加任务" not in page
    client.force_login(world["residents"][1])
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("talents:squad_task_new", args=[world["squad"].pk])).status_code in (403, 404)


def test_a_backbone_adds_a_patrol_from_the_phone(client, world):
    client.force_login(world["talent"])
    start = timezone.localtime(timezone.now() + dt.timedelta(days=2)).replace(hour=9, minute=0, second=0,
                                                                               microsecond=0)
    response = client.post(reverse("talents:squad_task_new", args=[world["squad"].pk]), {
        "kind": "patrol", "title": "消防通道巡查", "place": "1–6号楼", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "participants": [world["residents"][0].pk]})
    assert response.status_code == 302
    task = SquadTask.objects.get(title="消防通道巡查")
    assert list(task.participants.values_list("user_id", flat=True)) == [world["residents"][0].pk]
    bad = client.post(reverse("talents:squad_task_new", args=[world["squad"].pk]), {"kind": "patrol"})
    assert bad.status_code == 400


def test_the_squad_page_runs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    squad, talent = world["squad"], world["talent"]
    start = timezone.now() - dt.timedelta(days=3)

    def task(i, users):
        t = SquadTask.objects.create(team=squad, kind="patrol", title=f"巡查{i}", place="1号楼", created_by=talent,
                                     starts_at=start + dt.timedelta(hours=i), ends_at=start + dt.timedelta(hours=i + 1),
                                     status="done", completed_by=talent, completed_at=start)
        for u in users:
            SquadTaskParticipant.objects.create(task=t, user=u, started_at=t.starts_at, ended_at=t.ends_at,
                                                hours_recorded_at=start, hours_confirmed_by=world["staff"])

    task(0, [world["residents"][0]])
    client.force_login(talent)
    url = reverse("talents:squad_detail", args=[squad.pk])
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    from communities.services.teams import team_member_join

    extra = people(world["community"], 15, prefix="sq")
    for user in extra:
        team_member_join(team=squad, user=user, invited_by=talent)
    for i in range(1, 20):
        task(i, extra[:5])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert "巡查19" in page.content.decode()
