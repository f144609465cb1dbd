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
from .owners_register import AreaRecord, AreaSource, RosterPublication  # noqa: F401
