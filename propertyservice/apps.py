from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropertyserviceConfig(AppConfig):
    name = "propertyservice"
    verbose_name = _("光明村 · 物业管理服务站")
