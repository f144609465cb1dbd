"""郡园's pages under /talents/. Each area lists its own patterns as ``urlpatterns`` at the foot of its view
module (``talents/views/<area>.py``); they are joined here, one line each."""
from . import urls_services
from .urls_classes import urlpatterns as classes_urls
from .views import merchants, studios

app_name = "talents"

urlpatterns: list = (
    studios.urlpatterns  # the hub, the studio pages, the hosts' qualifications
    + merchants.urlpatterns  # partner merchants
    + classes_urls  # classes, sessions, enrolment, children (issue 13 items 3–5, 8)
    + urls_services.urlpatterns  # services by appointment, squads (issue 13 items 7, 10)
)
