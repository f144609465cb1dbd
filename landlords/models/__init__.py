"""蓉庭's models: the 蓉治社 team, rentals and tenant registrations, documents, the mediation room,
the two groups, the needs list and the scorecard's titles. Each area has its own module."""
from .rentals import RentalDeclaration, TenantRegistration  # noqa: F401
