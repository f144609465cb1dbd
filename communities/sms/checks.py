"""``manage.py check --deploy`` (and every check with DEBUG off) warns when codes would not reach phones."""
from django.conf import settings
from django.core import checks

from . import DEFAULT_BACKEND

DEVELOPMENT_BACKENDS = {DEFAULT_BACKEND, "communities.sms.backends.ConsoleBackend",
                        "communities.sms.backends.FailingBackend"}


@checks.register()
def sms_backend_in_production(app_configs=None, **kwargs):
    backend = getattr(settings, "SMS_BACKEND", "") or DEFAULT_BACKEND
    if settings.DEBUG:
        return []
    if backend == "communities.sms.aliyun.AliyunBackend":
        missing = [name for name in ("SMS_ALIYUN_ACCESS_KEY_ID", "SMS_ALIYUN_ACCESS_KEY_SECRET",
                                     "SMS_ALIYUN_SIGN_NAME", "SMS_ALIYUN_TEMPLATE_CODE")
                   if not getattr(settings, name, "")]
        return [checks.Warning(f"Aliyun SMS is missing {', '.join(missing)}: no sign-in code can be sent.",
                               id="communities.W011")] if missing else []
    if backend not in DEVELOPMENT_BACKENDS:
        return []
    return [checks.Warning(
        f"SMS_BACKEND is {backend}: sign-in codes are not sent to phones.",
        hint="Set SMS_BACKEND=communities.sms.aliyun.AliyunBackend and the SMS_ALIYUN_* variables "
             "(README, Production).",
        id="communities.W010",
    )]
