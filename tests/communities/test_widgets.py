"""FastSelect writes the same markup as Django's Select, so forms look and behave the same."""
from django import forms

from communities.forms.widgets import FastSelect


def squeeze(html: str) -> str:
    return "".join(html.split())


def test_fast_select_renders_what_django_renders_with_escaping_and_selection():
    attrs = {"class": "form-select", "id": "id_building", "required": True}
    choices = [("", "全部楼栋"), ("1", "1号楼 <b>"), ("2", "2号楼 & 3号楼")]
    django_html = forms.Select(attrs=attrs, choices=choices).render("building", "2")
    fast_html = FastSelect(attrs=attrs, choices=choices).render("building", "2")
    assert squeeze(fast_html) == squeeze(django_html)
    assert "&lt;b&gt;" in fast_html and '<option value="2" selected>' in fast_html


def test_fast_select_renders_groups():
    choices = [("", "—"), ("一组", [("a", "甲"), ("b", "乙")])]
    django_html = forms.Select(choices=choices).render("x", "b")
    assert squeeze(FastSelect(choices=choices).render("x", "b")) == squeeze(django_html)
