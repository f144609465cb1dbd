"""The 蓉治社 officers follow the team's published elections.

The rule (a post named like an office replaces its holders, 增补… adds to it, old terms keep their dates) is
the core's, for every team: communities.services.teams.backbones_from_election. 蓉庭 applies it to its
sublandlords' team when an election is published (communities.extensions.election_published).
"""
from communities.models import Backbone, Election, Team
from communities.services.teams import backbones_from_election, office_for

__all__ = ["office_for", "team_officers_apply", "on_election_published"]


def team_officers_apply(*, election: Election, actor, today=None) -> list[Backbone]:
    """Record the elected of a published 蓉治社 election as the team's officers. Harmless when repeated."""
    team = election.team
    if team is None or team.kind != Team.Kind.LANDLORD_TEAM:
        return []
    return backbones_from_election(election=election, actor=actor, today=today)


def on_election_published(sender, *, election, actor, **kwargs) -> None:
    team_officers_apply(election=election, actor=actor)
