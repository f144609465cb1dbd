"""Access rules of the 蓉庭 app, registered into the core policy module (communities.policy).

The core decides every access through ``policy.can``/``policy.scope``; this module only adds the
landlords app's actions to its table, and tells ``scope`` how each model reaches its community.
Each area adds its rules in its own block below.
"""
from django.db.models import Q

from communities import policy
from communities.models import DocumentVersion, Role
from communities.policy import ALL_ROLES, Rule, person_id_of

from .models import TenantRegistration

STAFF = frozenset({Role.COMMITTEE_STAFF})
LEADERS = frozenset({Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY})
SUBLANDLORDS = frozenset({Role.SUBLANDLORD})

ALL = frozenset(Role.values)

RULES: dict[str, Rule] = {
    # --- hub and scorecard ---------------------------------------------------------------------
    # The 蓉治社 page of a community: every member sees the team, its meetings and its duty room.
    "landlords.hub": Rule(ALL),
    # Every sublandlord's scorecard, sortable and exportable: committee staff and the Party secretary.
    "landlords.scorecard": Rule(LEADERS),
    # Opening the scorecard page: leaders see every row (above), a sublandlord their own.
    "landlords.scorecard_view": Rule(LEADERS | SUBLANDLORDS),
    # --- elections area: the 蓉治社 team page (members, officers, its elections) for every member of the
    # community. The elections themselves use the core's election.* rules.
    "landlords.team.view": Rule(frozenset(Role.values)),
}

# --- documents: the charter (《蓉治社自治章程》) and the tenant covenant (《租户公约》) ----------------
# Two kinds of the core's versioned documents (registered in landlords.documents); document.view and
# document.withdraw are the core's rules, these are the steps of the two kinds.


def _officer(user, obj) -> bool:
    """A 蓉治社 officer of the object's community may draft the charter."""
    from .selectors.team import is_officer

    return is_officer(user, policy.community_of(obj))


def _officer_q(user) -> Q:
    from .selectors.team import officer_community_ids

    return Q(community_id__in=officer_community_ids(user))


RULES.update({
    # The charter: drafted by committee staff or team officers, adopted by committee staff.
    "landlords.charter.draft": Rule(STAFF, town=False, extra=_officer, extra_roles=SUBLANDLORDS,
                                    extra_scope={DocumentVersion: _officer_q}),
    "landlords.charter.adopt": Rule(STAFF, town=False),
    "landlords.charter.acknowledge": Rule(SUBLANDLORDS, town=False),
    # The covenant: the team (sublandlords, officers among them) drafts, committee staff approve.
    "landlords.covenant.draft": Rule(SUBLANDLORDS, town=False),
    "landlords.covenant.approve": Rule(STAFF, town=False),
    "landlords.covenant.acknowledge": Rule(frozenset({Role.TENANT}), town=False),
    # A sublandlord records the paper signature of one of their own tenants (the service checks whose).
    "landlords.covenant.record_paper": Rule(SUBLANDLORDS, town=False),
    # Who has and has not acknowledged (names and masked phones).
    "landlords.charter.report": Rule(LEADERS),
    # Tenants' names: the community's leaders only, not town roles (tenant data stays in the community).
    "landlords.covenant.report": Rule(LEADERS, town=False),
})


# --- rentals (租户进出登记) ---------------------------------------------------------------------
# A sublandlord manages only the units they let now, and sees only their own registrations (and the
# active ones of the units they let now); a tenant sees only their own; committee staff and the Party
# secretary see the community's. Town roles get none of it: tenant data stays in the community.


def _lets_unit(user, unit) -> bool:
    pid = person_id_of(user)
    return pid is not None and getattr(unit, "sublandlord_id", None) == pid and unit.is_let


def _lets_unit_q(user) -> Q:
    pid = person_id_of(user)
    return Q(sublandlord_id=pid, is_let=True) if pid is not None else Q(pk__in=[])


def _sublandlord_of_registration(user, registration) -> bool:
    pid = person_id_of(user)
    if pid is None or not isinstance(registration, TenantRegistration):
        return False
    return registration.sublandlord_id == pid or (registration.moved_out is None
                                                   and registration.unit.sublandlord_id == pid)


def _sublandlord_of_registration_q(user) -> Q:
    pid = person_id_of(user)
    if pid is None:
        return Q(pk__in=[])
    return Q(sublandlord_id=pid) | Q(moved_out__isnull=True, unit__sublandlord_id=pid)


def _registration_visible(user, registration) -> bool:
    pid = person_id_of(user)
    if pid is None or not isinstance(registration, TenantRegistration):
        return False
    return _sublandlord_of_registration(user, registration) or registration.residency.person_id == pid


def _registration_visible_q(user) -> Q:
    pid = person_id_of(user)
    if pid is None:
        return Q(pk__in=[])
    return (Q(sublandlord_id=pid) | Q(unit__sublandlord_id=pid, moved_out__isnull=True)
            | Q(residency__person_id=pid))


TENANT_SIDE = frozenset({Role.SUBLANDLORD, Role.TENANT})

RULES.update({
    # The sublandlord's own let units: declare rooms, register tenants moving in.
    "landlords.rental.manage": Rule(frozenset(), town=False, extra=_lets_unit, extra_roles=SUBLANDLORDS,
                                    extra_scope=_lets_unit_q),
    # Registering a move-out: the sublandlord who registered it, or who lets the unit now.
    "landlords.tenant_registration.move_out": Rule(frozenset(), town=False, extra=_sublandlord_of_registration,
                                                   extra_roles=SUBLANDLORDS,
                                                   extra_scope={TenantRegistration: _sublandlord_of_registration_q}),
    # One registration: staff and the secretary of its community, its sublandlord, the tenant.
    "landlords.tenant_registration.view": Rule(LEADERS, town=False, extra=_registration_visible,
                                               extra_roles=TENANT_SIDE, extra_scope=_registration_visible_q),
    # "我的租住登记": any member (the page shows only the user's own registrations).
    "landlords.tenant_registration.mine": Rule(ALL_ROLES, town=False),
    # The community's registrations, and the units flagged as over capacity (疑似群租/隔断).
    "landlords.tenant_registration.list": Rule(LEADERS, town=False),
    # Unmasked tenant phones (asked for with a reason, logged) and the Excel export (with a purpose, logged).
    "landlords.tenant_registration.reveal_phone": Rule(STAFF, town=False),
    "landlords.tenant_registration.export": Rule(STAFF, town=False),
    # Opening a 房屋隔断 case from an over-capacity flag.
    "landlords.rental.flag_case": Rule(STAFF, town=False),
})


def register() -> None:
    """Called once from the app config: add this app's rules to the core table, through the door."""
    from communities import extensions

    extensions.register_rules("landlords", RULES)


# --- mediation (一室 the mediation room, 二群 the two groups) ------------------------------------------
from django.db.models import Q  # noqa: E402

from communities.models import Rota, Shift, ShiftAssignment  # noqa: E402

from .models import Announcement, Channel, MediationRecord  # noqa: E402
from .selectors import channels as channel_sel  # noqa: E402


def _holds_shift(user, shift) -> bool:
    """The user is assigned to this shift of a mediation-room rota."""
    return (shift.rota.kind == Rota.Kind.MEDIATION_ROOM
            and ShiftAssignment.objects.filter(shift_id=shift.pk, user_id=user.pk).exists())


def _holds_shift_q(user) -> Q:
    return Q(rota__kind=Rota.Kind.MEDIATION_ROOM, assignments__user=user)


def _recorded_it(user, record) -> bool:
    return record.recorded_by_id == user.pk


def _on_record_shift(user, record) -> bool:
    return record.recorded_by_id == user.pk or ShiftAssignment.objects.filter(
        shift_id=record.shift_id, user_id=user.pk).exists()


def _on_record_shift_q(user):
    return Q(recorded_by=user) | Q(shift__assignments__user=user)


def _channel_member(user, obj) -> bool:
    return channel_sel.is_member(user, getattr(obj, "channel", obj))


def _channel_member_q(user):
    return channel_sel.member_q(user)


def _announcement_channel_member_q(user):
    return channel_sel.member_q(user, prefix="channel__")


def _may_post(user, channel) -> bool:
    return channel_sel.may_post(user, channel)


def _may_post_q(user) -> Q:
    return channel_sel.may_post_q(user)


def _posted_it(user, announcement) -> bool:
    return announcement.posted_by_id == user.pk


RULES.update({
    # Recording a dispute on a shift: the landlord assigned to it (the time window is the service's), or staff.
    "landlords.mediation.record": Rule(STAFF, town=False, extra=_holds_shift, extra_roles=SUBLANDLORDS,
                                       extra_scope={Shift: _holds_shift_q}),
    # Correcting a record: its recorder (within the same window) or staff, audited.
    "landlords.mediation.correct": Rule(STAFF, town=False, extra=_recorded_it, extra_roles=SUBLANDLORDS,
                                        extra_scope={MediationRecord: lambda user: Q(recorded_by=user)}),
    # The room's log with its counts.
    "landlords.mediation.log": Rule(LEADERS),
    # The duty landlord's own shifts and their records.
    "landlords.mediation.mine": Rule(SUBLANDLORDS, town=False),
    "landlords.mediation.view": Rule(LEADERS, extra=_on_record_shift, extra_roles=SUBLANDLORDS,
                                     extra_scope=_on_record_shift_q),
    # Channels: members only (no role sees a channel it does not belong to, town roles neither).
    "landlords.channel.list": Rule(frozenset(Role.values), town=False),
    # A channel, and one of its announcements (the page opens an announcement with this rule too).
    "landlords.channel.view": Rule(frozenset(), town=False, extra=_channel_member, extra_roles=frozenset(Role.values),
                                   extra_scope={Channel: _channel_member_q,
                                                Announcement: _announcement_channel_member_q}),
    "landlords.channel.post": Rule(STAFF, town=False, extra=_may_post, extra_roles=SUBLANDLORDS,
                                   extra_scope={Channel: _may_post_q}),
    # 已读 N / 应读 M and who has not read: the poster and staff.
    "landlords.announcement.receipts": Rule(STAFF, town=False, extra=_posted_it, extra_roles=frozenset(Role.values),
                                            extra_scope={Announcement: lambda user: Q(posted_by=user)}),
    # Creating the team channel and the building channels that are missing.
    "landlords.channel.manage": Rule(STAFF, town=False),
})

