"""Documents people upload (a certificate, an appraisal report, a contract, an audit file): checked by their
content, never by their name, against a size limit, before anything is written. Photos have their own service
(``communities.services.photos``: re-encoded, metadata stripped); documents are kept as they are.

``checked_document(upload, max_mb=…, allowed=…)`` reads the upload once and returns a ``CheckedFile`` (its bytes,
its real type, a name to show) or raises ``DomainError`` with code ``file_size`` or ``file_type`` and a message
naming the limit or the types allowed."""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import DomainError

# The first bytes of each kind: the type is what the file is, whatever its name says.
SIGNATURES = ((b"%PDF-", "pdf"), (b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"))
LABELS = {"pdf": "PDF", "jpg": "JPG", "png": "PNG"}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    extension: str

    @property
    def size(self) -> int:
        return len(self.content)


def sniff(head: bytes) -> str | None:
    """``pdf``, ``jpg`` or ``png`` from a file's first bytes; None for anything else."""
    return next((ext for magic, ext in SIGNATURES if head.startswith(magic)), None)


def checked_document(upload, *, max_mb: int, allowed: tuple[str, ...] = ("pdf", "jpg", "png")) -> CheckedFile:
    limit = max_mb * 1024 * 1024
    too_big = DomainError(_("文件不能超过 %(mb)s MB。") % {"mb": max_mb}, code="file_size")
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise too_big
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
    if len(content) > limit:
        raise too_big
    extension = sniff(content)
    if extension not in allowed:
        raise DomainError(_("只能上传 %(types)s 文件。") % {"types": "、".join(LABELS[t] for t in allowed)},
                          code="file_type")
    return CheckedFile(name=(getattr(upload, "name", "") or "file")[:120], content=content, extension=extension)
