"""蓉庭's models: rentals and tenant registrations, documents, the mediation room, the two groups, the needs
list and the scorecard's titles. Each area has its own module. The 蓉治社 team, its members and its officers
are the core's (communities.models.teams: Team, TeamMember, Backbone)."""

from .channels import Announcement, AnnouncementRead, Channel
from .documents import DOCUMENT_ACTIONS, DocumentAcknowledgement, DocumentKind, DocumentVersion
from .mediation import MediationRecord
from .needs import CommunityNeed, NeedEvent, NeedPhoto, NeedStatus
from .rentals import RentalDeclaration, TenantRegistration

__all__ = ["Announcement", "AnnouncementRead", "Channel", "CommunityNeed", "DOCUMENT_ACTIONS", "DocumentAcknowledgement",
           "DocumentKind", "DocumentVersion", "MediationRecord", "NeedEvent", "NeedPhoto",
           "NeedStatus", "RentalDeclaration", "TenantRegistration"]
