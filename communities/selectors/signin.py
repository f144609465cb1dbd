"""Who a mobile number signs in as: the account of the one person registered with it."""
import re

from ..models import Person, User

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def user_for_phone(*, phone: str):
    """The one active account behind ``phone`` (a normalised mobile number), or None when there is none or more
    than one (a person's account and another account whose login name is that number): the caller then answers
    as for an unknown number, so nobody learns which it was."""
    if not MOBILE.match(phone or ""):
        return None
    ids = set(Person.objects.filter(phone=phone, user__isnull=False, user__is_active=True)
              .values_list("user_id", flat=True))
    ids |= set(User.objects.filter(username=phone, is_active=True).values_list("pk", flat=True))
    if len(ids) != 1:
        return None
    return User._default_manager.select_related("person").get(pk=ids.pop())
