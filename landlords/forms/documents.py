from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import DocumentVersion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DocumentDraftForm(forms.ModelForm):
    class Meta:
        model = DocumentVersion
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}
        help_texts = {"body": _("按条书写，每条一段；页面按原样分行显示。")}


class CharterAdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("通过日期"), widget=DATE,
                                 help_text=_("蓉治社全体会议通过本章程的日期，不能晚于今天。"))


class PaperSignatureForm(forms.Form):
    """The tenant is chosen among the sublandlord's own tenants (the view passes them)."""

    tenant = forms.TypedChoiceField(label=_("租客"), coerce=int)
    signed_on = forms.DateField(label=_("签字日期"), widget=DATE)

    def __init__(self, *args, tenants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant"].choices = [
            (r.person_id, f"{r.person.name}（{r.unit.building.name} {r.unit.room}）") for r in tenants]
