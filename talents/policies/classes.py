"""Classes, enrolment, attendance and children: who may do what.

Hosts (``Backbone`` 主理人 in office, of the class's studio's team) manage their own studio's classes only;
a host of another studio is refused. Teachers take attendance of their classes. Committee staff manage every
class of their community and are the only ones who move an entry on the waitlist (with a reason). Another
community gets 404 (``policy.get_object_or_404_for``)."""
from django.db.models import Q

from communities.models import Backbone, Role
from communities.policy import ALL_ROLES, Rule

from ..models import ClassSession, Enrolment, FeaturedClass, PhotoConsent, Studio, TalentClass

STAFF = frozenset({Role.COMMITTEE_STAFF})
_HOSTED = "_talents_hosted_team_ids"
_TAUGHT = "_talents_taught_class_ids"


def hosted_team_ids(user) -> set[int]:
    """The teams (studios) ``user`` hosts today, loaded once per request."""
    if not hasattr(user, _HOSTED):
        setattr(user, _HOSTED, set(Backbone.objects.filter(
            user_id=user.pk, office=Backbone.Office.STUDIO_HOST, term_end__isnull=True).values_list("team_id", flat=True)))
    return getattr(user, _HOSTED)


def taught_class_ids(user) -> set[int]:
    """The classes ``user`` teaches, loaded once per request."""
    if not hasattr(user, _TAUGHT):
        setattr(user, _TAUGHT, set(TalentClass.teachers.through.objects.filter(user_id=user.pk)
                                   .values_list("talentclass_id", flat=True)))
    return getattr(user, _TAUGHT)


def _team_id_of(obj):
    if isinstance(obj, Studio):
        return obj.team_id
    if isinstance(obj, TalentClass):
        return obj.studio.team_id
    if isinstance(obj, (ClassSession, Enrolment, PhotoConsent, FeaturedClass)):
        return obj.talent_class.studio.team_id
    return None


def _class_id_of(obj):
    if isinstance(obj, TalentClass):
        return obj.pk
    if isinstance(obj, (ClassSession, Enrolment)):
        return obj.talent_class_id
    return None


def _hosts(user, obj) -> bool:
    return _team_id_of(obj) in hosted_team_ids(user)


def _host_q(prefix: str):
    return lambda user: Q(**{f"{prefix}team_id__in": hosted_team_ids(user)})


def _teaches(user, obj) -> bool:
    return _class_id_of(obj) in taught_class_ids(user)


def _teach_q(field: str):
    return lambda user: Q(**{f"{field}__in": taught_class_ids(user)})


def _host_scopes():
    return {Studio: _host_q(""), TalentClass: _host_q("studio__"), ClassSession: _host_q("talent_class__studio__"),
            Enrolment: _host_q("talent_class__studio__")}


def _teach_scopes():
    return {TalentClass: _teach_q("pk"), ClassSession: _teach_q("talent_class_id")}


RULES: dict[str, Rule] = {
    # A class page, the list of classes, the 本周活动 board: every member of the community.
    "talents.class.view": Rule(ALL_ROLES),
    # Enrolling oneself and one's children, leaving, answering an offer: members (not town roles).
    "talents.class.enrol": Rule(ALL_ROLES, town=False),
    # Creating and editing a studio's classes, cancelling or moving a session, seeing the waitlist, featuring
    # another studio's class on one's own page: the studio's hosts, and committee staff.
    "talents.class.manage": Rule(STAFF, town=False, extra=_hosts, extra_roles=ALL_ROLES,
                                 extra_scope=_host_scopes()),
    # Taking attendance and closing a session (结束并记录): the class's teachers.
    "talents.class.attendance": Rule(frozenset(), town=False, extra=_teaches, extra_roles=ALL_ROLES,
                                     extra_scope=_teach_scopes()),
    # Moving an entry on the waitlist (to the front, or straight in), with a reason; the lottery's seed page.
    "talents.class.staff_move": Rule(STAFF, town=False),
    # A child's pick-up contact in clear: committee staff and the class's teachers (logged).
    "talents.child.contact": Rule(STAFF, town=False, extra=_teaches, extra_roles=ALL_ROLES,
                                  extra_scope=_teach_scopes()),
    # 我的孩子: any member adds and sees their own children (the pages load the guardian's own rows only).
    "talents.child.manage": Rule(ALL_ROLES, town=False),
}
