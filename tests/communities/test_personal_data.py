"""The one personal-data path (communities.services.personal_data): a phone is masked unless the viewer's role
needs it and a purpose is given; each number revealed to someone else leaves exactly one access row; a refusal
(wrong role, another community, no purpose) shows the masked number and writes nothing."""
import pytest

from communities.models import PersonalDataAccess, Residency, Role
from communities.selectors.personal_data import masked_values, reporter_subject, residency_subjects
from communities.services.personal_data import export_values, reveal_value, reveal_values

from ..factories import CaseFactory, PersonFactory, ResidencyFactory, make_member

pytestmark = pytest.mark.django_db
VIEW_PHONE = "person.view_phone"


def subject_of(user):
    residencies = Residency.objects.filter(person__user=user).select_related("person", "unit__building")
    (subject,) = residency_subjects(residencies)
    return subject


def test_masked_by_default_and_nothing_written(committee_staff, resident):
    subject = subject_of(resident)
    shown = masked_values(viewer=committee_staff, subjects=[subject])
    assert shown[subject.key] == resident.person.masked_phone != resident.person.phone
    assert not PersonalDataAccess.objects.exists()


def test_ones_own_number_is_shown_and_not_logged(resident):
    subject = subject_of(resident)
    assert masked_values(viewer=resident, subjects=[subject])[subject.key] == resident.person.phone
    assert reveal_value(viewer=resident, subject=subject, action=VIEW_PHONE, purpose="核对") == resident.person.phone
    assert not PersonalDataAccess.objects.exists()


def test_staff_reveal_writes_exactly_one_access_row(committee_staff, resident, unit):
    phone = reveal_value(viewer=committee_staff, subject=subject_of(resident), action=VIEW_PHONE, purpose="上门核对")
    assert phone == resident.person.phone
    log = PersonalDataAccess.objects.get()
    assert (log.viewer, log.person, log.community_id, log.kind, log.purpose) == (
        committee_staff, resident.person, unit.building.community_id, PersonalDataAccess.Kind.VIEW, "上门核对")


def test_wrong_role_is_refused_and_nothing_written(party_secretary, resident):
    phone = reveal_value(viewer=party_secretary, subject=subject_of(resident), action=VIEW_PHONE, purpose="上门核对")
    assert phone == resident.person.masked_phone
    assert not PersonalDataAccess.objects.exists()


def test_staff_of_another_community_is_refused(other_community, resident):
    stranger = make_member(other_community, Role.COMMITTEE_STAFF, username="other-staff")
    phone = reveal_value(viewer=stranger, subject=subject_of(resident), action=VIEW_PHONE, purpose="上门核对")
    assert phone == resident.person.masked_phone
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("purpose", ["", "   "])
def test_no_purpose_no_reveal(committee_staff, resident, purpose):
    phone = reveal_value(viewer=committee_staff, subject=subject_of(resident), action=VIEW_PHONE, purpose=purpose)
    assert phone == resident.person.masked_phone
    assert not PersonalDataAccess.objects.exists()


def test_a_misspelt_action_fails_loudly_and_writes_nothing(committee_staff, resident):
    with pytest.raises(ValueError, match="unknown action"):
        reveal_value(viewer=committee_staff, subject=subject_of(resident), action="person.no_such_rule",
                     purpose="上门核对")
    assert not PersonalDataAccess.objects.exists()


def test_many_numbers_one_insert_and_no_policy_query_per_row(committee_staff, unit, django_assert_max_num_queries):
    for _ in range(6):
        ResidencyFactory(unit=unit, person=PersonFactory(), relation=Residency.Relation.FAMILY)
    residencies = list(Residency.objects.filter(unit=unit).select_related("person", "unit__building"))
    reveal_values(viewer=committee_staff, subjects=residency_subjects(residencies[:1]), action=VIEW_PHONE,
                  purpose="warm up")  # the viewer's roles, loaded once per request
    PersonalDataAccess.objects.all().delete()
    with django_assert_max_num_queries(1):
        shown = reveal_values(viewer=committee_staff, subjects=residency_subjects(residencies), action=VIEW_PHONE,
                              purpose="入户走访")
    assert shown == {r.person_id: r.person.phone for r in residencies}
    assert PersonalDataAccess.objects.count() == len(residencies) == 6


def test_a_walk_in_callers_number_is_logged_against_the_case_community(committee_staff, community):
    case = CaseFactory(community=community, reporter=None, filed_by=committee_staff, reporter_name="过路人",
                       reporter_phone="13900001111")
    phone = reveal_value(viewer=committee_staff, subject=reporter_subject(case, None), action="case.reporter_contact",
                         purpose="回访")
    assert phone == "13900001111"
    log = PersonalDataAccess.objects.get()
    assert (log.person, log.community_id) == (None, community.pk)


def test_an_export_logs_every_row_even_with_phones_masked(committee_staff, resident, unit):
    other = ResidencyFactory(unit=unit, person=PersonFactory(), relation=Residency.Relation.FAMILY)
    subjects = residency_subjects(Residency.objects.filter(unit=unit).select_related("person", "unit__building"))
    shown = export_values(viewer=committee_staff, subjects=subjects, action=VIEW_PHONE, purpose="季度核查",
                          reveal=False)
    assert shown[other.person_id] == other.person.masked_phone
    logs = PersonalDataAccess.objects.all()
    assert {(log.kind, log.purpose) for log in logs} == {(PersonalDataAccess.Kind.EXPORT, "季度核查（手机号已隐藏）")}
    assert logs.count() == 2
