"""Demo data of 光明村's station and its people, through the real services (idempotent: each service finds
what is there and changes nothing): ``station2`` (施建华) appointed second head beside ``station`` (周国强);
the villagers' committee as employer with its police filing; the five posts linked to the core demo's rotas;
staff ``station``…``station6`` in their posts with their certificates (丁卫东's 保安员证 lapses within the month);
a villager in training for the gate post; a training session with attendance; the adopted 服务站管理制度 v1,
acknowledged by every staff member but 姚根宝."""
import datetime as dt

from django.utils import timezone

from communities.models import Backbone, Community, Rota, Team, User
from communities.selectors.documents import document_current
from communities.services.documents import document_acknowledge, document_adopt, document_draft
from communities.services.teams import backbone_appoint, team_member_join

from ..models import CertificateKind as C
from ..models import PostKind as P
from ..models import Recruit, TrainingSession
from ..services.staffing import recruit_apply, recruit_start_training, training_attendance_record, \
    training_session_create
from ..services.station import certificate_record, post_ensure, staff_post_assign, station_profile_save
from ..station_rules import KIND

POSTS = (  # kind, name, certificate, security post, rota names, duties
    (P.PATROL, "巡逻", C.GUARD, True, ("服务站值班巡逻",), "夜间和节假日按路线巡逻丁钱、施杨、七图各排及村口停车场。"),
    (P.GARBAGE, "垃圾清运", "", False, ("垃圾清运",), "各排垃圾箱房分类清运，指导村民分类投放。"),
    (P.GREENING, "绿化保洁", "", False, ("绿化保洁",), "公共绿地养护、主干道和河道保洁。"),
    (P.GATE, "门岗安保", C.GUARD, True, (), "村口门岗值守，外来车辆和人员登记。"),
    (P.ELECTRICIAN, "电工", C.ELECTRICIAN, False, (), "公共照明、充电棚线路的检修，飞线排查。"),
)
# username: (birth date, posts, certificates as (kind, number, issued days ago, valid days from today))
STAFF = {
    "station": (dt.date(1971, 4, 12), (P.PATROL,), ((C.GUARD, "沪保0310020123", 900, 560),)),
    "station2": (dt.date(1976, 9, 3), (P.GATE,), ((C.GUARD, "沪保0310020456", 700, 760),)),
    "station3": (dt.date(1968, 2, 20), (P.GREENING,), ()),
    "station4": (dt.date(1980, 11, 8), (P.PATROL, P.GATE), ((C.GUARD, "沪保0310019876", 1440, 20),)),
    "station5": (dt.date(1973, 6, 15), (P.GARBAGE,), ()),
    "station6": (dt.date(1982, 1, 27), (P.ELECTRICIAN,), ((C.ELECTRICIAN, "T310113198201270011", 300, 1525),)),
}
RULES_TITLE = "光明村物业管理服务站管理制度（第一版）"
RULES_BODY = """一、巡逻制度：夜间19:00—22:00两人一组按路线巡逻，逐点打卡；发现隐患当场处置或报服务站，不能处置的立即上报。
二、交接班制度：交班人当面交接值班记录、未办结事项、钥匙和对讲机，双方签字；未交接清楚不得离岗。
三、热线制度：24小时热线专人值守，接听即登记，30分钟内答复处理安排，办结后回访。
四、钥匙保管制度：公共设施钥匙登记造册，专柜存放，借用登记、当日归还，遗失立即报告并更换。
五、安全制度：持证上岗；电工作业须持特种作业操作证并执行停电、验电、挂牌；遇火情先报警、再处置，保障人身安全第一。"""


def _user(username):
    return User.objects.filter(username=username).select_related("person").first()


def demo_station_seed(now=None) -> dict:
    community = Community.objects.filter(slug="guangming").first()
    team = Team.objects.filter(community=community, kind=Team.Kind.STATION).first() if community else None
    staff_user, head = _user("staff_guangming"), _user("station")
    if team is None or staff_user is None or head is None:
        return {}
    now = now or timezone.now()
    today = timezone.localdate(now)
    second = _user("station2")
    if second is not None:
        team_member_join(team=team, user=second)
        if not Backbone.objects.filter(team=team, user=second, term_end__isnull=True).exists():
            backbone_appoint(actor=staff_user, team=team, user=second, office=Backbone.Office.STATION_HEAD,
                             term_start=today - dt.timedelta(days=200))
    since = today - dt.timedelta(days=420)
    station_profile_save(actor=staff_user, community=community, employer_name="光明村村民委员会",
                         security_since=since, police_filing_number="沪公宝保备〔2025〕第0317号",
                         police_filed_on=since + dt.timedelta(days=12), now=now)
    rotas = {r.name: r for r in Rota.objects.filter(community=community)}
    posts = {}
    for kind, name, cert, security, rota_names, duties in POSTS:
        posts[kind], _ = post_ensure(actor=staff_user, community=community, kind=kind, name=name,
                                     certificate_kind=cert, security=security, duties=duties,
                                     rotas=[rotas[n] for n in rota_names if n in rotas])
    for username, (birth, post_kinds, certs) in STAFF.items():
        user = _user(username)
        person = getattr(user, "person", None) if user else None
        if person is None:
            continue
        for kind, number, issued_ago, valid_days in certs:
            certificate_record(actor=staff_user, community=community, person=person, kind=kind, number=number,
                               issued_on=today - dt.timedelta(days=issued_ago),
                               expires_on=today + dt.timedelta(days=valid_days), issued_by="上海市公安局宝山分局"
                               if kind == C.GUARD else "上海市应急管理局", now=now)
        for kind in post_kinds:
            staff_post_assign(actor=staff_user, post=posts[kind], person=person, since=since, now=now, birth=birth)
    recruit = _recruit(community, staff_user, posts[P.GATE], now)
    _training(community, head, recruit, now)
    _rules(community, head)
    return {"posts": len(posts), "recruit": recruit.pk if recruit else None}


def _recruit(community, actor, post, now):
    villager = _user("villager")
    person = getattr(villager, "person", None) if villager else None
    if person is None:
        return None
    outcome = recruit_apply(actor=actor, community=community, person=person, post=post,
                            birth_date=None if person.birth_date else dt.date(1994, 5, 1),
                            note="村民自荐，退伍军人。", now=now - dt.timedelta(days=6))
    if outcome.obj.status == Recruit.Status.APPLIED:
        recruit_start_training(recruit_id=outcome.obj.pk, actor=actor, now=now - dt.timedelta(days=5))
    return outcome.obj


def _training(community, head, recruit, now):
    topic = "保安员岗前培训：巡逻与门岗规范"
    session = TrainingSession.objects.filter(community=community, topic=topic).first()
    if session is None:
        starts = timezone.localtime(now - dt.timedelta(days=2)).replace(hour=14, minute=0, second=0, microsecond=0)
        session = training_session_create(actor=head, community=community, topic=topic, starts_at=starts,
                                          hours=3, trainer="宝山分局社区民警", place="村委会议室")
    people = [u.person for u in User.objects.filter(username__in=["station2", "station4", "station6"])
              .select_related("person") if getattr(u, "person", None)]
    if recruit is not None:
        people.append(recruit.person)
    training_attendance_record(actor=head, session_id=session.pk, people=people,
                               present_ids={p.pk for p in people})


def _rules(community, head):
    if document_current(community=community, kind=KIND) is None:
        version = document_draft(actor=head, community=community, kind=KIND, title=RULES_TITLE, body=RULES_BODY)
        document_adopt(actor=head, version_id=version.pk)
    for username in ("station", "station2", "station3", "station4", "station5"):  # 姚根宝 (station6) not yet
        user = _user(username)
        if user is not None:
            document_acknowledge(actor=user, community=community, kind=KIND)
