"""The needs list's transitions: each allowed and forbidden source state and actor, double submissions,
photos checked by the core photo service, events and notifications."""
import pytest
from django.core.exceptions import PermissionDenied

from communities.models import Notification, Team
from communities.services.errors import DomainError
from communities.models import CommunityNeed, NeedEvent, NeedPhoto, NeedStatus
from communities.need_workflow import TRANSITIONS as NEED_TRANSITIONS
from communities.services import needs as svc

from ..factories import TeamFactory, serve, team_join
from .needs_world import (  # noqa: F401
    TYPE_MESSAGE, html_as_jpeg, jpeg, landlord2, need, other_landlord, stored_files,
)


def reload(need):
    return CommunityNeed.objects.get(pk=need.pk)


def to_status(need, status, *, staff, giver):
    """Walk ``need`` to ``status`` through the services."""
    if status == NeedStatus.OPEN:
        return reload(need)
    if status == NeedStatus.WITHDRAWN:
        svc.need_withdraw(need_id=need.pk, actor=staff)
        return reload(need)
    svc.need_claim(need_id=need.pk, actor=giver)
    if status in (NeedStatus.DELIVERED, NeedStatus.CONFIRMED):
        svc.need_deliver(need_id=need.pk, actor=giver, photo=jpeg())
    if status == NeedStatus.CONFIRMED:
        svc.need_confirm(need_id=need.pk, actor=staff)
    return reload(need)


# --- posting -------------------------------------------------------------------------------------------

def test_staff_post_a_need_with_a_photo(community, committee_staff, media_root):
    need = svc.need_post(actor=committee_staff, community=community, title="楼道灯维修", photo=jpeg())
    assert need.status == NeedStatus.OPEN
    assert [e.action for e in need.events.all()] == ["post"]
    assert need.photos.count() == 1 and len(stored_files(media_root)) == 1


def test_a_sublandlord_cannot_post(community, landlord):
    with pytest.raises(PermissionDenied):
        svc.need_post(actor=landlord, community=community, title="楼道灯维修")
    assert not CommunityNeed.objects.exists()


def test_staff_of_another_community_cannot_post_here(community, other_community):
    from communities.models import Role

    from ..factories import make_member
    far_staff = make_member(other_community, Role.COMMITTEE_STAFF, username="far-staff")
    with pytest.raises(PermissionDenied):
        svc.need_post(actor=far_staff, community=community, title="楼道灯维修")


@pytest.mark.parametrize("title", ["", "   "])
def test_post_needs_a_title(community, committee_staff, title):
    with pytest.raises(DomainError, match="请填写需求名称"):
        svc.need_post(actor=committee_staff, community=community, title=title)
    assert not CommunityNeed.objects.exists()


def test_post_with_html_renamed_jpg_saves_nothing(community, committee_staff, media_root):
    with pytest.raises(DomainError) as error:
        svc.need_post(actor=committee_staff, community=community, title="垃圾分类宣传牌", photo=html_as_jpeg())
    assert error.value.message == TYPE_MESSAGE
    assert not CommunityNeed.objects.exists() and not NeedPhoto.objects.exists()
    assert stored_files(media_root) == []


# --- claiming ------------------------------------------------------------------------------------------

def test_a_sublandlord_claims_and_staff_hear_of_it(need, landlord, committee_staff):
    outcome = svc.need_claim(need_id=need.pk, actor=landlord)
    need = reload(need)
    assert outcome.changed and need.status == NeedStatus.CLAIMED
    assert need.claimed_by == landlord and need.claimed_at is not None
    assert need.events.last().action == "claim"
    note = Notification.objects.get(recipient=committee_staff)
    assert "陈师傅" in note.title and "小区休闲长椅" in note.title


def test_claiming_twice_is_harmless(need, landlord):
    svc.need_claim(need_id=need.pk, actor=landlord)
    again = svc.need_claim(need_id=need.pk, actor=landlord)
    assert not again.changed
    assert NeedEvent.objects.filter(need=need, action="claim").count() == 1


def test_a_need_claimed_by_someone_else_says_by_whom(need, landlord, landlord2):
    svc.need_claim(need_id=need.pk, actor=landlord)
    with pytest.raises(DomainError) as error:
        svc.need_claim(need_id=need.pk, actor=landlord2)
    assert "已由 陈师傅 认领" in error.value.message
    assert reload(need).claimed_by == landlord


@pytest.mark.parametrize("who", ["resident", "tenant", "committee_staff", "party_secretary"])
def test_only_sublandlords_claim(request, need, who):
    with pytest.raises(PermissionDenied):
        svc.need_claim(need_id=need.pk, actor=request.getfixturevalue(who))
    assert reload(need).status == NeedStatus.OPEN


def test_a_sublandlord_of_another_community_cannot_claim(need, other_landlord):
    with pytest.raises(PermissionDenied):
        svc.need_claim(need_id=need.pk, actor=other_landlord)


def test_claim_for_own_team_and_the_team_members_may_deliver(need, community, landlord, landlord2):
    team = TeamFactory(community=community, name="蓉治社", kind=Team.Kind.LANDLORD_TEAM)
    serve(community)
    team_join(team, landlord, landlord2)
    svc.need_claim(need_id=need.pk, actor=landlord, team=team)
    assert reload(need).giver_name == "蓉治社 · 陈师傅"
    assert svc.need_deliver(need_id=need.pk, actor=landlord2, photo=jpeg()).changed


def test_claim_for_a_team_one_is_not_in_is_refused(need, community, landlord):
    team = TeamFactory(community=community, name="别的队", kind=Team.Kind.SQUAD)
    with pytest.raises(DomainError, match="只能代表自己所在"):
        svc.need_claim(need_id=need.pk, actor=landlord, team=team)
    assert reload(need).status == NeedStatus.OPEN


def test_the_giver_releases_a_claim(need, landlord, landlord2):
    svc.need_claim(need_id=need.pk, actor=landlord)
    with pytest.raises(PermissionDenied):
        svc.need_release(need_id=need.pk, actor=landlord2)
    assert svc.need_release(need_id=need.pk, actor=landlord).changed
    need = reload(need)
    assert need.status == NeedStatus.OPEN and need.claimed_by is None
    assert not svc.need_release(need_id=need.pk, actor=landlord).changed  # a double click
    assert svc.need_claim(need_id=need.pk, actor=landlord2).changed


# --- delivering ----------------------------------------------------------------------------------------

def test_the_giver_delivers_with_a_photo(need, landlord, committee_staff, media_root):
    svc.need_claim(need_id=need.pk, actor=landlord)
    outcome = svc.need_deliver(need_id=need.pk, actor=landlord, photo=jpeg(), note="六张长椅已放在中心花园")
    need = reload(need)
    assert outcome.changed and need.status == NeedStatus.DELIVERED and need.delivered_at
    photo = need.photos.get()
    assert photo.event == outcome.event and photo.uploaded_by == landlord
    assert Notification.objects.filter(recipient=committee_staff, title__contains="待确认").exists()
    again = svc.need_deliver(need_id=need.pk, actor=landlord, photo=jpeg())
    assert not again.changed and need.photos.count() == 1


def test_delivery_with_html_renamed_jpg_is_refused_and_nothing_saved(need, landlord, media_root):
    svc.need_claim(need_id=need.pk, actor=landlord)
    with pytest.raises(DomainError) as error:
        svc.need_deliver(need_id=need.pk, actor=landlord, photo=html_as_jpeg())
    assert error.value.message == TYPE_MESSAGE
    assert reload(need).status == NeedStatus.CLAIMED
    assert not NeedPhoto.objects.exists() and stored_files(media_root) == []


def test_delivery_needs_a_photo(need, landlord):
    svc.need_claim(need_id=need.pk, actor=landlord)
    with pytest.raises(DomainError, match="请上传一张交付的照片"):
        svc.need_deliver(need_id=need.pk, actor=landlord, photo=None)


@pytest.mark.parametrize("who", ["landlord2", "committee_staff", "resident"])
def test_only_the_giver_delivers(request, need, landlord, who):
    svc.need_claim(need_id=need.pk, actor=landlord)
    with pytest.raises(PermissionDenied):
        svc.need_deliver(need_id=need.pk, actor=request.getfixturevalue(who), photo=jpeg())
    assert reload(need).status == NeedStatus.CLAIMED


# --- confirming, sending back, withdrawing -------------------------------------------------------------

def test_staff_confirm_and_the_giver_is_told(need, landlord, committee_staff):
    need = to_status(need, NeedStatus.DELIVERED, staff=committee_staff, giver=landlord)
    assert svc.need_confirm(need_id=need.pk, actor=committee_staff, note="已验收").changed
    need = reload(need)
    assert need.status == NeedStatus.CONFIRMED and need.confirmed_at
    assert Notification.objects.filter(recipient=landlord, title__contains="已确认完成").exists()
    assert not svc.need_confirm(need_id=need.pk, actor=committee_staff).changed
    assert NeedEvent.objects.filter(need=need, action="confirm").count() == 1


def test_the_giver_cannot_confirm_their_own_delivery(need, landlord, committee_staff):
    need = to_status(need, NeedStatus.DELIVERED, staff=committee_staff, giver=landlord)
    with pytest.raises(PermissionDenied):
        svc.need_confirm(need_id=need.pk, actor=landlord)


def test_staff_send_back_with_a_reason(need, landlord, committee_staff):
    need = to_status(need, NeedStatus.DELIVERED, staff=committee_staff, giver=landlord)
    with pytest.raises(DomainError, match="请写明退回的原因"):
        svc.need_send_back(need_id=need.pk, actor=committee_staff, reason=" ")
    assert reload(need).status == NeedStatus.DELIVERED
    svc.need_send_back(need_id=need.pk, actor=committee_staff, reason="照片看不清长椅")
    need = reload(need)
    assert need.status == NeedStatus.CLAIMED and need.claimed_by == landlord and need.delivered_at is None
    note = Notification.objects.get(recipient=landlord, title__contains="退回")
    assert note.body == "照片看不清长椅"


@pytest.mark.parametrize("status", [NeedStatus.OPEN, NeedStatus.CLAIMED])
def test_staff_withdraw_an_open_or_claimed_need(need, landlord, committee_staff, status):
    need = to_status(need, status, staff=committee_staff, giver=landlord)
    assert svc.need_withdraw(need_id=need.pk, actor=committee_staff, reason="已由物业解决").changed
    assert reload(need).status == NeedStatus.WITHDRAWN
    assert Notification.objects.filter(recipient=landlord, title__contains="撤下").exists() == (
        status == NeedStatus.CLAIMED)
    assert not svc.need_withdraw(need_id=need.pk, actor=committee_staff).changed


SERVICES = {"claim": lambda n, a: svc.need_claim(need_id=n.pk, actor=a),
            "release": lambda n, a: svc.need_release(need_id=n.pk, actor=a),
            "deliver": lambda n, a: svc.need_deliver(need_id=n.pk, actor=a, photo=jpeg()),
            "confirm": lambda n, a: svc.need_confirm(need_id=n.pk, actor=a),
            "send_back": lambda n, a: svc.need_send_back(need_id=n.pk, actor=a, reason="再看看"),
            "withdraw": lambda n, a: svc.need_withdraw(need_id=n.pk, actor=a)}
ALLOWED = {(t.source, t.action) for t in NEED_TRANSITIONS}
FORBIDDEN = [(status, action) for status in NeedStatus.values for action in SERVICES
             if (status, action) not in ALLOWED]


@pytest.mark.parametrize("status,action", sorted(ALLOWED))
def test_every_allowed_transition_changes_the_status(need, landlord, committee_staff, status, action):
    need = to_status(need, status, staff=committee_staff, giver=landlord)
    actor = landlord if action in ("claim", "release", "deliver") else committee_staff
    outcome = SERVICES[action](need, actor)
    target = next(t.target for t in NEED_TRANSITIONS if (t.source, t.action) == (status, action))
    assert outcome.changed and reload(need).status == target
    assert need.events.order_by("-id").first().to_status == target


@pytest.mark.parametrize("status,action", FORBIDDEN)
def test_every_forbidden_state_is_refused_with_a_message(need, landlord, committee_staff, status, action):
    need = to_status(need, status, staff=committee_staff, giver=landlord)
    events = need.events.count()
    actor = landlord if action in ("claim", "release", "deliver") else committee_staff
    try:
        outcome = SERVICES[action](need, actor)
    except DomainError:
        pass
    else:
        # Only a repeat of the actor's own last action may pass, and it changes nothing.
        assert not outcome.changed and need.events.order_by("-id").first().action == action
    assert reload(need).status == status and need.events.count() == events


def test_need_events_are_never_edited(need):
    event = need.events.get()
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
