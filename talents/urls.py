"""郡园's pages under /talents/. Each area lists its own patterns as ``urlpatterns`` at the foot of its view
module (``talents/views/<area>.py``); they are joined here, one line each."""
from . import urls_services
from .urls_classes import urlpatterns as classes_urls
from .views import (merchants, owners, owners_assembly, owners_committee, owners_company, owners_election,
                    owners_fund, owners_register, owners_repairs, studios)

app_name = "talents"

urlpatterns: list = (
    studios.urlpatterns  # the hub, the studio pages, the hosts' qualifications
    + merchants.urlpatterns  # partner merchants
    + classes_urls  # classes, sessions, enrolment, children (issue 13 items 3–5, 8)
    + urls_services.urlpatterns  # services by appointment, squads (issue 13 items 7, 10)
    # the owners' hub (issue 15), one line per area
    + owners.urlpatterns  # /talents/owners/
    + owners_register.urlpatterns  # the owner register, its import and the published roster (item 1)
    + owners_committee.urlpatterns  # the committee's terms, recalls, filings and decisions (item 2)
    + owners_election.urlpatterns  # electing a new committee step by step (item 3)
    + owners_assembly.urlpatterns  # owners' assembly motions, requests, deemed consent (item 4)
    + owners_repairs.urlpatterns  # repair projects and the emergency branch (item 5)
    + owners_fund.urlpatterns  # the maintenance fund (item 6)
    + owners_company.urlpatterns  # the property company (item 7)
)
