"""``{% title_badges titles person_id %}``: a person's community titles as badges beside their name.

``titles`` is the dict from ``communities.selectors.titles.titles_for`` (one query for the whole page)."""
from django import template

register = template.Library()


@register.inclusion_tag("communities/fragments/title_badges.html")
def title_badges(titles, person_id):
    return {"person_titles": (titles or {}).get(person_id, [])}
