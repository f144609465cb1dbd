"""Demo data for 郡园's classes, after the core demo (seed_demo): a FULL children's calligraphy class (公益课) of
墨香 with a waitlist of grandparents and grandchildren, an elders' calligraphy class, and a trial class (体验课) of
香荟 with a posted fee and its partner merchant (美兰湖茶饮, from the studios demo); the classes book the core
demo's rooms session by session.

The studios it needs (墨香 moxiang, 书香 shuxiang, 香荟 xianghui) are found by slug, or made here with the core team
(kind studio) so that this seeder stands on its own; the studios area's seeder uses the same slugs. A studio
without a host in office gets the ``talent`` login as its 主理人. The grandparents are 郡园 demo residents given a
login (``jy_gran1`` … ``jy_gran6``, password settings.DEMO_PASSWORD). Classes are written directly (not through
the host's service, whose qualification gate is the studios area's demo to satisfy); enrolments go through the
real services, so the waitlist is what the rules make it. A second run creates nothing.
"""
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from communities.models import Backbone, Community, CommunityApp, Membership, Person, Role, Room, Team, User

from ..models import Guardianship, Merchant, Studio, TalentClass
from ..services.children import child_add
from ..services.enrolment import enrolment_request
from ..services.sessions import class_sessions_generate

STUDIOS = (("moxiang", "墨香工作室", Studio.TalentKind.CALLIGRAPHY, "以书会友，笔墨传家"),
           ("shuxiang", "书香工作室", Studio.TalentKind.READING, "绘本共读，书香满园"),
           ("xianghui", "香荟工作室", Studio.TalentKind.AROMA, "香道雅集，生活美学"))
KIDS_CLASS, ELDERS_CLASS, TRIAL_CLASS = "少儿书法公益班", "长者书法班", "香道体验课"
# (username, children (name, birth year, month), the grandparent takes a seat too)
GRANDPARENTS = (
    ("jy_gran1", (("乐乐", 2017, 4), ("豆豆", 2019, 9)), True),
    ("jy_gran2", (("朵朵", 2018, 2), ("果果", 2018, 11)), False),
    ("jy_gran3", (("小宇", 2016, 6),), True),
    ("jy_gran4", (("安安", 2019, 1),), False),
    ("jy_gran5", (("糖糖", 2018, 7), ("多多", 2020, 3)), False),  # waits: two seats, none left
    ("jy_gran6", (("天天", 2017, 12),), False),  # waits behind
)


def _studio(community: Community, slug: str, name: str, kind: str, tagline: str, host: User) -> Studio:
    studio = Studio.objects.filter(slug=slug).select_related("team").first()
    if studio is None:
        team, _ = Team.objects.get_or_create(community=community, name=name, defaults={"kind": Team.Kind.STUDIO})
        studio = Studio.objects.create(team=team, slug=slug, talent_kind=kind, tagline=tagline)
    if not Backbone.objects.filter(team=studio.team, office=Backbone.Office.STUDIO_HOST, term_end__isnull=True).exists():
        Backbone.objects.create(team=studio.team, user=host, office=Backbone.Office.STUDIO_HOST,
                                term_start=timezone.localdate() - dt.timedelta(days=365),
                                source=Backbone.Source.APPOINTED, appointed_by=host)
    return studio


def _organiser(studio: Studio) -> User:
    term = (Backbone.objects.filter(team=studio.team, office=Backbone.Office.STUDIO_HOST, term_end__isnull=True)
            .select_related("user").order_by("term_start", "pk").first())
    return term.user


def _next(weekday: int, at: dt.time) -> dt.datetime:
    today = timezone.localdate()
    day = today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)
    return timezone.make_aware(dt.datetime.combine(day, at))


def _class(studio: Studio, title: str, **fields) -> tuple[TalentClass, bool]:
    found = TalentClass.objects.filter(studio=studio, title=title).first()
    if found is not None:
        return found, False
    organiser = _organiser(studio)
    talent_class = TalentClass.objects.create(studio=studio, title=title, organiser=organiser,
                                              status=TalentClass.Status.OPEN, **fields)
    talent_class.teachers.set([organiser])
    class_sessions_generate(talent_class=talent_class)
    return talent_class, True


def _grandparent(community: Community, username: str, person: Person, password_hash: str) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"password": password_hash,
                                                                      "email": f"{username}@demo.invalid"})
    if not Person.objects.filter(user=user).exists():
        person.user = user
        person.save(update_fields=["user"])
    Membership.objects.get_or_create(user=user, community=community, role=Role.RESIDENT)
    return user


def _free_residents(community: Community, n: int) -> list[Person]:
    return list(Person.objects.filter(user__isnull=True, residencies__moved_out__isnull=True,
                                      residencies__unit__building__community=community, residencies__relation="owner")
                .order_by("pk")[:n])


def demo_classes_seed() -> dict:
    """What it did: classes created, grandparents given logins, children registered, entries made."""
    community = Community.objects.get(slug="junyuan")
    talent = User.objects.get(username="talent")
    made = {"classes": 0, "grandparents": 0, "children": 0, "entries": 0}
    with transaction.atomic():
        CommunityApp.objects.get_or_create(community=community, app_label="talents")
        studios = {slug: _studio(community, slug, name, kind, tagline, talent) for slug, name, kind, tagline in STUDIOS}
        now = timezone.now()
        rooms = {room.name: room for room in Room.objects.filter(community=community)}  # the core demo's rooms
        merchant = Merchant.objects.filter(community=community, name="美兰湖茶饮").first()  # the studios demo's
        kids, created = _class(
            studios["moxiang"], KIDS_CLASS, audience=TalentClass.Audience.CHILDREN, age_min=6, age_max=12, capacity=8,
            rrule="FREQ=WEEKLY;BYDAY=SA", first_starts_at=_next(5, dt.time(9, 30)), duration_minutes=90,
            place="党群服务中心一楼 墨香书法室", room=rooms.get("墨香书法室"), kind=TalentClass.Kind.FREE,
            opens_at=now - dt.timedelta(days=14),
            description="毛笔字入门：握笔、坐姿、基本笔画。孩子由祖辈或父母陪同，家长可一起报名陪读。")
        made["classes"] += created
        elders, created = _class(
            studios["moxiang"], ELDERS_CLASS, audience=TalentClass.Audience.ELDERS, age_min=60, capacity=15,
            rrule="FREQ=WEEKLY;BYDAY=TU,TH", first_starts_at=_next(1, dt.time(14, 0)), duration_minutes=120,
            place="党群服务中心一楼 墨香书法室", room=rooms.get("墨香书法室"), kind=TalentClass.Kind.FREE,
            opens_at=now - dt.timedelta(days=30),
            description="楷书临帖，每周两次，笔墨纸砚工作室提供。")
        made["classes"] += created
        _trial, created = _class(
            studios["xianghui"], TRIAL_CLASS, audience=TalentClass.Audience.EVERYONE, capacity=10,
            rrule="FREQ=WEEKLY;BYDAY=SU", first_starts_at=_next(6, dt.time(15, 0)), duration_minutes=90,
            place="党群服务中心二楼 多功能厅", room=rooms.get("多功能厅"), partner_merchant=merchant,
            kind=TalentClass.Kind.TRIAL, fee=Decimal("29.90"),
            fee_includes="香料和香具使用，做一个手作香囊带走。", opens_at=now - dt.timedelta(days=7),
            description="与周边香品店合作的体验课：认识香材、动手做香囊。")
        made["classes"] += created
        if not kids.enrolments.exists():
            made.update(_waitlist(community, kids, elders))
    return made


def _waitlist(community: Community, kids: TalentClass, elders: TalentClass) -> dict:
    password_hash = make_password(settings.DEMO_PASSWORD)
    people = _free_residents(community, len(GRANDPARENTS))
    made = {"grandparents": 0, "children": 0, "entries": 0}
    for (username, children, with_self), person in zip(GRANDPARENTS, people):
        user = _grandparent(community, username, person, password_hash)
        made["grandparents"] += 1
        child_ids = list(Guardianship.objects.filter(guardian=user).values_list("child_id", flat=True))
        for i, (name, year, month) in enumerate(children[len(child_ids):], start=len(child_ids)):
            link = child_add(guardian=user, community=community, name=name, birth_year=year, birth_month=month,
                             relation=Guardianship.Relation.GRANDPARENT, pickup_phone=f"1391688{user.pk % 1000:03d}{i}",
                             consent=True)
            child_ids.append(link.child_id)
            made["children"] += 1
        seats = ([user.person.pk] if with_self else []) + child_ids
        enrolment_request(talent_class=kids, actor=user, person_ids=seats)
        made["entries"] += 1
        if with_self:
            enrolment_request(talent_class=elders, actor=user, person_ids=[user.person.pk])
            made["entries"] += 1
    return made
