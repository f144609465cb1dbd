"""A form refused with an error does not keep the files chosen on it (a browser never re-fills a file input):
``FileNotKeptMixin`` says so under each file field that had one, so the user knows to choose it again."""
from django import forms
from django.utils.translation import gettext_lazy as _

FILE_NOT_KEPT = _("表单有错，所选文件没有保存：请改正后重新选择文件再提交。")


class FileNotKeptMixin:
    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField) and self.files.get(self.add_prefix(name)) and name not in self._errors:
                self.add_error(name, FILE_NOT_KEPT)
