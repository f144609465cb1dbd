"""郡园's demo data for the owners' hub's fund area (issue 15)."""


def demo_owners_fund_seed(now=None) -> dict:
    return {}
