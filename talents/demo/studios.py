"""郡园's studios in the demo: the app serves 郡园居民区 (the ``CommunityApp`` row), the seven studios of the seed
(香荟, 墨香, 书香, 针灸, 空手道, 直播, 摄影) with their hosts and followers, the hosts' qualifications, and a partner
merchant by 美兰湖 with two referrals. Idempotent: what exists is left alone.

- The ``talent`` login hosts 墨香 (calligraphy); the other hosts get logins ``host_<slug>`` with the demo
  password (settings.DEMO_PASSWORD), each claiming a 郡园 owner who has none, as the core demo does.
- Followers: residents of 郡园 with a login of their own (an unusable password); some came through a host's
  share link, so their ``invited_by`` names the host.
- Qualifications, checked by ``staff_junyuan``: background checks for the hosts of 墨香 (recent), 空手道 and
  书香 (this one lapses within the month, so the reminder and the list's highlight have something to show),
  an age check for the live-stream host. 针灸 has no physician record on purpose: its page shows that it gives
  talks and demonstrations only, citing 《中医药法》第十五条.
"""
import datetime as dt
import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from communities.models import Community, CommunityApp, Membership, Person, Residency, Role, User
from communities.selectors.places import users_with_role
from communities.services.teams import team_member_join

from ..models import HostQualification, Merchant, Studio
from ..services.merchants import merchant_referral_record
from ..services.studios import qualification_record, studio_create

SLUG = "junyuan"
EMAIL_DOMAIN = "demo.luodian.local"
PHONE_SERIAL_FROM = 500  # demo phones 1390 0000500… for people this seeder has to create (none after seed_demo)
FOLLOWERS = 14


@dataclass(frozen=True)
class DemoStudio:
    name: str
    slug: str
    kind: str
    host: str  # login
    tagline: str
    description: str


K = Studio.TalentKind
DEMO_STUDIOS = (
    DemoStudio("香荟工作室", "xianghui", K.AROMA, "host_xianghui", "以香会友：传统香道体验",
               "每月两次香道体验，讲香料的来历和制香的步骤。地点：党群服务中心二楼香荟工作室。"),
    DemoStudio("墨香工作室", "moxiang", K.CALLIGRAPHY, "talent", "免费书法课：长者班和少儿班",
               "周二下午长者书法班，周六上午少儿书法班（家长陪同）。笔墨纸砚工作室备好，不收任何费用。"),
    DemoStudio("书香工作室", "shuxiang", K.READING, "host_shuxiang", "绘本共读与作业辅导",
               "宝妈志愿者轮流带孩子读绘本、辅导作业；大人的读书会每月一次。"),
    DemoStudio("针灸工作室", "zhenjiu", K.ACUPUNCTURE, "host_zhenjiu", "中医养生讲座与穴位示范",
               "讲四季养生和常用穴位，示范按揉手法。本工作室目前不提供针灸治疗。"),
    DemoStudio("空手道工作室", "kongshoudao", K.KARATE, "host_karate", "强身健体：少儿和成人空手道",
               "基本功、礼仪和防身。每堂课前热身，佩戴护具，由主理人负责现场安全。"),
    DemoStudio("直播工作室", "zhibo", K.LIVESTREAM, "host_zhibo", "帮邻里达人把课程和活动推出去",
               "为各工作室的课程拍短视频、做直播预告，教长辈用手机看直播、防诈骗。"),
    DemoStudio("摄影工作室", "sheying", K.PHOTOGRAPHY, "host_sheying", "免费证件照和社区影像",
               "每月一次免费拍证件照（预约），记录社区活动。拍到人物的照片，发布前先征得本人同意。"),
)
# (studio slug, kind, days ago it was checked, number): relative to the day the demo is seeded.
QUALIFICATIONS = (
    ("moxiang", HostQualification.Kind.BACKGROUND, 60, "沪宝罗核字2026-031"),
    ("kongshoudao", HostQualification.Kind.BACKGROUND, 120, "沪宝罗核字2026-017"),
    ("shuxiang", HostQualification.Kind.BACKGROUND, 350, "沪宝罗核字2025-088"),
    ("zhibo", HostQualification.Kind.AGE, 30, ""),
)
ZHIBO_BORN = dt.date(2001, 3, 12)
MERCHANT = {"name": "美兰湖茶饮", "address": "罗店镇美兰湖路（郡园北门对面）", "contact_name": "陆老板",
            "phone": "13955550202",
            "offers": "与香荟工作室合办香道体验课：提供场地和一杯茶饮。价格由商户在店内明码标价，写明包含的内容；"
                      "费用在店内支付，平台不经手。"}


def _claimable_person(community, serial: int, name: str) -> Person:
    """A 郡园 owner without a login (as the core demo claims them), or a new person when there is none."""
    person = (Person.objects.filter(user__isnull=True, residencies__relation=Residency.Relation.OWNER,
                                    residencies__moved_out__isnull=True,
                                    residencies__unit__building__community=community)
              .order_by("id").first())
    if person is None:
        person, _created = Person.objects.get_or_create(phone=f"1390{PHONE_SERIAL_FROM + serial:07d}",
                                                        defaults={"name": name})
    return person


def _login(community, username: str, *, serial: int, roles, password_hash=None) -> User:
    defaults = {"email": f"{username}@{EMAIL_DOMAIN}"}
    if password_hash is not None:
        defaults["password"] = password_hash()
    user, created = User.objects.get_or_create(username=username, defaults=defaults)
    if created and password_hash is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not Person.objects.filter(user=user).exists():
        person = _claimable_person(community, serial, username)
        person.user = user
        person.save(update_fields=["user"])
    for role in roles:
        Membership.objects.get_or_create(user=user, community=community, role=role)
    return user


def _staff(community) -> User:
    return User.objects.filter(username="staff_junyuan").first() or users_with_role(community_id=community.pk).first()


def _studios(community, staff, today, password_hash) -> tuple[dict, int]:
    made, studios = 0, {}
    for serial, spec in enumerate(DEMO_STUDIOS):
        host = _login(community, spec.host, serial=serial, roles=(Role.TALENT, Role.RESIDENT),
                      password_hash=password_hash)
        studio = Studio.objects.filter(slug=spec.slug).select_related("team__community").first()
        if studio is None:
            studio = studio_create(actor=staff, community=community, name=spec.name, slug=spec.slug,
                                   talent_kind=spec.kind, tagline=spec.tagline, description=spec.description,
                                   hosts=[host], today=today)
            made += 1
        studios[spec.slug] = (studio, host)
    return studios, made


def _followers(community, studios) -> int:
    """Residents follow two or three studios each; every third came through the host's share link."""
    slugs, joined = list(studios), 0
    for i in range(FOLLOWERS):
        user = _login(community, f"junyuan-fan-{i + 1}", serial=len(DEMO_STUDIOS) + i, roles=(Role.RESIDENT,))
        for k in range(2 + i % 2):
            studio, host = studios[slugs[(i + 3 * k) % len(slugs)]]
            invited_by = host if (i + k) % 3 == 0 else None
            joined += team_member_join(team=studio.team, user=user, invited_by=invited_by)[1]
    return joined


def _qualifications(studios, staff, today) -> int:
    made = 0
    for slug, kind, days_ago, number in QUALIFICATIONS:
        studio, host = studios[slug]
        if HostQualification.objects.filter(studio=studio, host=host, kind=kind).exists():
            continue
        qualification_record(actor=staff, studio=studio, host=host, kind=kind, number=number,
                             checked_on=today - dt.timedelta(days=days_ago), today=today,
                             born_on=ZHIBO_BORN if kind == HostQualification.Kind.AGE else None,
                             notes="演示数据" if kind != HostQualification.Kind.AGE else "核验身份证，已年满十八周岁")
        made += 1
    return made


def _merchant(community, studios) -> tuple[int, int]:
    merchant, made = Merchant.objects.get_or_create(community=community, name=MERCHANT["name"], defaults=MERCHANT)
    studio, _host = studios["xianghui"]
    referred = 0
    for username in ("junyuan-fan-1", "junyuan-fan-2"):
        user = User.objects.get(username=username)
        referred += merchant_referral_record(merchant=merchant, source_kind="studio", source_id=studio.pk,
                                             user=user)[1]
    return int(made), referred


def demo_studios_seed(*, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    password_hash = functools.cache(lambda: make_password(settings.DEMO_PASSWORD))
    community = Community.objects.get(slug=SLUG)
    with transaction.atomic():
        _row, served = CommunityApp.objects.get_or_create(community=community, app_label="talents")
        staff = _staff(community)
        studios, made = _studios(community, staff, today, password_hash)
        followers = _followers(community, studios)
        qualifications = _qualifications(studios, staff, today)
        merchants, referrals = _merchant(community, studios)
    return {"served": int(served), "studios": made, "followers": followers, "qualifications": qualifications,
            "merchants": merchants, "referrals": referrals}
