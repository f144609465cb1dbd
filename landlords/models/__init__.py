"""蓉庭's models: the 蓉治社 team, rentals and tenant registrations, the mediation room and the two groups.
Each area has its own module. (The needs list and the versioned documents are the core's:
communities.models.needs and communities.models.documents.)"""

from .channels import Announcement, AnnouncementRead, Channel
from .mediation import MediationRecord
from .rentals import RentalDeclaration, TenantRegistration
from .team import TeamOfficer

__all__ = ["Announcement", "AnnouncementRead", "Channel", "MediationRecord", "RentalDeclaration", "TeamOfficer",
           "TenantRegistration"]
