"""郡园's demo data for the owners' hub's committee area (issue 15)."""


def demo_owners_committee_seed(now=None) -> dict:
    return {}
