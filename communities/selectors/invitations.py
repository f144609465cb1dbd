"""Reading invitation slips (communities.models.invitations)."""
from ..models import Building, Invitation, Unit
from ..models.invitations import token_hash
from ..natural import Natural


def invitation_for_token(*, token: str) -> Invitation | None:
    return (Invitation.objects.select_related("user__person", "community")
            .filter(token_hash=token_hash(token)).first())


def buildings_for_registering(*, community):
    return Building.objects.filter(community=community).select_related("village_group").order_by(
        Natural("village_group__name"), Natural("name"))


def unit_in(*, building: Building, room: str) -> Unit | None:
    return Unit.objects.filter(building=building, room=" ".join((room or "").split())).first()
