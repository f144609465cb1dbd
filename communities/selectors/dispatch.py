"""Who a case can be dispatched to: the picker's candidates, people and teams of the case's community.

Each person is shown with the buildings they live in or let and their roles there, so two 王芳 are told apart;
the flat's sublandlord comes first, marked 推荐. Three queries whatever the number of candidates (memberships
with their users, the buildings, the suggested sublandlord), plus one for the teams.
"""
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Membership, Residency, Role, Team, Unit
from ..natural import natural_key

# Who a case can be dispatched to by name (teams are chosen separately).
HANDLER_ROLES = [Role.SUBLANDLORD, Role.STATION_STAFF, Role.COMMITTEE_STAFF, Role.VOLUNTEER, Role.TALENT]
SEARCH_LIMIT = 30


@dataclass(frozen=True)
class Candidate:
    user_id: int
    name: str
    buildings: tuple
    roles: tuple
    suggested: bool = False

    @property
    def label(self) -> str:
        parts = [self.name, "、".join(self.buildings) or _("无登记楼栋"), "、".join(self.roles)]
        if self.suggested:
            parts.append(_("推荐"))
        return " · ".join(parts)


def handler_users_q(community_ids) -> Q:
    """The users a case of these communities may be dispatched to (the form's queryset, for validation)."""
    return Q(memberships__community_id__in=community_ids, memberships__role__in=HANDLER_ROLES, is_active=True)


def suggested_handler_id(case) -> int | None:
    """The user id of the sublandlord who lets the case's flat now, if any."""
    if not case.unit_id:
        return None
    return Unit.objects.filter(pk=case.unit_id).values_list("sublandlord__user_id", flat=True).first()


def dispatch_candidates(*, community_ids, suggested_id: int | None = None, q: str = "",
                        limit: int | None = None) -> list[Candidate]:
    """People of ``community_ids`` holding a handler role, matching ``q`` (name or user name), suggested first."""
    return people_candidates(community_ids=community_ids, roles=HANDLER_ROLES, suggested_id=suggested_id, q=q,
                             limit=limit)


def people_candidates(*, community_ids, roles=None, suggested_id: int | None = None, q: str = "",
                      limit: int | None = None) -> list[Candidate]:
    """Active people with a role (any, or one of ``roles``) in ``community_ids``, each labelled name · buildings ·
    roles: the pickers that choose people by name (dispatch, rota members, meeting invitees). Only these
    communities' people, buildings and roles are read, so a picker never shows anyone from elsewhere."""
    rows = (Membership.objects.filter(community_id__in=community_ids, user__is_active=True)
            .select_related("user__person"))
    if roles is not None:
        rows = rows.filter(role__in=roles)
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(user__person__name__icontains=q) | Q(user__username__icontains=q)
                           | Q(user__first_name__icontains=q) | Q(user__last_name__icontains=q))
    users, roles = {}, defaultdict(list)
    labels = dict(Role.choices)
    for m in rows:
        users[m.user_id] = m.user
        roles[m.user_id].append(str(labels.get(m.role, m.role)))
    buildings = _buildings_of(users.values(), community_ids)
    found = [Candidate(user_id=u.pk, name=u.display_name(), buildings=tuple(sorted(buildings[u.pk], key=natural_key)),
                       roles=tuple(sorted(set(roles[u.pk]))), suggested=u.pk == suggested_id)
             for u in users.values()]
    found.sort(key=lambda c: (not c.suggested, c.name, c.buildings, c.user_id))
    return found[:limit] if limit else found


def _buildings_of(users, community_ids) -> dict:
    """{user id: building names} from where each lives now and what each lets, in one query."""
    person_user = {u.person.pk: u.pk for u in users if getattr(u, "person", None) is not None}
    found = defaultdict(set)
    if not person_user:
        return found
    lived = Residency.objects.filter(person_id__in=person_user, moved_out__isnull=True,
                                     unit__building__community_id__in=community_ids) \
        .order_by().values_list("person_id", "unit__building__name")
    # No ordering on either side: SQLite refuses ORDER BY inside a UNION's parts (Meta.ordering is natural).
    let = Unit.objects.filter(sublandlord_id__in=person_user, building__community_id__in=community_ids) \
        .order_by().values_list("sublandlord_id", "building__name")
    for person_id, name in lived.union(let):
        found[person_user[person_id]].add(name)
    return found


def dispatch_teams(*, community_ids) -> list[Team]:
    return list(Team.objects.filter(community_id__in=community_ids).order_by("kind", "name"))
