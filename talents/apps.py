from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentsConfig(AppConfig):
    name = "talents"
    verbose_name = _("郡园 · 达人工作室")

    def ready(self):
        from communities import extensions

        from . import door, policies

        policies.register()
        door.register()  # menu entries, panels, case origins
        for name, seeder in door.DEMO_SEEDERS:
            extensions.register_demo_seeder(name, seeder)
