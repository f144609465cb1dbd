"""What incidents hand the core through the door: the link from a follow-up case back to its incident."""
from django.urls import reverse
from django.utils.translation import gettext as _

from communities import policy
from communities.extensions import OriginLink


def incident_origin(*, user, object_id):
    from .models import Incident

    incident = Incident.objects.filter(pk=object_id).first()
    if incident is None:
        return None
    url = reverse("propertyservice:incident_detail", args=[incident.pk])
    return OriginLink(_("突发事件：%(kind)s · %(place)s") % {"kind": incident.get_kind_display(), "place": incident.place},
                      url if policy.can(user, "propertyservice.incident.view", incident) else "")
