from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("社区与居民")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import extensions, signals  # noqa: F401
        from .sms import checks  # noqa: F401  (registers the SMS backend check)
        from .natural import register_on_sqlite
        from .selectors.meetings import ACTION_ITEM_ORIGIN, action_item_origin

        # The core's own origin of a case (a meeting's action item) goes through the same door as the apps'.
        extensions.register_case_origin(ACTION_ITEM_ORIGIN, action_item_origin)
        connection_created.connect(register_on_sqlite, dispatch_uid="communities.natural_key")
