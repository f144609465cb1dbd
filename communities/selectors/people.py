"""Finding a person or an account by what a user typed (a phone, a login name), always within one community.

Person.phone is unique across the town, so a lookup by phone alone would find someone of another
community and hand their name to whoever typed the number. Every form and service that resolves a typed
phone or login name asks here, scoped to the community the page is about; nothing here returns a name of
someone outside it.
"""
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q

from ..models import Membership, Person, Residency, User, normalize_phone


def phone_or_none(text: str) -> str:
    """The normalised phone number in ``text``, or "" when it is not one."""
    try:
        return normalize_phone(text)
    except ValidationError:
        return ""


def persons_of(*, community):
    """Persons of ``community``: with a home (any residency) in one of its units, or an account with a role in it."""
    lives_here = Residency.objects.filter(person=OuterRef("pk"), unit__building__community=community)
    member_here = Membership.objects.filter(user_id=OuterRef("user_id"), community=community)
    return Person.objects.filter(Exists(lives_here) | Exists(member_here))


def person_by_phone(*, community, phone: str) -> Person | None:
    """The person of ``community`` with this (normalised) phone; None for a phone unknown here."""
    if not phone:
        return None
    return persons_of(community=community).filter(phone=phone).first()


def phone_held_elsewhere(*, community, phone: str) -> bool:
    """Whether a person outside ``community`` holds this phone (a phone is one person's across the town).
    Callers refuse without saying whose it is."""
    return bool(phone) and Person.objects.filter(phone=phone).exclude(
        pk__in=persons_of(community=community).values("pk")).exists()


def users_by_key(*, community, keys: list[str]) -> dict[str, User]:
    """{key: user} for typed keys that are the login name or phone of an active account with a role in
    ``community`` (one query however many keys); a key matching only someone elsewhere is not found."""
    keys = [k for k in keys if k]
    phones = {phone: key for key in keys if (phone := phone_or_none(key))}
    users = (User.objects.select_related("person")
             .filter(Q(username__in=keys) | Q(person__phone__in=list(phones)), is_active=True,
                     memberships__community=community).distinct())
    found = {}
    for user in users:
        if user.username in keys:
            found[user.username] = user
        person = getattr(user, "person", None)
        if person is not None and person.phone in phones:
            found[phones[person.phone]] = user
    return found
