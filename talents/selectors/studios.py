"""Reads of the studios: which communities and studios a user sees, the hub's cards, a studio's hosts and
followers, the share link's code, and what a studio may offer given its hosts' qualifications.

``may_offer`` is the one gate every area asks before it offers something in a studio's name (the classes,
the bookable services): it answers (allowed, the reason in Chinese when not)."""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import extensions, policy
from communities.models import Backbone, Team, TeamMember, User
from communities.selectors.teams import open_memberships

from ..models import HostQualification, Studio

APP_LABEL = "talents"
HOST = Backbone.Office.STUDIO_HOST
LAPSING_DAYS = 30  # a background check that lapses within this many days is shown, and staff are reminded

# --- communities and studios ------------------------------------------------------------------------------


def hub_communities(*, user, action: str = "talents.hub") -> QuerySet:
    """The communities this app serves (``CommunityApp``) in which ``user`` may do ``action``, by name."""
    return policy.communities_for(user, action).filter(apps__app_label=APP_LABEL).order_by("name")


def served_for(*, user, action: str = "talents.hub") -> bool:
    """``hub_communities(...).exists()`` for every page's menu, from the facts loaded once per request."""
    served = extensions.served_community_ids(APP_LABEL, user=user)
    allowed = policy.community_ids_for(user, action)
    return bool(served) if allowed is None else not served.isdisjoint(allowed)


def _current_hosts() -> Prefetch:
    return Prefetch("team__backbones", to_attr="hosts",
                    queryset=Backbone.objects.filter(office=HOST, term_end__isnull=True)
                    .select_related("user__person").order_by("term_start", "id"))


def _with_followers(qs: QuerySet) -> QuerySet:
    count = (open_memberships().filter(team_id=OuterRef("team_id")).order_by().values("team_id")
             .annotate(n=Count("id")).values("n"))
    return qs.annotate(follower_count=Coalesce(Subquery(count), 0))


def hub_studios(*, community) -> list[Studio]:
    """The community's studios as the hub shows them: hosts, follower count and the first photo (3 queries)."""
    qs = Studio.objects.filter(team__community=community).select_related("team")
    return list(_with_followers(qs).prefetch_related(_current_hosts(), "photos").order_by("team__name"))


def studios_hosted_by(*, user, community) -> list[Studio]:
    """The studios of ``community`` whose host ``user`` is today."""
    return list(Studio.objects.filter(team__community=community, team__backbones__user=user,
                                      team__backbones__office=HOST, team__backbones__term_end__isnull=True)
                .select_related("team").distinct().order_by("team__name"))


def studio_for(*, user, slug: str, action: str = "talents.studio.view") -> Studio:
    """The studio ``slug`` for ``action``: 404 where this app does not serve its community or the user is no
    member of it, 403 for a member without the right (another studio's host editing this one)."""
    qs = (Studio.objects.filter(team__community__apps__app_label=APP_LABEL)
          .select_related("team__community"))
    return policy.get_object_or_404_for(user, action, qs, slug=slug)


def studio_detail(*, studio: Studio) -> Studio:
    """The studio with its hosts, follower count and photos loaded (for its page)."""
    qs = Studio.objects.filter(pk=studio.pk).select_related("team__community")
    return _with_followers(qs).prefetch_related(_current_hosts(), "photos").get()


def is_host(*, studio: Studio, user) -> bool:
    return user.is_authenticated and any(h.user_id == user.pk for h in _hosts(studio))


def is_following(*, studio: Studio, user) -> bool:
    return user.is_authenticated and open_memberships(studio.team).filter(user_id=user.pk).exists()


def followers(*, studio: Studio) -> list[TeamMember]:
    """The studio's followers (open memberships of active accounts), newest first, with who invited them."""
    return list(open_memberships(studio.team).select_related("user__person", "invited_by__person")
                .order_by("-joined_at", "-id"))


def _hosts(studio: Studio) -> list[Backbone]:
    hosts = getattr(studio.team, "hosts", None)
    if hosts is None:
        hosts = list(Backbone.objects.filter(team_id=studio.team_id, office=HOST, term_end__isnull=True)
                     .select_related("user__person").order_by("term_start", "id"))
        studio.team.hosts = hosts
    return hosts


# --- the host's share link (?invited_by=<code>) -------------------------------------------------------------

INVITE_SALT = "talents.studio.invite"


def invite_code(*, studio: Studio, host) -> str:
    """The code of ``host``'s share link for ``studio``: their id and a keyed hash, so nobody can make up
    someone else's (a follower's ``invited_by`` counts for the host: it is never guessed)."""
    digest = salted_hmac(INVITE_SALT, f"{studio.pk}:{host.pk}").hexdigest()[:16]
    return f"{host.pk}-{digest}"


def inviter_of(*, studio: Studio, code: str) -> User | None:
    """The host whose share link ``code`` is, if it is genuine and they host the studio today; else None."""
    host_id, dash, digest = (code or "").strip().partition("-")
    if not (dash and host_id.isdigit() and digest):
        return None
    if not constant_time_compare(invite_code(studio=studio, host=User(pk=int(host_id))), code.strip()):
        return None
    row = next((h for h in _hosts(studio) if h.user_id == int(host_id)), None)
    return row.user if row is not None and row.user.is_active else None


# --- what a studio may offer --------------------------------------------------------------------------------

OFFERS = ("talk", "treatment", "class", "children", "livestream", "service")
OFFER_LABELS = {
    "talk": gettext_lazy("讲座与示范"), "treatment": gettext_lazy("针灸治疗"), "class": gettext_lazy("课程"),
    "children": gettext_lazy("面向儿童的活动"), "livestream": gettext_lazy("直播"), "service": gettext_lazy("预约服务"),
}
# What each kind of studio shows on its page (the other offers are still answered by may_offer).
OFFERS_SHOWN = {
    Studio.TalentKind.ACUPUNCTURE: ("talk", "treatment", "class"),
    Studio.TalentKind.LIVESTREAM: ("livestream", "class"),
    Studio.TalentKind.PHOTOGRAPHY: ("service", "class", "children"),
}
DEFAULT_SHOWN = ("class", "children", "talk")


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass
class _Facts:
    hosts: list = field(default_factory=list)          # current host Backbone rows, with user__person
    qualifications: list = field(default_factory=list)  # the studio's HostQualification rows

    def current(self, host_id: int, kind: str, on: dt.date) -> HostQualification | None:
        """The newest check of ``kind`` for the host that is in force on ``on`` (checked by then, not expired)."""
        rows = [q for q in self.qualifications if q.host_id == host_id and q.kind == kind and q.checked_on <= on
                and (q.expires_on is None or q.expires_on > on)]
        return max(rows, key=lambda q: (q.checked_on, q.pk), default=None)


def _facts(studio: Studio) -> _Facts:
    quals = getattr(studio, "_qualifications", None)
    if quals is None:
        quals = list(HostQualification.objects.filter(studio_id=studio.pk))
        studio._qualifications = quals
    return _Facts(hosts=_hosts(studio), qualifications=quals)


def _name(host: Backbone) -> str:
    return host.user.display_name()


def _decide(facts: _Facts, offer: str, on: dt.date) -> tuple[bool, str]:
    Kind = HostQualification.Kind
    if offer not in OFFERS:
        raise ValueError(f"may_offer: unknown offer {offer!r} (one of {', '.join(OFFERS)})")
    if offer in ("talk", "class", "service"):
        return True, ""
    if not facts.hosts:
        return False, _("这个工作室还没有现任主理人。")
    if offer == "treatment":
        if any(facts.current(h.user_id, Kind.PHYSICIAN, on) for h in facts.hosts):
            return True, ""
        return False, _("没有登记在案的中医医师资格：依《中医药法》第十五条，针灸治疗须由取得医师资格的人员进行，"
                        "本工作室只能开展讲座和示范。")
    if offer == "children":
        missing = [_name(h) for h in facts.hosts if facts.current(h.user_id, Kind.BACKGROUND, on) is None]
        if missing:
            return False, _("%(names)s 没有一年内的背景核查记录：依《未成年人保护法》第六十二条，与儿童密切接触的人员"
                            "须在上岗前和每年接受核查。") % {"names": "、".join(missing)}
        return True, ""
    # livestream: every host is at least 16, at 16–17 with a guardian's consent.
    for host in facts.hosts:
        check = facts.current(host.user_id, Kind.AGE, on)
        person = getattr(host.user, "person", None)
        born = (check.born_on if check and check.born_on else None) or getattr(person, "birth_date", None)
        if born is None:
            return False, _("%(name)s 没有年龄核验记录：直播主理人须年满十六周岁（《网络直播营销管理办法（试行）》）。") % {
                "name": _name(host)}
        age = age_on(born, on)
        if age < 16:
            return False, _("%(name)s 未满十六周岁，不能担任直播主理人（《网络直播营销管理办法（试行）》）。") % {
                "name": _name(host)}
        if age < 18 and not (check and check.guardian_consent):
            return False, _("%(name)s 未满十八周岁：须有监护人同意的记录才能直播（《网络直播营销管理办法（试行）》）。") % {
                "name": _name(host)}
    return True, ""


def may_offer(*, studio: Studio, offer: str, on: dt.date) -> tuple[bool, str]:
    """May ``studio`` offer ``offer`` ("talk", "treatment", "class", "children", "livestream", "service") on the
    day ``on``? (True, "") or (False, the reason in Chinese). Two queries at most, none when the studio's hosts
    and qualifications are loaded already (``studio_offers``)."""
    return _decide(_facts(studio), offer, on)


def studio_may_offer(studio: Studio, offer_kind: str, on: dt.date | None = None) -> bool:
    """``may_offer`` as a yes or no (today unless ``on``)."""
    return may_offer(studio=studio, offer=offer_kind, on=on or timezone.localdate())[0]


@dataclass(frozen=True)
class OfferStatus:
    offer: str
    label: str
    allowed: bool
    reason: str


def studio_offers(*, studio: Studio, on: dt.date) -> list[OfferStatus]:
    """What the studio page lists under 可以提供, with the reason beside what it may not offer."""
    facts = _facts(studio)
    shown = OFFERS_SHOWN.get(studio.talent_kind, DEFAULT_SHOWN)
    return [OfferStatus(offer, str(OFFER_LABELS[offer]), *_decide(facts, offer, on)) for offer in shown]


# --- qualifications (staff) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualificationRow:
    row: HostQualification
    state: str  # "current", "lapsing", "lapsed", "superseded"
    days_left: int | None


def _state(row: HostQualification, newest: dict, on: dt.date) -> tuple[str, int | None]:
    if newest.get((row.studio_id, row.host_id, row.kind)) != row.pk:
        return "superseded", None
    if row.expires_on is None:
        return "current", None
    days = (row.expires_on - on).days
    if days <= 0:
        return "lapsed", days
    return ("lapsing" if days <= LAPSING_DAYS else "current"), days


def qualification_rows(*, user, community, on: dt.date) -> list[QualificationRow]:
    """The community's host qualifications, lapsed and lapsing first (2 queries whatever their number)."""
    qs = policy.scope(user, "talents.qualification.manage", HostQualification.objects.filter(
        studio__team__community=community)).select_related("studio__team", "host__person", "checked_by__person")
    rows = list(qs)
    newest: dict = {}
    for row in sorted(rows, key=lambda q: (q.checked_on, q.pk)):
        newest[(row.studio_id, row.host_id, row.kind)] = row.pk
    order = {"lapsed": 0, "lapsing": 1, "current": 2, "superseded": 3}
    out = [QualificationRow(row, *_state(row, newest, on)) for row in rows]
    return sorted(out, key=lambda r: (order[r.state], r.row.studio.team.name, r.row.kind,
                                      -r.row.checked_on.toordinal()))


def background_checks_due(*, on: dt.date) -> QuerySet:
    """The background checks that have lapsed or lapse within LAPSING_DAYS of ``on``, not reminded yet, and not
    superseded by a newer check of the same host for the same studio (the task reminds staff once each)."""
    newer = HostQualification.objects.filter(
        studio_id=OuterRef("studio_id"), host_id=OuterRef("host_id"), kind=HostQualification.Kind.BACKGROUND,
    ).filter(Q(checked_on__gt=OuterRef("checked_on")) | Q(checked_on=OuterRef("checked_on"), pk__gt=OuterRef("pk")))
    return (HostQualification.objects.filter(kind=HostQualification.Kind.BACKGROUND, reminded_at__isnull=True,
                                             expires_on__lte=on + dt.timedelta(days=LAPSING_DAYS))
            .exclude(Exists(newer)).order_by("expires_on", "id"))


def studios_for_staff(*, user, community) -> QuerySet:
    """The community's studios ``user`` may record qualifications for (the staff form's choices)."""
    qs = Studio.objects.filter(team__community=community).select_related("team__community")
    return policy.scope(user, "talents.qualification.manage", qs).order_by("team__name")



def current_hosts_of(*, community) -> list[Backbone]:
    """Every current host of the community's studios (the qualification form's choices), by name."""
    return list(Backbone.objects.filter(team__community=community, team__kind=Team.Kind.STUDIO, office=HOST,
                                        term_end__isnull=True, team__studio__isnull=False)
                .select_related("user__person", "team").order_by("team__name", "term_start", "id"))


def studio_services_open(*, studio: Studio) -> list:
    """The studio's services open for booking, for its page (one query)."""
    return list(studio.services.filter(active=True).order_by("title"))
