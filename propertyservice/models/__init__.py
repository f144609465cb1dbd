"""光明村's models. Each area has its module; import the models from here."""
from .patrols import (  # noqa: F401
    GarbageCheck, GarbageHandover, HandoverNote, PatrolCheckpoint, PatrolRoute, PatrolRun, PatrolScan, PatrolScanPhoto,
)
