"""The 物业之窗 and fee changes (issue 15 item 7, 沪物业规定 art. 48): a fee change cannot be published without its
audit or assessment file; a raise without an owners' decision is published with a warning; the window is read by
everyone of the estate (tenants too), newest first; staff alone post; another estate gets 404; constant queries."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.services.errors import DomainError
from talents.models import CompanyFile, FeeChange, PublicDocument
from talents.selectors import owners_company as sel
from talents.services import owners_company as svc

from .owners_world import NOW, estate, frozen, other_estate, outsider, owners, staff, tenant  # noqa: F401

pytestmark = pytest.mark.django_db


def pdf(name="审计报告.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 audited accounts", "application/pdf")


@pytest.fixture
def contract(estate, staff):
    return svc.contract_create(actor=staff, community=estate.community, company_name="上海美兰物业服务有限公司",
                               starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2026, 7, 8),
                               fee_residential=Decimal("2.30"), fee_parking=Decimal("150.00"), now=NOW)


def _change(staff, contract, new="2.50", **kw):
    return svc.fee_change_create(actor=staff, contract=contract, property_kind="residential", new_fee=Decimal(new),
                                 effective_on=dt.date(2026, 4, 1), reason="人工成本上涨", now=NOW, **kw)


def test_a_fee_change_is_refused_publication_without_its_audit_file(estate, staff, contract):
    change = _change(staff, contract)
    assert (change.old_fee, change.new_fee, change.is_raise) == (Decimal("2.30"), Decimal("2.50"), True)
    with pytest.raises(DomainError) as exc:
        svc.fee_change_publish(actor=staff, fee_change=change, now=NOW)
    assert exc.value.code == "no_audit" and "第四十八条" in exc.value.message
    change.refresh_from_db()
    assert change.published_at is None and not PublicDocument.objects.exists()
    audit_file = svc.company_file_store(actor=staff, community=estate.community, upload=pdf())
    document = svc.fee_change_publish(actor=staff, fee_change=change, audit_file=audit_file, now=NOW)
    assert document.file_id == audit_file.pk and document.kind == PublicDocument.Kind.FEES
    assert document.published_on == NOW.date() and "2.30 → 2.50" in document.title
    assert svc.fee_change_publish(actor=staff, fee_change=change, now=NOW).pk == document.pk  # a repeat
    assert PublicDocument.objects.count() == 1
    # once it is in force the next change starts from it
    assert sel.fee_in_force(contract=contract, property_kind="residential", on=dt.date(2026, 4, 1)) == Decimal("2.50")
    assert sel.fee_in_force(contract=contract, property_kind="residential", on=dt.date(2026, 3, 31)) == Decimal("2.30")


def test_a_fee_change_is_checked_and_recorded_once(estate, staff, owners, contract):
    with pytest.raises(DomainError) as exc:
        _change(staff, contract, new="2.30")
    assert exc.value.code == "same"
    with pytest.raises(DomainError) as exc:
        svc.fee_change_create(actor=staff, contract=contract, property_kind="residential", new_fee=Decimal("2.5"),
                              effective_on=dt.date(2026, 4, 1), reason=" ")
    assert exc.value.code == "reason"
    with pytest.raises(DomainError) as exc:
        _change(owners["a"], contract)
    assert exc.value.code == "forbidden"
    assert _change(staff, contract).pk == _change(staff, contract).pk
    assert FeeChange.objects.count() == 1


def test_only_a_pdf_or_a_scan_is_stored(estate, staff):
    with pytest.raises(DomainError) as exc:
        svc.company_file_store(actor=staff, community=estate.community,
                               upload=SimpleUploadedFile("x.pdf", b"MZ not a pdf", "application/pdf"))
    assert exc.value.code == "file_type"
    assert not CompanyFile.objects.exists()


def test_publishing_a_raise_from_the_page_without_an_audit_file_says_why_and_with_it_warns(client, estate, staff,
                                                                                         contract, frozen):
    change = _change(staff, contract)
    client.force_login(staff)
    refused = client.post(f"/talents/owners/company/fees/{change.pk}/publish/", {})
    assert refused.status_code == 400
    assert "第四十八条" in refused.content.decode()
    published = client.post(f"/talents/owners/company/fees/{change.pk}/publish/", {"audit_file": pdf()}, follow=True)
    text = published.content.decode()
    assert "没有关联业主共同决定" in text  # a raise without the owners' decision: a warning
    change.refresh_from_db()
    assert change.published_at is not None and change.audit_file_id
    window = client.get(f"/talents/owners/company/window/?community={estate.community.slug}").content.decode()
    assert "2.30 → 2.50" in window and f"/talents/owners/company/file/{change.audit_file_id}/" in window


def test_the_window_is_public_to_the_estate_newest_first(client, estate, staff, tenant, outsider, frozen):
    for i, (kind, title) in enumerate([("services", "保洁绿化服务标准"), ("income", "2025年公共收益收支"),
                                       ("fund", "维修资金使用情况")]):
        svc.document_publish(actor=staff, community=estate.community, kind=kind, title=title, body="见附件",
                             published_on=NOW.date() - dt.timedelta(days=10 - i), now=NOW)
    later = svc.document_publish(actor=staff, community=estate.community, kind="other", title="明日停水通知",
                                 body="…", published_on=NOW.date() + dt.timedelta(days=1), now=NOW)
    gone = svc.document_publish(actor=staff, community=estate.community, kind="other", title="旧通知", body="…",
                                published_on=NOW.date() - dt.timedelta(days=20), now=NOW)
    svc.document_withdraw(actor=staff, document=gone, on=NOW.date())
    client.force_login(tenant)
    page = client.get(f"/talents/owners/company/window/?community={estate.community.slug}")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("维修资金使用情况") < text.index("2025年公共收益收支") < text.index("保洁绿化服务标准")
    assert "公示日期 2026-02-28" in text
    assert later.title not in text and "旧通知" not in text
    assert "撤下" not in text and "发布公示" not in text
    client.force_login(outsider)
    assert client.get(f"/talents/owners/company/window/?community={estate.community.slug}").status_code == 404


def test_only_staff_post_on_the_window(client, estate, staff, owners, tenant, frozen):
    url = f"/talents/owners/company/window/new/?community={estate.community.slug}"
    for user in (tenant, owners["a"]):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(staff)
    bad = client.post(url, {"kind": "services", "title": "服务标准", "body": "", "published_on": "2026-03-10"})
    assert bad.status_code == 400 and "请填写公示内容或上传文件" in bad.content.decode()
    ok = client.post(url, {"kind": "services", "title": "服务标准", "body": "", "published_on": "2026-03-10",
                           "file": pdf("服务标准.pdf")})
    assert ok.status_code == 302
    client.post(url, {"kind": "services", "title": "服务标准", "body": "x", "published_on": "2026-03-10"})
    assert PublicDocument.objects.count() == 1  # the same posting twice is kept once


def test_another_estates_objects_are_404(client, estate, other_estate, staff, contract, frozen):
    from communities.models import Role

    from ..factories import make_member

    other_staff = make_member(other_estate.community, Role.COMMITTEE_STAFF, username="other_staff")
    change = _change(staff, contract)
    doc = svc.document_publish(actor=staff, community=estate.community, kind="other", title="通知", body="…",
                               published_on=NOW.date(), file=svc.company_file_store(
                                   actor=staff, community=estate.community, upload=pdf()), now=NOW)
    client.force_login(other_staff)
    assert client.post(f"/talents/owners/company/fees/{change.pk}/publish/", {}).status_code == 404
    assert client.post(f"/talents/owners/company/window/{doc.pk}/withdraw/").status_code == 404
    assert client.post(f"/talents/owners/company/contract/{contract.pk}/notice/",
                       {"notice_on": "2026-04-01"}).status_code == 404
    assert client.get(f"/talents/owners/company/file/{doc.file_id}/").status_code == 404


def _fill(estate, staff, contract, start, n):
    for i in range(start, start + n):
        svc.document_publish(actor=staff, community=estate.community, kind="other", title=f"通知{i}", body="…",
                             published_on=NOW.date() - dt.timedelta(days=i), now=NOW,
                             file=svc.company_file_store(actor=staff, community=estate.community, upload=pdf()))
        change = svc.fee_change_create(actor=staff, contract=contract, property_kind="parking",
                                       new_fee=Decimal(151 + i), reason="x",
                                       effective_on=dt.date(2027, 1, 1) + dt.timedelta(days=i))
        svc.fee_change_publish(actor=staff, fee_change=change, now=NOW,
                               audit_file=svc.company_file_store(actor=staff, community=estate.community, upload=pdf()))


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/talents/owners/company/window/", "/talents/owners/company/"])
def test_the_window_and_the_company_page_run_a_constant_number_of_queries(
        client, estate, staff, tenant, contract, frozen, django_assert_num_queries, url):
    url = f"{url}?community={estate.community.slug}"
    client.force_login(tenant)
    _fill(estate, staff, contract, 0, 2)
    few = _count(client, url)
    _fill(estate, staff, contract, 2, 6)
    with django_assert_num_queries(few):
        client.get(url)
