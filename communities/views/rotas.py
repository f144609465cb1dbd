"""Rota pages: thin views over communities.selectors.rotas and the rota services, guarded by the policy."""
import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy
from ..dates import parse_day, parse_month
from ..forms.rotas import RotaForm, SlotFormSet, SwapOfferForm, slot_initial
from ..models import Rota, Shift, ShiftAssignment, SwapOffer
from ..picker import community_for
from ..policy import guard, public
from ..selectors import rota_feed
from ..selectors import rotas as sel
from ..services import rota_duty, rota_ical, rota_ratio
from ..services.errors import DomainError
from ..services.rotas import rota_save


@guard("rota.mine")
def my_shifts(request):
    return render(request, "communities/rotas/my_shifts.html", {
        "mine": sel.my_shifts(user=request.user), "offer_form": SwapOfferForm(),
        "can_create": policy.can(request.user, "rota.create"), "can_leave": policy.can(request.user, "rota.leave")})


@guard("rota.mine")
def swap_market(request):
    return render(request, "communities/rotas/swap_market.html", {"offers": sel.swap_market(user=request.user)})


@guard("rota.view")
def rota_list(request):
    return render(request, "communities/rotas/rota_list.html", {
        "rotas": sel.rotas_visible(user=request.user), "can_create": policy.can(request.user, "rota.create")})


def _rota(request, pk, action="rota.view"):
    return policy.get_object_or_404_for(request.user, action, Rota.objects.select_related(
        "community", "manager__person", "required_qualification"), pk=pk)


def _week(request) -> dt.date:
    asked = request.GET.get("week", "")
    day = parse_day(asked)
    if day is None:
        if asked:
            messages.warning(request, _("日期无效或超出范围，已显示本周。"))
        day = timezone.localdate()
    return sel.week_start_for(day)


@guard("rota.view")
def rota_calendar(request, pk):
    rota = _rota(request, pk)
    week = _week(request)
    return render(request, "communities/rotas/rota_calendar.html", {
        "rota": rota, "days": sel.rota_week(rota=rota, week_start=week), "week": week,
        "pattern": sel.rota_pattern(rota=rota),
        "previous": week - dt.timedelta(days=7), "next": week + dt.timedelta(days=7),
        "can_manage": policy.can(request.user, "rota.manage", rota),
        "can_qualify": policy.can(request.user, "rota.qualify", rota)})


@guard("rota.view")
def rota_fairness(request, pk):
    rota = _rota(request, pk)
    asked = request.GET.get("month", "")
    first = parse_month(asked)
    if first is None:
        if asked:
            messages.warning(request, _("月份无效或超出范围，已显示本月。"))
        first = timezone.localdate().replace(day=1)
    return render(request, "communities/rotas/rota_fairness.html", {
        "rota": rota, "rows": sel.rota_fairness(rota=rota, year=first.year, month=first.month), "month": first})


def _save_rota(request, *, community, rota=None):
    form = RotaForm(request.POST or None, instance=rota, community=community,
                    may_require=policy.can(request.user, "rota.create", community))
    slots = SlotFormSet(request.POST or None, initial=slot_initial(rota), prefix="slots")
    if request.method == "POST" and form.is_valid() and slots.is_valid():
        # The rota's existing slots count whether or not they were touched (editing only the name keeps
        # them); of the blank extra rows only those filled in.
        kept = slots.initial_form_count()
        specs = [f.spec() for i, f in enumerate(slots.forms) if (i < kept or f.has_changed())
                 and f.cleaned_data and not f.cleaned_data.get("DELETE")]
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved, result = rota_save(actor=request.user, community=community, rota=rota, fields=fields,
                                      manager=form.cleaned_data["manager"],
                                      members=form.cleaned_data["members"], slots=specs)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存“%(name)s”，排出 %(created)s 个班次。") % {
                "name": saved.name, "created": result.created})
            return redirect("communities:rota_calendar", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "communities/rotas/rota_form.html", {
        "form": form, "slots": slots, "rota": rota, "community": community}, status=status)


@guard("rota.create")
def rota_new(request):
    return _save_rota(request, community=community_for(request, "rota.create").community)


@guard("rota.manage")
def rota_edit(request, pk):
    rota = _rota(request, pk, "rota.manage")
    return _save_rota(request, community=rota.community, rota=rota)


@guard("rota.view")
def shift_detail(request, pk):
    shift = policy.get_object_or_404_for(request.user, "rota.view", sel.shift_for_page(shift_id=pk), pk=pk)
    assignments = list(shift.assignments.all())
    mine = next((a for a in assignments if a.user_id == request.user.pk), None)
    now = timezone.now()
    window = sel.check_in_window(shift)  # the same window the check-in service enforces
    return render(request, "communities/rotas/shift_detail.html", {
        "shift": shift, "assignments": assignments, "mine": mine, "now": now,
        "check_in": {"state": window.state(now), "opens_at": window.opens_at,
                     "same_day": timezone.localdate(window.opens_at) == timezone.localdate(now)},
        "open_offers": [o for a in assignments for o in a.open_offers],
        "can_take": policy.can(request.user, "swap.take", shift) and mine is None and shift.starts_at > now,
        "offer_form": SwapOfferForm(),
        "ratio": sel.ratio_breach(per_adult=shift.rota.children_per_adult, children=shift.children_expected,
                                  adults=len(assignments)),
        "can_set_children": (shift.rota.children_per_adult is not None and shift.ends_at > now
                             and policy.can(request.user, "rota.manage", shift))})


@guard("rota.manage")
@require_POST
def shift_children(request, pk):
    """The rota manager sets how many children a session expects (宝妈轮流's child-to-adult ratio)."""
    shift = policy.get_object_or_404_for(request.user, "rota.manage", Shift.objects.select_related("rota"), pk=pk)
    raw = request.POST.get("children_expected", "").strip()
    if raw and not raw.isdigit():
        messages.error(request, _("请填写儿童人数（整数），不知道可以留空。"))
        return redirect("communities:shift_detail", pk=shift.pk)
    _act(request, rota_ratio.shift_children_set, _("已更新预计儿童人数。"), _("儿童人数没有变化。"),
         shift=shift, count=int(raw) if raw else None)
    return redirect("communities:shift_detail", pk=shift.pk)


def _act(request, service, ok, again, **kwargs):
    try:
        changed = service(actor=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return
    if isinstance(changed, tuple):
        changed = changed[1]
    if changed:
        messages.success(request, ok)
    else:
        messages.info(request, again)


def _assignment(request, pk, action):
    return policy.get_object_or_404_for(request.user, action, ShiftAssignment.objects.select_related(
        "shift__rota"), pk=pk)


@guard("shift.check_in")
@require_POST
def shift_check_in(request, pk):
    assignment = _assignment(request, pk, "shift.check_in")
    _act(request, rota_duty.shift_check_in, _("已签到。"), _("您已签到过，无需重复操作。"), assignment_id=assignment.pk)
    return redirect("communities:shift_detail", pk=assignment.shift_id)


@guard("shift.check_in")
@require_POST
def shift_check_out(request, pk):
    assignment = _assignment(request, pk, "shift.check_in")
    _act(request, rota_duty.shift_check_out, _("已签退，辛苦了！"), _("您已签退过，无需重复操作。"),
         assignment_id=assignment.pk)
    return redirect("communities:shift_detail", pk=assignment.shift_id)


@guard("swap.offer")
@require_POST
def swap_offer(request, pk):
    assignment = _assignment(request, pk, "swap.offer")
    form = SwapOfferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("换班原因最多 200 个字。"))
        return redirect("communities:shift_detail", pk=assignment.shift_id)
    _act(request, rota_duty.swap_offer, _("已发起换班，等待其他成员接班。"), _("这个班已在换班中。"),
         assignment_id=assignment.pk, reason=form.cleaned_data["reason"])
    return redirect("communities:shift_detail", pk=assignment.shift_id)


def _offer(request, pk, action):
    return policy.get_object_or_404_for(request.user, action, SwapOffer.objects.select_related(
        "assignment__shift__rota"), pk=pk)


@guard("rota.view")
@require_POST
def swap_withdraw(request, pk):
    offer = _offer(request, pk, "rota.view")
    _act(request, rota_duty.swap_withdraw, _("已撤回换班。"), _("换班已撤回过。"), offer_id=offer.pk)
    return redirect("communities:shift_detail", pk=offer.assignment.shift_id)


@guard("swap.take")
@require_POST
def swap_take(request, pk):
    offer = _offer(request, pk, "swap.take")
    _act(request, rota_duty.swap_take, _("接班成功，已通知对方和负责人。"), _("您已接过这个班。"), offer_id=offer.pk)
    return redirect("communities:shift_detail", pk=offer.assignment.shift_id)


@guard("rota.mine")
def calendar_feed_settings(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            rota_ical.feed_token_revoke(user=request.user)
            messages.success(request, _("订阅链接已作废，原链接不能再使用。"))
        else:
            rota_ical.feed_token_renew(user=request.user)
            messages.success(request, _("已生成新的订阅链接，原链接已作废。"))
        return redirect("communities:calendar_feed_settings")
    token = rota_feed.feed_token_live(user=request.user)
    url = request.build_absolute_uri(reverse("communities:calendar_feed", args=[token.token])) if token else ""
    return render(request, "communities/rotas/calendar_feed.html", {"token": token, "url": url})


@public
def calendar_feed(request, token):
    user = rota_feed.feed_user(token=token)
    if user is None:
        raise Http404
    response = HttpResponse(rota_feed.feed_render(user=user, host=request.get_host().split(":")[0]),
                            content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response

