"""郡园's demo data for the owners' hub's assembly area (issue 15)."""


def demo_owners_assembly_seed(now=None) -> dict:
    return {}
