"""The owners' hub's fund area (issue 15): the fund page (balances by building, the freeze, the top-up warnings),
a building's households, the half-yearly statements, and the staff's bookings, freezes and warning steps.
Patterns at the foot, joined in ``talents/urls.py``."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import policy
from communities.models import Building
from communities.picker import community_for, community_url
from communities.policy import guard
from communities.services.errors import DomainError

from ..forms.owners_fund import (FundBookingForm, FundFreezeForm, FundLiftForm, StatementPublishForm,
                                 WarningStepForm)
from ..models import FundEntry, FundFreeze, FundStatement, TopUpWarning
from ..selectors import owners_fund as sel
from ..selectors import studios as studio_sel
from ..selectors.owners_fund_core import half_year_ended_before
from ..services import owners_fund as svc

VIEW, MANAGE = "talents.owners.view", "talents.fund.manage"


def _picked(request, action=VIEW):
    return community_for(request, action, choices=studio_sel.hub_communities(user=request.user, action=action))


def _back(community):
    return redirect(community_url("talents:owners_fund", community))


@guard(VIEW)
def fund_page(request):
    picked = _picked(request)
    community, today = picked.community, timezone.localdate()
    return render(request, "talents/owners/fund_page.html", {
        "community": community, "communities": picked.choices, "today": today,
        **sel.fund_page(community=community, today=today),
        "mine": sel.own_households(user=request.user, community=community),
        "can_manage": policy.can(request.user, MANAGE, community), "step_form": WarningStepForm()})


@guard(VIEW)
def fund_building(request, pk):
    building = policy.get_object_or_404_for(request.user, VIEW, Building.objects.select_related("community"), pk=pk)
    rows = sel.building_households(community=building.community, building=building)
    return render(request, "talents/owners/fund_building.html", {
        "community": building.community, "building": building, "households": rows,
        "line": next((line for line in sel.buildings_ledger(community=building.community)
                      if line.building.pk == building.pk), None)})


@guard(VIEW)
def fund_statements(request):
    picked = _picked(request)
    can_manage = policy.can(request.user, MANAGE, picked.community)
    form = None
    if can_manage:
        form = StatementPublishForm(initial={"period_start": half_year_ended_before(timezone.localdate())[0]})
    return render(request, "talents/owners/fund_statements.html", {
        "community": picked.community, "communities": picked.choices,
        "statements": sel.statements(community=picked.community), "can_manage": can_manage, "form": form})


@guard(MANAGE)
@require_POST
def fund_statement_publish(request):
    picked = _picked(request, MANAGE)
    form = StatementPublishForm(request.POST)
    if form.is_valid():
        try:
            statement, created = svc.fund_statement_publish(actor=request.user, community=picked.community,
                                                            period_start=form.cleaned_data["period_start"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已公示。") if created else _("这半年的账目已经公示过。"))
            return redirect("talents:owners_fund_statement", pk=statement.pk)
    return render(request, "talents/owners/fund_statements.html", {
        "community": picked.community, "communities": picked.choices, "can_manage": True, "form": form,
        "statements": sel.statements(community=picked.community)}, status=400)


@guard(VIEW)
def fund_statement(request, pk):
    statement = policy.get_object_or_404_for(request.user, VIEW, FundStatement.objects.select_related(
        "community", "published_by"), pk=pk)
    return render(request, "talents/owners/fund_statement.html", {
        "community": statement.community, "statement": statement, "s": statement.snapshot})


def _book(form, actor, community):
    data, kind = form.cleaned_data, form.cleaned_data["kind"]
    common = {"actor": actor, "on": data["booked_on"], "note": data["note"], "batch": data["batch"]}
    if kind == FundEntry.Kind.INTEREST:
        return svc.fund_book_interest(community=community, total=data["total"], **common)
    if kind == FundEntry.Kind.PAYMENT:
        return svc.fund_pay_past(community=community, total=data["total"], building=data["building"], **common)
    if kind == FundEntry.Kind.REFUND:
        if len(data["lines"]) != 1:
            raise DomainError(_("退还每次只记一户：请在逐户金额里填一行。"), code="lines")
        unit, amount = data["lines"][0]
        return svc.fund_refund(unit=unit, amount=amount, **common)
    book = svc.fund_collect_initial if kind == FundEntry.Kind.INITIAL else svc.fund_top_up
    return book(community=community, rate=data["rate"], amounts=data["lines"], building=data["building"], **common)


@guard(MANAGE)
def fund_book(request):
    picked = _picked(request, MANAGE)
    form = FundBookingForm(request.POST or None, community=picked.community)
    if request.method == "POST" and form.is_valid():
        try:
            rows = _book(form, request.user, picked.community)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已记账 %(n)s 户。") % {"n": len(rows)})
            return _back(picked.community)
    return render(request, "talents/owners/fund_book.html", {"community": picked.community, "form": form},
                  status=400 if request.method == "POST" else 200)


@guard(MANAGE)
def fund_freeze(request):
    picked = _picked(request, MANAGE)
    form = FundFreezeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.fund_freeze(actor=request.user, community=picked.community, on=form.cleaned_data["started_on"],
                            reason=form.cleaned_data["reason"], conditions=form.cleaned_data["conditions"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记冻结。"))
            return _back(picked.community)
    return render(request, "talents/owners/fund_freeze.html", {"community": picked.community, "form": form},
                  status=400 if request.method == "POST" else 200)


@guard(MANAGE)
def fund_lift(request, pk):
    freeze = policy.get_object_or_404_for(request.user, MANAGE, FundFreeze.objects.select_related("community"),
                                          pk=pk)
    form = FundLiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.fund_unfreeze(actor=request.user, freeze=freeze, on=form.cleaned_data["lifted_on"],
                              note=form.cleaned_data["note"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已解冻。"))
            return _back(freeze.community)
    return render(request, "talents/owners/fund_lift.html", {"community": freeze.community, "freeze": freeze,
                                                             "form": form},
                  status=400 if request.method == "POST" else 200)


@guard(MANAGE)
@require_POST
def fund_warning_step(request, pk, step):
    warning = policy.get_object_or_404_for(request.user, MANAGE, TopUpWarning.objects.select_related("community"),
                                           pk=pk)
    form = WarningStepForm(request.POST)
    service = {"decided": svc.fund_warning_decided, "notices": svc.fund_warning_notices_sent}.get(step)
    if service is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("请填写日期。"))
    else:
        try:
            service(actor=request.user, warning=warning, on=form.cleaned_data["on"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录。"))
    return _back(warning.community)


urlpatterns = [
    path("owners/fund/", fund_page, name="owners_fund"),
    path("owners/fund/buildings/<int:pk>/", fund_building, name="owners_fund_building"),
    path("owners/fund/statements/", fund_statements, name="owners_fund_statements"),
    path("owners/fund/statements/publish/", fund_statement_publish, name="owners_fund_statement_publish"),
    path("owners/fund/statements/<int:pk>/", fund_statement, name="owners_fund_statement"),
    path("owners/fund/book/", fund_book, name="owners_fund_book"),
    path("owners/fund/freeze/", fund_freeze, name="owners_fund_freeze"),
    path("owners/fund/freeze/<int:pk>/lift/", fund_lift, name="owners_fund_lift"),
    path("owners/fund/warnings/<int:pk>/<str:step>/", fund_warning_step, name="owners_fund_warning_step"),
]
