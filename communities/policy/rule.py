"""The shape of an access rule (``Rule``) and the role sets the rule tables share."""
from dataclasses import dataclass, field
from typing import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from ..models import Role, User

TOWN_ROLES = {User.TownRole.TOWN_STAFF, User.TownRole.TOWN_SECRETARY}
STAFF_ROLES = {Role.COMMITTEE_STAFF}
LEADER_ROLES = {Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY}
# Roles whose sessions end after 30 minutes idle (they see many people's data).
PRIVILEGED_ROLES = {Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY}


ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class Rule:
    roles: frozenset
    town: bool = True
    # Extra grant on one object for users without a listed role (e.g. own unit).
    extra: Callable | None = None
    # The roles that `extra` may grant: used for object-less checks ("could this user ever?").
    extra_roles: frozenset = field(default_factory=frozenset)
    # The list form of `extra`: fn(user) -> Q over the model, or {Model: fn} when the rule acts on several.
    extra_scope: Callable | dict | None = None

    def __post_init__(self):
        # scope() must list exactly what can() grants: an extra grant without its list filter is refused
        # when the rule is declared (at start-up), instead of scope() silently narrowing.
        if self.extra is not None and self.extra_scope is None:
            raise ImproperlyConfigured("policy: a rule with an extra grant needs its list filter (extra_scope)")

    def scope_q(self, user, model) -> Q:
        if callable(self.extra_scope):
            return self.extra_scope(user)
        try:
            return self.extra_scope[model](user)
        except KeyError:
            raise ImproperlyConfigured(f"policy: no list filter for {model.__name__}") from None

