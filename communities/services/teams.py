"""Team membership and backbones: joining and leaving a team, the sublandlords' team kept in step with the
sublandlord role, backbones appointed by staff (audited) or taken from a published election.

Who is a member is read through communities.selectors.teams; this module is the only writer of
``TeamMember`` and ``Backbone`` outside migrations, the demo and the benchmark.
"""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policy
from ..models import Backbone, Election, Membership, Role, Team, TeamMember, User
from ..selectors import teams as sel
from .audit import audit
from .errors import DomainError

# The team whose members are exactly the community's sublandlords.
SUBLANDLORD_TEAM = (Team.Kind.LANDLORD_TEAM, Role.SUBLANDLORD)


def team_member_join(*, team: Team, user: User, invited_by: User | None = None,
                     at: dt.datetime | None = None) -> tuple[TeamMember, bool]:
    """Open ``user``'s membership of ``team``; (the open row, False) if they are a member already.
    ``invited_by`` only from a real invitation or sign-up link: it is never guessed."""
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()  # serialises two joins of one team
        current = TeamMember.objects.filter(team=team, user=user, left_at__isnull=True).first()
        if current is not None:
            return current, False
        row = TeamMember.objects.create(team=team, user=user, invited_by=invited_by, joined_at=at or timezone.now())
    return row, True


def team_member_leave(*, team: Team, user: User, at: dt.datetime | None = None) -> bool:
    """Close ``user``'s open membership of ``team``; False when there was none."""
    at = at or timezone.now()
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()
        row = TeamMember.objects.filter(team=team, user=user, left_at__isnull=True).first()
        if row is None:
            return False
        row.left_at = max(at, row.joined_at)
        row.save(update_fields=["left_at"])
    return True


def sublandlord_team_sync(*, user_id: int, community_id: int) -> None:
    """Open or close ``user``'s membership of the community's sublandlords' team (蓉治社) so that it follows
    whether they hold the sublandlord role there. Called whenever that role is granted or taken away
    (communities.signals), whoever does it: registration, staff, the admin, the demo."""
    kind, role = SUBLANDLORD_TEAM
    teams = list(Team.objects.filter(community_id=community_id, kind=kind))
    if not teams:
        return
    holds = Membership.objects.filter(user_id=user_id, community_id=community_id, role=role).exists()
    user = User.objects.filter(pk=user_id).first()
    for team in teams:
        if holds and user is not None:
            team_member_join(team=team, user=user)
        elif user is not None:
            team_member_leave(team=team, user=user)


def sublandlord_team_enrol(*, team: Team) -> int:
    """A new sublandlords' team starts with every sublandlord of its community as a member."""
    kind, role = SUBLANDLORD_TEAM
    if team.kind != kind:
        return 0
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()
        present = set(TeamMember.objects.filter(team=team, left_at__isnull=True).values_list("user_id", flat=True))
        user_ids = (Membership.objects.filter(community_id=team.community_id, role=role)
                    .exclude(user_id__in=present).values_list("user_id", flat=True).distinct())
        rows = TeamMember.objects.bulk_create([TeamMember(team=team, user_id=uid) for uid in user_ids])
    return len(rows)


# --- backbones ---------------------------------------------------------------------------------------


def backbone_appoint(*, actor: User, team: Team, user: User, office: str,
                     term_start: dt.date) -> tuple[Backbone, bool]:
    """Committee staff appoint a member of ``team`` to an office. Someone who held another office there
    leaves it; (the current term, False) when they already hold this office."""
    if not policy.can(actor, "team.appoint", team.community):
        raise PermissionDenied
    if office not in Backbone.Office.values:
        raise DomainError(gettext_lazy("请选择一个职务。"), code="office")
    with transaction.atomic():
        Team.objects.select_for_update().get(pk=team.pk)
        if not sel.is_member(team, user):
            raise DomainError(gettext_lazy("只能任命本团队的成员为骨干。"), code="stranger")
        current = Backbone.objects.filter(team=team, user=user, term_end__isnull=True).first()
        if current is not None and current.office == office:
            return current, False
        if current is not None:
            current.term_end = max(term_start, current.term_start)
            current.save(update_fields=["term_end"])
        row = Backbone.objects.create(team=team, user=user, office=office, term_start=term_start,
                                      source=Backbone.Source.APPOINTED, appointed_by=actor)
        audit(actor=actor, action="team.backbone_appoint", community=team.community, team=team.pk, user=user.pk,
              office=office, backbone=row.pk, ended=current.pk if current else None)
    return row, True


def backbone_end(*, actor: User, backbone_id: int, term_end: dt.date) -> bool:
    """Committee staff end a backbone's term; False when it had ended already."""
    with transaction.atomic():
        row = Backbone.objects.select_for_update(of=("self",)).select_related("team__community") \
            .filter(pk=backbone_id).first()
        if row is None:
            return False
        if not policy.can(actor, "team.appoint", row.team.community):
            raise PermissionDenied
        if row.term_end is not None:
            return False
        if term_end < row.term_start:
            raise DomainError(gettext_lazy("卸任日期不能早于任职日期。"), code="date")
        row.term_end = term_end
        row.save(update_fields=["term_end"])
        audit(actor=actor, action="team.backbone_end", community=row.team.community, team=row.team_id,
              user=row.user_id, office=row.office, backbone=row.pk)
    return True


# Office names as election posts are called in Chinese, whatever language the page was shown in.
OFFICE_BY_NAME = {"会长": Backbone.Office.PRESIDENT, "副会长": Backbone.Office.VICE_PRESIDENT,
                  "骨干": Backbone.Office.BACKBONE, "主理人": Backbone.Office.STUDIO_HOST,
                  "负责人": Backbone.Office.STATION_HEAD}
OFFICE_LABEL = {office: name for name, office in OFFICE_BY_NAME.items()}
ADDING = "增补"


def office_for(post_name: str) -> tuple[str | None, bool]:
    """(office, adds) for a post name: 副会长 → (vice_president, False), 增补骨干 → (backbone, True)."""
    name = post_name.strip()
    adds = name.startswith(ADDING)
    return OFFICE_BY_NAME.get(name.removeprefix(ADDING) if adds else name), adds


def backbones_from_election(*, election: Election, actor, today: dt.date | None = None) -> list[Backbone]:
    """Record the elected of a published election as its team's backbones. A post named like an office
    (会长, 副会长, 骨干) replaces that office's current holders with those elected; a post whose name starts
    with 增补 (增补骨干) adds the elected to the office. Someone elected who held another office leaves it.
    Old rows keep their dates (``term_end``). Harmless when repeated."""
    team = election.team
    if team is None:
        return []
    if election.status != Election.Status.PUBLISHED:
        raise DomainError(_("选举结果公布后才能更新团队骨干。"), code="state")
    today = today or timezone.localdate()
    with transaction.atomic():
        Team.objects.select_for_update().get(pk=team.pk)
        if Backbone.objects.filter(election=election).exists():
            return []
        elected, replaced, skipped = [], set(), []
        for post in election.tally.get("posts", []):
            office, adds = office_for(post["name"])
            if office is None:
                skipped.append(post["name"])
                continue
            if not adds:
                replaced.add(office)
            elected += [(row["user_id"], office, row["name"]) for row in post["candidates"] if row["elected"]]
        current = Backbone.objects.filter(team=team, term_end__isnull=True)
        (current.filter(office__in=replaced) | current.filter(user_id__in=[uid for uid, _o, _n in elected])) \
            .update(term_end=today)
        rows = Backbone.objects.bulk_create([
            Backbone(team=team, user_id=uid, office=office, term_start=today, source=Backbone.Source.ELECTION,
                     election=election)
            for uid, office, _name in elected])
        audit(actor=actor, action="election.officers_apply", community=election.community, election=election.pk,
              team=team.pk, officers=[f"{OFFICE_LABEL[o]}{name}" for _u, o, name in elected],
              skipped_posts=skipped)
    return rows
