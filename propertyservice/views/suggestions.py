"""The villagers' suggestion box (村民意见箱): post, my suggestions and the box; the heads' and committee's list
with answer and turn-into-a-meeting-topic."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import policy
from communities.picker import community_checked, community_for
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.sheds import AnswerForm, SuggestionForm
from ..models import Suggestion
from ..selectors import sheds as sel
from ..services import suggestions as svc

POST, ANSWER = "propertyservice.suggestion.post", "propertyservice.suggestion.answer"


@guard(POST)
def suggestion_box(request):
    picked = community_for(request, POST, choices=sel.served(user=request.user, action=POST))
    community = picked.community
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _suggestion, created = svc.suggestion_post(actor=request.user, community=community,
                                                       text=form.cleaned_data["text"],
                                                       anonymous=form.cleaned_data["anonymous"])
        except DomainError as error:
            form.add_error("text", error.message)
        else:
            messages.success(request, _("谢谢您的意见！服务站会尽快答复。") if created else _("刚才已经提交过了。"))
            return redirect(f"{request.path}?community={community.slug}")
    return render(request, "propertyservice/suggestions/box.html", {
        "community": community, "communities": picked.choices, "form": form,
        "mine": sel.my_suggestions(user=request.user, community=community),
        "box": sel.suggestions_box(community=community),
        "may_answer": policy.can(request.user, ANSWER, community)},
        status=400 if request.method == "POST" else 200)


def _staff_community(request):
    community = community_checked(request, ANSWER).community
    if not sel.served(user=request.user, action="propertyservice.hub").filter(pk=community.pk).exists():
        raise Http404
    return community


@guard(ANSWER)
@require_safe
def suggestion_staff(request):
    community = _staff_community(request)
    return render(request, "propertyservice/suggestions/staff.html", {
        "community": community, "suggestions": sel.suggestions_box(community=community, limit=200),
        "answer_form": AnswerForm(),
        # the topics' queue is the committee's (meeting.review): the station's heads see the topic's state only
        "may_review_topics": policy.can(request.user, "meeting.review", community)})


def _suggestion(request, pk) -> Suggestion:
    return policy.get_object_or_404_for(request.user, ANSWER, Suggestion.objects.select_related("community"), pk=pk)


@guard(ANSWER)
@require_POST
def suggestion_answer(request, pk):
    suggestion = _suggestion(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            changed = svc.suggestion_answer(actor=request.user, suggestion_id=suggestion.pk,
                                            answer=form.cleaned_data["answer"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已答复，提出人会收到通知。") if changed else _("答复没有改动。"))
    else:
        messages.error(request, _("请写下答复。"))
    return redirect(f"{_staff_url()}?community={suggestion.community.slug}#suggestion-{suggestion.pk}")


@guard(ANSWER)
@require_POST
def suggestion_topic(request, pk):
    suggestion = _suggestion(request, pk)
    try:
        _row, created = svc.suggestion_to_topic(actor=request.user, suggestion_id=suggestion.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已提交为会议议题，待议事会采纳。") if created else _("已经提交为议题了。"))
    return redirect(f"{_staff_url()}?community={suggestion.community.slug}#suggestion-{suggestion.pk}")


def _staff_url():
    from django.urls import reverse

    return reverse("propertyservice:suggestions_staff")


urlpatterns = [
    path("suggestions/", suggestion_box, name="suggestions"),
    path("suggestions/staff/", suggestion_staff, name="suggestions_staff"),
    path("suggestions/<int:pk>/answer/", suggestion_answer, name="suggestion_answer"),
    path("suggestions/<int:pk>/topic/", suggestion_topic, name="suggestion_topic"),
]
