"""Persona fixtures (see shared/STYLE.md): one user per role in a community of 蓉庭's kind, a
village with its station, and an outsider who belongs to another community; and the two settings every
test gets: a fast password hasher and a media folder of its own."""
import socket
import threading

import pytest

from communities.models import Community, Residency, Role, User

from .factories import FAST_HASHERS, PASSWORD, BuildingFactory, CommunityFactory, UnitFactory, UserFactory, make_member


@pytest.fixture(autouse=True)
def _menu_badge_counted_on_every_page(monkeypatch):
    """The 蓉治社 menu badge is kept a few seconds per process (landlords.navigation); query-count tests compare
    one request with another, so here every page counts it. The tests of that cache turn it back on."""
    monkeypatch.setattr("landlords.navigation.BADGE_SECONDS", 0)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Tests make many users; the production hasher would make that the slow part."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to this test's own folder, never into var/media; ask for it to look at what was stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def sms_outbox(settings, tmp_path):
    """Text messages go to this test's own file (the file backend), never into var/sms; ask for it to read them."""
    settings.SMS_BACKEND = "communities.sms.backends.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def community(db):
    return CommunityFactory(name="蓉庭居民区", slug="rongting", kind=Community.Kind.RESIDENTIAL)


@pytest.fixture
def village(db):
    return CommunityFactory(name="光明村", slug="guangming", kind=Community.Kind.VILLAGE)


@pytest.fixture
def other_community(db):
    return CommunityFactory(name="美兰花园", slug="meilan", kind=Community.Kind.RESIDENTIAL)


@pytest.fixture
def building(community):
    return BuildingFactory(community=community, name="1号楼")


@pytest.fixture
def unit(building):
    return UnitFactory(building=building, room="301", capacity=2)


@pytest.fixture
def let_unit(building, landlord):
    return UnitFactory(building=building, room="302", capacity=2, is_let=True, sublandlord=landlord.person)


@pytest.fixture
def resident(community, unit):
    return make_member(community, Role.RESIDENT, username="resident", unit=unit, name="王阿姨")


@pytest.fixture
def tenant(community, let_unit):
    return make_member(community, Role.TENANT, username="tenant", unit=let_unit,
                       relation=Residency.Relation.TENANT, name="小李")


@pytest.fixture
def landlord(community):
    return make_member(community, Role.SUBLANDLORD, username="landlord", name="陈师傅")


@pytest.fixture
def committee_staff(community):
    return make_member(community, Role.COMMITTEE_STAFF, username="staff", name="居委小张")


@pytest.fixture
def party_secretary(community):
    return make_member(community, Role.PARTY_SECRETARY, username="secretary", name="书记")


@pytest.fixture
def station_staff(village):
    return make_member(village, Role.STATION_STAFF, username="station", name="服务站老周")


@pytest.fixture
def talent_host(db):
    junyuan = CommunityFactory(name="郡园居民区", slug="junyuan")
    return make_member(junyuan, Role.TALENT, username="talent", name="书法达人")


@pytest.fixture
def town_secretary(db):
    return UserFactory(username="townsec", town_role=User.TownRole.TOWN_SECRETARY)


@pytest.fixture
def town_staff(db):
    return UserFactory(username="town", town_role=User.TownRole.TOWN_STAFF)


@pytest.fixture
def outsider(other_community):
    unit = UnitFactory(building=BuildingFactory(community=other_community, name="9号楼"), room="101")
    return make_member(other_community, Role.RESIDENT, username="outsider", unit=unit, name="外人")


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="newcomer")


@pytest.fixture
def hung_redis():
    """A TCP server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def eager():
    """Tasks run in the test's process: the Celery app's own switch (the app reads its configuration at import, so
    a Django setting changed in a test would not reach it and the task would go to the broker)."""
    from luodian.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved
