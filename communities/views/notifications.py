from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from ..models import Notification
from ..policy import SELF, guard
from ..selectors.notifications import inbox_for
from ..services.notifications import mark_read, notification_open


@guard(SELF)
def notification_list(request):
    per_page = 8 if request.user.elder_mode else 20
    page = Paginator(inbox_for(user=request.user), per_page).get_page(request.GET.get("page"))
    return render(request, "communities/notification_list.html", {"page": page})


def _local(request, target: str) -> bool:
    return bool(target) and target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure())


@guard(SELF)
@require_http_methods(["GET", "POST"])
def notification_open_view(request, pk):
    """Opening a notification marks it (and its case's group) read and goes to what it is about.
    A GET works too (a link in the inbox or the e-mail); another user's notification is a 404."""
    try:
        note = notification_open(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if _local(request, note.url):
        return redirect(note.url)
    return redirect("communities:notification_list")


@guard(SELF)
@require_POST
def notification_read(request, pk=None):
    mark_read(user=request.user, notification_id=pk)
    target = request.POST.get("next", "")
    if _local(request, target):
        return redirect(target)
    return redirect("communities:notification_list")
