"""蓉庭's writes on its documents: the core's services (communities.services.documents) do the work; this
module names the covenant's paper signature, which only a sublandlord records, for their own tenants."""
import datetime as dt

from communities.models import Community
from communities.services.documents import document_paper_record

from ..documents import DocumentKind


def covenant_paper_record(*, actor, community: Community, person_id: int, signed_on: dt.date):
    """The sublandlord records that one of their own tenants signed the current covenant on paper."""
    return document_paper_record(actor=actor, community=community, kind=DocumentKind.COVENANT, person_id=person_id,
                                 signed_on=signed_on)
