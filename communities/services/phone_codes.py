"""One-time SMS codes: issue one (rate-limited), verify one (single use, 5 wrong tries, 10 minutes).

A code is never written to a log, an audit row or an exception message: only its HMAC is stored and only the
SMS carries it. When the SMS backend fails, the code is voided at once and the user is told in plain Chinese.
"""
import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import PhoneCode, mask_phone
from ..sms import SmsError, send_sms
from .errors import DomainError

logger = logging.getLogger(__name__)

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
PER_PHONE_MINUTE, PER_PHONE_DAY, PER_IP_HOUR = 1, 10, 20

Purpose = PhoneCode.Purpose


def code_digest(*, phone: str, purpose: str, code: str) -> str:
    message = f"{purpose}:{phone}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _sms_text(purpose: str, code: str) -> str:
    what = {Purpose.LOGIN: _("登录"), Purpose.RESET: _("重设密码"), Purpose.REGISTER: _("注册")}[purpose]
    return _("【罗店社区】您的%(what)s验证码是 %(code)s，10 分钟内有效。请勿告诉他人。") % {"what": what, "code": code}


def _check_limits(*, phone: str, ip: str | None, now: datetime) -> None:
    recent = PhoneCode.objects.filter(failed=False)
    if recent.filter(phone=phone, created_at__gt=now - timedelta(minutes=1)).count() >= PER_PHONE_MINUTE:
        raise DomainError(_("验证码刚刚发过，请 1 分钟后再试。"), code="too_soon")
    if recent.filter(phone=phone, created_at__gt=now - timedelta(days=1)).count() >= PER_PHONE_DAY:
        raise DomainError(_("这个号码今天获取验证码的次数太多了，请明天再试，或联系居委会。"), code="phone_day")
    if ip and PhoneCode.objects.filter(ip=ip, created_at__gt=now - timedelta(hours=1)).count() >= PER_IP_HOUR:
        raise DomainError(_("获取验证码太频繁，请 1 小时后再试。"), code="ip_hour")


def phone_code_issue(*, phone: str, purpose: str, ip: str | None = None, deliver: bool = True,
                     now: datetime | None = None) -> PhoneCode:
    """Make a code for ``phone`` and send it. ``deliver=False`` (a number without an account, for sign-in and
    reset) records the request exactly like a real one, so limits and answers do not tell the two apart, but
    sends nothing. Raises DomainError when a limit is reached or the SMS service fails."""
    now = now or timezone.now()
    code = f"{secrets.randbelow(10 ** 6):06d}"
    with transaction.atomic():
        # Serialise requests for one number, so two clicks cannot both pass the one-per-minute limit.
        list(PhoneCode.objects.select_for_update().filter(phone=phone, used_at__isnull=True).values_list("pk"))
        _check_limits(phone=phone, ip=ip, now=now)
        PhoneCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(used_at=now)
        record = PhoneCode.objects.create(phone=phone, purpose=purpose, ip=ip or None, created_at=now,
                                          expires_at=now + CODE_LIFETIME,
                                          code_hash=code_digest(phone=phone, purpose=purpose, code=code))
    if not deliver:
        logger.info("phone code %s for %s not sent: no account", purpose, mask_phone(phone))
        return record
    try:
        send_sms(phone=phone, text=_sms_text(purpose, code), code=code)
    except SmsError as exc:
        PhoneCode.objects.filter(pk=record.pk).update(used_at=timezone.now(), failed=True)
        logger.warning("phone code %s for %s not sent: %s", purpose, mask_phone(phone), exc)
        raise DomainError(_("短信服务暂时不可用，验证码没有发出。请稍后再试，或联系居委会。"), code="sms_down") from None
    logger.info("phone code %s sent to %s", purpose, mask_phone(phone))
    return record


def phone_code_verify(*, phone: str, purpose: str, code: str, now: datetime | None = None) -> None:
    """Accept ``code`` once, or raise DomainError. A wrong try is counted even though the caller sees an error."""
    now = now or timezone.now()
    code = "".join(ch for ch in (code or "") if not ch.isspace())
    with transaction.atomic():
        record = (PhoneCode.objects.select_for_update()
                  .filter(phone=phone, purpose=purpose, used_at__isnull=True, failed=False)
                  .order_by("-created_at").first())
        if record is None or record.expires_at <= now:
            outcome = "gone"
        elif hmac.compare_digest(record.code_hash, code_digest(phone=phone, purpose=purpose, code=code)):
            record.used_at = now
            record.save(update_fields=["used_at"])
            outcome = "ok"
        else:
            record.attempts += 1
            if record.attempts >= MAX_ATTEMPTS:
                record.used_at = now
            record.save(update_fields=["attempts", "used_at"])
            outcome = "spent" if record.attempts >= MAX_ATTEMPTS else "wrong"
    if outcome == "gone":
        raise DomainError(_("验证码已过期或已使用，请重新获取。"), code="expired")
    if outcome == "spent":
        raise DomainError(_("验证码输错次数太多，已作废，请重新获取。"), code="too_many")
    if outcome == "wrong":
        raise DomainError(_("验证码不正确，请核对后重新输入。"), code="wrong")


def phone_codes_purge(*, now: datetime | None = None) -> int:
    """Delete codes older than a day (the longest rate-limit window); running it twice deletes nothing more."""
    now = now or timezone.now()
    deleted, _rows = PhoneCode.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    return deleted
