"""Reads of the owners' hub's company area (issue 15)."""


def hub_card(*, request, community) -> dict:
    """The company card of the owners' hub (``talents.hub.OWNERS_AREAS``); empty hides it."""
    return {}
