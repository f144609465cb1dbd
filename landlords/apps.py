from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandlordsConfig(AppConfig):
    name = "landlords"
    verbose_name = _("蓉庭 · 二房东自治")

    def ready(self):
        from communities import extensions

        from . import policies
        from .navigation import landlords_nav

        policies.register()
        extensions.register_nav(landlords_nav)
