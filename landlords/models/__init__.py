"""蓉庭's models: the 蓉治社 team, rentals and tenant registrations, documents, the mediation room,
the two groups, the needs list and the scorecard's titles. Each area has its own module."""

from .channels import Announcement, AnnouncementRead, Channel
from .documents import DOCUMENT_ACTIONS, DocumentAcknowledgement, DocumentKind, DocumentVersion
from .mediation import MediationRecord
from .needs import CommunityNeed, NeedEvent, NeedPhoto, NeedStatus
from .rentals import RentalDeclaration, TenantRegistration
from .team import TeamOfficer

__all__ = ["Announcement", "AnnouncementRead", "Channel", "CommunityNeed", "DOCUMENT_ACTIONS", "DocumentAcknowledgement",
           "DocumentKind", "DocumentVersion", "MediationRecord", "NeedEvent", "NeedPhoto",
           "NeedStatus", "RentalDeclaration", "TeamOfficer", "TenantRegistration"]
