"""光明村's models. Each area has its module; import the models from here."""
from .sheds import ChargingPort, ChargingSession, ChargingShed, FlyingWireReport, SafetyCheck, Suggestion  # noqa: F401
from .hotline import HotlineCall  # noqa: F401
