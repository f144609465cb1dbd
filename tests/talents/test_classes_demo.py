"""郡园's classes demo on top of the core demo: a full children's calligraphy class with a waitlist of grandparents
and grandchildren, an elders' class, a trial class with a posted fee; a second run creates nothing. One module,
so that the slow core seed runs once."""
import datetime as dt

from django.urls import reverse

from communities.models import User
from talents.demo.classes import ELDERS_CLASS, KIDS_CLASS, TRIAL_CLASS, demo_classes_seed
from talents.models import ClassSession, Enrolment, Guardianship, TalentClass
from talents.services.enrolment import seats_taken
from tests.communities.demo_seeded import seed_output, seeded  # noqa: F401 - fixtures


def test_the_childrens_class_is_full_with_a_waitlist(seeded):
    kids = TalentClass.objects.get(title=KIDS_CLASS)
    assert kids.kind == TalentClass.Kind.FREE and kids.studio.slug == "moxiang"
    assert seats_taken(kids) == kids.capacity == 8
    waiting = Enrolment.objects.filter(talent_class=kids, status=Enrolment.Status.WAITING).order_by("position")
    assert [e.account.username for e in waiting] == ["jy_gran5", "jy_gran6"]
    assert Guardianship.objects.filter(guardian__username__startswith="jy_gran").count() == 9
    # Weekly on Saturdays from the first one, four weeks ahead of the moment the demo ran: four sessions, or three
    # when the demo ran on a Saturday morning (the first is then a week away and the fifth week's falls outside).
    first, until = kids.first_starts_at, kids.created_at + dt.timedelta(weeks=4)
    expected = [first + dt.timedelta(weeks=k) for k in range(5) if first + dt.timedelta(weeks=k) <= until]
    sessions = list(ClassSession.objects.filter(talent_class=kids).order_by("starts_at")
                    .values_list("starts_at", flat=True))
    assert sessions == expected and len(sessions) in (3, 4)


def test_the_elders_and_the_trial_class(seeded):
    elders = TalentClass.objects.get(title=ELDERS_CLASS)
    trial = TalentClass.objects.get(title=TRIAL_CLASS)
    assert elders.audience == TalentClass.Audience.ELDERS and elders.enrolments.count() == 2
    assert trial.kind == TalentClass.Kind.TRIAL and str(trial.fee) == "29.90" and trial.studio.slug == "xianghui"
    assert trial.partner_merchant.name == "美兰湖茶饮" and trial.room.name == "多功能厅"
    kids = TalentClass.objects.get(title=KIDS_CLASS)
    sessions = list(kids.sessions.all())
    assert sessions and all(s.room_booking_id and s.room_booking.room.name == "墨香书法室" for s in sessions)


def test_a_second_run_creates_nothing(seeded):
    before = Enrolment.objects.count()
    assert demo_classes_seed() == {"classes": 0, "grandparents": 0, "children": 0, "entries": 0}
    assert Enrolment.objects.count() == before


def test_the_talent_login_sees_the_waitlist_and_a_grandparent_their_entry(seeded, client):
    kids = TalentClass.objects.get(title=KIDS_CLASS)
    client.force_login(User.objects.get(username="talent"))
    assert client.get(reverse("talents:class_waitlist", args=[kids.pk])).status_code == 200
    client.force_login(User.objects.get(username="jy_gran5"))
    html = client.get(reverse("talents:class_detail", args=[kids.pk])).content.decode()
    assert "候补第 1 位" in html
