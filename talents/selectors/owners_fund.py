"""Reads of the owners' hub's fund area (issue 15)."""


def hub_card(*, request, community) -> dict:
    """The fund card of the owners' hub (``talents.hub.OWNERS_AREAS``); empty hides it."""
    return {}
