from ..models import AuditEvent, PersonalDataAccess
from .texts import stored


def log_personal_data_access(*, viewer, entries, purpose: str, kind: str = PersonalDataAccess.Kind.VIEW) -> None:
    """entries: iterable of (person or None, community_id)."""
    purpose = stored(purpose)
    rows = [PersonalDataAccess(viewer=viewer, person=person, community_id=community_id, kind=kind, purpose=purpose)
            for person, community_id in entries]
    if len(rows) == 1:
        rows[0].save(force_insert=True)  # one INSERT; bulk_create would wrap it in BEGIN … COMMIT
    else:
        PersonalDataAccess.objects.bulk_create(rows)


def audit(*, actor, action: str, community=None, **detail) -> AuditEvent:
    return AuditEvent.objects.create(actor=actor, community=community, action=action, detail=detail)
