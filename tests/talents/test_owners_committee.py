"""The owners' committee over time (issue 15 item 2): the 3-day publication clock on hand-computed dates,
recalls that end a term (and are refused when the vote did not pass), the town's certificates, who may record."""
import datetime as dt
from decimal import Decimal  # noqa: F401

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import Backbone, TeamMember
from communities.services import elections as core
from communities.services.errors import DomainError
from talents.models import CommitteeDecision, CommitteeFiling, CommitteeRecall, CommitteeTerm, OwnersAssembly
from talents.selectors.owners_committee import publication_deadline, publication_of
from talents.services import owners_committee as svc
from talents.services.assemblies import assembly_create
from talents.services.committee_terms import committee_term_start

from .owners_world import (NOW, SHANGHAI, at, community, estate, other_estate, outsider, owners, staff,  # noqa: F401
                           tenant)

pytestmark = pytest.mark.django_db
O = Backbone.Office
D = dt.date
PDF = b"%PDF-1.4\n%test\n"


def _term(estate, owners, staff, start=D(2025, 1, 18)):
    members = [(owners["a"], O.DIRECTOR), (owners["b"], O.DEPUTY_DIRECTOR), (owners["d"], O.COMMITTEE_MEMBER)]
    return committee_term_start(actor=staff, community=estate.community, members=members, started_on=start,
                                ends_on=start.replace(year=start.year + 5))


def _local(day: D, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


@pytest.mark.parametrize("decided,published,state,days", [
    (D(2026, 3, 2), D(2026, 3, 5), "on_time", 0),   # due 5 March: the day of the decision is not counted
    (D(2026, 3, 2), D(2026, 3, 6), "late", 1),
    (D(2026, 1, 30), D(2026, 2, 2), "on_time", 0),  # across a month end: 31 Jan, 1 Feb, 2 Feb
    (D(2026, 1, 30), D(2026, 2, 3), "late", 1),
    (D(2026, 2, 27), D(2026, 3, 2), "on_time", 0),  # February 2026 has 28 days: 28 Feb, 1 Mar, 2 Mar
    (D(2026, 2, 27), D(2026, 3, 5), "late", 3),
    (D(2026, 12, 30), D(2027, 1, 2), "on_time", 0),  # across a year end
])
def test_the_three_days_of_art_26_on_hand_computed_dates(decided, published, state, days):
    row = CommitteeDecision(decided_on=decided, published_at=_local(published, 23))
    pub = publication_of(row, today=published)
    assert (pub.state, pub.days) == (state, days)
    assert publication_deadline(D(2026, 1, 30)) == D(2026, 2, 2)


def test_an_unpublished_decision_shows_its_deadline_then_how_late_it_is():
    row = CommitteeDecision(decided_on=D(2026, 1, 30))
    assert publication_of(row, today=D(2026, 1, 31)) == publication_of(row, today=D(2026, 1, 31))
    pending = publication_of(row, today=D(2026, 1, 31))
    assert (pending.state, pending.deadline, pending.days) == ("pending", D(2026, 2, 2), 2)
    overdue = publication_of(row, today=D(2026, 2, 4))
    assert (overdue.state, overdue.days, overdue.warn) == ("overdue", 2, True)


def test_members_record_and_publish_a_decision_and_a_double_publish_changes_nothing(estate, owners, staff):
    _term(estate, owners, staff)
    member = owners["b"]
    decision = svc.committee_decision_record(actor=member, community=estate.community, title="续聘物业",
                                             text="续聘一年", decided_on=D(2026, 3, 9), now=NOW)
    again = svc.committee_decision_record(actor=member, community=estate.community, title="续聘物业",
                                          text="续聘一年", decided_on=D(2026, 3, 9), now=NOW)
    assert again.pk == decision.pk and CommitteeDecision.objects.count() == 1
    assert svc.committee_decision_publish(actor=member, decision_id=decision.pk, now=NOW) is True
    assert svc.committee_decision_publish(actor=staff, decision_id=decision.pk, now=NOW + dt.timedelta(days=3)) is False
    decision.refresh_from_db()
    assert decision.published_at == NOW and decision.published_by == member
    assert svc.committee_decision_notify_rc(actor=member, decision_id=decision.pk, notice="已书面告知", now=NOW)
    assert not svc.committee_decision_notify_rc(actor=member, decision_id=decision.pk, notice="again", now=NOW)
    decision.refresh_from_db()
    assert decision.rc_notice == "已书面告知"


def test_an_owner_who_is_not_a_member_or_a_tenant_cannot_record(estate, owners, staff, tenant):
    _term(estate, owners, staff)
    for user in (owners["e"], tenant):
        with pytest.raises(DomainError) as exc:
            svc.committee_decision_record(actor=user, community=estate.community, title="x", text="y",
                                          decided_on=D(2026, 3, 9), now=NOW)
        assert exc.value.code == "forbidden"
    decision = svc.committee_decision_record(actor=staff, community=estate.community, title="x", text="y",
                                             decided_on=D(2026, 3, 9), now=NOW)
    with pytest.raises(DomainError):
        svc.committee_decision_publish(actor=tenant, decision_id=decision.pk, now=NOW)
    assert not CommitteeDecision.objects.filter(published_at__isnull=False).exists()


def test_a_backbone_of_another_team_is_not_a_committee_member(estate, owners, staff):
    from communities.models import Team

    _term(estate, owners, staff)
    squad = Team.objects.create(community=estate.community, kind=Team.Kind.SQUAD, name="楼道巡查小分队")
    Backbone.objects.create(team=squad, user=owners["e"], office=O.BACKBONE, term_start=D(2025, 1, 1),
                            source=Backbone.Source.APPOINTED, appointed_by=staff)
    with pytest.raises(DomainError) as exc:
        svc.committee_decision_record(actor=owners["e"], community=estate.community, title="x", text="y",
                                      decided_on=D(2026, 3, 9), now=NOW)
    assert exc.value.code == "forbidden"


def test_bad_decision_input_is_refused(estate, owners, staff):
    with pytest.raises(DomainError) as exc:  # no serving term yet
        svc.committee_decision_record(actor=staff, community=estate.community, title="x", text="y",
                                      decided_on=D(2026, 3, 9), now=NOW)
    assert exc.value.code == "no_term"
    _term(estate, owners, staff)
    for decided in (D(2026, 3, 11), D(2024, 12, 1)):  # tomorrow; before the term began
        with pytest.raises(DomainError) as exc:
            svc.committee_decision_record(actor=staff, community=estate.community, title="x", text="y",
                                          decided_on=decided, now=NOW)
        assert exc.value.code == "date"
    with pytest.raises(DomainError):
        svc.committee_decision_record(actor=staff, community=estate.community, title=" ", text="y",
                                      decided_on=D(2026, 3, 9), now=NOW)
    assert not CommitteeDecision.objects.exists()


def test_a_paper_era_recall_ends_the_term_with_its_offices(estate, owners, staff):
    term = _term(estate, owners, staff, start=D(2020, 5, 1))
    recall = svc.committee_recall_record(actor=staff, term=term, decided_on=D(2022, 6, 18),
                                         grounds=CommitteeRecall.Grounds.REFUSED_TO_CONVENE,
                                         result_text="书面表决：同意罢免 5 户中 4 户", now=NOW)
    again = svc.committee_recall_record(actor=staff, term=term, decided_on=D(2022, 6, 18),
                                        grounds=CommitteeRecall.Grounds.REFUSED_TO_CONVENE, result_text="x", now=NOW)
    assert again.pk == recall.pk and CommitteeRecall.objects.count() == 1
    term.refresh_from_db()
    assert (term.ended_on, term.end_reason) == (D(2022, 6, 18), CommitteeTerm.End.RECALLED)
    assert set(term.team.backbones.values_list("term_end", flat=True)) == {D(2022, 6, 18)}
    assert not TeamMember.objects.filter(team=term.team, left_at__isnull=True).exists()
    with pytest.raises(DomainError) as exc:  # the recalled committee records nothing more
        svc.committee_decision_record(actor=owners["a"], community=estate.community, title="x", text="y",
                                      decided_on=D(2026, 3, 9), now=NOW)
    assert exc.value.code in ("forbidden", "no_term")


def test_a_recall_needs_its_grounds_and_a_result_and_only_staff_record_it(estate, owners, staff):
    term = _term(estate, owners, staff)
    cases = [({"grounds": "nonsense", "result_text": "x"}, "grounds"),
             ({"grounds": CommitteeRecall.Grounds.OTHER, "result_text": "x"}, "grounds_text"),
             ({"grounds": CommitteeRecall.Grounds.BROKE_PLEDGE}, "result"),
             ({"grounds": CommitteeRecall.Grounds.BROKE_PLEDGE, "result_text": "x",
               "decided_on": D(2024, 1, 1)}, "date")]
    for kwargs, code in cases:
        with pytest.raises(DomainError) as exc:
            svc.committee_recall_record(actor=staff, term=term, **{"decided_on": D(2026, 3, 1), **kwargs}, now=NOW)
        assert exc.value.code == code
    with pytest.raises(DomainError) as exc:
        svc.committee_recall_record(actor=owners["a"], term=term, decided_on=D(2026, 3, 1),
                                    grounds=CommitteeRecall.Grounds.BROKE_PLEDGE, result_text="x", now=NOW)
    assert exc.value.code == "forbidden"
    term.refresh_from_db()
    assert term.ended_on is None and not CommitteeRecall.objects.exists()


def _recall_vote(estate, staff, voters):
    assembly = assembly_create(actor=staff, community=estate.community, kind=OwnersAssembly.Kind.RECALL,
                               title="罢免第1届业主委员会", motions=[("罢免第1届业主委员会", "ordinary")],
                               opens_at=at(0, 9), closes_at=at(5, 18))
    election = assembly.election
    core.election_open(election=election, actor=staff, now=NOW)
    motion = election.motions.get()
    for user in voters:
        core.ballot_cast(election=election, actor=user, choices={}, motions={str(motion.pk): "for"},
                         now=NOW + dt.timedelta(hours=1))
    core.election_close(election=election, actor=staff, now=at(5, 19))
    core.election_publish(election=election, actor=staff, now=at(5, 20))
    assembly.election.refresh_from_db()
    return assembly


def test_a_recall_is_refused_when_the_vote_did_not_pass(estate, owners, staff):
    term = _term(estate, owners, staff)
    # 甲 (220 m²), 乙 (80), 丁 (100): 3 of 8 owners, 400 of 1,100 m²: short of the 2/3 participation.
    assembly = _recall_vote(estate, staff, [owners["a"], owners["b"], owners["d"]])
    with pytest.raises(DomainError) as exc:
        svc.committee_recall_record(actor=staff, term=term, decided_on=at(5, 20).date(),
                                    grounds=CommitteeRecall.Grounds.BROKE_PLEDGE, assembly=assembly,
                                    now=at(6, 9))
    assert exc.value.code == "not_adopted"
    term.refresh_from_db()
    assert term.ended_on is None


def test_a_recall_on_a_passed_vote_ends_the_term(estate, owners, staff):
    term = _term(estate, owners, staff)
    # Six owners of eight, 745 of 1,100 m² (67.7 %): participation met; all agree.
    assembly = _recall_vote(estate, staff, [owners[k] for k in "abdegh"])
    recall = svc.committee_recall_record(actor=staff, term=term, decided_on=at(5, 20).date(),
                                         grounds=CommitteeRecall.Grounds.BROKE_PLEDGE, assembly=assembly,
                                         grounds_text="违反书面承诺", now=at(6, 9))
    term.refresh_from_db()
    assert recall.assembly == assembly
    assert (term.end_reason, term.ended_on) == (CommitteeTerm.End.RECALLED, at(5, 20).date())


def test_a_vote_of_another_kind_or_estate_is_not_a_recall(estate, owners, staff):
    term = _term(estate, owners, staff)
    other = assembly_create(actor=staff, community=estate.community, kind=OwnersAssembly.Kind.REPAIR, title="x",
                            motions=[("x", "ordinary")])
    with pytest.raises(DomainError) as exc:
        svc.committee_recall_record(actor=staff, term=term, decided_on=D(2026, 3, 1),
                                    grounds=CommitteeRecall.Grounds.BROKE_PLEDGE, assembly=other, now=NOW)
    assert exc.value.code == "assembly"


def test_filings_record_once_with_a_checked_file(estate, owners, staff):
    term = _term(estate, owners, staff)
    upload = SimpleUploadedFile("张三的备案.pdf", PDF, content_type="application/pdf")
    filing = svc.committee_filing_record(actor=staff, term=term, kind=CommitteeFiling.Kind.FILING,
                                         number="罗店业备〔2025〕第003号", issued_on=D(2025, 2, 10), upload=upload,
                                         now=NOW)
    assert filing.issued_by == "罗店镇人民政府" and filing.file_extension == "pdf"
    assert "张三" not in filing.file.name
    same = svc.committee_filing_record(actor=staff, term=term, kind=CommitteeFiling.Kind.FILING,
                                       number="罗店业备〔2025〕第003号", issued_on=D(2025, 2, 10), now=NOW)
    assert same.pk == filing.pk
    with pytest.raises(DomainError) as exc:
        svc.committee_filing_record(actor=staff, term=term, kind=CommitteeFiling.Kind.FILING, number="另一个号",
                                    issued_on=D(2025, 2, 10), now=NOW)
    assert exc.value.code == "duplicate"
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as exc:
        svc.committee_filing_record(actor=staff, term=term, kind=CommitteeFiling.Kind.SEAL, number="印章001",
                                    issued_on=D(2025, 2, 12), upload=bad, now=NOW)
    assert exc.value.code == "file_type"
    big = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        svc.committee_filing_record(actor=staff, term=term, kind=CommitteeFiling.Kind.SEAL, number="印章001",
                                    issued_on=D(2025, 2, 12), upload=big, now=NOW)
    assert exc.value.code == "file_size"
    with pytest.raises(DomainError) as exc:
        svc.committee_filing_record(actor=owners["a"], term=term, kind=CommitteeFiling.Kind.SEAL, number="印章001",
                                    issued_on=D(2025, 2, 12), now=NOW)
    assert exc.value.code == "forbidden"
    assert CommitteeFiling.objects.count() == 1
