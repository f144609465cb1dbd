from .audit import AuditEvent, PersonalDataAccess
from .notifications import Notification
from .people import Person, Residency, User, mask_phone, normalize_phone
from .places import Building, Community, Unit, VillageGroup
from .roles import Membership, RegistrationRequest, Role

__all__ = [
    "AuditEvent", "Building", "Community", "Membership", "Notification", "Person", "PersonalDataAccess",
    "RegistrationRequest", "Residency", "Role", "Unit", "User", "VillageGroup", "mask_phone", "normalize_phone",
]
