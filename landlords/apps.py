from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandlordsConfig(AppConfig):
    name = "landlords"
    verbose_name = _("蓉庭 · 二房东自治")

    def ready(self):
        from communities import extensions
        from communities.services.elections import election_published

        from . import documents, door, policies
        from .navigation import landlords_nav
        from .services.team import on_election_published

        policies.register()
        documents.register()
        extensions.register_nav(landlords_nav)
        door.register()  # case origins and panels
        self._register_demo(extensions)
        # The officers follow a published 蓉治社 election, in the publishing transaction.
        election_published.connect(on_election_published, dispatch_uid="landlords.team_officers")

    @staticmethod
    def _register_demo(extensions):
        """蓉庭's demo, after the core's: the team (logins for every sublandlord) first, since the
        other parts name its members. Dotted paths: seed_demo imports them, no web or worker process does."""
        for name, seeder in (("communities served", "landlords.demo.door.demo_served_seed"),
                             ("蓉治社 team and elections", "landlords.demo.team.demo_team_seed"),
                             ("rentals and tenant registrations", "landlords.demo.rentals.demo_rentals_seed"),
                             ("charter and covenant", "landlords.demo.documents.demo_documents_seed"),
                             ("mediation room and channels", "landlords.demo.mediation.demo_mediation_seed"),
                             ("needs list and titles", "landlords.demo.needs.demo_needs_seed"),
                             ("dashboard figures", "landlords.demo.door.demo_figures_seed")):
            extensions.register_demo_seeder(name, seeder)
