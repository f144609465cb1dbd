"""Rentals for committee staff and the Party secretary: the community's tenant registrations (phones masked
unless revealed with a reason), their Excel export (with a purpose) and the over-capacity flags."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from communities import policy
from communities.exports import xlsx_response
from communities.models import Building, Unit
from communities.picker import community_for
from communities.policy import guard
from communities.services.audit import audit
from communities.services.errors import DomainError
from communities.services.personal_data import export_values, reveal_values
from communities.natural import Natural

from ..forms.rentals import ExportForm, PurposeForm, RegistrationFilterForm
from ..selectors.rentals import REVEAL_PHONE, registration_subjects, registrations_for_staff, units_flagged
from ..services.rental_flags import flag_case_open

PAGE_SIZE = 25
MAX_EXPORT_ROWS = 20000
EXPORT_HEADERS = [gettext_lazy("楼栋"), gettext_lazy("房号"), gettext_lazy("租客"), gettext_lazy("手机号码"),
                  gettext_lazy("入住日期"), gettext_lazy("登记时间"), gettext_lazy("逾期登记"), gettext_lazy("迁出日期"),
                  gettext_lazy("二房东")]


def _filtered(request, community):
    buildings = Building.objects.filter(community=community).order_by(Natural("name")).only("pk", "name")
    form = RegistrationFilterForm(request.GET or None, buildings=buildings)
    registrations = registrations_for_staff(user=request.user, community=community, filters=form.to_filters())
    return form, registrations


def _query(request, drop=("page", "purpose", "reveal")) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


@guard("landlords.tenant_registration.list")
def tenant_registration_list(request):
    community = community_for(request, "landlords.tenant_registration.list").community
    form, registrations = _filtered(request, community)
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    may_reveal = policy.can(request.user, REVEAL_PHONE, community)
    reveal_form = PurposeForm(request.GET if "purpose" in request.GET else None)
    purpose = reveal_form.cleaned_data["purpose"] if may_reveal and reveal_form.is_valid() else ""
    rows = list(page.object_list)
    phones = reveal_values(viewer=request.user, subjects=registration_subjects(rows), action=REVEAL_PHONE,
                           purpose=purpose)
    return render(request, "landlords/tenant_registration_list.html", {
        "community": community, "filter_form": form, "page": page, "rows": [(r, phones[r.pk]) for r in rows],
        "may_reveal": may_reveal, "reveal_form": reveal_form if may_reveal else None, "revealed": bool(purpose),
        "purpose": purpose, "may_export": policy.can(request.user, "landlords.tenant_registration.export", community),
        "query": _query(request, drop=("page",)), "filter_query": _query(request),
    })


@guard("landlords.tenant_registration.export")
def tenant_registration_export(request):
    """GET: the form asking the purpose; POST: the filtered list as Excel, logged per tenant."""
    community = community_for(request, "landlords.tenant_registration.export").community
    if not policy.can(request.user, "landlords.tenant_registration.export", community):
        raise Http404
    form = ExportForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "landlords/tenant_registration_export.html", {
            "community": community, "form": form, "query": _query(request)},
            status=400 if request.method == "POST" else 200)
    _filter_form, registrations = _filtered(request, community)
    rows = list(registrations[:MAX_EXPORT_ROWS])
    purpose = form.cleaned_data["purpose"]
    reveal = form.cleaned_data["reveal_phones"]
    # Names and dates leave the app even with masked phones: every row of an export is logged.
    phones = export_values(viewer=request.user, subjects=registration_subjects(rows), action=REVEAL_PHONE,
                           purpose=purpose, reveal=reveal)
    audit(actor=request.user, action="tenants.export", community=community, rows=len(rows), revealed=reveal,
          purpose=purpose, filters=request.GET.urlencode())
    return _workbook_response(rows, phones)


def _workbook_response(rows, phones) -> HttpResponse:
    today = timezone.localdate()
    return xlsx_response(
        filename=_("租客登记-%(date)s.xlsx") % {"date": f"{today:%Y%m%d}"},
        ascii_filename=f"tenants-{today:%Y%m%d}.xlsx", sheet_title=_("租客登记"), headers=EXPORT_HEADERS,
        rows=([r.unit.building.name, r.unit.room, r.residency.person.name, phones[r.pk], r.moved_in,
               r.registered_at, _("是") if r.is_late else "", r.moved_out or "", r.sublandlord.name]
              for r in rows))


@guard("landlords.tenant_registration.list")
def rental_flag_list(request):
    community = community_for(request, "landlords.tenant_registration.list").community
    return render(request, "landlords/rental_flag_list.html", {
        "community": community, "units": list(units_flagged(community=community)),
        "may_open_case": policy.can(request.user, "landlords.rental.flag_case", community),
    })


@guard("landlords.rental.flag_case")
@require_POST
def rental_flag_case(request, pk):
    unit = policy.get_object_or_404_for(request.user, "landlords.rental.flag_case",
                                        Unit.objects.select_related("building__community"), pk=pk)
    try:
        case, created = flag_case_open(actor=request.user, unit=unit)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("landlords:rental_flag_list")
    if created:
        messages.success(request, _("已立案：房屋隔断 · %(unit)s。") % {"unit": unit})
    else:
        messages.info(request, _("这套房屋已有未办结的房屋隔断诉求，没有重复立案。"))
    return redirect("communities:case_detail", pk=case.pk)
