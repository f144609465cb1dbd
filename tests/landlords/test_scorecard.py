"""The landlord scorecard: figures on a hand-computed world, who sees which rows, sorting, the export."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import (
    Attendance, AuditEvent, CaseEvent, CaseRating, CaseStatus, Meeting, MeetingKind, Rota, Role, Shift,
    ShiftAssignment, Team,
)
from landlords.selectors.scorecard import scorecard, sort_rows

from ..factories import CaseFactory, CaseRatingFactory, TeamFactory, UnitFactory, make_member, serve

H = dt.timedelta(hours=1)
NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def rongzhi(community):
    serve(community)
    return TeamFactory(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)


@pytest.fixture
def landlord2(community, building):
    user = make_member(community, Role.SUBLANDLORD, username="landlord2", name="朱师傅")
    UnitFactory(building=building, room="402", is_let=True, sublandlord=user.person)
    return user


def _case(community, unit, *, ack_h, fix_h, status=CaseStatus.CLOSED, days_ago=5):
    start = NOW - dt.timedelta(days=days_ago)
    return CaseFactory(community=community, unit=unit, building=unit.building, status=status, created_at=start,
                       dispatched_at=start, acknowledged_at=start + ack_h * H if ack_h is not None else None,
                       fixed_at=start + fix_h * H if fix_h is not None else None)


def _shift(rota, user, *, days_ago, served):
    start = NOW - dt.timedelta(days=days_ago)
    shift = Shift.objects.create(rota=rota, starts_at=start, ends_at=start + 3 * H)
    return ShiftAssignment.objects.create(shift=shift, user=user, checked_in_at=start if served else None,
                                          missed_at=None if served else start + 3 * H)


@pytest.fixture
def world(community, let_unit, landlord, landlord2, committee_staff, rongzhi):
    """陈师傅 (landlord): two closed cases (ack 2 h and 4 h, fix 10 h and 20 h), one rejected (not counted),
    one case of 40 days ago (outside 30 days); a passed and a failed verification; ratings 满意 and 不满意;
    two shifts served and one missed; one meeting attended. 朱师傅 (landlord2): nothing."""
    a = _case(community, let_unit, ack_h=2, fix_h=10)
    b = _case(community, let_unit, ack_h=4, fix_h=20)
    _case(community, let_unit, ack_h=1, fix_h=None, status=CaseStatus.REJECTED)
    _case(community, let_unit, ack_h=30, fix_h=90, days_ago=40)
    for case, action in ((a, "verify_fail"), (a, "verify_pass"), (b, "verify_pass")):
        CaseEvent.objects.create(case=case, actor=committee_staff, action=action, at=NOW - 2 * H)
    CaseRatingFactory(case=a, score=CaseRating.Score.SATISFIED, at=NOW - H)
    CaseRatingFactory(case=b, score=CaseRating.Score.UNSATISFIED, at=NOW - H)
    rota = Rota.objects.create(community=community, name="调解室值班", kind=Rota.Kind.MEDIATION_ROOM, place="接待室")
    _shift(rota, landlord, days_ago=3, served=True)
    _shift(rota, landlord, days_ago=2, served=True)
    _shift(rota, landlord, days_ago=1, served=False)
    meeting = Meeting.objects.create(community=community, kind=MeetingKind.CHECK_IN, title="碰头会", venue="接待室",
                                     starts_at=NOW - dt.timedelta(days=6), ends_at=NOW - dt.timedelta(days=6) + H,
                                     organiser=committee_staff)
    Attendance.objects.create(meeting=meeting, user=landlord, checked_in_by=committee_staff)
    return community


def _row(rows, name):
    return next(r for r in rows if r.person.name == name)


def test_figures_match_a_hand_count(world, landlord):
    rows = scorecard(community=world, days=30, now=NOW)
    chen = _row(rows, "陈师傅")
    assert chen.cases == 2  # the rejected case and the one of 40 days ago do not count
    assert chen.median_ack_hours == 3.0 and chen.median_fix_hours == 15.0
    assert (chen.verification.numerator, chen.verification.denominator) == (2, 3)
    assert (chen.satisfaction.numerator, chen.satisfaction.denominator) == (1, 2)
    assert (chen.shifts_served, chen.shifts_missed, chen.meetings_attended) == (2, 1, 1)
    zhu = _row(rows, "朱师傅")
    assert zhu.cases == 0 and zhu.median_ack_hours is None and zhu.satisfaction.value is None


def test_a_longer_period_takes_in_older_cases(world):
    chen = _row(scorecard(community=world, days=90, now=NOW), "陈师傅")
    assert chen.cases == 3 and chen.median_ack_hours == 4.0


def test_sorting_puts_missing_figures_last(world):
    rows = scorecard(community=world, days=30, now=NOW)
    ordered, sort = sort_rows(rows, "-satisfaction")
    assert sort == "-satisfaction" and [r.person.name for r in ordered] == ["陈师傅", "朱师傅"]
    ordered, _ = sort_rows(rows, "satisfaction")
    assert ordered[-1].person.name == "朱师傅"
    _, sort = sort_rows(rows, "password")
    assert sort == "name"


def test_query_count_does_not_grow_with_sublandlords(world, building, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        scorecard(community=world, days=30, now=NOW)
    for i in range(10):
        user = make_member(world, Role.SUBLANDLORD, username=f"extra{i}", name=f"房东{i}")
        UnitFactory(building=building, room=f"5{i:02d}", is_let=True, sublandlord=user.person)
    with django_assert_max_num_queries(9):
        assert len(scorecard(community=world, days=30, now=NOW)) == 12


def test_staff_see_every_sublandlord(client, world, committee_staff):
    client.force_login(committee_staff)
    page = client.get(reverse("landlords:scorecard"), {"days": 30}).content.decode()
    assert "陈师傅" in page and "朱师傅" in page and "导出 Excel" in page


def test_party_secretary_sees_every_sublandlord(client, world, party_secretary):
    client.force_login(party_secretary)
    page = client.get(reverse("landlords:scorecard")).content.decode()
    assert "陈师傅" in page and "朱师傅" in page


def test_a_sublandlord_sees_only_their_own_row(client, world, landlord2):
    client.force_login(landlord2)
    page = client.get(reverse("landlords:scorecard")).content.decode()
    assert "朱师傅" in page and "陈师傅" not in page and "导出 Excel" not in page
    assert client.get(reverse("landlords:scorecard_export")).status_code == 403


@pytest.mark.parametrize("persona", ["resident", "tenant"])
def test_residents_and_tenants_have_no_scorecard(client, world, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("landlords:scorecard")).status_code == 403


def test_another_community_gets_404(client, world, outsider, committee_staff):
    client.force_login(committee_staff)
    assert client.get(reverse("landlords:scorecard"), {"community": "meilan"}).status_code == 404


def test_export_is_a_sorted_workbook_and_is_audited(client, world, committee_staff):
    from openpyxl import load_workbook

    client.force_login(committee_staff)
    response = client.get(reverse("landlords:scorecard_export"), {"days": 30, "sort": "-cases"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and rows[1][0] == "陈师傅" and rows[1][2] == 2 and rows[1][6] == 50.0
    assert AuditEvent.objects.filter(actor=committee_staff, action="landlords.scorecard_export").count() == 1


def test_registrations_on_time_and_titles_show(client, world, landlord, let_unit, committee_staff):
    from communities.services.titles import title_award
    from landlords.services.rentals import tenant_register

    today = timezone.localdate()
    tenant_register(actor=landlord, unit=let_unit, name="新租客", phone="13900001111", moved_in=today)
    tenant_register(actor=landlord, unit=let_unit, name="晚登记", phone="13900002222",
                    moved_in=today - dt.timedelta(days=10))
    title_award(actor=committee_staff, person=landlord.person, community=world, kind="supervisor")
    chen = _row(scorecard(community=world, days=30), "陈师傅")
    assert (chen.registrations.numerator, chen.registrations.denominator) == (1, 2)
    assert chen.titles == ["社区监督员"]
    client.force_login(committee_staff)
    page = client.get(reverse("landlords:scorecard"), {"days": 30}).content.decode()
    assert "社区监督员" in page and "50.0%" in page


def test_the_sorted_column_says_so_on_its_header_cell_not_on_the_link(client, world, committee_staff):
    """axe (critical): aria-sort belongs on the <th> (issue 12, item 12)."""
    import re

    client.force_login(committee_staff)
    page = client.get(reverse("landlords:scorecard"), {"days": 30, "sort": "-name"}).content.decode()
    headers = re.findall(r"<th[^>]*>", page)
    assert [h for h in headers if 'aria-sort="descending"' in h]
    assert not re.search(r"<a [^>]*aria-sort", page)


# --- the phone's cards, the rank, names by pinyin (issue 12 item 12) -----------------------------------------

def test_names_sort_by_pinyin(world, community):
    from communities.natural import name_key

    assert sorted(["朱师傅", "陈师傅", "安阿姨", "10号楼王", "2号楼王"], key=name_key) == [
        "2号楼王", "10号楼王", "安阿姨", "陈师傅", "朱师傅"]
    make_member(community, Role.SUBLANDLORD, username="an", name="安阿姨")
    rows, _sort = sort_rows(scorecard(community=world, days=30, now=NOW), "name")
    # in code-point order 朱 (U+6731) comes before 陈 (U+9648); by pinyin: an, chen, zhu
    assert [r.person.name for r in rows] == ["安阿姨", "陈师傅", "朱师傅"]


def test_rank_by_satisfaction_shares_ties_and_skips_the_unrated(world):
    from communities.selectors.rates import Rate
    from landlords.selectors.scorecard import ScoreRow, rank_rows

    rows = [ScoreRow(person=None, units=0, satisfaction=Rate(n, d)) for n, d in ((1, 2), (2, 2), (2, 4), (0, 0))]
    assert [r.rank for r in rank_rows(rows)] == [2, 1, 2, None]


def test_the_phone_shows_one_card_per_sublandlord_with_a_rank(client, world, committee_staff, landlord2):
    import re

    client.force_login(committee_staff)
    page = client.get(reverse("landlords:scorecard"), {"days": 30}).content.decode()
    cards = re.search(r'<ul class="list-unstyled d-md-none ld-scorecard-cards".*?</ul>', page, re.S).group(0)
    assert cards.count('<li class="card') == 2
    assert cards.index("陈师傅") < cards.index("朱师傅")  # chen before zhu
    assert "满意率第 1 名" in cards and "50.0%" in cards  # 陈师傅: one of two ratings satisfied
    assert "暂无排名" in cards  # 朱师傅 has no ratings
    assert 'class="table-responsive d-none d-md-block"' in page  # the desktop table stays


def test_a_sublandlord_sees_their_own_card_without_a_rank(client, world, landlord):
    client.force_login(landlord)
    page = client.get(reverse("landlords:scorecard"), {"days": 30}).content.decode()
    assert "陈师傅" in page and "满意率第" not in page and "暂无排名" not in page
