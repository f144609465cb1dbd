"""``dict|get_item:key`` for the classes pages (the actions and consents of each row, computed in the view)."""
from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
