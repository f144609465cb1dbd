"""Shared set-up for the election tests: sublandlords of 蓉庭, a draft election with posts and candidates."""
from decimal import Decimal

from communities.models import Residency, Role
from communities.services import elections as svc
from tests.factories import UnitFactory, make_member


def sublandlords(community, n, prefix="sl"):
    return [make_member(community, Role.SUBLANDLORD, username=f"{prefix}{i}", name=f"房东{i}") for i in range(n)]


def owner(community, building, username, area):
    """A resident who owns a unit of ``area`` m² in the community."""
    unit = UnitFactory(building=building, floor_area=Decimal(area))
    return make_member(community, Role.RESIDENT, username=username, unit=unit,
                       relation=Residency.Relation.OWNER, name=username)


def draft(staff, community, posts=(("会长", 1), ("骨干", 2)), **fields):
    fields = {"title": "蓉治社骨干选举", "electorate_role": Role.SUBLANDLORD, **fields}
    return svc.election_create(actor=staff, community=community, fields=fields, posts=list(posts))


def add(staff, election, post_name, users):
    post = election.posts.get(name=post_name)
    return [svc.election_candidate_add(actor=staff, election=election, post=post, user=u) for u in users]


def choices(*candidates):
    out = {}
    for c in candidates:
        out.setdefault(str(c.post_id), []).append(str(c.pk))
    return out
