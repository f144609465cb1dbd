"""The station's management rules (服务站管理制度: patrol, hand-over, hotline, key custody, safety) as a kind of
the core's versioned documents (``communities.models.documents``): the heads or committee staff draft and adopt
a version, every station staff member acknowledges each adopted version ("我已阅读并遵守"), and the heads and
committee staff see who has not yet. Registered from ``propertyservice.door.register``."""
from django.utils.translation import gettext_lazy as _

from communities.extensions import DocumentKindSpec
from communities.picker import community_url

KIND = "stn_rules"  # the brief said "stationrule": the core allows 10 characters at most
ACTIONS = {"draft": "propertyservice.rules.draft", "adopt": "propertyservice.rules.adopt",
           "acknowledge": "propertyservice.rules.acknowledge", "report": "propertyservice.rules.report"}


def _page(version) -> str:
    return community_url("propertyservice:station_rules", version.community)


SPEC = DocumentKindSpec(kind=KIND, label=_("服务站管理制度"), actions=ACTIONS, url=_page)


def register() -> None:
    from communities import extensions

    extensions.register_document_kind(SPEC)
