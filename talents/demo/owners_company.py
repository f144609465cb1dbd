"""郡园's demo data for the owners' hub's company area (issue 15)."""


def demo_owners_company_seed(now=None) -> dict:
    return {}
