import datetime as dt
from decimal import Decimal

import factory

from communities.models import Building, Community, Membership, Person, Residency, Role, Unit, User, VillageGroup

PASSWORD = "correct-horse-battery"
# Every test makes a handful of users; the production hasher would make that the slow part.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"测试社区{n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    kind = Community.Kind.RESIDENTIAL


class VillageGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageGroup

    community = factory.SubFactory(CommunityFactory, kind=Community.Kind.VILLAGE)
    name = factory.Sequence(lambda n: f"小组{n}")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"{n + 1}号楼")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    floor = 3
    room = factory.Sequence(lambda n: f"{300 + n}")
    floor_area = Decimal("80.00")
    capacity = 4


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"居民{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class ResidencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Residency

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    relation = Residency.Relation.OWNER
    moved_in = dt.date(2024, 1, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    role = Role.RESIDENT


def make_member(community, role, *, username=None, unit=None, relation=Residency.Relation.OWNER, name=None):
    """A user with a person record and a role in ``community`` (and a residency in ``unit`` if given)."""
    user = UserFactory(username=username or f"{role}-{community.slug}")
    person = PersonFactory(user=user, name=name or username or role)
    Membership.objects.get_or_create(user=user, community=community, role=role)
    if unit is not None:
        ResidencyFactory(person=person, unit=unit, relation=relation)
    return user


# --- cases -------------------------------------------------------------------------------------
from django.utils import timezone as _tz  # noqa: E402

from communities.models import Case, CaseCategory, CaseRating, Team  # noqa: E402


class CaseCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseCategory
        django_get_or_create = ("community", "code")

    community = factory.SubFactory(CommunityFactory)
    code = "noise"
    name = "噪音扰民"
    ack_hours = 24
    fix_hours = 72


def serve(community, app_label="landlords"):
    """``app_label`` serves ``community`` (the CommunityApp row staff set in the admin): its menu and panels show."""
    from communities.models import CommunityApp

    return CommunityApp.objects.get_or_create(community=community, app_label=app_label)[0]


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"团队{n}")
    kind = Team.Kind.STATION


def team_join(team, *users):
    """``users`` become members of ``team`` (communities.services.teams); returns the team."""
    from communities.services.teams import team_member_join

    for user in users:
        team_member_join(team=team, user=user)
    return team


class CaseFactory(factory.django.DjangoModelFactory):
    """A case row as it would stand at some point of the workflow (for reads and rates)."""

    class Meta:
        model = Case

    community = factory.SubFactory(CommunityFactory)
    category = factory.LazyAttribute(lambda o: CaseCategoryFactory(community=o.community))
    reporter = factory.SubFactory(UserFactory)
    filed_by = factory.LazyAttribute(lambda o: o.reporter)
    description = "楼上夜里很吵"
    created_at = factory.LazyFunction(_tz.now)
    ack_due_at = factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(hours=24))
    fix_due_at = factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(hours=72))


class CaseRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseRating

    case = factory.SubFactory(CaseFactory)
    rater = factory.LazyAttribute(lambda o: o.case.reporter)
    score = CaseRating.Score.SATISFIED
