"""The committee's contacts (phone, office hours, address), kept by its staff."""
from django.core.exceptions import PermissionDenied
from django.db import transaction

from .. import policy
from ..models import Community
from .audit import audit

CONTACT_FIELDS = ("office_phone", "office_hours", "office_address")


def community_contacts_update(*, actor, community: Community, office_phone: str, office_hours: str,
                              office_address: str) -> bool:
    """Save the committee's contacts; False when nothing changed (a second click writes nothing)."""
    if not policy.can(actor, "community.contacts", community):
        raise PermissionDenied
    wanted = {"office_phone": office_phone.strip(), "office_hours": office_hours.strip(),
              "office_address": office_address.strip()}
    with transaction.atomic():
        community = Community.objects.select_for_update().get(pk=community.pk)
        changed = [name for name, value in wanted.items() if getattr(community, name) != value]
        if not changed:
            return False
        before = {name: getattr(community, name) for name in changed}
        for name in changed:
            setattr(community, name, wanted[name])
        community.save(update_fields=changed)
        audit(actor=actor, action="community.contacts", community=community, before=before,
              after={name: wanted[name] for name in changed})
    return True
