"""Personal data as a page may show it without asking: masked, except one's own.

This half of the personal-data path reads and never writes. Revealing a value (the policy decides, a
``PersonalDataAccess`` row is written, the clear value comes back) is the other half and lives in
``communities.services.personal_data``; a view that reveals calls it. Templates show ``person.masked_phone``
(``communities.models.mask_phone``), which is masking only.

A :class:`Subject` names one value to show: whose it is, in which community, and the object the access
rule is asked about. The core builds them for residents and case reporters here; an app builds its own
(``landlords.selectors.rentals.registration_subjects``).
"""
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..models import Person, mask_phone


@dataclass(frozen=True)
class Subject:
    key: Hashable  # how the caller finds the shown value again (a person id, a registration id)
    person: Person | None  # None: a walk-in caller's number, written on the case
    value: str  # the clear value
    community_id: int | None
    target: Any  # the object the access rule is asked about (a unit, a building, a case)
    # Subjects with the same ``decided_by`` share one policy answer (one decision per unit, or per community);
    # by default each target is asked once.
    decided_by: Hashable = None
    mask: Callable[[str], str] = field(default=mask_phone, compare=False)

    @property
    def decision_key(self) -> Hashable:
        if self.decided_by is not None:
            return self.decided_by
        return (type(self.target).__name__, getattr(self.target, "pk", id(self.target)))


def is_own(viewer, subject: Subject) -> bool:
    """One's own number is never hidden from oneself, and showing it to oneself is no access to log."""
    person = subject.person
    return person is not None and person.user_id is not None and person.user_id == viewer.pk


def masked_values(*, viewer, subjects: Iterable[Subject]) -> dict:
    """{subject.key: the value as shown without revealing}: the viewer's own in clear, the rest masked."""
    return {s.key: s.value if is_own(viewer, s) else s.mask(s.value) for s in subjects}


def residency_subjects(residencies: Iterable) -> list[Subject]:
    """The phones of a unit's residents, keyed by person id; decided per unit (``person.view_phone``
    grants a sublandlord the units they let), so a page costs no policy query per row."""
    return [Subject(key=r.person_id, person=r.person, value=r.person.phone,
                    community_id=r.unit.building.community_id, target=r.unit, decided_by=("unit", r.unit_id))
            for r in residencies]


def reporter_subject(case, person: Person | None) -> Subject:
    """A case's reporter's phone (``case.reporter_contact``): the person's, or the one a walk-in caller gave;
    keyed by case id and decided per community."""
    return Subject(key=case.pk, person=person, value=person.phone if person else case.reporter_phone,
                   community_id=case.community_id, target=case, decided_by=("community", case.community_id))
