"""郡园's models. Each area has its module; import the models from here."""
from .merchants import Merchant, MerchantReferral  # noqa: F401
from .studios import HostQualification, Studio, StudioPhoto  # noqa: F401
