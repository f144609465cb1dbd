"""SMS codes: expire after 10 minutes, single use, 5 wrong tries, rate limits per number and per address, never
logged, voided when the SMS service is down; the purge task is idempotent."""
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from communities.models import PhoneCode
from communities.services.errors import DomainError
from communities.services.phone_codes import phone_code_issue, phone_code_verify, phone_codes_purge
from communities.sms.backends import read_sms_file
from communities.tasks import purge_phone_codes

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PHONE = "13800138000"
LOGIN = PhoneCode.Purpose.LOGIN

pytestmark = pytest.mark.django_db


def issued_code(outbox, *, phone=PHONE, purpose=LOGIN, now=NOON, ip="10.0.0.1"):
    phone_code_issue(phone=phone, purpose=purpose, ip=ip, now=now)
    return read_sms_file(outbox)[-1]["code"]


def test_a_sent_code_signs_in_once(sms_outbox):
    code = issued_code(sms_outbox)
    message = read_sms_file(sms_outbox)[-1]
    assert message["phone"] == PHONE and code in message["text"] and len(code) == 6
    phone_code_verify(phone=PHONE, purpose=LOGIN, code=code, now=NOON + timedelta(minutes=1))
    with pytest.raises(DomainError, match="已过期或已使用"):
        phone_code_verify(phone=PHONE, purpose=LOGIN, code=code, now=NOON + timedelta(minutes=2))


def test_the_code_is_stored_only_as_a_digest(sms_outbox):
    code = issued_code(sms_outbox)
    row = PhoneCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64


def test_a_code_expires_after_ten_minutes(sms_outbox):
    code = issued_code(sms_outbox)
    with pytest.raises(DomainError, match="已过期"):
        phone_code_verify(phone=PHONE, purpose=LOGIN, code=code, now=NOON + timedelta(minutes=10, seconds=1))


def test_a_code_for_another_purpose_or_number_does_not_work(sms_outbox):
    code = issued_code(sms_outbox)
    with pytest.raises(DomainError):
        phone_code_verify(phone=PHONE, purpose=PhoneCode.Purpose.RESET, code=code, now=NOON)
    with pytest.raises(DomainError):
        phone_code_verify(phone="13900139000", purpose=LOGIN, code=code, now=NOON)


def test_a_wrong_code_says_so_and_the_sixth_try_is_refused_even_with_the_right_code(sms_outbox):
    code = issued_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(DomainError, match="验证码不正确"):
            phone_code_verify(phone=PHONE, purpose=LOGIN, code=wrong, now=NOON)
    with pytest.raises(DomainError, match="输错次数太多"):
        phone_code_verify(phone=PHONE, purpose=LOGIN, code=wrong, now=NOON)
    with pytest.raises(DomainError, match="已过期或已使用"):
        phone_code_verify(phone=PHONE, purpose=LOGIN, code=code, now=NOON)


def test_a_new_code_replaces_the_old_one(sms_outbox):
    first = issued_code(sms_outbox)
    second = issued_code(sms_outbox, now=NOON + timedelta(minutes=2))
    if first != second:
        with pytest.raises(DomainError):
            phone_code_verify(phone=PHONE, purpose=LOGIN, code=first, now=NOON + timedelta(minutes=3))
    phone_code_verify(phone=PHONE, purpose=LOGIN, code=second, now=NOON + timedelta(minutes=3))


def test_one_code_per_minute_per_number(sms_outbox):
    issued_code(sms_outbox)
    with pytest.raises(DomainError, match="1 分钟后再试"):
        phone_code_issue(phone=PHONE, purpose=LOGIN, ip="10.0.0.1", now=NOON + timedelta(seconds=59))
    assert len(read_sms_file(sms_outbox)) == 1
    phone_code_issue(phone=PHONE, purpose=LOGIN, ip="10.0.0.1", now=NOON + timedelta(seconds=61))


def test_ten_codes_a_day_per_number(sms_outbox):
    for i in range(10):
        phone_code_issue(phone=PHONE, purpose=LOGIN, ip=f"10.0.0.{i}", now=NOON + timedelta(minutes=2 * i))
    with pytest.raises(DomainError, match="今天获取验证码的次数太多"):
        phone_code_issue(phone=PHONE, purpose=LOGIN, ip="10.0.1.1", now=NOON + timedelta(hours=3))
    phone_code_issue(phone=PHONE, purpose=LOGIN, ip="10.0.1.1", now=NOON + timedelta(days=1, minutes=1))


def test_twenty_codes_an_hour_per_address(sms_outbox):
    for i in range(20):
        phone_code_issue(phone=f"1390013{i:04d}", purpose=LOGIN, ip="10.9.9.9", now=NOON + timedelta(minutes=i))
    with pytest.raises(DomainError, match="1 小时后再试"):
        phone_code_issue(phone="13700137000", purpose=LOGIN, ip="10.9.9.9", now=NOON + timedelta(minutes=30))
    phone_code_issue(phone="13700137000", purpose=LOGIN, ip="10.9.9.8", now=NOON + timedelta(minutes=30))


def test_an_unsent_code_counts_like_a_sent_one_but_no_message_leaves(sms_outbox):
    phone_code_issue(phone=PHONE, purpose=LOGIN, ip="10.0.0.1", deliver=False, now=NOON)
    assert read_sms_file(sms_outbox) == []
    with pytest.raises(DomainError, match="1 分钟后再试"):
        phone_code_issue(phone=PHONE, purpose=LOGIN, ip="10.0.0.1", deliver=False, now=NOON + timedelta(seconds=5))


def test_sms_down_says_so_in_chinese_and_leaves_no_usable_code(settings, sms_outbox):
    settings.SMS_BACKEND = "communities.sms.backends.FailingBackend"
    with pytest.raises(DomainError, match="短信服务暂时不可用"):
        phone_code_issue(phone=PHONE, purpose=LOGIN, ip="10.0.0.1", now=NOON)
    row = PhoneCode.objects.get()
    assert row.failed and row.used_at is not None
    # The failure does not hold the resident back for a minute once the service is back.
    settings.SMS_BACKEND = "communities.sms.backends.FileBackend"
    code = issued_code(sms_outbox, now=NOON + timedelta(seconds=10))
    phone_code_verify(phone=PHONE, purpose=LOGIN, code=code, now=NOON + timedelta(seconds=20))


def test_no_code_ever_appears_in_a_log_record(sms_outbox, caplog, settings):
    caplog.set_level(logging.DEBUG)
    code = issued_code(sms_outbox)
    with pytest.raises(DomainError):
        phone_code_verify(phone=PHONE, purpose=LOGIN, code="999999" if code != "999999" else "888888", now=NOON)
    phone_code_verify(phone=PHONE, purpose=LOGIN, code=code, now=NOON)
    settings.SMS_BACKEND = "communities.sms.backends.FailingBackend"
    with pytest.raises(DomainError):
        phone_code_issue(phone="13900139000", purpose=LOGIN, ip="10.0.0.1", now=NOON)
    assert caplog.records, "the service logs what it does (without the code)"
    for record in caplog.records:
        assert code not in record.getMessage() and PHONE not in record.getMessage()


def test_purge_deletes_old_codes_and_is_idempotent(sms_outbox):
    issued_code(sms_outbox, now=NOON - timedelta(days=2))
    issued_code(sms_outbox, phone="13900139000", now=NOON)
    assert phone_codes_purge(now=NOON) == 1
    assert phone_codes_purge(now=NOON) == 0
    assert list(PhoneCode.objects.values_list("phone", flat=True)) == ["13900139000"]


def test_purge_task_runs_twice_without_harm(sms_outbox):
    issued_code(sms_outbox, now=NOON - timedelta(days=400))
    purge_phone_codes()
    purge_phone_codes()
    assert not PhoneCode.objects.exists()
