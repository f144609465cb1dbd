"""郡园's demo data for the owners' hub's repairs area (issue 15)."""


def demo_owners_repairs_seed(now=None) -> dict:
    return {}
