"""The owners' hub's company area (issue 15): the company page (contract, its clock and reminders, the window's
latest, the survey's results, the fee history), the 物业之窗, the owners' survey, and the staff forms. Patterns at
the foot, joined in ``talents/urls.py``."""
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities import policy
from communities.picker import community_url
from communities.policy import guard
from communities.services.errors import DomainError
from communities.views.photos import SECURITY_HEADERS

from ..forms.owners_company import ContractForm, DocumentForm, FeeChangeForm, FeePublishForm, NoticeForm, SurveyForm
from ..models import CompanyFile, FeeChange, PropertyContract, PublicDocument
from ..selectors import owners_company as sel
from ..services import owners_company as svc
from .owners_picker import owners_community_for

VIEW, MANAGE, RATE = "talents.owners.view", "talents.company.manage", "talents.company.rate"


def _page_context(request, community):
    today = timezone.localdate()
    contract = sel.current_contract(community=community)
    latest = sel.survey_latest(community=community, on=today)
    return {
        "community": community, "contract": contract,
        "clock": sel.contract_clock(contract=contract, on=today) if contract else None,
        "documents": sel.window_documents(community=community, on=today, limit=5),
        "fees": sel.fee_history(community=community), "survey": latest,
        "survey_label": sel.quarter_label(latest.month) if latest else "",
        "trend": sel.survey_trend(community=community),
        "survey_open": sel.survey_open_now(community=community, on=today),
        "can_manage": policy.can(request.user, MANAGE, community),
        "can_rate": policy.can(request.user, RATE, community),
        "notice_form": NoticeForm(), "publish_form": FeePublishForm(),
    }


@guard(VIEW)
@require_safe
def company_page(request):
    community = owners_community_for(request, VIEW).community
    return render(request, "talents/owners/company_page.html", _page_context(request, community))


@guard(VIEW)
@require_safe
def window_page(request):
    community = owners_community_for(request, VIEW).community
    return render(request, "talents/owners/company_window.html", {
        "community": community, "documents": sel.window_documents(community=community, on=timezone.localdate()),
        "can_manage": policy.can(request.user, MANAGE, community)})


@guard(VIEW)
@require_safe
def company_file(request, pk):
    row = policy.get_object_or_404_for(request.user, VIEW, CompanyFile.objects.all(), pk=pk)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=row.content_type, filename=f"company-{row.pk}.{row.extension}")
    for header, value in SECURITY_HEADERS.items():
        response[header] = value
    return response


def _store(request, community, upload):
    return svc.company_file_store(actor=request.user, community=community, upload=upload) if upload else None


def _form_page(request, template, context, status):
    return render(request, f"talents/owners/{template}", context, status=status)


@guard(MANAGE)
def contract_new(request):
    community = owners_community_for(request, MANAGE).community
    form = ContractForm(request.POST or None, request.FILES or None, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                svc.contract_create(
                    actor=request.user, community=community, company_name=data["company_name"],
                    credit_code=data["credit_code"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                    fee_residential=data["fee_residential"], fee_parking=data["fee_parking"],
                    file=_store(request, community, data["file"]), chosen_by=data["chosen_by"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记物业服务合同。"))
            return redirect(community_url("talents:owners_company", community))
    return _form_page(request, "company_contract_form.html", {"community": community, "form": form},
                      400 if request.method == "POST" else 200)


@guard(MANAGE)
@require_POST
def contract_notice(request, pk):
    contract = policy.get_object_or_404_for(request.user, MANAGE, PropertyContract.objects.all(), pk=pk)
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            svc.contract_non_renewal_record(actor=request.user, contract=contract,
                                            notice_on=form.cleaned_data["notice_on"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            contract.refresh_from_db()
            if contract.notice_late:
                messages.warning(request, _("已登记。企业告知晚于合同届满前九十日，属于逾期告知（第四十六条）。"))
            else:
                messages.success(request, _("已登记企业不续约的书面告知。"))
    else:
        messages.error(request, _("请填写告知日期。"))
    return redirect(community_url("talents:owners_company", contract.community))


@guard(MANAGE)
def document_new(request):
    community = owners_community_for(request, MANAGE).community
    form = DocumentForm(request.POST or None, request.FILES or None,
                        initial={"published_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                svc.document_publish(actor=request.user, community=community, kind=data["kind"],
                                     title=data["title"], body=data["body"],
                                     file=_store(request, community, data["file"]),
                                     published_on=data["published_on"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已在物业之窗公示。"))
            return redirect(community_url("talents:owners_company_window", community))
    return _form_page(request, "company_document_form.html", {"community": community, "form": form},
                      400 if request.method == "POST" else 200)


@guard(MANAGE)
@require_POST
def document_withdraw(request, pk):
    document = policy.get_object_or_404_for(request.user, MANAGE, PublicDocument.objects.all(), pk=pk)
    svc.document_withdraw(actor=request.user, document=document, on=timezone.localdate())
    messages.success(request, _("已撤下。"))
    return redirect(community_url("talents:owners_company_window", document.community))


@guard(MANAGE)
def fee_new(request):
    community = owners_community_for(request, MANAGE).community
    contract = sel.current_contract(community=community)
    form = FeeChangeForm(request.POST or None, request.FILES or None, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if contract is None:
                raise DomainError(_("请先登记物业服务合同。"), code="no_contract")
            with transaction.atomic():
                svc.fee_change_create(actor=request.user, contract=contract, property_kind=data["property_kind"],
                                      new_fee=data["new_fee"], effective_on=data["effective_on"],
                                      reason=data["reason"], audit_file=_store(request, community, data["audit_file"]),
                                      decision=data["decision"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记收费标准调整，尚未公示。"))
            return redirect(community_url("talents:owners_company", community))
    return _form_page(request, "company_fee_form.html", {"community": community, "form": form, "contract": contract},
                      400 if request.method == "POST" else 200)


@guard(MANAGE)
@require_POST
def fee_publish(request, pk):
    change = policy.get_object_or_404_for(request.user, MANAGE, FeeChange.objects.all(), pk=pk)
    form = FeePublishForm(request.POST, request.FILES)
    form.is_valid()
    try:
        with transaction.atomic():
            svc.fee_change_publish(actor=request.user, fee_change=change,
                                   audit_file=_store(request, change.community, form.cleaned_data.get("audit_file")))
    except DomainError as exc:
        context = _page_context(request, change.community)
        context["publish_error"], context["publish_error_for"] = exc.message, change.pk
        return render(request, "talents/owners/company_page.html", context, status=400)
    if change.is_raise and change.decision_id is None:
        messages.warning(request, _("已公示。注意：这是提高收费标准，但没有关联业主共同决定。收费标准由物业服务合同约定，"
                                    "调整合同约定属于业主共同决定的事项（民法典第二百七十八条）。"))
    else:
        messages.success(request, _("已在物业之窗公示收费标准调整和审计报告。"))
    return redirect(community_url("talents:owners_company", change.community))


@guard(MANAGE)
@require_POST
def survey_open(request):
    community = owners_community_for(request, MANAGE).community
    try:
        svc.survey_open(actor=request.user, community=community)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("本季度的满意度调查已开始。"))
    return redirect(community_url("talents:owners_company", community))


@guard(RATE)
def survey_rate(request):
    community = owners_community_for(request, VIEW).community  # the picker knows roles; being an owner is checked next
    policy.require(request.user, RATE, community)
    today = timezone.localdate()
    survey = sel.survey_open_now(community=community, on=today)
    context = {"community": community, "survey": survey,
               "quarter": sel.quarter_label(survey.month) if survey else ""}
    if survey is None:
        return render(request, "talents/owners/company_survey.html", context)
    criteria = list(survey.standard.criteria.all())
    form = SurveyForm(request.POST or None, criteria=criteria, scale=survey.standard.scale_values())
    if request.method == "POST" and form.is_valid():
        try:
            svc.survey_rate(actor=request.user, community=community, answers=form.answers())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("谢谢您的评价！"))
            return redirect(community_url("talents:owners_company", community))
    context["form"] = form
    return render(request, "talents/owners/company_survey.html", context,
                  status=400 if request.method == "POST" else 200)


urlpatterns = [
    path("owners/company/", company_page, name="owners_company"),
    path("owners/company/window/", window_page, name="owners_company_window"),
    path("owners/company/window/new/", document_new, name="owners_company_document_new"),
    path("owners/company/window/<int:pk>/withdraw/", document_withdraw, name="owners_company_document_withdraw"),
    path("owners/company/file/<int:pk>/", company_file, name="owners_company_file"),
    path("owners/company/contract/new/", contract_new, name="owners_company_contract_new"),
    path("owners/company/contract/<int:pk>/notice/", contract_notice, name="owners_company_notice"),
    path("owners/company/fees/new/", fee_new, name="owners_company_fee_new"),
    path("owners/company/fees/<int:pk>/publish/", fee_publish, name="owners_company_fee_publish"),
    path("owners/company/survey/", survey_rate, name="owners_company_survey"),
    path("owners/company/survey/open/", survey_open, name="owners_company_survey_open"),
]
