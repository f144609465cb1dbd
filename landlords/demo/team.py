"""Demo data for the 蓉治社 team: logins for the sublandlords who have none (so the team has its ~80
members), last year's published election of officers (会长 1, 副会长 2, 骨干 5) with ballots from the
demo sublandlords and the officers applied, and an open by-election (增补骨干) in which the ``landlord``
login has not voted yet. Idempotent; assumes ``manage.py seed_demo`` has run.
"""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from communities.models import AuditEvent, Backbone, Community, Election, Membership, Person, Role, User
from communities.selectors.teams import current_backbones, member_user_ids
from communities.services import elections as svc

from ..selectors.team import landlord_team

PAST_TITLE = "蓉治社第一届骨干选举"
OPEN_TITLE = "蓉治社增补骨干选举"
PAST_POSTS = [("会长", 1), ("副会长", 2), ("骨干", 5)]
# Candidates per post, by login (the generated logins are taken in order after these).
PAST_CANDIDATES = {"会长": ["landlord2", "landlord3"], "副会长": ["landlord", "landlord4", "landlord5"],
                   "骨干": ["landlord6"]}
BACKBONE_CANDIDATES = 7


def _members(community, team) -> list[User]:
    """Every sublandlord of the community gets a login (unusable password) and the sublandlord role, which
    makes them a member of the team (communities.services.teams); the team's members, in login order."""
    people = Person.objects.filter(sublet_units__building__community=community, user__isnull=True).distinct()
    for person in people.order_by("pk"):
        user, _created = User.objects.get_or_create(username=f"rongting-sl-{person.pk}")
        if _created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        person.user = user
        person.save(update_fields=["user"])
    for user in User.objects.filter(person__sublet_units__building__community=community).distinct():
        Membership.objects.get_or_create(user=user, community=community, role=Role.SUBLANDLORD)
    return list(User.objects.filter(pk__in=member_user_ids(team)).order_by("pk"))


def _cast(election, voters, pick) -> int:
    posts = list(election.posts.prefetch_related("candidates"))
    cast = 0
    for i, voter in enumerate(voters):
        choices = {str(post.pk): [str(c.pk) for c in pick(i, list(post.candidates.order_by("pk")), post.seats)]
                   for post in posts}
        cast += svc.ballot_cast(election=election, actor=voter, choices=choices).changed
    return cast


def _rotating(i, candidates, seats):
    """Voter i's choice: a steady front-runner order with some spread, so the result is clear."""
    order = candidates[:seats] if i % 5 else candidates[-seats:]
    return order


def _past(community, team, staff, members) -> Election:
    now = timezone.now()
    start = now - dt.timedelta(days=365)
    by_name = {u.username: u for u in members}
    spare = [u for u in members if u.username not in {n for names in PAST_CANDIDATES.values() for n in names}]
    election = svc.election_create(actor=staff, community=community, posts=PAST_POSTS, fields={
        "title": PAST_TITLE, "team": team, "electorate_role": Role.SUBLANDLORD,
        "description": "蓉治社成立大会选举产生团队骨干：会长 1 名、副会长 2 名、骨干 5 名。无记名投票。"})
    posts = {p.name: p for p in election.posts.all()}
    backbone = [by_name["landlord6"]] + spare[:BACKBONE_CANDIDATES - 1]
    for post, users in (("会长", [by_name[n] for n in PAST_CANDIDATES["会长"]]),
                        ("副会长", [by_name[n] for n in PAST_CANDIDATES["副会长"]]), ("骨干", backbone)):
        for user in users:
            svc.election_candidate_add(actor=staff, election=election, post=posts[post], user=user,
                                       statement="愿为蓉治社出一份力，带头规范出租、配合居委处理投诉。")
    svc.election_open(election=election, actor=staff)
    voters = [u for u in members][: max(len(members) * 4 // 5, 1)]
    _cast(election, voters, _rotating)
    svc.election_close(election=election, actor=staff)
    svc.election_publish(election=election, actor=staff)  # the officers follow (landlords.services.team)
    # Last year's: move its dates back (demo only; services always stamp the present).
    shift = now - start
    Election.objects.filter(pk=election.pk).update(
        created_at=start - dt.timedelta(days=7), opens_at=start, closes_at=start + dt.timedelta(days=3),
        published_at=start + dt.timedelta(days=3))
    for event in AuditEvent.objects.filter(detail__election=election.pk, action__startswith="election."):
        AuditEvent.objects.filter(pk=event.pk).update(at=event.at - shift)
    Backbone.objects.filter(election=election).update(term_start=timezone.localdate(start + dt.timedelta(days=3)))
    return election


def _open(community, team, staff, members) -> Election:
    officers = {b.user_id for b in current_backbones(team)}
    others = [u for u in members if u.pk not in officers and u.username != "landlord"]
    election = svc.election_create(actor=staff, community=community, posts=[("增补骨干", 2)], fields={
        "title": OPEN_TITLE, "team": team, "electorate_role": Role.SUBLANDLORD,
        "closes_at": timezone.now() + dt.timedelta(days=7),
        "description": "团队扩大后增补 2 名骨干，负责楼组群和接待室值班的协调。"})
    post = election.posts.get()
    for user in others[-3:]:
        svc.election_candidate_add(actor=staff, election=election, post=post, user=user,
                                   statement="熟悉本楼情况，愿意协调楼组群。")
    svc.election_open(election=election, actor=staff)
    voters = [u for u in members if u.username != "landlord"][:20]
    _cast(election, voters, lambda i, candidates, seats: candidates[i % 3: i % 3 + 1])
    return election


def demo_team_seed() -> dict:
    """What it did: the team's members, the elections created (1 or 0 each), the current officers."""
    community = Community.objects.get(slug="rongting")
    team = landlord_team(community)
    staff = User.objects.get(username="staff")
    created = {"members": 0, "past_election": 0, "open_election": 0}
    with transaction.atomic():
        members = _members(community, team)
        created["members"] = len(members)
        if not Election.objects.filter(team=team, title=PAST_TITLE).exists():
            _past(community, team, staff, members)
            created["past_election"] = 1
        if not Election.objects.filter(team=team, title=OPEN_TITLE).exists():
            _open(community, team, staff, members)
            created["open_election"] = 1
    created["officers"] = len(current_backbones(team))
    return created
