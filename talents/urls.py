"""郡园's pages under /talents/. Each area lists its own patterns as ``urlpatterns`` at the foot of its view
module (``talents/views/<area>.py``); they are joined here, one line each."""
from .urls_classes import urlpatterns as classes_urls
from .views import merchants, studios

app_name = "talents"

urlpatterns: list = (
    studios.urlpatterns  # the hub, the studio pages, the hosts' qualifications
    + merchants.urlpatterns  # partner merchants
    + classes_urls  # classes, sessions, enrolment, children (issue 13 items 3–5, 8)
)
