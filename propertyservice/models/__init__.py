"""光明村's models. Each area has its module; import the models from here."""
from .hotline import HotlineCall  # noqa: F401
