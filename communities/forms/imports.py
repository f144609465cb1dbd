from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Community


class ImportConfirmForm(forms.Form):
    """The preview's 确认导入: the staged rows' token, and each new building ticked to be created."""

    step = forms.CharField(widget=forms.HiddenInput, initial="confirm")
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    community = forms.ModelChoiceField(queryset=Community.objects.none(), widget=forms.HiddenInput)
    buildings = forms.MultipleChoiceField(label=_("确认新建这些楼栋"), required=False,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, new_buildings=(), communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities if communities is not None else Community.objects.all()
        self.fields["buildings"].choices = [(name, name) for name in new_buildings]
        self.new_buildings = list(new_buildings)
        if not self.new_buildings:
            del self.fields["buildings"]

    def clean(self):
        data = super().clean()
        missing = [n for n in self.new_buildings if n not in (data.get("buildings") or [])]
        if missing:
            self.add_error("buildings" if "buildings" in self.fields else None, _(
                "这些楼栋还没有登记：%(names)s。请核对名称；确实要新建的请逐个勾选确认，写错的请改表后重新上传。")
                % {"names": "、".join(missing)})
        data.setdefault("buildings", [])
        return data
