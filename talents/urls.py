"""郡园's pages under /talents/. Each area lists its own patterns in ``talents/urls_<area>.py``; they are joined
here."""
from .urls_classes import urlpatterns as classes_urls

app_name = "talents"

urlpatterns: list = []
urlpatterns += classes_urls  # classes, sessions, enrolment, children (issue 13 items 3–5, 8)
