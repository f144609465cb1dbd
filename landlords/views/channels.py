"""Pages of the two groups (二群): my channels, a channel's announcements, one announcement, posting."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import policy
from communities.picker import community_checked
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.channels import AnnouncementForm
from ..models import Announcement, Channel
from ..selectors import channels as sel
from ..services.channels import announcement_mark_read, announcement_post, channels_ensure


@guard("landlords.channel.list")
def channel_list(request):
    manageable = policy.communities_for(request.user, "landlords.channel.manage")
    return render(request, "landlords/channel_list.html", {
        "channels": sel.channels_for(user=request.user), "manageable": manageable})


@guard("landlords.channel.manage")
@require_POST
def channels_sync(request):
    """The community comes in the form's hidden ``community`` field (communities.picker)."""
    community = community_checked(request, "landlords.channel.manage", default=False).community
    made = channels_ensure(community=community, actor=request.user)
    messages.success(request, _("已建立 %(n)s 个群组。") % {"n": made} if made else _("群组都已建好。"))
    return redirect("landlords:channel_list")


def _channel(request, pk, action="landlords.channel.view"):
    return policy.get_object_or_404_for(request.user, action, Channel.objects.select_related(
        "community", "building"), pk=pk)


@guard("landlords.channel.view")
def channel_detail(request, pk):
    channel = _channel(request, pk)
    page = Paginator(sel.channel_announcements(user=request.user, channel=channel),
                     8 if request.user.elder_mode else 20).get_page(request.GET.get("page"))
    return render(request, "landlords/channel_detail.html", {
        "channel": channel, "page": page, "can_post": policy.can(request.user, "landlords.channel.post", channel)})


@guard("landlords.channel.post")
def announcement_new(request, pk):
    channel = _channel(request, pk)
    if not policy.can(request.user, "landlords.channel.post", channel):
        raise PermissionDenied
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            announcement, created = announcement_post(actor=request.user, channel=channel, title=data["title"],
                                                      body=data["body"], submission_key=data["submission_key"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("公告已发布。") if created else _("这条公告已经发布过了。"))
            return redirect("landlords:announcement_detail", pk=announcement.pk)
    return render(request, "landlords/announcement_new.html", {"channel": channel, "form": form})


@guard("landlords.channel.view")
def announcement_detail(request, pk):
    announcement = policy.get_object_or_404_for(
        request.user, "landlords.channel.view",
        Announcement.objects.select_related("channel__community", "channel__building", "posted_by__person"), pk=pk)
    announcement_mark_read(user=request.user, announcement=announcement)
    receipts = None
    if policy.can(request.user, "landlords.announcement.receipts", announcement):
        receipts = sel.announcement_receipts(announcement=announcement)
    return render(request, "landlords/announcement_detail.html", {
        "announcement": announcement, "channel": announcement.channel, "receipts": receipts})
