"""郡园's demo data for the owners' hub's election area (issue 15)."""


def demo_owners_election_seed(now=None) -> dict:
    return {}
