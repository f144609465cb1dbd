"""光明村's models. Each area has its module; import the models from here."""
from .gate import Camera, GateEntry, VehicleClass  # noqa: E402,F401
from .parking import FeeBand, FeeStandard, ParkingCharge, ParkingSpace, Vehicle  # noqa: E402,F401
