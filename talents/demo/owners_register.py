"""郡园's demo data for the owners' hub's register area (issue 15)."""


def demo_owners_register_seed(now=None) -> dict:
    return {}
