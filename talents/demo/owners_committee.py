"""郡园's demo data for the owners' hub's committee area (issue 15 item 2): the three terms of its owners'
committee, through the real services.

- 第一届 (2016-05-08 →) recalled 2019-08-24 for refusing to convene the assembly (拒不召集业主大会), the vote of
  the paper era recorded as its announced result;
- 第二届 (2019-12-14 →) recalled 2022-06-25 for breaking its pledge in the debt dispute with the property
  company (违反承诺); recorded as a text result as well (casting ~700 owners' ballots through the core engine
  is too heavy for the seed; the recall service's vote path is tested in tests/talents/test_owners_committee.py);
- 第三届 elected 2025-01-18, serving: ``jy_director`` (业委会主任) and four others, owners of junyuan units (the
  register area may have added owners; if it did not, the seeded owners of the estate are claimed), with the
  town's filing (罗店业备〔2025〕第003号) and seal certificates and three decisions, one published a day late.

Only this area writes the terms; the election area's demo links to the third. Idempotent: what exists is kept.
"""
import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from communities.dates import local_midnight
from communities.models import Backbone, Community, Membership, Person, Residency, Role, User

from ..models import CommitteeDecision, CommitteeFiling, CommitteeRecall, CommitteeTerm
from ..services.committee_terms import committee_term_start
from ..services.owners_committee import (committee_decision_notify_rc, committee_decision_publish,
                                         committee_decision_record, committee_filing_record,
                                         committee_recall_record)

O = Backbone.Office
D = dt.date
OFFICES = (O.DIRECTOR, O.DEPUTY_DIRECTOR, O.COMMITTEE_MEMBER, O.COMMITTEE_MEMBER, O.COMMITTEE_MEMBER)
TERMS = (  # number, logins, started_on, ends_on
    (1, ("jy_t1_director", "jy_t1_deputy", "jy_t1_m1", "jy_t1_m2", "jy_t1_m3"), D(2016, 5, 8), D(2021, 5, 7)),
    (2, ("jy_t2_director", "jy_t2_deputy", "jy_t2_m1", "jy_t2_m2", "jy_t2_m3"), D(2019, 12, 14), D(2024, 12, 13)),
    (3, ("jy_director", "jy_deputy", "jy_member1", "jy_member2", "jy_member3"), D(2025, 1, 18), D(2030, 1, 17)),
)
RECALLS = {
    1: dict(decided_on=D(2019, 8, 24), grounds=CommitteeRecall.Grounds.REFUSED_TO_CONVENE,
            grounds_text="业主联名要求召开业主大会临时会议，业委会逾期拒不召集。",
            result_text="2019年8月24日业主大会临时会议（书面表决）：参与表决业主 812 户、专有面积 86,420 平方米，"
                        "同意罢免 701 户、专有面积 74,580 平方米，罢免通过（纸质表决，结果由罗店镇房办见证公告）。"),
    2: dict(decided_on=D(2022, 6, 25), grounds=CommitteeRecall.Grounds.BROKE_PLEDGE,
            grounds_text="违反候选时的书面承诺，未经业主大会决定与物业公司签订补充协议，引发物业费欠款纠纷。",
            result_text="2022年6月25日业主大会临时会议（书面表决）：参与表决业主 798 户、专有面积 85,130 平方米，"
                        "同意罢免 655 户、专有面积 70,210 平方米，罢免通过。"),
}
FILINGS = ((CommitteeFiling.Kind.FILING, "罗店业备〔2025〕第003号", D(2025, 2, 10)),
           (CommitteeFiling.Kind.SEAL, "罗店业章〔2025〕第003号（印章刻“第三届”）", D(2025, 2, 17)))
DECISIONS = (  # title, text, decided_on, published (days after), notified (days after)
    ("2025年度物业服务费收支审计", "委托第三方审计机构对物业服务费 2024 年度收支进行审计，审计报告在物业之窗公示。",
     D(2025, 3, 8), 2, 3),
    ("外墙脱落应急维修", "3号楼外墙脱落经鉴定为危险，同意按《上海市住宅物业管理规定》第七十三条启动维修资金应急使用。",
     D(2025, 6, 12), 1, 1),
    ("电梯维保合同续签", "同意与原电梯维保单位续签一年维保合同，费用不变。", D(2025, 9, 26), 4, 5),  # a day late
)


def _owner_person(community, taken: set) -> Person | None:
    """An owner of the estate without a login, in a unit not let (the seeded owners, or the register's)."""
    return (Person.objects.filter(user__isnull=True, residencies__relation=Residency.Relation.OWNER,
                                  residencies__moved_out__isnull=True, residencies__unit__is_let=False,
                                  residencies__unit__building__community=community)
            .exclude(pk__in=taken).order_by("id").first())


def _member(community, username: str, taken: set, password: str) -> User | None:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, password=password, email=f"{username}@demo.luodian.local")
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = _owner_person(community, taken)
        if person is None:
            return None
        person.user = user
        person.save(update_fields=["user"])
    taken.add(person.pk)
    Membership.objects.get_or_create(user=user, community=community, role=Role.RESIDENT)
    return user


def demo_owners_committee_seed(now=None) -> dict:
    now = now or timezone.now()
    community = Community.objects.filter(slug="junyuan").first()
    staff = User.objects.filter(username="staff_junyuan").first()
    if community is None or staff is None:
        return {}
    password = make_password(getattr(settings, "DEMO_PASSWORD", None) or None)
    taken: set = set()
    made = {"terms": 0, "recalls": 0, "filings": 0, "decisions": 0}
    for number, logins, started_on, ends_on in TERMS:
        members = [_member(community, name, taken, password if number == 3 else make_password(None))
                   for name in logins]
        if any(m is None for m in members):
            return made  # an estate without enough owners: nothing more to seed
        term = CommitteeTerm.objects.filter(community=community, number=number).first()
        if term is None:
            term = committee_term_start(actor=staff, community=community, members=list(zip(members, OFFICES)),
                                        started_on=started_on, ends_on=ends_on, number=number)
            made["terms"] += 1
        if number in RECALLS and term.ended_on is None:
            committee_recall_record(actor=staff, term=term, now=now, **RECALLS[number])
            made["recalls"] += 1
    third = CommitteeTerm.objects.get(community=community, number=3)
    for kind, number, issued_on in FILINGS:
        if not CommitteeFiling.objects.filter(term=third, kind=kind).exists():
            committee_filing_record(actor=staff, term=third, kind=kind, number=number, issued_on=issued_on, now=now)
            made["filings"] += 1
    director = User.objects.get(username="jy_director")
    for title, text, decided_on, published, notified in DECISIONS:
        if CommitteeDecision.objects.filter(term=third, title=title).exists():
            continue
        at = local_midnight(decided_on) + dt.timedelta(hours=19)
        decision = committee_decision_record(actor=director, community=community, title=title, text=text,
                                             decided_on=decided_on, now=at)
        committee_decision_publish(actor=director, decision_id=decision.pk, now=at + dt.timedelta(days=published))
        committee_decision_notify_rc(actor=director, decision_id=decision.pk, now=at + dt.timedelta(days=notified),
                                     notice=f"郡园业主委员会函：关于“{title}”的决定已于业主公告栏和业主之家公告，特此书面告知郡园居民区居委会。")
        made["decisions"] += 1
    return made
