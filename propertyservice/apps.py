from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropertyserviceConfig(AppConfig):
    name = "propertyservice"
    verbose_name = _("光明村 · 物业管理服务站")

    def ready(self):
        from communities import extensions

        from . import door, policies

        policies.register()
        door.register()  # menu entries, panels, case origins
        for name, seeder in door.DEMO_SEEDERS:
            extensions.register_demo_seeder(name, seeder)
