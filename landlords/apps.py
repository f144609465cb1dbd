from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandlordsConfig(AppConfig):
    name = "landlords"
    verbose_name = _("蓉庭 · 二房东自治")

    def ready(self):
        from communities import extensions
        from communities.services.elections import election_published

        from . import policies
        from .navigation import landlords_nav
        from .services.team import on_election_published

        policies.register()
        extensions.register_nav(landlords_nav)
        # The officers follow a published 蓉治社 election, in the publishing transaction.
        election_published.connect(on_election_published, dispatch_uid="landlords.team_officers")
