from .audit import AuditEvent, PersonalDataAccess
from .base import StoredPhoto, TimelineEvent
from .cases import (
    OPEN_STATUSES, Case, CaseCategory, CaseEvent, CasePhoto, CaseRating, CaseReferral, CaseStatus, PendingPhoto, RoutingRule,
)
from .documents import DocumentAcknowledgement, DocumentVersion
from .hours import (
    CertificateCounter, HoursCorrectionRequest, VolunteerCertificate, VolunteerHours, VolunteerHoursEvent,
)
from .invitations import Invitation
from .door import CaseOrigin, CommunityApp, CommunityFigure
from .evaluations import (
    DEFAULT_SCALE, Evaluation, EvaluationCriterion, EvaluationResult, EvaluationStandard, ImprovementAction,
    ResidentScore,
)
from .elections import (
    Ballot, BallotChoice, Election, ElectionCandidate, ElectionPost, ElectionVoter, Motion, MotionVote, PaperBallot,
    receipt_hash,
)
from .meetings import (
    OPEN_KINDS, ActionItem, AgendaItem, Attendance, Decision, Meeting, MeetingEvent, MeetingInvite, MeetingKind,
    MeetingSeries, Minutes, TopicProposal,
)
from .needs import CommunityNeed, NeedEvent, NeedPhoto, NeedStatus
from .notifications import Notification
from .people import Person, Residency, User, mask_name, mask_phone, normalize_phone
from .places import Building, Community, Unit, VillageGroup
from .roles import Membership, RegistrationRequest, Role
from .rooms import Room, RoomBooking
from .signin import PhoneCode
from .summaries import CaseDailySummary, CaseDashboardTop
from .rotas import (
    CalendarFeedToken, Leave, MemberQualification, Qualification, Rota, RotaMember, RotaSlot, Shift, ShiftAssignment,
    SwapOffer,
)
from .teams import Agency, Backbone, PublicPlace, Team, TeamMember
from .titles import CommunityTitle

__all__ = [
    "OPEN_STATUSES", "Agency", "Invitation", "Motion", "MotionVote", "PaperBallot", "Case", "CaseCategory", "CaseDailySummary", "CaseDashboardTop", "CaseEvent", "CasePhoto", "CaseRating", "CaseReferral", "PendingPhoto",
    "CaseStatus", "CommunityTitle", "PublicPlace", "RoutingRule", "Team", "TeamMember", "Backbone",
    "AuditEvent", "PhoneCode", "Building", "Community", "Membership", "Notification", "Person", "PersonalDataAccess",
    "RegistrationRequest", "Residency", "Role", "Unit", "User", "VillageGroup", "mask_name", "mask_phone", "normalize_phone",
    "OPEN_KINDS", "ActionItem", "AgendaItem", "Attendance", "Decision", "Meeting", "MeetingEvent", "MeetingInvite",
    "MeetingKind", "MeetingSeries", "Minutes", "TopicProposal",
    "CalendarFeedToken", "Leave", "MemberQualification", "Qualification", "Rota", "RotaMember", "RotaSlot", "Shift",
    "ShiftAssignment", "SwapOffer",
    "StoredPhoto", "TimelineEvent", "CommunityNeed", "NeedEvent", "NeedPhoto", "NeedStatus",
    "DocumentAcknowledgement", "DocumentVersion",
    "Room", "RoomBooking",
    "CaseOrigin", "CommunityApp", "CommunityFigure",
    "Ballot", "BallotChoice", "Election", "ElectionCandidate", "ElectionPost", "ElectionVoter", "receipt_hash",
    "CertificateCounter", "HoursCorrectionRequest", "VolunteerCertificate", "VolunteerHours", "VolunteerHoursEvent",
    "DEFAULT_SCALE", "Evaluation", "EvaluationCriterion", "EvaluationResult", "EvaluationStandard",
    "ImprovementAction", "ResidentScore",
]
