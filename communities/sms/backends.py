"""The development and test backends of the SMS gateway (see ``communities.sms``)."""
import json
import sys
from pathlib import Path

from django.conf import settings
from django.utils import timezone


class SmsError(Exception):
    """The message was not handed over; ``str(exc)`` says why (never the message text)."""


class BaseBackend:
    def send(self, *, phone: str, text: str, code: str = "") -> None:  # pragma: no cover - interface
        raise NotImplementedError


def sms_file_path() -> Path:
    configured = getattr(settings, "SMS_FILE_PATH", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "sms" / "messages.jsonl"


class FileBackend(BaseBackend):
    """One JSON line per message (``{"at", "phone", "text", "code"}``), appended to ``sms_file_path()``."""

    def send(self, *, phone, text, code=""):
        path = sms_file_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            line = json.dumps({"at": timezone.now().isoformat(), "phone": phone, "text": text, "code": code},
                              ensure_ascii=False)
            with path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError as exc:
            raise SmsError(f"cannot write {path}: {exc.strerror}") from None


def read_sms_file(path: Path | None = None) -> list[dict]:
    """The messages the file backend wrote, oldest first (for tests and developers)."""
    path = path or sms_file_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class ConsoleBackend(BaseBackend):
    def send(self, *, phone, text, code=""):
        sys.stdout.write(f"[SMS to {phone}] {text}\n")
        sys.stdout.flush()


class FailingBackend(BaseBackend):
    """The SMS service is down."""

    def send(self, *, phone, text, code=""):
        raise SmsError("the SMS service is unavailable (FailingBackend)")
