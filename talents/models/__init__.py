"""郡园's models. Each area has its module; import the models from here."""
from .studios import Studio, StudioPhoto  # noqa: F401
