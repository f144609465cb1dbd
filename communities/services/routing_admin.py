"""Committee staff edit where cases go and how long each category may take."""
from django.db import transaction

from .. import policy
from .audit import audit


def routing_save(*, actor, community, rules_formset, categories_formset) -> None:
    """Save both formsets together, or nothing; the change is audited."""
    policy.require(actor, "case.routing", community)
    with transaction.atomic():
        rules = rules_formset.save(commit=False)
        for rule in rules:
            rule.community = community
            rule.save()
        for rule in rules_formset.deleted_objects:
            rule.delete()
        categories_formset.save()
        audit(actor=actor, action="cases.routing", community=community,
              rules=[r.pk for r in rules], deleted=len(rules_formset.deleted_objects),
              categories=[category.pk for category, _fields in categories_formset.changed_objects])
