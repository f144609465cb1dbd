"""Forms of the repair projects' steps (``talents.repair_workflow`` names them). Field names are the services'
keywords, so ``REPAIRS.run(action, data=form.cleaned_data)`` passes them on as they are.

A form that comes back with an error keeps nothing of its photos or files (they are only checked, never stored,
when the step is refused): the page says so next to the field (``KEEP_NOTE``)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from communities.forms.cases import PhotosField
from communities.models import Building

from ..models import RepairProject, Scope

FILE_ACCEPT = {"accept": "application/pdf,image/jpeg,image/png"}
KEEP_NOTE = _("页面报错时照片和文件不会保存，请重新选择后再提交。")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class Bootstrap:
    """Bootstrap classes on every widget; ids prefixed by the step (several step forms share one page)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{type(self).__name__.lower()}_%s")
        super().__init__(*args, **kwargs)
        self.style()

    def style(self):
        for field in self.fields.values():
            widget = field.widget
            css = ("form-check-input" if isinstance(widget, forms.CheckboxInput) else
                   "form-select" if isinstance(widget, forms.Select) else "form-control")
            widget.attrs.setdefault("class", css)


def file_field(label, required=False):
    return forms.FileField(label=label, required=required, widget=forms.ClearableFileInput(attrs=FILE_ACCEPT),
                           help_text=_("PDF、JPEG 或 PNG，不超过 10 MB。"))


class ScopeMixin(forms.Form):
    scope = forms.ChoiceField(label=_("费用分摊范围"), choices=Scope.choices, initial=Scope.BUILDING)
    building = forms.ModelChoiceField(label=_("楼栋"), queryset=Building.objects.none(), required=False,
                                      empty_label=_("（全体业主时不选）"))
    entrance = forms.CharField(label=_("单元"), max_length=20, required=False, help_text=_("例如：2单元"))

    def set_community(self, community):
        self.fields["building"].queryset = Building.objects.filter(community=community).order_by("name")


class ProjectForm(Bootstrap, ScopeMixin):
    title = forms.CharField(label=_("项目名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=RepairProject.Kind.choices)
    description = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    emergency = forms.BooleanField(label=_("紧急维修（沪物业规定第七十三条：外墙脱落、房屋渗漏险情，须经鉴定）"),
                                   required=False)
    case_ids = forms.CharField(label=_("反映问题的工单编号"), required=False, help_text=_("多个用逗号分开，例如 12, 15"))
    photos = PhotosField(label=_("现场照片"), help_text=KEEP_NOTE)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_community(community)

    def clean_case_ids(self):
        raw = self.cleaned_data["case_ids"].replace("，", ",").replace("#", "")
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("工单编号只能是数字。")) from None


class LinkCaseForm(Bootstrap, forms.Form):
    case_id = forms.IntegerField(label=_("工单编号"), min_value=1)


class AppraisalForm(Bootstrap, forms.Form):
    body = forms.CharField(label=_("鉴定机构"), max_length=100)
    report_no = forms.CharField(label=_("鉴定报告编号"), max_length=60)
    conclusion = forms.CharField(label=_("鉴定结论"), widget=forms.Textarea(attrs={"rows": 3}))
    danger_certified = forms.BooleanField(label=_("鉴定确认存在危险（外墙脱落、屋面外墙渗漏严重影响使用）"),
                                          required=False)
    submitted_on = forms.DateField(label=_("鉴定报告提交业委会日期"), required=False, widget=DATE,
                                   help_text=_("紧急维修的7日期限从提交的次日起算（民法典第二百零一条）。"))
    document = file_field(_("鉴定报告"))


ITEM_ROWS = 5


class PlanForm(Bootstrap, ScopeMixin):
    document = file_field(_("使用方案文件"))

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, ITEM_ROWS + 1):
            self.fields[f"item_{i}"] = forms.CharField(label=_("第 %(n)s 项 维修内容") % {"n": i}, max_length=200,
                                                      required=i == 1)
            self.fields[f"amount_{i}"] = forms.DecimalField(label=_("第 %(n)s 项 金额(元)") % {"n": i},
                                                           max_digits=12, decimal_places=2, required=i == 1,
                                                           min_value=0)
        if community is not None:
            self.set_community(community)
        self.style()

    def item_rows(self):
        return [(self[f"item_{i}"], self[f"amount_{i}"]) for i in range(1, ITEM_ROWS + 1)]

    def service_data(self) -> dict:
        data = self.cleaned_data
        items = [(data.get(f"item_{i}") or "", data.get(f"amount_{i}")) for i in range(1, ITEM_ROWS + 1)]
        return {"items": [(t, a) for t, a in items if t or a], "scope": data["scope"], "building": data["building"],
                "entrance": data["entrance"], "document": data["document"]}


class VoteOpenForm(Bootstrap, forms.Form):
    closes_at = forms.DateTimeField(label=_("表决截止时间"), widget=DATETIME)


class EmergencyApprovalForm(Bootstrap, forms.Form):
    approved_by = forms.CharField(label=_("批准的业委会成员（主任或受委托的委员）"), max_length=60)
    approved_at = forms.DateTimeField(label=_("批准时间"), widget=DATETIME)


class ReferralForm(Bootstrap, forms.Form):
    referred_on = forms.DateField(label=_("报送日期"), widget=DATE)
    referred_to = forms.CharField(label=_("报送单位"), max_length=100, initial=_("宝山区房屋管理局"))
    reference_no = forms.CharField(label=_("受理编号"), max_length=60)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProceedForm(Bootstrap, forms.Form):
    reason = forms.CharField(label=_("不经业主表决的理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("不填则记录业委会批准或报区房屋管理局的情况。"))


class AuditForm(Bootstrap, forms.Form):
    auditor = forms.CharField(label=_("审价单位"), max_length=100)
    audited_amount = forms.DecimalField(label=_("审定金额(元)"), max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("说明（超过预算时必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document = file_field(_("审价报告"), required=True)


class ContractForm(Bootstrap, forms.Form):
    party = forms.CharField(label=_("施工单位"), max_length=100)
    amount = forms.DecimalField(label=_("合同金额(元)"), max_digits=12, decimal_places=2)
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE)
    document = file_field(_("施工合同"), required=True)


class ProgressForm(Bootstrap, forms.Form):
    percent = forms.IntegerField(label=_("施工进度(%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("进展说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photos = PhotosField(label=_("施工照片"), help_text=KEEP_NOTE)


class AcceptanceForm(Bootstrap, forms.Form):
    accepted_on = forms.DateField(label=_("验收日期"), widget=DATE)
    accepted_by = forms.CharField(label=_("参加验收的人员"), max_length=200)
    result = forms.CharField(label=_("验收结论"), widget=forms.Textarea(attrs={"rows": 2}))
    photos = PhotosField(label=_("验收照片"), help_text=KEEP_NOTE)


class PaymentForm(Bootstrap, forms.Form):
    amount = forms.DecimalField(label=_("支付金额(元)"), max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label=_("支付日期"), widget=DATE)
    note = forms.CharField(label=_("摘要"), max_length=200, required=False)


class PublishForm(Bootstrap, forms.Form):
    final_account = forms.CharField(label=_("决算说明"), widget=forms.Textarea(attrs={"rows": 3}))
    published_on = forms.DateField(label=_("公示日期"), widget=DATE)
