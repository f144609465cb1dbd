"""Alibaba Cloud SMS (Dysmsapi ``SendSms``), written against its published RPC API with the standard library.

The request is a signed GET (signature version 1.0, HMAC-SHA1): every parameter, sorted by name and
percent-encoded the RFC 3986 way (space as ``%20``, ``*`` as ``%2A``, ``~`` kept), is joined into the canonical
query; the string to sign is ``GET&%2F&`` + the percent-encoded canonical query; the key is the access key
secret followed by ``&``; the base64 digest is sent as ``Signature``. The answer is JSON whose ``Code`` is
``"OK"`` on success. Settings: ``SMS_ALIYUN_ACCESS_KEY_ID``, ``SMS_ALIYUN_ACCESS_KEY_SECRET``,
``SMS_ALIYUN_SIGN_NAME``, ``SMS_ALIYUN_TEMPLATE_CODE`` (a template with one ``${code}`` parameter),
``SMS_ALIYUN_ENDPOINT`` (default https://dysmsapi.aliyuncs.com/) and ``SMS_TIMEOUT_SECONDS``.
"""
import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timezone as dt_timezone

from django.conf import settings

from .backends import BaseBackend, SmsError

DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"


def percent_encode(value: str) -> str:
    return urllib.parse.quote(str(value), safe="~")


def canonical_query(params: dict) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def signature(params: dict, secret: str, method: str = "GET") -> str:
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunBackend(BaseBackend):
    def __init__(self):
        self.access_key_id = getattr(settings, "SMS_ALIYUN_ACCESS_KEY_ID", "")
        self.secret = getattr(settings, "SMS_ALIYUN_ACCESS_KEY_SECRET", "")
        self.sign_name = getattr(settings, "SMS_ALIYUN_SIGN_NAME", "")
        self.template_code = getattr(settings, "SMS_ALIYUN_TEMPLATE_CODE", "")
        self.endpoint = getattr(settings, "SMS_ALIYUN_ENDPOINT", "") or DEFAULT_ENDPOINT
        self.timeout = getattr(settings, "SMS_TIMEOUT_SECONDS", 5)

    def params(self, *, phone: str, code: str, now: datetime | None = None, nonce: str | None = None) -> dict:
        now = now or datetime.now(dt_timezone.utc)
        return {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "SignName": self.sign_name,
            "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({"code": code}, separators=(",", ":")),
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": now.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }

    def signed_url(self, params: dict) -> str:
        query = canonical_query({**params, "Signature": signature(params, self.secret)})
        return f"{self.endpoint.rstrip('/')}/?{query}"

    def send(self, *, phone, text, code=""):
        if not (self.access_key_id and self.secret and self.sign_name and self.template_code):
            raise SmsError("Aliyun SMS is not configured (SMS_ALIYUN_* settings)")
        url = self.signed_url(self.params(phone=phone, code=code))
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - https endpoint
                body = response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"Aliyun SMS unreachable: {getattr(exc, 'reason', exc)}") from None
        try:
            answer = json.loads(body or b"{}")
        except ValueError:
            raise SmsError("Aliyun SMS answered something that is not JSON") from None
        if answer.get("Code") != "OK":
            raise SmsError(f"Aliyun SMS refused the message: {answer.get('Code')} {answer.get('Message', '')}".strip())
