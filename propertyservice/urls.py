"""光明村's pages under /property/. Each area lists its own patterns as ``urlpatterns`` at the foot of its view
module (``propertyservice/views/<area>.py``); they are joined here, one line each."""
from .views import hub
from .views import flying, sheds, suggestions
from .views import hotline
from .views import staffing, station
from .views import patrols
from .views import gate, parking  # noqa: E402

app_name = "propertyservice"

urlpatterns: list = (
    hub.urlpatterns  # the hub and the heads' board
    + sheds.urlpatterns + flying.urlpatterns + suggestions.urlpatterns  # e-bike sheds, flying wires, suggestions
    + hotline.urlpatterns
    + station.urlpatterns + staffing.urlpatterns  # the station and its people, recruitment and training
    + patrols.urlpatterns  # patrols, hand-over notes, the garbage log
    + gate.urlpatterns + parking.urlpatterns  # the gate, parking
)
