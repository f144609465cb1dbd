"""Production settings pass Django's deployment checks; a missing SECRET_KEY stops the app."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7$Jq2!vN9x@Lm4#Rt8&Wz1^Yp6*Hb3(Fc5)Gd0_Se-Ua+Ti=Ko~Mn",
    "ALLOWED_HOSTS": "luodian.example.cn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/luodian",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.cn:587",
    "SMS_BACKEND": "communities.sms.aliyun.AliyunBackend",
    "SMS_ALIYUN_ACCESS_KEY_ID": "LTAI-example",
    "SMS_ALIYUN_ACCESS_KEY_SECRET": "example-secret",
    "SMS_ALIYUN_SIGN_NAME": "罗店社区",
    "SMS_ALIYUN_TEMPLATE_CODE": "SMS_000001",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_sms_codes_stay_in_a_file():
    env = {**PRODUCTION, "SMS_BACKEND": "communities.sms.backends.FileBackend"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "communities.W010" in result.stdout + result.stderr


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_values():
    code = ("from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.TIME_ZONE, s.USE_TZ, "
            "s.LANGUAGE_CODE, s.CELERY_BROKER_TRANSPORT_OPTIONS['socket_timeout'], "
            "s.CACHES['default']['OPTIONS']['socket_timeout'], s.EMAIL_HOST)")
    env = {**os.environ, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "luodian.settings"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "Asia/Shanghai", "True", "zh-hans", "2", "2",
                                     "smtp.example.cn"]


def test_bare_machine_defaults_need_no_server():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    env.update({"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "luodian.settings"})
    code = ("from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND)")
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "luodianfs://",
                                     "django.core.mail.backends.console.EmailBackend"]


def test_collectstatic_with_manifest_storage(tmp_path):
    """WhiteNoise's manifest storage fails when a vendored file names a missing .map: prove it does not."""
    env = {**PRODUCTION, "STATIC_ROOT": str(tmp_path / "static")}
    result = manage("collectstatic", "--noinput", "-v0", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/bootstrap-5.3.9/css/bootstrap.min.css" in manifest
