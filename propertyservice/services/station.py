"""Changes to the station and its people: the employer's police filing, the posts, who holds them, and the
certificates that feed the core rota qualifications. Keyword-only; each runs in a transaction, checks the
actor, and returns ``changed=False`` when a repeat changes nothing."""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities import policy
from communities.models import Community, Membership, Person, Qualification
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.services.rota_qualifications import qualification_create, qualification_grant
from communities.services.teams import team_member_join
from communities.services.texts import deferred

from ..models import ADULT_AGE, Certificate, CertificateKind, Recruit, StaffPost, StationPost, StationProfile
from ..selectors.station import lapsing_q, person_url, station_head_users, station_team

MANAGE = "propertyservice.station.manage"
AGE_RULE = _("《保安服务管理条例》第十六条：保安员应年满18周岁。")
GUARD_RULE = _("《保安服务管理条例》第十六条：保安员须持保安员证上岗。")
ELECTRICIAN_RULE = _("《安全生产法》第三十条：特种作业人员须取得特种作业操作证方可上岗作业。")
FILING_RULE = _("《保安服务管理条例》第十三条：自行招用保安员的单位，应自开始保安服务之日起30日内向所在地公安机关备案。")
RULES_RULE = _("《保安服务管理条例》第四条：保安从业单位应当建立健全保安服务管理制度、岗位责任制度和保安员管理制度。")
RULE_OF = {CertificateKind.GUARD: GUARD_RULE, CertificateKind.ELECTRICIAN: ELECTRICIAN_RULE}


def _check(actor, obj) -> None:
    if not policy.can(actor, MANAGE, obj):
        raise PermissionDenied


def _today(now) -> dt.date:
    return timezone.localdate(now or timezone.now())


# --- the employer of record --------------------------------------------------------------------------------

def station_profile_save(*, actor, community, employer_name: str, security_since: dt.date | None,
                         police_filing_number: str, police_filed_on: dt.date | None, now=None) -> StationProfile:
    """The village committee as employer of record and its police filing (备案编号, 备案日期)."""
    _check(actor, community)
    now = now or timezone.now()
    employer_name = " ".join((employer_name or "").split())
    if not employer_name:
        raise DomainError(_("请填写用人单位。"), code="employer")
    number = (police_filing_number or "").strip()
    if bool(number) != bool(police_filed_on):
        raise DomainError(_("备案编号和备案日期要一起填写。"), code="filing")
    if police_filed_on and police_filed_on > _today(now):
        raise DomainError(_("备案日期不能晚于今天。"), code="date")
    with transaction.atomic():
        # The community row orders two first saves (NO KEY: other rows may still point at it).
        Community.objects.select_for_update(no_key=True).filter(pk=community.pk).first()
        profile, created = StationProfile.objects.select_for_update().get_or_create(community=community)
        same = (profile.employer_name, profile.security_since, profile.police_filing_number,
                profile.police_filed_on) == (employer_name, security_since, number, police_filed_on)
        if same and not created:
            return profile  # saved twice (a double click, the demo run again): nothing changed, nothing audited
        profile.employer_name, profile.security_since = employer_name, security_since
        profile.police_filing_number, profile.police_filed_on = number, police_filed_on
        profile.updated_by, profile.updated_at = actor, now
        profile.save()
        audit(actor=actor, action="propertyservice.station_profile", community=community,
              filing=number, filed_on=police_filed_on.isoformat() if police_filed_on else None)
    return profile


# --- posts -------------------------------------------------------------------------------------------------

def post_ensure(*, actor, community, kind: str, name: str, certificate_kind: str = "", security: bool = False,
                rotas=(), duties: str = "") -> tuple[StationPost, bool]:
    """A post of the station (one per kind). Its core qualification is the one its rotas require or, for a
    post that needs a certificate and whose rotas require none, a qualification named after the
    certificate."""
    _check(actor, community)
    rotas = list(rotas)
    with transaction.atomic():
        post = StationPost.objects.select_for_update().filter(community=community, kind=kind).first()
        if post is not None:
            return post, False
        qualification = None
        if certificate_kind:
            required = {r.required_qualification_id for r in rotas if r.required_qualification_id}
            if len(required) == 1:
                qualification = Qualification.objects.get(pk=required.pop())
            else:
                qualification, _made = qualification_create(
                    actor=actor, community=community, name=str(CertificateKind(certificate_kind).label))
        post = StationPost.objects.create(community=community, kind=kind, name=name, duties=duties,
                                          certificate_kind=certificate_kind, security=security,
                                          qualification=qualification)
        post.rotas.set(rotas)
        audit(actor=actor, action="propertyservice.post_create", community=community, post=post.pk, kind=kind)
    return post, True


# --- age (保安员年满18周岁) -----------------------------------------------------------------------------------

def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_date_of(person: Person, *, community) -> dt.date | None:
    """The core person's birth date, else the one given on their latest application here, else the one a
    post was assigned on."""
    if person.birth_date:
        return person.birth_date
    return (Recruit.objects.filter(community=community, person=person, birth_date__isnull=False)
            .order_by("-created_at").values_list("birth_date", flat=True).first()
            or StaffPost.objects.filter(community=community, person=person, birth_date__isnull=False)
            .order_by("-since", "-id").values_list("birth_date", flat=True).first())


def security_age_check(*, post: StationPost, birth: dt.date | None, day: dt.date) -> None:
    """Refuse a security post to anyone under 18, or whose age is not known (the rule cited)."""
    if not post.security:
        return
    if birth is None:
        raise DomainError(deferred(_("保安岗位须核实年龄，请先登记出生日期。%(rule)s"), rule=AGE_RULE), code="age")
    if age_on(birth, day) < ADULT_AGE:
        raise DomainError(deferred(_("未满18周岁，不能安排保安岗位。%(rule)s"), rule=AGE_RULE), code="age")


def certificate_check(*, post: StationPost, person: Person, day: dt.date) -> None:
    """Refuse a post that needs a certificate to someone without a valid one (the rule cited)."""
    if not post.certificate_kind:
        return
    held = Certificate.objects.filter(community_id=post.community_id, person=person,
                                      kind=post.certificate_kind).first()
    if held is None or (held.expires_on is not None and held.expires_on < day):
        raise DomainError(deferred(_("“%(post)s”须持有效的%(cert)s。%(rule)s"), post=post.name,
                                   cert=CertificateKind(post.certificate_kind).label,
                                   rule=RULE_OF.get(post.certificate_kind, "")), code="certificate")


# --- who holds which post ----------------------------------------------------------------------------------

def staff_post_assign(*, actor, post: StationPost, person: Person, since: dt.date, now=None,
                      birth: dt.date | None = None) -> tuple[StaffPost, bool]:
    """``person`` holds ``post`` from ``since``: a security post needs 18 years and the guard certificate, an
    electrician's post the electrician's certificate. ``birth``: the birth date checked, when the core person
    has none (kept on the row). A repeat returns the current row."""
    _check(actor, post)
    if birth is not None and birth >= since:
        raise DomainError(_("出生日期不正确。"), code="birth")
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        current = StaffPost.objects.filter(post=post, person=person, until__isnull=True).first()
        if current is not None:
            return current, False
        birth = person.birth_date or birth or birth_date_of(person, community=post.community)
        security_age_check(post=post, birth=birth, day=since)
        certificate_check(post=post, person=person, day=since)
        row = StaffPost.objects.create(community_id=post.community_id, post=post, person=person, since=since,
                                       assigned_by=actor, birth_date=None if person.birth_date else birth)
        audit(actor=actor, action="propertyservice.staff_post_assign", community=post.community, post=post.pk,
              person=person.pk, since=since.isoformat())
        _join_station(post=post, person=person)
    return row, True


def _join_station(*, post: StationPost, person: Person) -> None:
    """Whoever holds a post is a member of the station team (the core's ``TeamMember``), so that committee staff
    can appoint them a head on the core's team page."""
    team = station_team(community=post.community)
    if team is not None and person.user_id is not None:
        team_member_join(team=team, user=person.user)


def staff_post_end(*, actor, staff_post_id: int, until: dt.date) -> bool:
    with transaction.atomic():
        row = StaffPost.objects.select_for_update(of=("self",)).select_related("post").filter(
            pk=staff_post_id).first()
        if row is None:
            return False
        _check(actor, row)
        if row.until is not None:
            return False
        if until < row.since:
            raise DomainError(_("离岗日期不能早于上岗日期。"), code="date")
        row.until = until
        row.save(update_fields=["until"])
        audit(actor=actor, action="propertyservice.staff_post_end", community=row.post.community, post=row.post_id,
              person=row.person_id)
    return True


# --- certificates ------------------------------------------------------------------------------------------

def _grant_posts(*, actor, certificate: Certificate, now) -> int:
    """Give the person the core qualification of every post needing this certificate, valid until it
    expires, so the rota engine takes or refuses them accordingly. A person without an account in the village
    (a recruit not yet signed up) has nothing to grant yet."""
    user_id = certificate.person.user_id
    if user_id is None or not Membership.objects.filter(community_id=certificate.community_id,
                                                        user_id=user_id).exists():
        return 0
    qualifications = Qualification.objects.filter(pk__in=StationPost.objects.filter(
        community_id=certificate.community_id, certificate_kind=certificate.kind,
        qualification__isnull=False).values("qualification_id"))
    granted = 0
    for qualification in qualifications:
        _held, changed = qualification_grant(actor=actor, qualification=qualification, user=certificate.person.user,
                                             expires_on=certificate.expires_on, now=now)
        granted += changed
    return granted


def certificate_record(*, actor, community, person: Person, kind: str, number: str, issued_on: dt.date,
                       expires_on: dt.date | None, issued_by: str, now=None) -> tuple[Certificate, bool]:
    """Record (or renew: one row per person and kind) a certificate, and feed the core qualification."""
    _check(actor, community)
    now = now or timezone.now()
    today = _today(now)
    number, issued_by = (number or "").strip(), " ".join((issued_by or "").split())
    if kind not in CertificateKind.values:
        raise DomainError(_("请选择证书。"), code="kind")
    if not number or not issued_by:
        raise DomainError(_("请填写证书编号和发证机关。"), code="required")
    if issued_on > today:
        raise DomainError(_("发证日期不能晚于今天。"), code="date")
    if expires_on is not None and expires_on < issued_on:
        raise DomainError(_("有效期不能早于发证日期。"), code="date")
    if expires_on is not None and expires_on < today:
        raise DomainError(_("这张证书已过期，请登记换发后的新证。"), code="expired")
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        cert = Certificate.objects.filter(community=community, person=person, kind=kind).first()
        fields = {"number": number, "issued_on": issued_on, "expires_on": expires_on, "issued_by": issued_by}
        if cert is not None and all(getattr(cert, k) == v for k, v in fields.items()):
            return cert, False
        if cert is None:
            cert = Certificate.objects.create(community=community, person=person, kind=kind, recorded_by=actor,
                                              recorded_at=now, **fields)
        else:
            for key, value in fields.items():
                setattr(cert, key, value)
            cert.recorded_by, cert.recorded_at = actor, now
            cert.save(update_fields=[*fields, "recorded_by", "recorded_at"])
        audit(actor=actor, action="propertyservice.certificate_record", community=community, person=person.pk,
              kind=kind, expires_on=expires_on.isoformat() if expires_on else None)
        _grant_posts(actor=actor, certificate=cert, now=now)
    return cert, True


def certificate_alert(*, certificate_id: int, now=None) -> bool:
    """Tell the heads a month ahead that a certificate lapses; once per certificate per expiry (the conditional
    update claims it, so two workers never both send)."""
    today = _today(now)
    with transaction.atomic():
        claimed = (Certificate.objects.filter(pk=certificate_id).filter(lapsing_q(today=today))
                   .exclude(alerted_expiry=F("expires_on")).update(alerted_expiry=F("expires_on")))
        if claimed != 1:
            return False
        cert = Certificate.objects.select_related("person", "community").get(pk=certificate_id)
        for head in station_head_users(community=cert.community):
            notify(recipient=head, title=deferred(_("%(name)s的%(cert)s将于%(date)s到期"), name=cert.person.name,
                                                  cert=cert.get_kind_display(), date=cert.expires_on.isoformat()),
                   body=deferred(_("请提醒持证人及时换证；证书过期后，排班将不再安排其相应岗位。")),
                   url=person_url(cert.person, cert.community))
    return True


def certificate_alerts_due(*, now=None) -> list[int]:
    today = _today(now)
    return list(Certificate.objects.filter(lapsing_q(today=today)).exclude(alerted_expiry=F("expires_on"))
                .values_list("pk", flat=True))
