"""The one personal-data path: reveal a phone (or another personal field) and log that it was revealed.

The access rule decides (``communities.policy``, an action such as ``person.view_phone``); a value is shown
in clear only with a stated purpose and when the rule allows it in that place, or when it is the viewer's
own; every clear value of someone else that is shown leaves one ``PersonalDataAccess`` row, written in one
insert whatever the number of rows. Refused means masked, and nothing is written: a page shows what its
viewer may see rather than failing.

Masking alone (no decision, no write) is ``communities.selectors.personal_data.masked_values``.
"""
from collections.abc import Iterable

from django.utils.translation import gettext_lazy

from .. import policy
from ..models import PersonalDataAccess
from ..selectors.personal_data import Subject, is_own, masked_values
from .texts import deferred, stored

Kind = PersonalDataAccess.Kind


def reveal_values(*, viewer, subjects: Iterable[Subject], action: str, purpose, kind: str = Kind.VIEW) -> dict:
    """{subject.key: the value as ``viewer`` may see it}: clear where ``action`` allows it, logged."""
    subjects = list(subjects)
    shown, revealed = _decide(viewer=viewer, subjects=subjects, action=action, purpose=purpose)
    if revealed:
        log_personal_data_access(viewer=viewer, entries=[(s.person, s.community_id) for s in revealed],
                                 purpose=purpose, kind=kind)
    return shown


def reveal_value(*, viewer, subject: Subject, action: str, purpose, kind: str = Kind.VIEW) -> str:
    """One value: clear (and logged) where ``action`` allows it, masked otherwise."""
    return reveal_values(viewer=viewer, subjects=[subject], action=action, purpose=purpose, kind=kind)[subject.key]


def export_values(*, viewer, subjects: Iterable[Subject], action: str, purpose, reveal: bool) -> dict:
    """The values of an export. Names and dates leave the app even with the phones masked, so every
    exported subject is logged once (kind export), revealed or not; the purpose says which."""
    subjects = list(subjects)
    if reveal:
        shown, _revealed = _decide(viewer=viewer, subjects=subjects, action=action, purpose=purpose)
        logged = purpose
    else:
        shown = masked_values(viewer=viewer, subjects=subjects)
        logged = deferred(gettext_lazy("%(purpose)s（手机号已隐藏）"), purpose=purpose)
    log_personal_data_access(viewer=viewer, entries=[(s.person, s.community_id) for s in subjects],
                             purpose=logged, kind=Kind.EXPORT)
    return shown


def _decide(*, viewer, subjects: list[Subject], action: str, purpose) -> tuple[dict, list[Subject]]:
    if not str(purpose or "").strip():  # no purpose, no reveal
        return masked_values(viewer=viewer, subjects=subjects), []
    shown, revealed, allowed = {}, [], {}
    for subject in subjects:
        if is_own(viewer, subject):
            shown[subject.key] = subject.value
            continue
        key = subject.decision_key
        if key not in allowed:
            allowed[key] = policy.can(viewer, action, subject.target)
        if allowed[key]:
            shown[subject.key] = subject.value
            if subject.value:
                revealed.append(subject)
        else:
            shown[subject.key] = subject.mask(subject.value)
    return shown, revealed


def log_personal_data_access(*, viewer, entries, purpose, kind: str = Kind.VIEW) -> None:
    """One ``PersonalDataAccess`` row per (person or None, community id) of ``entries``; for what is logged
    without being revealed here (an import, an export's rows)."""
    purpose = stored(purpose)
    rows = [PersonalDataAccess(viewer=viewer, person=person, community_id=community_id, kind=kind, purpose=purpose)
            for person, community_id in entries]
    if len(rows) == 1:
        rows[0].save(force_insert=True)  # one INSERT; bulk_create would wrap it in BEGIN … COMMIT
    elif rows:
        PersonalDataAccess.objects.bulk_create(rows)
