"""蓉庭's two kinds of the core's versioned documents (communities.models.documents): the 蓉治社's charter
(《蓉治社自治章程》, acknowledged by the team's sublandlords, adopted on the date the team voted it) and the tenant
covenant (《租户公约》, drafted by the team, approved by committee staff, acknowledged by every tenant living in
the community, in the app or on paper recorded by their sublandlord)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.extensions import DocumentKindSpec
from communities.picker import community_url


class DocumentKind(models.TextChoices):
    CHARTER = "charter", _("蓉治社自治章程")
    COVENANT = "covenant", _("租户公约")


# The policy action for each step of each kind (landlords/policies.py, block "documents").
DOCUMENT_ACTIONS = {
    DocumentKind.CHARTER: {"draft": "landlords.charter.draft", "adopt": "landlords.charter.adopt",
                           "acknowledge": "landlords.charter.acknowledge", "report": "landlords.charter.report"},
    DocumentKind.COVENANT: {"draft": "landlords.covenant.draft", "adopt": "landlords.covenant.approve",
                            "acknowledge": "landlords.covenant.acknowledge", "report": "landlords.covenant.report",
                            "record_paper": "landlords.covenant.record_paper"},
}


def _page(version) -> str:
    return community_url("landlords:document_current", version.community, kind=version.kind)


def _tenant(person, community) -> bool:
    from .selectors.documents import is_tenant

    return is_tenant(person=person, community=community)


def _own_tenants(actor, community):
    from .selectors.documents import own_tenant_people

    return own_tenant_people(actor=actor, community=community)


KINDS = [
    DocumentKindSpec(kind=DocumentKind.CHARTER.value, label=DocumentKind.CHARTER.label,
                     actions=DOCUMENT_ACTIONS[DocumentKind.CHARTER], adoption_dated=True, url=_page),
    DocumentKindSpec(kind=DocumentKind.COVENANT.value, label=DocumentKind.COVENANT.label,
                     actions=DOCUMENT_ACTIONS[DocumentKind.COVENANT], url=_page, bound=_tenant,
                     unbound_message=_("只有本社区在住的租客需要确认租户公约。"), paper_signers=_own_tenants),
]


def register() -> None:
    """Called once from the app config, through the door."""
    from communities import extensions

    for spec in KINDS:
        extensions.register_document_kind(spec)
