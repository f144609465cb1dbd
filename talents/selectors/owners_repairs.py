"""Reads of the owners' hub's repairs area (issue 15)."""


def hub_card(*, request, community) -> dict:
    """The repairs card of the owners' hub (``talents.hub.OWNERS_AREAS``); empty hides it."""
    return {}
