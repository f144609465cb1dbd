"""What every page needs to know about the signed-in user, loaded once per request in one query.

Every signed-in page asks the same four things before it can show anything: the user's memberships (for the
policy), the teams they belong to (for the policy's handler checks), their unread notifications (the menu's
badge) and which communities each app serves (``CommunityApp``: the apps' menu entries and panels, e.g.
蓉治社). Asked one by one through the ORM they cost four queries, about 2.5 ms of query building for 0.4 ms in PostgreSQL
(bench_town). Here they are one ``UNION ALL`` of four small selects, written once, in SQL that PostgreSQL and
SQLite both run.

The facts are kept on the user object, which lives for one request. A service that changes one of them for the
user making the request (marking notifications read, say) calls ``forget`` so the page it renders next counts
again.
"""
from dataclasses import dataclass, field

from django.db import connection

_ATTRIBUTE = "_viewer_facts"

# Row tags of the query below.
_MEMBERSHIP, _TEAM, _UNREAD, _APP = 1, 2, 3, 4


@dataclass
class ViewerFacts:
    memberships: dict[int, set[str]] = field(default_factory=dict)  # {community_id: {role, …}}
    team_ids: list[int] = field(default_factory=list)
    unread_notifications: int = 0
    # {app label: {community_id, …}}: the communities each app serves (all of them, not only the user's:
    # whether a town role sees an app's entry depends on it).
    app_communities: dict[str, set[int]] = field(default_factory=dict)


def _sql() -> str:
    from .models import CommunityApp, Membership, Notification, Team, TeamMember

    def col(model, name):
        return connection.ops.quote_name(model._meta.get_field(name).column)

    def table(model):
        return connection.ops.quote_name(model._meta.db_table)

    # The open memberships of communities.selectors.teams.open_memberships (the account is the viewer's own,
    # signed in, so active).
    members = TeamMember
    return (
        f"SELECT {_MEMBERSHIP}, {col(Membership, 'community')}, {col(Membership, 'role')} FROM {table(Membership)} "
        f"WHERE {col(Membership, 'user')} = %s "
        f"UNION ALL SELECT {_TEAM}, {col(members, 'team')}, '' FROM {table(members)} "
        f"WHERE {col(members, 'user')} = %s AND {col(members, 'left_at')} IS NULL "
        f"UNION ALL SELECT {_UNREAD}, COUNT(*), '' FROM {table(Notification)} "
        f"WHERE {col(Notification, 'recipient')} = %s AND {col(Notification, 'read_at')} IS NULL "
        f"UNION ALL SELECT {_APP}, {col(CommunityApp, 'community')}, {col(CommunityApp, 'app_label')} "
        f"FROM {table(CommunityApp)}"
    )


_SQL_BY_VENDOR: dict[str, str] = {}


def facts_of(user) -> ViewerFacts:
    """The facts for ``user`` (an empty set for an anonymous user), loaded at most once per request."""
    if not user.is_authenticated:
        return ViewerFacts()
    facts = getattr(user, _ATTRIBUTE, None)
    if facts is None:
        facts = _load(user.pk)
        setattr(user, _ATTRIBUTE, facts)
    return facts


def forget(user) -> None:
    """Load the facts again on the next question (the user's memberships, teams or inbox just changed)."""
    if hasattr(user, _ATTRIBUTE):
        delattr(user, _ATTRIBUTE)


def _load(user_id: int) -> ViewerFacts:
    sql = _SQL_BY_VENDOR.get(connection.vendor)
    if sql is None:
        sql = _SQL_BY_VENDOR[connection.vendor] = _sql()
    facts = ViewerFacts()
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id, user_id])
        rows = cursor.fetchall()
    for tag, value, text in rows:
        if tag == _MEMBERSHIP:
            facts.memberships.setdefault(value, set()).add(text)
        elif tag == _TEAM:
            facts.team_ids.append(value)
        elif tag == _UNREAD:
            facts.unread_notifications = value
        else:
            facts.app_communities.setdefault(text, set()).add(value)
    facts.team_ids.sort()
    return facts
