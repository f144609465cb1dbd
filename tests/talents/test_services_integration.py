"""Run by the merger once the other branches are in: the parts of services by appointment and squads that call
the studios helper's ``talents.selectors.studios.may_offer`` and the core volunteer-hours record
(``communities.services.hours.hours_record``), for real."""
import datetime as dt

import pytest

from communities import viewer
from communities.models import Role
from communities.services.errors import DomainError
from talents.models import SquadTask, SquadTaskParticipant, StudioService
from talents.services.appointments import slots_open
from talents.services.squads import (
    squad_approve, squad_hours_confirm, squad_propose, squad_task_complete, squad_task_create,
)

from ..communities.demo_seeded import seed_output, seeded  # noqa: F401  (the shared seed fixture)
from ..factories import make_member
from .services_world import NOW, SHANGHAI, TUESDAY, id_photos, junyuan, people, studio_with_host

from communities.services import hours as core_hours
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def spy(monkeypatch):
    """Every call of the real hours_record, with what it returned."""
    calls, real = [], core_hours.hours_record

    def recording(**kwargs):
        result = real(**kwargs)
        calls.append((kwargs, result))
        return result

    monkeypatch.setattr(core_hours, "hours_record", recording)
    return calls


@pytest.fixture
def world(db):
    community = junyuan()
    talent = make_member(community, Role.TALENT, username="talent_jy", name="达人老周")
    staff = make_member(community, Role.COMMITTEE_STAFF, username="staff_jy", name="居委小李")
    residents = people(community, 2)
    proposal = squad_propose(actor=talent, community=community, name="楼道巡查小分队", purpose="巡查", members=residents,
                             now=NOW)
    squad = squad_approve(actor=staff, proposal_id=proposal.pk, consent_note="居委会议同意", now=NOW)
    viewer.forget(talent)
    return {"community": community, "talent": talent, "staff": staff, "residents": residents, "squad": squad}


def test_a_completed_patrol_puts_each_participants_actual_time_into_the_core_record(world, spy):
    talent, (first, second) = world["talent"], world["residents"]
    start = dt.datetime(2026, 3, 7, 19, 0, tzinfo=SHANGHAI)
    task = squad_task_create(actor=talent, team=world["squad"], kind=SquadTask.Kind.PATROL, title="消防通道巡查",
                             place="1–6号楼", starts_at=start, ends_at=start + 2 * HOUR,
                             participants=[talent, first, second], now=NOW)
    squad_task_complete(actor=talent, task_id=task.pk, now=start + 3 * HOUR,
                        attended={first.pk: (start, start + 90 * dt.timedelta(minutes=1))})
    assert [(kw["volunteer"], kw["confirmed_by"]) for kw, _ in spy] == [(first, talent), (second, talent)]
    assert all(result is not None for _, result in spy)
    assert spy[0][0]["ends_at"] - spy[0][0]["starts_at"] == dt.timedelta(minutes=90)
    own = SquadTaskParticipant.objects.get(task=task, user=talent)
    with pytest.raises(DomainError, match="不能确认自己"):
        squad_hours_confirm(actor=talent, participant_id=own.pk, now=start + 4 * HOUR)
    assert squad_hours_confirm(actor=world["staff"], participant_id=own.pk, now=start + 4 * HOUR)
    assert len(spy) == 3 and spy[-1][0]["confirmed_by"] == world["staff"]
    assert not SquadTaskParticipant.objects.filter(task=task, hours_recorded_at__isnull=True).exists()


def test_a_consultation_opens_slots_only_where_the_studio_may_offer_it(db, monkeypatch):
    community = junyuan()
    host = make_member(community, Role.TALENT, username="zhenjiu_host")
    studio = studio_with_host(community, host, slug="zhenjiu", name="针灸工作室", kind="acupuncture")
    consultation = id_photos(studio, host, title="中医养生咨询",
                             needs_qualification=StudioService.Qualification.CONSULTATION)
    with pytest.raises(DomainError):  # nothing recorded: the studio may give talks, not consultations
        slots_open(actor=host, service=consultation, day=TUESDAY, first=dt.time(9), count=2, now=NOW)
    assert not consultation.slots.exists()
    asked = []

    def allowed(*, studio, offer, on):
        asked.append((studio.slug, offer, on))
        return True, ""

    monkeypatch.setattr("talents.selectors.studios.may_offer", allowed)
    assert len(slots_open(actor=host, service=consultation, day=TUESDAY, first=dt.time(9), count=2, now=NOW)) == 2
    assert asked == [("zhenjiu", "treatment", TUESDAY)]  # a consultation needs what treatment needs


def test_the_demo_squads_claimed_needs_and_a_patrol_with_confirmed_hours(seeded):
    patrol = SquadTask.objects.get(team__name="楼道巡查小分队", kind=SquadTask.Kind.PATROL)
    assert patrol.status == SquadTask.Status.DONE
    rows = list(patrol.participants.select_related("user"))
    assert len(rows) == 3 and all(r.hours_recorded_at and r.hours_confirmed_by_id != r.user_id for r in rows)
    claimed = SquadTask.objects.filter(kind=SquadTask.Kind.NEED, team__community__slug="junyuan")
    assert {t.team.name for t in claimed} == {"达人治理小分队", "楼道巡查小分队"}
    assert all(t.need.team_id == t.team_id for t in claimed)
