"""蓉庭's models: rentals and tenant registrations, the mediation room and the two groups. Each area has its own
module. The needs list and the versioned documents are the core's (communities.models.needs and
communities.models.documents), and so are the 蓉治社 team, its members and its officers (communities.models.teams:
Team, TeamMember, Backbone)."""

from .channels import Announcement, AnnouncementRead, Channel
from .mediation import MediationRecord
from .rentals import RentalDeclaration, TenantRegistration

__all__ = ["Announcement", "AnnouncementRead", "Channel", "MediationRecord", "RentalDeclaration",
           "TenantRegistration"]
