"""The vendor's CSV file: a row-by-row report, bad rows refused with a reason and nothing half-written, the same
file twice adds nothing (the vendor's 订单号)."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.services.errors import DomainError
from propertyservice.models import ChargingSession
from propertyservice.services.sheds import sessions_import

from .sheds_world import other_shed, shed  # noqa: F401
from .world import head, head2, other_village, staff_member, station, village, villager  # noqa: F401

pytestmark = pytest.mark.django_db

HEADER = "订单号,充电棚,端口,开始时间,结束时间,电量,费用\n"
GOOD = ("V-1,丁钱一号棚,1,2026-03-09 19:00,2026-03-09 23:00,2.5,2.50\n"
        "V-2,丁钱一号棚,2,2026/03/09 20:15,2026/03/10 06:15,1.2,1.20\n")
BAD = ("V-3,丁钱九号棚,1,2026-03-09 19:00,2026-03-09 23:00,1,1\n"
       "V-4,丁钱一号棚,9,2026-03-09 19:00,2026-03-09 23:00,1,1\n"
       "V-5,丁钱一号棚,1,2026-03-09 23:00,2026-03-09 19:00,1,1\n"
       "V-6,丁钱一号棚,1,昨天晚上,2026-03-09 23:00,1,1\n"
       "V-7,丁钱一号棚,1,2026-03-09 19:00,2026-03-09 23:00,很多,1\n"
       "V-8,丁钱一号棚,1,2026-03-09 19:00,2026-03-09 23:00,2,0.50\n"
       ",丁钱一号棚,1,2026-03-09 19:00,2026-03-09 23:00,1,1\n")


def test_good_rows_are_imported_with_the_fee_split_and_a_second_import_adds_nothing(shed, staff_member):
    report = sessions_import(actor=staff_member, community=shed.community, data=(HEADER + GOOD).encode())
    assert (report.imported, report.repeats, report.refused) == (2, 0, 0)
    first = ChargingSession.objects.get(vendor_session_id="V-1")
    assert (first.electricity_fee, first.service_fee) == (Decimal("1.50"), Decimal("1.00"))
    assert first.source == ChargingSession.Source.IMPORT and first.port.number == 1
    again = sessions_import(actor=staff_member, community=shed.community, data=(HEADER + GOOD).encode())
    assert (again.imported, again.repeats) == (0, 2)
    assert ChargingSession.objects.count() == 2


def test_each_bad_row_is_refused_with_a_chinese_reason_and_writes_nothing(shed, staff_member):
    report = sessions_import(actor=staff_member, community=shed.community, data=(HEADER + BAD + GOOD).encode())
    assert (report.imported, report.refused) == (2, 7)
    reasons = [row.reason for row in report.rows if row.status == "refused"]
    assert "没有名为“丁钱九号棚”的充电棚。" in reasons
    assert "丁钱一号棚没有9号端口。" in reasons
    assert "结束时间要晚于开始时间。" in reasons
    assert any("昨天晚上" in r and "无法识别" in r for r in reasons)
    assert any("很多" in r for r in reasons)
    assert any("低于电费" in r for r in reasons)
    assert "缺少订单号。" in reasons
    assert [row.line for row in report.rows if row.status == "refused"] == [2, 3, 4, 5, 6, 7, 8]
    assert set(ChargingSession.objects.values_list("vendor_session_id", flat=True)) == {"V-1", "V-2"}


def test_a_file_without_the_columns_or_in_gbk_and_the_wrong_role(shed, staff_member, villager, other_shed):
    with pytest.raises(DomainError, match="缺少“订单号”列"):
        sessions_import(actor=staff_member, community=shed.community, data="a,b\n1,2\n".encode())
    report = sessions_import(actor=staff_member, community=shed.community, data=(HEADER + GOOD).encode("gbk"))
    assert report.imported == 2
    with pytest.raises(PermissionDenied):
        sessions_import(actor=villager, community=shed.community, data=(HEADER + GOOD).encode())
    # Another village's shed names do not match in this village.
    other = sessions_import(actor=staff_member, community=shed.community,
                            data=(HEADER + "X-1,外村棚,1,2026-03-09 19:00,2026-03-09 23:00,1,1\n").encode())
    assert other.refused == 1 and not other_shed.sessions.exists()


def test_the_import_page_shows_the_row_report(client, shed, staff_member):
    client.force_login(staff_member)
    url = reverse("propertyservice:shed_import")
    upload = SimpleUploadedFile("vendor.csv", (HEADER + GOOD + BAD).encode(), content_type="text/csv")
    page = client.post(url, {"community": shed.community.slug, "file": upload}).content.decode()
    assert "新导入 2 行，已导入过 0 行，未导入 7 行。" in page
    assert "没有名为“丁钱九号棚”的充电棚。" in page
