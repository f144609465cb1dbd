"""The one place that answers "may this user do this action to this object".

Every view is wrapped in :func:`guard` (or marked :func:`public`), every
object is fetched through :func:`get_object_or_404_for`, and every queryset
of community data is narrowed by :func:`scope`. Deny by default: an action
that is not in ``RULES`` is refused, and a user sees nothing of a community
they do not belong to (404, so ids leak nothing).

The rules themselves are tables by subdomain (``rules_places``, ``rules_cases``, ``rules_meetings``,
``rules_together``) merged into ``RULES`` here; the relations that grant beyond a role are in ``relations``;
the apps add theirs through ``communities.extensions.register_rules``.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from django.db.models import Q

from .. import viewer
from ..models import Community, Person, Qualification, Residency, Rota
from . import rules_cases, rules_meetings, rules_places, rules_together
from .relations import case_relations, person_id_of, shared_place_q, team_ids_of  # noqa: F401 - used by callers
from .rule import ALL_ROLES, LEADER_ROLES, PRIVILEGED_ROLES, STAFF_ROLES, TOWN_ROLES, Rule  # noqa: F401

RULES: dict[str, Rule] = {**rules_places.RULES, **rules_cases.RULES, **rules_meetings.RULES, **rules_together.RULES}


# Actions any signed-in user may take on their own account (home page, inbox,
# password change, elder mode, their own registration).
SELF = "account.self"


def is_town(user) -> bool:
    return user.is_authenticated and user.town_role in TOWN_ROLES


def memberships(user) -> dict[int, set[str]]:
    """{community_id: {role, …}} for the user, loaded once per request."""
    return viewer.facts_of(user).memberships


def roles_in(user, community) -> set[str]:
    cid = community.pk if isinstance(community, Community) else community
    return memberships(user).get(cid, set())


def all_roles(user) -> set[str]:
    return set().union(*memberships(user).values()) if memberships(user) else set()


def is_privileged(user) -> bool:
    return is_town(user) or bool(all_roles(user) & PRIVILEGED_ROLES)


def community_path(model) -> str:
    """How ``model`` reaches its community: its ``community_path`` attribute, named once on the model."""
    try:
        return model.community_path
    except AttributeError:
        raise TypeError(f"policy: no community known for {model.__name__}") from None


def community_of(obj) -> Community | int:
    if isinstance(obj, Community):
        return obj
    path = getattr(type(obj), "community_path", None)
    if path is None:
        community_id = getattr(obj, "community_id", None)
        if community_id is not None:
            return community_id
        raise TypeError(f"policy: no community known for {type(obj).__name__}")
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
    return getattr(obj, f"{last}_id")


def _rule(action: str) -> Rule:
    try:
        return RULES[action]
    except KeyError:
        raise ValueError(f"policy: unknown action {action!r}") from None


def can(user, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` (to ``obj``)? Without ``obj``: could they, anywhere?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if action == SELF:
        return True
    rule = _rule(action)
    if obj is None:
        if rule.town and is_town(user):
            return True
        return bool(all_roles(user) & (rule.roles | rule.extra_roles))
    if isinstance(obj, Person):
        return _can_on_person(user, rule, obj)
    community = community_of(obj)
    if rule.town and is_town(user):
        return True
    if roles_in(user, community) & rule.roles:
        return True
    return bool(rule.extra and roles_in(user, community) and rule.extra(user, obj))


def _can_on_person(user, rule: Rule, person: Person) -> bool:
    if rule.town and is_town(user):
        return True
    person_communities = set(
        Residency.objects.filter(person=person, moved_out__isnull=True)
        .values_list("unit__building__community_id", flat=True)
    )
    if any(roles_in(user, cid) & rule.roles for cid in person_communities):
        return True
    return bool(rule.extra and rule.extra(user, person))


def community_ids_for(user, action: str = "community.view") -> set[int] | None:
    """The ids of the communities in which ``user`` may do ``action``; None means every community (town
    roles). ``communities_for`` without a query, for checks made on every page."""
    if not user.is_authenticated:
        return set()
    rule = _rule(action)
    if rule.town and is_town(user):
        return None
    return {cid for cid, roles in memberships(user).items() if roles & rule.roles}


def communities_for(user, action: str = "community.view") -> QuerySet:
    """The communities in which ``user`` may do ``action``."""
    if not user.is_authenticated:
        return Community.objects.none()
    rule = _rule(action)
    if rule.town and is_town(user):
        return Community.objects.all()
    ids = [cid for cid, roles in memberships(user).items() if roles & rule.roles]
    return Community.objects.filter(pk__in=ids)


def scope(user, action: str, queryset: QuerySet) -> QuerySet:
    """Narrow ``queryset`` to the objects ``user`` may do ``action`` to."""
    if not user.is_authenticated:
        return queryset.none()
    rule = _rule(action)
    if rule.town and is_town(user):
        return queryset
    ids = [cid for cid, roles in memberships(user).items() if roles & rule.roles]
    if queryset.model is Person:
        # As can(): a current resident of a community where the user holds the role, or the extra grant.
        q = Q(residencies__moved_out__isnull=True, residencies__unit__building__community__in=ids)
        if rule.extra_scope is not None:
            q |= rule.scope_q(user, Person)
        return queryset.filter(q).distinct()
    path = community_path(queryset.model)
    q = Q(**{f"{path}__in": ids})
    if rule.extra_scope is not None:
        member_of = list(memberships(user))
        q |= rule.scope_q(user, queryset.model) & Q(**{f"{path}__in": member_of})
    return queryset.filter(q).distinct() if rule.extra_scope is not None else queryset.filter(q)


def get_object_or_404_for(user, action: str, queryset: QuerySet, **lookup):
    """Fetch one object for ``action``: 404 outside the user's communities, 403 inside without the right."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    if isinstance(obj, Person):
        if not can(user, action, obj):
            raise Http404
        return obj
    community = community_of(obj)
    if not (is_town(user) or roles_in(user, community)):
        raise Http404
    if not can(user, action, obj):
        raise PermissionDenied
    return obj


def qualifications_grantable(user, rota: Rota) -> QuerySet:
    """The qualifications ``user`` may grant to and revoke from ``rota``'s members.

    Staff: any of the community's. A manager who is not staff: only the one the rota requires, so that
    they cannot qualify people for another manager's rota.
    """
    if not can(user, "rota.qualify", rota):
        return Qualification.objects.none()
    every = Qualification.objects.filter(community_id=rota.community_id)
    if can(user, "qualification.create", rota):
        return every
    return every.filter(pk=rota.required_qualification_id) if rota.required_qualification_id else every.none()


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


# --- views -------------------------------------------------------------------

def guard(action: str):
    """Wrap a view: sign-in required, then ``can(user, action)``; the view checks objects itself."""
    _rule(action) if action != SELF else None

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.policy_action = action
        return wrapper

    return decorator


def public(view):
    """Mark a view as reachable without sign-in (login, registration, health)."""
    view.policy_public = True
    return view
