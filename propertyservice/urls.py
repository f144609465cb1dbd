"""光明村's pages under /property/. Each area lists its own patterns as ``urlpatterns`` at the foot of its view
module (``propertyservice/views/<area>.py``); they are joined here, one line each."""
from .views import hub
from .views import evaluation

app_name = "propertyservice"

urlpatterns: list = (
    hub.urlpatterns  # the hub and the heads' board
    + evaluation.urlpatterns  # 服务站考核
)
