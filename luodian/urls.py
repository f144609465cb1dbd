from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from communities.policy import public
from communities.views.health import healthz
from communities.views.home import home

admin.site.site_header = "罗店社区治理 · 管理后台"
admin.site.site_title = "罗店社区治理"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("communities.urls_accounts")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("communities.urls")),
    path("landlords/", include("landlords.urls")),
    path("talents/", include("talents.urls")),
    path("property/", include("propertyservice.urls")),
]
