"""Changes to the studios: following and leaving (the core's team membership), opening a studio and appointing
its hosts (the core's backbones), the host's edits and photos, the hosts' qualifications and the yearly
re-check reminder. Keyword-only; each runs in a transaction, checks the actor, and says when nothing changed."""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from communities import policy
from communities.models import Backbone, Membership, Role, Team, TeamMember, User
from communities.selectors.places import users_with_role
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.services.notifications import notify
from communities.services.photos import photo_process, photos_store
from communities.services.teams import backbone_appoint, team_member_join, team_member_leave
from communities.services.texts import deferred

from ..models import HostQualification, Studio, StudioPhoto
from ..selectors import studios as sel

MAX_STUDIO_PHOTOS = 12
RESERVED_SLUGS = {"new"}  # /talents/studios/new/ is the page that opens a studio


# --- following (关注) ------------------------------------------------------------------------------------


def studio_follow(*, studio: Studio, user: User, invite_code: str = "",
                  at: dt.datetime | None = None) -> tuple[TeamMember, bool]:
    """``user`` follows ``studio`` (an open ``TeamMember`` row of its team). ``invited_by`` is recorded only
    when ``invite_code`` is the genuine share link of one of the studio's hosts (never oneself); a repeat
    changes nothing and returns (the open row, False)."""
    if not policy.can(user, "talents.studio.follow", studio):
        raise PermissionDenied
    inviter = sel.inviter_of(studio=studio, code=invite_code) if invite_code else None
    if inviter is not None and inviter.pk == user.pk:
        inviter = None
    return team_member_join(team=studio.team, user=user, invited_by=inviter, at=at)


def studio_unfollow(*, studio: Studio, user: User, at: dt.datetime | None = None) -> bool:
    """``user`` stops following ``studio``; False when they did not follow it. A host stays a member of their
    own studio's team (a host is appointed among its members): they are told so, nothing changes."""
    if not policy.can(user, "talents.studio.follow", studio):
        raise PermissionDenied
    if Backbone.objects.filter(team_id=studio.team_id, user=user, term_end__isnull=True).exists():
        raise DomainError(_("您是这个工作室的主理人，不能取消关注。"), code="host")
    return team_member_leave(team=studio.team, user=user, at=at)


# --- opening a studio, appointing hosts (committee staff) ------------------------------------------------


def _member_of(user: User, community) -> bool:
    return Membership.objects.filter(user=user, community=community).exists()


def studio_host_appoint(*, actor: User, studio: Studio, user: User, today: dt.date) -> bool:
    """Committee staff make ``user`` (a member of the community) a host (主理人) of ``studio``: they follow
    the studio's team if they did not (no inviter) and take the office. False when they host it already."""
    if not policy.can(actor, "talents.studio.create", studio):
        raise PermissionDenied
    community = studio.team.community
    if not _member_of(user, community):
        raise DomainError(_("只能任命本社区的居民为主理人。"), code="stranger")
    with transaction.atomic():
        team_member_join(team=studio.team, user=user)
        _row, created = backbone_appoint(actor=actor, team=studio.team, user=user, office=Backbone.Office.STUDIO_HOST,
                                         term_start=today)
    return created


def studio_create(*, actor: User, community, name: str, slug: str, talent_kind: str, tagline: str = "",
                  description: str = "", hosts=(), today: dt.date) -> Studio:
    """Committee staff open a studio: its team (kind 达人工作室), its page, its first hosts. All or nothing."""
    if not policy.can(actor, "talents.studio.create", community):
        raise PermissionDenied
    slug = slug.strip().lower()
    if slug in RESERVED_SLUGS:
        raise DomainError(_("这个代号不能使用，请换一个。"), code="slug")
    if talent_kind not in Studio.TalentKind.values:
        raise DomainError(_("请选择才艺类别。"), code="kind")
    try:
        with transaction.atomic():
            if Team.objects.filter(community=community, name=name).exists():
                raise DomainError(_("本社区已有同名的团队或工作室。"), code="name")
            if Studio.objects.filter(slug=slug).exists():
                raise DomainError(_("代号已被使用，请换一个。"), code="slug")
            team = Team.objects.create(community=community, name=name, kind=Team.Kind.STUDIO)
            studio = Studio.objects.create(team=team, slug=slug, talent_kind=talent_kind, tagline=tagline,
                                           description=description)
            audit(actor=actor, action="talents.studio_create", community=community, studio=studio.pk, name=name)
            for host in hosts:
                studio_host_appoint(actor=actor, studio=studio, user=host, today=today)
    except IntegrityError:  # the same form sent twice at once: the other request made it
        raise DomainError(_("代号已被使用，请换一个。"), code="slug") from None
    return studio


# --- the host's page --------------------------------------------------------------------------------------


def studio_update(*, actor: User, studio: Studio, tagline: str, description: str) -> bool:
    """A host (or staff) changes the studio's tagline and description; False when nothing changed."""
    if not policy.can(actor, "talents.studio.manage", studio):
        raise PermissionDenied
    with transaction.atomic():
        row = Studio.objects.select_for_update().get(pk=studio.pk)
        if (row.tagline, row.description) == (tagline, description):
            return False
        row.tagline, row.description = tagline, description
        row.save(update_fields=["tagline", "description"])
        audit(actor=actor, action="talents.studio_update", community=studio.team.community, studio=row.pk)
    studio.tagline, studio.description = tagline, description
    return True


def studio_photo_add(*, actor: User, studio: Studio, upload) -> StudioPhoto:
    """Add a photo (checked and cleaned by the core's photo service) to the studio's page."""
    if not policy.can(actor, "talents.studio.manage", studio):
        raise PermissionDenied
    processed = photo_process(upload=upload)  # before the lock: decoding a photo takes a while
    with transaction.atomic():
        Studio.objects.select_for_update().get(pk=studio.pk)
        if StudioPhoto.objects.filter(studio=studio).count() >= MAX_STUDIO_PHOTOS:
            raise DomainError(_("最多 12 张照片：请先删除一张。"), code="photo_count")
        photo, = photos_store(photos=[StudioPhoto(studio=studio, uploaded_by=actor)], processed=[processed])
        audit(actor=actor, action="talents.studio_photo_add", community=studio.team.community,
              studio=studio.pk, photo=photo.pk)
    return photo


def studio_photo_remove(*, actor: User, studio: Studio, photo_id: int) -> bool:
    """Remove one of the studio's photos (row and file); False when it was gone already."""
    if not policy.can(actor, "talents.studio.manage", studio):
        raise PermissionDenied
    with transaction.atomic():
        photo = StudioPhoto.objects.select_for_update().filter(pk=photo_id, studio=studio).first()
        if photo is None:
            return False
        name, storage = photo.image.name, photo.image.storage
        photo.delete()
        audit(actor=actor, action="talents.studio_photo_remove", community=studio.team.community,
              studio=studio.pk, photo=photo_id)
        transaction.on_commit(lambda: storage.delete(name))
    return True


# --- qualifications (committee staff) ---------------------------------------------------------------------


def a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def qualification_record(*, actor: User, studio: Studio, host: User, kind: str, checked_on: dt.date, number: str = "",
                         notes: str = "", born_on: dt.date | None = None, guardian_consent: bool = False,
                         today: dt.date | None = None) -> HostQualification:
    """Committee staff record a check of one of the studio's hosts. A background check is good for a year
    (《未成年人保护法》art. 62); an age check needs the date of birth seen on the ID."""
    if not policy.can(actor, "talents.qualification.manage", studio):
        raise PermissionDenied
    today = today or timezone.localdate()
    if kind not in HostQualification.Kind.values:
        raise DomainError(_("请选择资质类别。"), code="kind")
    if checked_on > today:
        raise DomainError(_("核验日期不能晚于今天。"), code="checked_on")
    if not Backbone.objects.filter(team_id=studio.team_id, user=host, office=Backbone.Office.STUDIO_HOST,
                                   term_end__isnull=True).exists():
        raise DomainError(_("只能为这个工作室的现任主理人登记资质。"), code="host")
    if kind == HostQualification.Kind.AGE and born_on is None:
        raise DomainError(_("年龄核验须填写证件上的出生日期。"), code="born_on")
    if kind == HostQualification.Kind.PHYSICIAN and not number.strip():
        raise DomainError(_("医师资格须填写证书编号。"), code="number")
    expires_on = a_year_after(checked_on) if kind == HostQualification.Kind.BACKGROUND else None
    with transaction.atomic():
        row = HostQualification.objects.create(
            studio=studio, host=host, kind=kind, number=number.strip(), checked_on=checked_on, checked_by=actor,
            expires_on=expires_on, born_on=born_on if kind == HostQualification.Kind.AGE else None,
            guardian_consent=guardian_consent and kind == HostQualification.Kind.AGE, notes=notes)
        audit(actor=actor, action="talents.qualification_record", community=studio.team.community,
              studio=studio.pk, host=host.pk, kind=kind, qualification=row.pk)
    return row


LAPSED = _("主理人背景核查已过期：%(host)s（%(studio)s），%(date)s 到期，请尽快复核")
LAPSING = _("主理人背景核查即将到期：%(host)s（%(studio)s），%(date)s 到期，请安排复核")
REMINDER_BODY = _("依《未成年人保护法》第六十二条，与儿童密切接触的人员须每年核查一次。复核后在“主理人资质”登记新的核查记录。")


def background_check_remind(*, qualification_id: int, now: dt.datetime) -> int:
    """Tell the community's committee staff that one background check has lapsed or lapses soon: once per
    check (claimed by a conditional update of ``reminded_at``). Returns the number of staff told."""
    with transaction.atomic():
        if not HostQualification.objects.filter(pk=qualification_id, reminded_at__isnull=True).update(reminded_at=now):
            return 0
        row = HostQualification.objects.select_related("studio__team__community", "host__person").get(
            pk=qualification_id)
        community = row.studio.team.community
        template = LAPSED if row.expires_on <= timezone.localdate(now) else LAPSING
        title = deferred(template, host=row.host.display_name(), studio=row.studio.team.name,
                         date=f"{row.expires_on:%Y-%m-%d}")
        url = f"{reverse('talents:qualification_list')}?{urlencode({'community': community.slug})}"
        staff = list(users_with_role(community_id=community.pk, role=Role.COMMITTEE_STAFF))
        for user in staff:
            notify(recipient=user, title=title, body=REMINDER_BODY, url=url)
    return len(staff)


def background_check_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Every background check due for a reminder (lapsed, or lapsing within 30 days), once each."""
    now = now or timezone.now()
    ids = list(sel.background_checks_due(on=timezone.localdate(now)).values_list("pk", flat=True))
    return sum(background_check_remind(qualification_id=pk, now=now) for pk in ids)
