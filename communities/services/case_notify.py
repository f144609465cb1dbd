"""Who hears about a case: written into the outbox in the same transaction as the change."""
from django.urls import reverse

from ..models import Case, Role
from ..selectors.places import users_with_role
from ..selectors.teams import active_members
from .notifications import notify
from .texts import deferred


def case_url(case: Case) -> str:
    return reverse("communities:case_detail", args=[case.pk])


def case_label(case: Case) -> str:
    # Never the reporter's name: the same text goes to the handler of an anonymous case.
    place = case.place_label()
    return f"#{case.pk} {case.category.name}" + (f" · {place}" if place else "")


def handler_users(case: Case) -> list:
    if case.handler_user_id:
        return [case.handler_user]
    if case.handler_team_id:
        return list(active_members(case.handler_team))
    return []


def staff_users(case: Case, role: str = Role.COMMITTEE_STAFF) -> list:
    return list(users_with_role(community_id=case.community_id, role=role))


def reporter_and_followers(case: Case) -> list:
    users = [case.reporter] if case.reporter_id else []
    return users + list(case.followers.all())


def tell(users, *, case: Case, title: str, body: str = "", actor=None) -> int:
    sent, seen = 0, set()
    for user in users:
        if user is None or user.pk in seen or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        notify(recipient=user, title=title, body=body, url=case_url(case), case=case)
        sent += 1
    return sent


def title(template, case: Case):
    """A notification title from a gettext_lazy template with %(case)s; translated when stored."""
    return deferred(template, case=case_label(case))
