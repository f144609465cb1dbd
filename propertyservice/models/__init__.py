"""光明村's models. Each area has its module; import the models from here."""
from .incidents import (  # noqa: F401  (incidents)
    Incident, IncidentDispatch, IncidentEvent, IncidentWarning, ResponderProfile, Skill,
)
