from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..policy import SELF, guard
from ..selectors.notifications import notifications_for
from ..services.notifications import mark_read


@guard(SELF)
def notification_list(request):
    per_page = 8 if request.user.elder_mode else 20
    page = Paginator(notifications_for(user=request.user), per_page).get_page(request.GET.get("page"))
    return render(request, "communities/notification_list.html", {"page": page})


@guard(SELF)
@require_POST
def notification_read(request, pk=None):
    mark_read(user=request.user, notification_id=pk)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("communities:notification_list")
