"""郡园's models. Each area has its module; import the models from here."""
from .appointments import HOLDING, BookingStatus, ServiceBooking, ServiceSlot, StudioService  # noqa: F401
from .classes import (  # noqa: F401
    OPEN_ENROLMENT, SEAT_HOLDING, ChildProfile, ClassSession, Enrolment, EnrolmentEvent, EnrolmentPerson,
    FeaturedClass, Guardianship, PhotoConsent, SessionAttendance, TalentClass,
)
from .merchants import Merchant, MerchantReferral  # noqa: F401
from .squads import SquadProposal, SquadTask, SquadTaskParticipant  # noqa: F401
from .studios import HostQualification, Studio, StudioPhoto  # noqa: F401
from .owners import CommitteeTerm, OwnersAssembly, RepairProject, Scope, ScopedToUnits  # noqa: F401
from .owners_fund import FundEntry, FundFreeze  # noqa: F401
from .owners_election import CandidateCheck, CommitteeElection, ElectionStep, PreparatoryMember  # noqa: F401
from .owners_committee import CommitteeDecision, CommitteeFiling, CommitteeRecall  # noqa: F401
from .owners_repairs import RepairDocument, RepairEvent, RepairItem, RepairPhoto, RepairReferral  # noqa: F401
from .owners_assembly import AssemblyCallDue, AssemblyRequest, Art278Item, BallotDelivery, EstateVotingRules, MotionBasis  # noqa: F401,E501
from .owners_fund import FundStatement, TopUpWarning  # noqa: F401
from .owners_company import CompanyFile, ContractReminder, FeeChange, PropertyContract, PublicDocument  # noqa: F401,E501
from .owners_register import AreaRecord, AreaSource, RosterPublication  # noqa: F401
