"""Showing personal data: masked unless the viewer's role needs it, and every unmasked view logged."""
from .. import policy
from ..services.audit import log_personal_data_access


def phones_for_display(*, viewer, residencies, purpose: str) -> dict[int, str]:
    """{person_id: phone as this viewer may see it}; logs each unmasked number shown.

    The decision is taken per unit (the roles of the unit's community, or the
    unit's sublandlord), plus one's own number, so it costs no query per row.
    """
    shown, unmasked, by_unit = {}, [], {}
    for residency in residencies:
        person, unit = residency.person, residency.unit
        if unit.pk not in by_unit:
            by_unit[unit.pk] = policy.can(viewer, "person.view_phone", unit)
        if by_unit[unit.pk] or (person.user_id is not None and person.user_id == viewer.pk):
            shown[person.id] = person.phone
            if person.phone and person.user_id != viewer.pk:
                unmasked.append((person, unit.building.community_id))
        else:
            shown[person.id] = person.masked_phone
    if unmasked:
        log_personal_data_access(viewer=viewer, entries=unmasked, purpose=purpose)
    return shown
