"""郡园's pages under /talents/. Each area lists its own patterns in ``talents/views/<area>.py``'s module
``talents.urls_<area>``; they are joined here."""
from . import urls_services

app_name = "talents"

urlpatterns: list = []
urlpatterns += urls_services.urlpatterns
