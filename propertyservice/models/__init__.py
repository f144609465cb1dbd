"""光明村's models. Each area has its module; import the models from here."""
from .gate import Camera, GateEntry, VehicleClass  # noqa: F401
from .hotline import HotlineCall  # noqa: F401
from .incidents import (  # noqa: F401
    Incident, IncidentDispatch, IncidentEvent, IncidentWarning, ResponderProfile, Skill,
)
from .parking import FeeBand, FeeStandard, ParkingCharge, ParkingSpace, Vehicle  # noqa: F401
from .patrols import (  # noqa: F401
    GarbageCheck, GarbageHandover, HandoverNote, PatrolCheckpoint, PatrolRoute, PatrolRun, PatrolScan, PatrolScanPhoto,
)
from .sheds import ChargingPort, ChargingSession, ChargingShed, FlyingWireReport, SafetyCheck, Suggestion  # noqa: F401
from .staffing import (  # noqa: F401
    RECRUIT_OPEN, Assessment, Recruit, RecruitEvent, TrainingAttendance, TrainingSession,
)
from .station import (  # noqa: F401
    ADULT_AGE, ALERT_DAYS, FILING_DAYS, Certificate, CertificateKind, PostKind, StaffPost, StationPost,
    StationProfile,
)
