"""郡园's models. Each area has its module; import the models from here."""
from .appointments import HOLDING, BookingStatus, ServiceBooking, ServiceSlot, StudioService  # noqa: F401
from .squads import SquadProposal, SquadTask, SquadTaskParticipant  # noqa: F401
from .studios import Studio, StudioPhoto  # noqa: F401
