"""The 蓉治社 officers follow the team's published elections.

A post named like an office (会长, 副会长, 骨干) replaces that office's current holders with those
elected; a post whose name starts with 增补 (增补骨干) adds the elected to the office. Someone elected who
held another office leaves it. Old rows keep their dates (``until``), so the history stays.
"""
from django.db import transaction
from django.utils import timezone

from django.utils.translation import gettext as _

from communities.models import Election, Team
from communities.services.audit import audit
from communities.services.errors import DomainError

from ..models import TeamOfficer

# Office names as posts are called in Chinese, whatever language the page was shown in.
OFFICE_BY_NAME = {"会长": TeamOfficer.Office.PRESIDENT, "副会长": TeamOfficer.Office.VICE_PRESIDENT,
                  "骨干": TeamOfficer.Office.BACKBONE}
OFFICE_LABEL = {office: name for name, office in OFFICE_BY_NAME.items()}
ADDING = "增补"


def office_for(post_name: str) -> tuple[str | None, bool]:
    """(office, adds) for a post name: 副会长 → (vice_president, False), 增补骨干 → (backbone, True)."""
    name = post_name.strip()
    adds = name.startswith(ADDING)
    return OFFICE_BY_NAME.get(name.removeprefix(ADDING) if adds else name), adds


def team_officers_apply(*, election: Election, actor, today=None) -> list[TeamOfficer]:
    """Record the elected of a published 蓉治社 election as the team's officers. Harmless when repeated."""
    team = election.team
    if team is None or team.kind != Team.Kind.LANDLORD_TEAM:
        return []
    if election.status != Election.Status.PUBLISHED:
        raise DomainError(_("选举结果公布后才能更新团队骨干。"), code="state")
    today = today or timezone.localdate()
    with transaction.atomic():
        Team.objects.select_for_update().get(pk=team.pk)
        if TeamOfficer.objects.filter(election=election).exists():
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
        current = TeamOfficer.objects.filter(team=team, until__isnull=True)
        (current.filter(office__in=replaced) | current.filter(user_id__in=[uid for uid, _o, _n in elected])) \
            .update(until=today)
        officers = TeamOfficer.objects.bulk_create([
            TeamOfficer(team=team, user_id=uid, office=office, since=today, election=election)
            for uid, office, _name in elected])
        audit(actor=actor, action="election.officers_apply", community=election.community, election=election.pk,
              team=team.pk, officers=[f"{OFFICE_LABEL[o]}{name}" for _u, o, name in elected],
              skipped_posts=skipped)
    return officers



def on_election_published(sender, *, election, actor, **kwargs) -> None:
    team_officers_apply(election=election, actor=actor)
