"""The hotline's hooks into the core (called from ``door.register``): a case filed from a call links back to it,
and a call whose case is closed counts as answered then."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import extensions, policy
from communities.extensions import OriginLink


def hotline_call_link(*, user, object_id):
    from .models import HotlineCall

    call = HotlineCall.objects.filter(pk=object_id).first()
    if call is None:
        return None
    url = reverse("propertyservice:hotline_detail", args=[call.pk])
    label = _("服务站热线来电：%(time)s %(category)s") % {
        "time": timezone.localtime(call.received_at).strftime("%m-%d %H:%M"), "category": call.get_category_display()}
    return OriginLink(label, url if policy.can(user, "propertyservice.hotline.view", call) else "")


def _case_closed(sender, case, actor, **kwargs):
    from .services.hotline import hotline_case_answered

    hotline_case_answered(case=case)


def register() -> None:
    from .services.hotline import CASE_ORIGIN

    extensions.register_case_origin(CASE_ORIGIN, hotline_call_link)
    extensions.case_closed.connect(_case_closed, dispatch_uid="propertyservice.hotline_case_answered")
