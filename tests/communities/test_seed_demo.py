"""seed_demo: the seed's figures, the demo logins, a harmless second run, and the DEBUG guard."""
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from communities.models import Community, Membership, Person, RegistrationRequest, Residency, Role, Unit, User
from communities.selectors.places import community_figures, units_over_capacity
from communities.demo.seed import capacity_for, fill, spread

from .demo_seeded import seed_output, seeded  # noqa: F401 - fixtures


def figures(slug):
    return community_figures(community=Community.objects.get(slug=slug))


def model_counts():
    return {model.__name__: model.objects.count() for model in apps.get_app_config("communities").get_models()}


def test_rongting_has_the_seed_figures(seeded):
    assert figures("rongting") == {
        "households": 2152, "let": 1387, "sublandlords": 80, "residents": 3518, "tenants": 2838,
        "over_capacity": 12,
    }
    community = Community.objects.get(slug="rongting")
    assert community.kind == Community.Kind.RESIDENTIAL
    assert "2152户" in community.description
    assert community.buildings.count() == 36
    assert not Unit.objects.filter(building__community=community, is_let=True, sublandlord__isnull=True).exists()


def test_rongting_units_are_plausible(seeded):
    units = Unit.objects.filter(building__community__slug="rongting")
    assert not units.filter(floor_area__lt=55).exists()
    assert not units.filter(floor_area__gt=130).exists()
    assert set(units.values_list("floor", flat=True)) == {1, 2, 3, 4, 5, 6}
    assert all(u.capacity == capacity_for(u.floor_area) for u in units[:200])
    # Only let flats are crowded: the partitioned-flat flag.
    assert not units_over_capacity(community=Community.objects.get(slug="rongting")).filter(is_let=False).exists()


def test_junyuan_has_the_seed_figures(seeded):
    result = figures("junyuan")
    assert result["households"] == 1048
    assert 2700 <= result["residents"] <= 2900
    assert result["over_capacity"] == 0


def test_guangming_is_a_village_of_three_groups(seeded):
    village = Community.objects.get(slug="guangming")
    assert village.kind == Community.Kind.VILLAGE
    assert set(village.village_groups.values_list("name", flat=True)) == {"丁钱", "施杨", "七图"}
    assert not village.buildings.filter(village_group__isnull=True).exists()
    for group in village.village_groups.all():
        assert Unit.objects.filter(building__village_group=group).count() >= 48
    assert 300 <= figures("guangming")["residents"] <= 1000


def test_every_community_has_a_description_and_staff(seeded):
    assert set(Community.objects.values_list("slug", flat=True)) == {"rongting", "junyuan", "guangming", "meilan"}
    assert not Community.objects.filter(description="").exists()
    for slug in ("rongting", "junyuan", "guangming"):
        roles = set(Membership.objects.filter(community__slug=slug).values_list("role", flat=True))
        assert {Role.COMMITTEE_STAFF, Role.PARTY_SECRETARY} <= roles


def test_phones_are_unique_mainland_mobiles(seeded):
    # 郡园's demo children are people without a login and without a phone of their own (the minimum a child's
    # record holds: the guardian's pick-up phone is on the guardianship).
    assert not Person.objects.exclude(phone="", user__isnull=True).exclude(phone__regex=r"^1[3-9][0-9]{9}$").exists()
    with_phone = Person.objects.exclude(phone="")
    assert with_phone.values("phone").distinct().count() == with_phone.count()
    assert Person.objects.filter(phone="").exists()  # the children, so the first line is not vacuous about them


LOGINS = [
    ("resident", "rongting", Role.RESIDENT),
    ("tenant", "rongting", Role.TENANT),
    ("landlord", "rongting", Role.SUBLANDLORD),
    ("staff", "rongting", Role.COMMITTEE_STAFF),
    ("secretary", "rongting", Role.PARTY_SECRETARY),
    ("station", "guangming", Role.STATION_STAFF),
    ("talent", "junyuan", Role.TALENT),
    ("outsider", "meilan", Role.RESIDENT),
    ("staff_junyuan", "junyuan", Role.COMMITTEE_STAFF),
    ("secretary_junyuan", "junyuan", Role.PARTY_SECRETARY),
    ("staff_guangming", "guangming", Role.COMMITTEE_STAFF),
    ("secretary_guangming", "guangming", Role.PARTY_SECRETARY),
    ("villager", "guangming", Role.RESIDENT),
    ("owner", "junyuan", Role.RESIDENT),
    ("owner2", "junyuan", Role.RESIDENT),
    ("jy_tenant", "junyuan", Role.TENANT),
    ("staff_junyuan2", "junyuan", Role.COMMITTEE_STAFF),
]


@pytest.mark.parametrize(("username", "slug", "role"), LOGINS)
def test_demo_login_signs_in_with_its_role(seeded, username, slug, role):
    request = RequestFactory().post("/accounts/login/")
    user = authenticate(request, username=username, password=django_settings.DEMO_PASSWORD)
    assert user is not None
    assert Membership.objects.filter(user=user, community__slug=slug, role=role).exists()
    assert user.person.phone
    assert user.email == f"{username}@demo.luodian.local"


def test_town_login_has_a_town_role_and_no_memberships(seeded):
    user = authenticate(RequestFactory().post("/"), username="town", password=django_settings.DEMO_PASSWORD)
    assert user.town_role == User.TownRole.TOWN_STAFF
    assert not user.memberships.exists()
    assert user.person


def active(user, **lookups):
    return Residency.objects.filter(person__user=user, moved_out__isnull=True, **lookups)


def test_personas_live_where_their_role_says(seeded):
    users = {u.username: u for u in User.objects.all()}
    landlord = users["landlord"].person
    assert landlord.sublet_units.count() >= 5
    assert active(users["resident"], relation=Residency.Relation.OWNER, unit__is_let=False,
                  unit__building__community__slug="rongting").exists()
    assert active(users["tenant"], relation=Residency.Relation.TENANT, unit__sublandlord=landlord).exists()
    assert active(users["talent"], unit__building__community__slug="junyuan").exists()
    assert Membership.objects.filter(user=users["talent"], community__slug="junyuan", role=Role.RESIDENT).exists()
    assert active(users["outsider"], unit__building__community__slug="meilan").exists()
    assert active(users["villager"], relation=Residency.Relation.OWNER,
                  unit__building__community__slug="guangming").exists()


def test_committee_staff_have_registrations_to_review(seeded):
    pending = RegistrationRequest.objects.filter(
        status=RegistrationRequest.Status.PENDING, unit__building__community__slug="rongting"
    )
    assert sorted(pending.values_list("user__username", flat=True)) == ["applicant1", "applicant2"]
    assert not Membership.objects.filter(user__username__startswith="applicant").exists()


def test_second_run_creates_and_changes_nothing(seeded, settings):
    settings.DEBUG = True
    counts = model_counts()
    users = list(User.objects.order_by("pk").values_list("username", "password", "email", "town_role"))
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert model_counts() == counts
    assert list(User.objects.order_by("pk").values_list("username", "password", "email", "town_role")) == users
    assert "Demo logins created: none." in out.getvalue()


def test_teams_have_their_members_and_backbones(seeded):
    from communities.models import Backbone, Team
    from communities.selectors.teams import active_members, current_backbones, team_of_kind

    rongting = Community.objects.get(slug="rongting")
    rongzhi = team_of_kind(rongting, Team.Kind.LANDLORD_TEAM)
    sublandlords = set(User.objects.filter(memberships__community=rongting, memberships__role=Role.SUBLANDLORD))
    assert set(active_members(rongzhi)) == sublandlords and len(sublandlords) == 80
    assert {b.source for b in current_backbones(rongzhi)} == {Backbone.Source.ELECTION}
    station = team_of_kind(Community.objects.get(slug="guangming"), Team.Kind.STATION)
    # 光明村's station has two heads (负责人): 周国强 and, appointed by the station's demo, 施建华.
    assert sorted((b.user.username, b.office, b.source) for b in current_backbones(station)) == [
        ("station", Backbone.Office.STATION_HEAD, Backbone.Source.APPOINTED),
        ("station2", Backbone.Office.STATION_HEAD, Backbone.Source.APPOINTED)]
    squad = team_of_kind(Community.objects.get(slug="junyuan"), Team.Kind.SQUAD)
    assert [(b.user.username, b.office) for b in current_backbones(squad)] == [("talent", Backbone.Office.STUDIO_HOST)]


def test_refuses_without_debug(db, settings):
    settings.DEBUG = False
    counts = model_counts()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert model_counts() == counts


def test_force_runs_without_debug(seeded, settings):
    settings.DEBUG = False
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert "already has units" in out.getvalue()


def test_summary_names_what_was_created(seed_output):
    assert "蓉庭居民区: 36 buildings, 2152 units (1387 let)" in seed_output
    assert "郡园居民区: 24 buildings, 1048 units" in seed_output


def test_fill_respects_capacity_and_total():
    counts = fill([2, 3, 5, 2], 10)
    assert sum(counts) == 10
    assert all(n <= cap for n, cap in zip(counts, [2, 3, 5, 2]))
    assert spread(5, 3) == [1, 2, 2]
    with pytest.raises(ValueError):
        fill([1, 1], 3)
