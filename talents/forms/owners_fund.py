"""Forms of the fund area (issue 15): a booking (first collection, top-up, interest, refund), a freeze and its
lifting, a top-up warning's steps, a statement."""
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Building, Unit

from ..models import FundEntry

DATE = forms.DateInput(attrs={"type": "date"})
K = FundEntry.Kind


class FundBookingForm(forms.Form):
    KINDS = [(K.INITIAL, K.INITIAL.label), (K.TOP_UP, K.TOP_UP.label), (K.INTEREST, K.INTEREST.label),
             (K.REFUND, K.REFUND.label), (K.PAYMENT, _("往期维修支出（无维修项目）"))]
    kind = forms.ChoiceField(label=_("类别"), choices=KINDS)
    booked_on = forms.DateField(label=_("记账日期"), widget=DATE)
    rate = forms.DecimalField(label=_("每平方米金额(元)"), required=False, min_value=Decimal("0.01"),
                              decimal_places=2, help_text=_("首期归集、续筹：按专有面积计，每户一行。"))
    building = forms.ModelChoiceField(label=_("楼栋"), queryset=Building.objects.none(), required=False,
                                      empty_label=_("（全小区）"))
    lines = forms.CharField(label=_("逐户金额"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("不按面积时，每行一户：楼栋 房号 金额，例如“1号楼 101 12000.00”。退还只填一行。"))
    total = forms.DecimalField(label=_("总额(元)"), required=False, decimal_places=2,
                               help_text=_("利息：按各户当日余额分摊到分。往期维修支出：按专有面积分摊到所选楼栋（或全小区）各户。"))
    note = forms.CharField(label=_("摘要"), max_length=200, required=False)
    batch = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["building"].queryset = Building.objects.filter(community=community)
        if not self.is_bound:
            self.initial.setdefault("batch", uuid.uuid4().hex)

    def clean_lines(self):
        text, pairs = self.cleaned_data.get("lines") or "", []
        wanted = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 3:
                raise forms.ValidationError(_("第%(n)s行应为：楼栋 房号 金额。") % {"n": n})
            try:
                amount = Decimal(parts[2])
            except InvalidOperation:
                raise forms.ValidationError(_("第%(n)s行的金额不是数字。") % {"n": n}) from None
            wanted.append((n, parts[0], parts[1], amount))
        units = {(u.building.name, u.room): u for u in Unit.objects.filter(
            building__community=self.community, building__name__in={w[1] for w in wanted}).select_related("building")}
        for n, building, room, amount in wanted:
            unit = units.get((building, room))
            if unit is None:
                raise forms.ValidationError(_("第%(n)s行：本小区没有 %(b)s %(r)s。") % {"n": n, "b": building, "r": room})
            pairs.append((unit, amount))
        return pairs


class FundFreezeForm(forms.Form):
    started_on = forms.DateField(label=_("冻结日期"), widget=DATE)
    reason = forms.CharField(label=_("冻结原因"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("例如：换届期间，资料和印章移交房管办（沪物业规定第二十九条）。"))
    conditions = forms.CharField(label=_("解冻条件"), widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("例如：新一届业委会备案，资料和印章移交完毕。"))


class FundLiftForm(forms.Form):
    lifted_on = forms.DateField(label=_("解冻日期"), widget=DATE)
    note = forms.CharField(label=_("解冻条件如何满足"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WarningStepForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE)


class StatementPublishForm(forms.Form):
    period_start = forms.DateField(label=_("公示期起始日"), widget=DATE,
                                   help_text=_("1月1日或7月1日；半年结束后才能公示。"))
