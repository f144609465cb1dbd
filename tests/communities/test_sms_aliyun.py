"""The Aliyun SMS adapter against a local fake Dysmsapi that recomputes the signature the published way."""
import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from communities.sms import SmsError, send_sms
from communities.sms.aliyun import AliyunBackend, signature

SECRET = "testsecret"


def _encode(value):
    # Written out again here, independently of the adapter, from Aliyun's documentation.
    return urllib.parse.quote(value, safe="~")


def _expected_signature(params):
    query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = "GET&%2F&" + _encode(query)
    return base64.b64encode(hmac.new(f"{SECRET}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeDysmsapi(BaseHTTPRequestHandler):
    answer = {"Code": "OK", "Message": "OK", "BizId": "1", "RequestId": "r"}
    received: list = []

    def do_GET(self):  # noqa: N802 - http.server's name
        params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query, keep_blank_values=True))
        sent = params.pop("Signature", "")
        type(self).received.append(params)
        if sent != _expected_signature(params):
            body = {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
        else:
            body = type(self).answer
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_aliyun(settings):
    FakeDysmsapi.received = []
    FakeDysmsapi.answer = {"Code": "OK", "Message": "OK"}
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeDysmsapi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "communities.sms.aliyun.AliyunBackend"
    settings.SMS_ALIYUN_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.SMS_ALIYUN_ACCESS_KEY_ID = "LTAI-test"
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET
    settings.SMS_ALIYUN_SIGN_NAME = "罗店社区"
    settings.SMS_ALIYUN_TEMPLATE_CODE = "SMS_123"
    settings.SMS_TIMEOUT_SECONDS = 2
    yield FakeDysmsapi
    server.shutdown()
    server.server_close()


def test_send_sms_reaches_the_provider_signed_with_the_code_as_template_parameter(fake_aliyun):
    send_sms(phone="13800138000", text="验证码 123456", code="123456")
    [params] = fake_aliyun.received
    assert params["Action"] == "SendSms" and params["Version"] == "2017-05-25"
    assert params["PhoneNumbers"] == "13800138000"
    assert params["SignName"] == "罗店社区" and params["TemplateCode"] == "SMS_123"
    assert json.loads(params["TemplateParam"]) == {"code": "123456"}
    assert params["SignatureMethod"] == "HMAC-SHA1" and params["SignatureVersion"] == "1.0"
    assert params["Timestamp"].endswith("Z") and params["Format"] == "JSON"


def test_a_refusal_by_the_provider_raises_with_its_code(fake_aliyun):
    fake_aliyun.answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"}
    with pytest.raises(SmsError, match="isv.BUSINESS_LIMIT_CONTROL"):
        send_sms(phone="13800138000", text="x", code="123456")


def test_a_wrong_secret_is_refused_by_the_signature_check(fake_aliyun, settings):
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"
    with pytest.raises(SmsError, match="SignatureDoesNotMatch"):
        send_sms(phone="13800138000", text="x", code="123456")


def test_an_unreachable_provider_raises_instead_of_hanging(settings):
    settings.SMS_BACKEND = "communities.sms.aliyun.AliyunBackend"
    settings.SMS_ALIYUN_ENDPOINT = "http://127.0.0.1:9/"  # discard port: connection refused
    settings.SMS_ALIYUN_ACCESS_KEY_ID, settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "id", SECRET
    settings.SMS_ALIYUN_SIGN_NAME, settings.SMS_ALIYUN_TEMPLATE_CODE = "罗店社区", "SMS_123"
    with pytest.raises(SmsError, match="unreachable"):
        send_sms(phone="13800138000", text="x", code="1")


def test_missing_configuration_raises(settings):
    settings.SMS_BACKEND = "communities.sms.aliyun.AliyunBackend"
    settings.SMS_ALIYUN_ACCESS_KEY_ID = ""
    with pytest.raises(SmsError, match="not configured"):
        send_sms(phone="13800138000", text="x", code="1")


def test_signature_matches_the_worked_example_of_the_documentation():
    # Aliyun's signature documentation example (RPC, signature version 1.0): secret "testsecret".
    params = {
        "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
    }
    assert signature(params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_params_carry_utc_timestamp_and_a_fresh_nonce(settings):
    backend = AliyunBackend()
    first, second = backend.params(phone="1", code="2"), backend.params(phone="1", code="2")
    assert first["SignatureNonce"] != second["SignatureNonce"]
