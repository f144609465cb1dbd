"""服务站考核: the evaluation page (heads, committee), the standard (every member), the villager's scoring page
(one question per residents' criterion, four big buttons, a clear 提交 and a thank-you), the paper-form entry
(station and committee staff) and the improvement actions. Thin views over the core engine."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import policy
from communities.models import Election, EvaluationStandard, ImprovementAction, Motion
from communities.picker import community_for, community_url
from communities.policy import guard
from communities.selectors import evaluations as core
from communities.services import evaluations as core_svc
from communities.services.errors import DomainError

from ..forms.evaluation import (
    ActionAssignForm, ActionCloseForm, PaperForm, ResultEnterForm, ScoreForm, StandardAdoptForm, StandardDraftForm,
    criteria_lines,
)
from ..selectors import evaluation as sel
from ..services import evaluation as svc

SUBJECT = sel.SUBJECT


def _community(request, action):
    """The village, among those the app serves where the user has a role; 403 without the right there."""
    community = community_for(request, action, choices=sel.served_communities(user=request.user)).community
    policy.require(request.user, action, community)
    return community


@guard("propertyservice.evaluation.view")
@require_safe
def evaluation_page(request):
    community = _community(request, "propertyservice.evaluation.view")
    data = sel.evaluation_page(community=community)
    names = [f.criterion.name for f in data["this"].criteria] if data["this"] else []
    can_act = policy.can(request.user, "propertyservice.evaluation.actions", community)
    return render(request, "propertyservice/evaluation_page.html", {
        "community": community, **data, "criterion_trends": sel.criterion_trend(data["trend"], names),
        "can_act": can_act, "can_paper": policy.can(request.user, "propertyservice.evaluation.paper", community),
        "assign_form": ActionAssignForm(community=community) if can_act else None,
        "close_form": ActionCloseForm() if can_act else None,
        "enter_form": ResultEnterForm(standard=data["this"].standard) if can_act and data["this"] else None,
    })


@guard("propertyservice.evaluation.actions")
@require_POST
def result_enter(request):
    """人工录入: a head or committee staff give this month's value of a criterion by hand."""
    community = _community(request, "propertyservice.evaluation.actions")
    try:
        evaluation = core_svc.evaluation_open(community=community, subject=SUBJECT)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(community_url("propertyservice:evaluation", community))
    form = ResultEnterForm(request.POST, standard=evaluation.standard)
    if not form.is_valid():
        messages.error(request, _("请选择评价项目，得分在 0 到 100 之间。"))
    else:
        score = form.cleaned_data["score"]
        try:
            core_svc.result_enter(actor=request.user, evaluation=evaluation, criterion=form.cleaned_data["criterion"],
                                  value=None if score is None else score / 100, note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已录入“%(name)s”。") % {"name": form.cleaned_data["criterion"].name})
    return redirect(community_url("propertyservice:evaluation", community))


@guard("propertyservice.evaluation.standard")
@require_safe
def standard_page(request):
    community = _community(request, "propertyservice.evaluation.standard")
    can_draft = policy.can(request.user, "propertyservice.evaluation.draft", community)
    return render(request, "propertyservice/evaluation_standard.html", {
        "community": community, "standards": core.standards_of(community=community, subject=SUBJECT),
        "can_draft": can_draft, "adopt_form": StandardAdoptForm(motions=_village_motions(community)) if can_draft
        else None})


def _village_motions(community):
    """Motions of the village's published villagers' and representatives' meetings (the decisions that may adopt
    a standard; the service checks each passed)."""
    return (Motion.objects.filter(election__community=community, election__status=Election.Status.PUBLISHED,
                                  election__rule__in=[Election.Rule.VILLAGERS, Election.Rule.REPRESENTATIVES])
            .select_related("election").order_by("-election__published_at", "order"))


@guard("propertyservice.evaluation.draft")
def standard_draft(request):
    """起草新版本: committee staff start from the version in force (or the last one) and change it."""
    community = _community(request, "propertyservice.evaluation.draft")
    latest = next(iter(core.standards_of(community=community, subject=SUBJECT)), None)
    initial = {"title": latest.title, "weight_objective": latest.weight_objective,
               "weight_cases": latest.weight_cases, "weight_residents": latest.weight_residents,
               "threshold": latest.threshold, "criteria": criteria_lines(latest)} if latest else {
        "title": _("物业管理服务站考核办法"), "weight_objective": 50, "weight_cases": 25, "weight_residents": 25,
        "threshold": "0.6"}
    form = StandardDraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            standard = core_svc.standard_draft(
                actor=request.user, community=community, subject=SUBJECT, title=data["title"],
                criteria=data["criteria"], threshold=data["threshold"],
                weights={"objective": data["weight_objective"], "cases": data["weight_cases"],
                         "residents": data["weight_residents"]})
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已起草第 %(v)s 版，请提交村民会议表决。") % {"v": standard.version})
            return redirect(community_url("propertyservice:evaluation_standard", community))
    status = 400 if request.method == "POST" else 200
    return render(request, "propertyservice/evaluation_draft.html", {"community": community, "form": form},
                  status=status)


@guard("propertyservice.evaluation.draft")
@require_POST
def standard_adopt(request, pk):
    standard = policy.get_object_or_404_for(request.user, "propertyservice.evaluation.draft",
                                            EvaluationStandard.objects.select_related("community"),
                                            pk=pk, subject=SUBJECT)
    form = StandardAdoptForm(request.POST, motions=_village_motions(standard.community))
    if not form.is_valid():
        messages.error(request, _("请选择表决通过该标准的议题。"))
    else:
        try:
            core_svc.standard_adopt(actor=request.user, standard=standard, motion=form.cleaned_data["motion"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("第 %(v)s 版已施行。") % {"v": standard.version})
    return redirect(community_url("propertyservice:evaluation_standard", standard.community))


def _score_context(community, evaluation_standard):
    criteria = sel.residents_criteria(standard=evaluation_standard)
    return criteria, evaluation_standard.scale_values()


@guard("propertyservice.evaluation.score")
def score_page(request):
    """村民评价: the household's answers this month, all questions on one page, for elder mode too."""
    community = _community(request, "propertyservice.evaluation.score")
    now = timezone.now()
    month = sel.local_month(now)
    evaluation = core.evaluation_of(community=community, subject=SUBJECT, month=month)
    standard = evaluation.standard if evaluation else core.standard_in_force(community=community, subject=SUBJECT)
    unit = sel.household_of(user=request.user, community=community)
    context = {"community": community, "standard": standard, "unit": unit, "month": month}
    if standard is None or unit is None:
        return render(request, "propertyservice/evaluation_score.html", context)
    criteria, scale = _score_context(community, standard)
    given = core.household_answers(evaluation=evaluation, unit=unit) if evaluation else {}
    by_other = any(s.person_id != policy.person_id_of(request.user) for s in given.values())
    form = ScoreForm(request.POST or None, criteria=criteria, scale=scale,
                     initial_answers={pk: s.label for pk, s in given.items()})
    if request.method == "POST" and not by_other and form.is_valid():
        try:
            changed = svc.villager_score(actor=request.user, community=community, answers=form.answers(), now=now)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return render(request, "propertyservice/evaluation_thanks.html",
                          {**context, "changed": changed, "corrected": bool(given)})
    status = 400 if request.method == "POST" else 200
    return render(request, "propertyservice/evaluation_score.html",
                  {**context, "form": form, "given": bool(given), "by_other": by_other}, status=status)


@guard("propertyservice.evaluation.paper")
def paper_page(request):
    """录入纸质评价表: staff pick the household and type in its answers."""
    community = _community(request, "propertyservice.evaluation.paper")
    standard = core.standard_in_force(community=community, subject=SUBJECT)
    context = {"community": community, "standard": standard}
    if standard is None:
        return render(request, "propertyservice/evaluation_paper.html", context)
    month = sel.local_month(timezone.now())
    evaluation = core.evaluation_of(community=community, subject=SUBJECT, month=month)
    if evaluation is not None:
        standard = evaluation.standard
    criteria, scale = _score_context(community, standard)
    form = PaperForm(request.POST or None, criteria=criteria, scale=scale,
                     households=sel.households(community=community))
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        try:
            svc.paper_enter(actor=request.user, community=community, unit=unit, answers=form.answers())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已录入 %(unit)s 的纸质评价表。")
                             % {"unit": form.fields["unit"].label_from_instance(unit)})
            return redirect(community_url("propertyservice:evaluation_paper", community))
    status = 400 if request.method == "POST" else 200
    return render(request, "propertyservice/evaluation_paper.html",
                  {**context, "form": form, "entries": sel.paper_entries(evaluation=evaluation)}, status=status)


def _action(request, pk) -> ImprovementAction:
    return policy.get_object_or_404_for(request.user, "propertyservice.evaluation.actions",
                                        ImprovementAction.objects.select_related("community", "criterion"),
                                        pk=pk, evaluation__subject=SUBJECT)


@guard("propertyservice.evaluation.actions")
@require_POST
def action_assign(request, pk):
    action = _action(request, pk)
    form = ActionAssignForm(request.POST, community=action.community)
    if not form.is_valid():
        messages.error(request, _("请选择负责人并填写整改期限。"))
    else:
        try:
            svc.action_assign(actor=request.user, action=action, owner=form.cleaned_data["owner"],
                              due_on=form.cleaned_data["due_on"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已指定“%(name)s”的整改负责人。") % {"name": action.criterion.name})
    return redirect(community_url("propertyservice:evaluation", action.community))


@guard("propertyservice.evaluation.actions")
@require_POST
def action_close(request, pk):
    action = _action(request, pk)
    form = ActionCloseForm(request.POST)
    try:
        note = form.cleaned_data["closing_note"] if form.is_valid() else ""
        changed = core_svc.action_close(actor=request.user, action=action, closing_note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("整改已完成。") if changed else _("该整改事项已经完成。"))
    return redirect(community_url("propertyservice:evaluation", action.community))


urlpatterns = [
    path("evaluation/", evaluation_page, name="evaluation"),
    path("evaluation/standard/", standard_page, name="evaluation_standard"),
    path("evaluation/standard/draft/", standard_draft, name="evaluation_standard_draft"),
    path("evaluation/standard/<int:pk>/adopt/", standard_adopt, name="evaluation_standard_adopt"),
    path("evaluation/score/", score_page, name="evaluation_score"),
    path("evaluation/paper/", paper_page, name="evaluation_paper"),
    path("evaluation/enter/", result_enter, name="evaluation_enter"),
    path("evaluation/actions/<int:pk>/assign/", action_assign, name="evaluation_action_assign"),
    path("evaluation/actions/<int:pk>/close/", action_close, name="evaluation_action_close"),
]
