"""Who a typed name and phone are, within one community: the one place that binds them to a person.

Used by the tenant move-in (landlords) and whatever else registers a person from a form. Nothing here
reveals the name stored for a phone: a mismatch is refused in words that do not repeat it.
"""
from django.utils.translation import gettext as _

from ..models import Person
from ..selectors.people import person_by_phone, phone_held_elsewhere
from .errors import DomainError


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def person_for_contact(*, community, name: str, phone: str) -> tuple[Person, bool]:
    """The person of ``community`` with this phone when the name matches, or a new person. Returns
    (person, created). Call inside the caller's transaction; a refusal raises before anything is written.

    - the phone belongs to someone of another community: refused (a phone is one person's across the town, and
      a resident elsewhere is never registered here by someone who typed their number);
    - the phone belongs to someone here under another name: refused, without saying the stored name.
    """
    person = person_by_phone(community=community, phone=phone)
    if person is None:
        if phone_held_elsewhere(community=community, phone=phone):
            raise DomainError(_("这个手机号不能在本社区登记。请核对号码；号码无误的话，请联系居委办理。"),
                              code="phone_elsewhere")
        return Person.objects.create(name=name, phone=phone), True
    if not _same_name(person.name, name):
        raise DomainError(_("这个手机号在本社区登记的姓名与您填写的不一致，本次没有登记。"
                            "请核对姓名和手机号；如确是同一个人改了名字，请联系居委更正。"), code="name_mismatch")
    return person, False
