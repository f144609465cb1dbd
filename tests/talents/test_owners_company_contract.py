"""The property company's contract (issue 15 item 7): reminders 120, 90 and 60 days before the end on
hand-computed dates, each once; nothing for an ended contract; the company's notice of non-renewal on time or
late (沪物业规定 art. 46); the contract's own refusals."""
import datetime as dt
from decimal import Decimal

import pytest

from communities.models import Backbone, Notification
from communities.services.errors import DomainError
from talents import tasks
from talents.models import ContractReminder, PropertyContract
from talents.services import owners_company as svc
from talents.services.committee_terms import committee_term_start

from .owners_world import NOW, SHANGHAI, estate, frozen, other_estate, outsider, owners, staff, tenant  # noqa: F401

pytestmark = pytest.mark.django_db

# Ends 2026-07-08: 120 days before is 2026-03-10 (NOW's date), 90 days 2026-04-09, 60 days 2026-05-09.
ENDS = dt.date(2026, 7, 8)


def at_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8, 0), tzinfo=SHANGHAI)


def _contract(estate, staff, ends_on=ENDS, **kw):
    return svc.contract_create(actor=staff, community=estate.community, company_name="上海美兰物业服务有限公司",
                               starts_on=dt.date(2024, 1, 1), ends_on=ends_on, fee_residential=Decimal("2.30"),
                               now=NOW, **kw)


@pytest.fixture
def committee(estate, owners, staff):
    O = Backbone.Office
    return committee_term_start(actor=staff, community=estate.community,
                                members=[(owners["a"], O.DIRECTOR), (owners["b"], O.COMMITTEE_MEMBER),
                                         (owners["d"], O.COMMITTEE_MEMBER)],
                                started_on=dt.date(2025, 1, 1), ends_on=dt.date(2030, 1, 1))


@pytest.mark.parametrize("day,days", [
    (dt.date(2026, 3, 9), None), (dt.date(2026, 3, 10), 120), (dt.date(2026, 4, 8), 120),
    (dt.date(2026, 4, 9), 90), (dt.date(2026, 5, 8), 90), (dt.date(2026, 5, 9), 60), (dt.date(2026, 7, 8), 60),
    (dt.date(2026, 7, 9), None),
])
def test_the_reminder_due_on_a_day(estate, staff, day, days):
    from talents.selectors.owners_company import reminder_due

    assert reminder_due(contract=_contract(estate, staff), on=day) == days


def test_reminders_go_out_on_the_day_each_once_to_staff_and_the_serving_committee(estate, staff, committee):
    contract = _contract(estate, staff)
    assert svc.contract_reminders_send(now=at_day(dt.date(2026, 3, 9))) == 0  # 121 days left
    assert svc.contract_reminders_send(now=at_day(dt.date(2026, 3, 10))) == 4  # staff + 甲, 乙, 丁
    assert svc.contract_reminders_send(now=at_day(dt.date(2026, 3, 11))) == 0  # sent once
    assert svc.contract_reminders_send(now=at_day(dt.date(2026, 4, 8))) == 0
    assert svc.contract_reminders_send(now=at_day(dt.date(2026, 4, 9))) == 4
    assert svc.contract_reminders_send(now=at_day(dt.date(2026, 4, 9))) == 0
    assert svc.contract_reminders_send(now=at_day(dt.date(2026, 5, 9))) == 4
    assert svc.contract_reminders_send(now=at_day(dt.date(2026, 6, 30))) == 0
    rows = list(ContractReminder.objects.filter(contract=contract).order_by("-days"))
    assert [(r.days, r.due_on) for r in rows] == [(120, dt.date(2026, 3, 10)), (90, dt.date(2026, 4, 9)),
                                                  (60, dt.date(2026, 5, 9))]
    notes = Notification.objects.filter(recipient__username="owner_a").order_by("pk")
    assert [n.title for n in notes] == [
        "物业服务合同还有 120 天到期：上海美兰物业服务有限公司，2026-07-08 届满",
        "物业服务合同还有 90 天到期：上海美兰物业服务有限公司，2026-07-08 届满",
        "物业服务合同还有 60 天到期：上海美兰物业服务有限公司，2026-07-08 届满"]
    assert "第四十六条" in notes[0].body


def test_a_contract_recorded_late_gets_only_the_reminder_due_now(estate, staff):
    contract = _contract(estate, staff, ends_on=dt.date(2026, 5, 20))  # 71 days left on NOW
    assert svc.contract_reminders_send(now=NOW) == 1  # the 90-day one, not the 120-day one
    assert list(contract.reminders.values_list("days", flat=True)) == [90]


@pytest.fixture
def eager():
    from luodian.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def test_the_task_is_idempotent_and_an_ended_contract_gets_nothing(estate, staff, committee, eager, frozen):
    contract = _contract(estate, staff)
    tasks.start_company_contract_reminders()
    tasks.start_company_contract_reminders()
    tasks.remind_company_contract(contract.pk)
    assert ContractReminder.objects.filter(contract=contract).count() == 1
    assert Notification.objects.count() == 4
    PropertyContract.objects.filter(pk=contract.pk).update(status=PropertyContract.Status.ENDED,
                                                           ended_on=dt.date(2026, 3, 31))
    assert svc.contract_reminders_send(now=at_day(dt.date(2026, 4, 9))) == 0
    assert svc.contract_remind(contract_id=contract.pk, now=at_day(dt.date(2026, 4, 9))) == 0
    assert ContractReminder.objects.filter(contract=contract).count() == 1


@pytest.mark.parametrize("notice_on,late", [
    (dt.date(2026, 4, 9), False),  # exactly 90 days before the end: on time
    (dt.date(2026, 4, 10), True),  # 89 days: late
    (dt.date(2026, 1, 5), False),
])
def test_the_companys_notice_of_non_renewal_is_on_time_90_days_before_the_end(estate, staff, notice_on, late):
    contract = _contract(estate, staff)
    assert svc.contract_non_renewal_record(actor=staff, contract=contract, notice_on=notice_on) is True
    assert svc.contract_non_renewal_record(actor=staff, contract=contract, notice_on=notice_on) is False
    contract.refresh_from_db()
    assert contract.notice_late is late


def test_the_notice_is_staffs_and_not_after_the_end(estate, staff, owners):
    contract = _contract(estate, staff)
    with pytest.raises(DomainError) as exc:
        svc.contract_non_renewal_record(actor=owners["a"], contract=contract, notice_on=dt.date(2026, 4, 1))
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError) as exc:
        svc.contract_non_renewal_record(actor=staff, contract=contract, notice_on=dt.date(2026, 7, 9))
    assert exc.value.code == "after_end"
    contract.refresh_from_db()
    assert contract.non_renewal_notice_on is None


def test_a_contract_is_recorded_once_and_checked(estate, staff, owners, other_estate):
    first = _contract(estate, staff)
    assert _contract(estate, staff).pk == first.pk  # a double submission
    for kw, code in [({"ends_on": dt.date(2023, 12, 31)}, "dates"), ({"fee_residential": Decimal("0")}, "fee"),
                     ({"company_name": " "}, "company_name")]:
        args = dict(actor=staff, community=estate.community, company_name="新物业", starts_on=dt.date(2026, 7, 9),
                    ends_on=dt.date(2029, 7, 8), fee_residential=Decimal("2.50"))
        args.update(kw)
        if "ends_on" in kw:
            args["starts_on"] = dt.date(2024, 1, 1)
        with pytest.raises(DomainError) as exc:
            svc.contract_create(**args)
        assert exc.value.code == code
    with pytest.raises(DomainError):
        svc.contract_create(actor=owners["a"], community=estate.community, company_name="新物业",
                            starts_on=dt.date(2026, 7, 9), ends_on=dt.date(2029, 7, 8),
                            fee_residential=Decimal("2.50"))
    second = svc.contract_create(actor=staff, community=estate.community, company_name="新物业",
                                 starts_on=dt.date(2026, 7, 9), ends_on=dt.date(2029, 7, 8),
                                 fee_residential=Decimal("2.50"))
    first.refresh_from_db()
    assert (first.status, first.ended_on) == (PropertyContract.Status.ENDED, dt.date(2026, 7, 8))
    assert second.status == PropertyContract.Status.ACTIVE


def test_the_page_shows_days_left_and_the_reminders_sent(client, estate, staff, tenant, outsider, frozen):
    contract = _contract(estate, staff)
    svc.contract_reminders_send(now=NOW)
    client.force_login(tenant)
    page = client.get(f"/talents/owners/company/?community={estate.community.slug}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "还有 120 天到期" in text and "已于 2026-03-10" in text and "第四十六条" in text
    assert "登记告知" not in text  # the tenant reads, staff record
    client.force_login(outsider)
    assert client.get(f"/talents/owners/company/?community={estate.community.slug}").status_code == 404
    assert client.post(f"/talents/owners/company/contract/{contract.pk}/notice/",
                       {"notice_on": "2026-04-01"}).status_code == 403  # guard: an outsider has no staff role


def test_staff_record_the_notice_from_the_page_and_it_says_late(client, estate, staff, tenant, other_estate, frozen):
    contract = _contract(estate, staff)
    client.force_login(tenant)
    assert client.post(f"/talents/owners/company/contract/{contract.pk}/notice/",
                       {"notice_on": "2026-04-20"}).status_code == 403
    client.force_login(staff)
    response = client.post(f"/talents/owners/company/contract/{contract.pk}/notice/", {"notice_on": "2026-04-20"},
                           follow=True)
    assert "逾期告知" in response.content.decode()
    contract.refresh_from_db()
    assert contract.non_renewal_notice_on == dt.date(2026, 4, 20) and contract.notice_late


def test_staff_record_a_contract_from_the_form(client, estate, staff, owners, frozen):
    client.force_login(owners["a"])
    assert client.get(f"/talents/owners/company/contract/new/?community={estate.community.slug}").status_code == 403
    client.force_login(staff)
    url = f"/talents/owners/company/contract/new/?community={estate.community.slug}"
    bad = client.post(url, {"company_name": "美兰", "starts_on": "2026-01-01", "ends_on": "2025-01-01",
                            "fee_residential": "2.30"})
    assert bad.status_code == 400 and "届满日应晚于起始日" in bad.content.decode()
    assert not PropertyContract.objects.exists()
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = client.post(url, {"company_name": "美兰", "starts_on": "2024-01-01", "ends_on": "2026-07-08",
                             "fee_residential": "2.30",
                             "file": SimpleUploadedFile("合同.pdf", b"%PDF-1.4 contract", "application/pdf")})
    assert good.status_code == 302
    contract = PropertyContract.objects.get()
    assert contract.file.extension == "pdf"
    fetched = client.get(f"/talents/owners/company/file/{contract.file.pk}/")
    assert fetched.status_code == 200 and b"".join(fetched.streaming_content).startswith(b"%PDF")
