"""光明村's pages under /property/. Each area lists its own patterns as ``urlpatterns`` at the foot of its view
module (``propertyservice/views/<area>.py``); they are joined here, one line each."""
from .views import (
    evaluation, flying, gate, hotline, hub, incidents, parking, patrols, sheds, staffing, station, suggestions,
)

app_name = "propertyservice"

urlpatterns: list = (
    hub.urlpatterns  # the hub and the heads' board
    + station.urlpatterns + staffing.urlpatterns  # the station and its people, recruitment and training
    + patrols.urlpatterns  # patrols, hand-over notes, the garbage log
    + incidents.urlpatterns  # incidents and the emergency team
    + hotline.urlpatterns  # the 24-hour hotline
    + gate.urlpatterns + parking.urlpatterns  # the gate, parking
    + sheds.urlpatterns + flying.urlpatterns + suggestions.urlpatterns  # e-bike sheds, flying wires, suggestions
    + evaluation.urlpatterns  # 服务站考核
)
