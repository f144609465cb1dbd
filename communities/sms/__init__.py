"""Text messages to mobile phones, through a pluggable gateway (setting ``SMS_BACKEND``, a dotted path).

``send_sms(phone=…, text=…, code=…)`` hands one message to the configured backend and raises ``SmsError`` when
it could not be delivered. The backends:

- ``communities.sms.backends.FileBackend`` (the default): appends one JSON line per message to
  ``SMS_FILE_PATH`` (``var/sms/messages.jsonl``), so a developer on ``make run`` reads the code there;
- ``communities.sms.backends.ConsoleBackend``: writes the message to standard output;
- ``communities.sms.backends.FailingBackend``: always raises (the "service down" test);
- ``communities.sms.aliyun.AliyunBackend``: Alibaba Cloud's Dysmsapi ``SendSms`` (production).

Nothing here logs the text of a message: it carries one-time codes.
"""
from django.conf import settings
from django.utils.module_loading import import_string

from .backends import SmsError

DEFAULT_BACKEND = "communities.sms.backends.FileBackend"

__all__ = ["DEFAULT_BACKEND", "SmsError", "get_backend", "send_sms"]


def get_backend():
    return import_string(getattr(settings, "SMS_BACKEND", "") or DEFAULT_BACKEND)()


def send_sms(*, phone: str, text: str, code: str = "") -> None:
    """Send ``text`` to ``phone``. ``code`` is the one-time code the text carries, for template-based providers
    (Aliyun sends only a template code and its parameters, never free text)."""
    get_backend().send(phone=phone, text=text, code=code)
