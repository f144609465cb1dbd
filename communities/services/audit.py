from ..models import AuditEvent


def audit(*, actor, action: str, community=None, **detail) -> AuditEvent:
    return AuditEvent.objects.create(actor=actor, community=community, action=action, detail=detail)
