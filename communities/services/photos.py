"""Stored photos (of cases, needs, and the apps' objects): checked by their content, cleaned of every piece of metadata, shrunk, stored outside the web root.

A phone photo carries the GPS position of the reporter's home in its EXIF block, so nothing of the uploaded file
is kept but its pixels: the image is decoded, turned upright, resized and encoded anew.
"""
import io
import secrets
import struct
import warnings
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps

from ..models import CasePhoto, PendingPhoto
from .errors import DomainError

MAX_PHOTOS = 6
MAX_SIDE = 1600
# Well above a phone's default photo (12–50 MP), well below what would exhaust a web worker's memory.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85
WEBP_QUALITY = 85
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}


@dataclass(frozen=True)
class ProcessedPhoto:
    content: bytes
    extension: str  # "jpg" | "png" | "webp"
    width: int
    height: int


def photo_process(*, upload) -> ProcessedPhoto:
    """Check one uploaded file and return it re-encoded; raise DomainError if it is not a usable photo."""
    data = _read_limited(upload)
    image_format = _sniff(data)
    if image_format is None:
        raise DomainError(_("只能上传 JPEG、PNG 或 WebP 格式的照片。"), code="photo_type")
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; a photo that big is refused too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _decode(data, image_format)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise DomainError(_("照片尺寸太大，请缩小后再试。"), code="photo_pixels") from None
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, struct.error):
            # Truncated or corrupt data, or a file that only starts like an image.
            raise DomainError(_("照片无法识别，请换一张再试。"), code="photo_broken") from None
    return _encode(image, image_format)


def photos_process(*, uploads) -> list[ProcessedPhoto]:
    """Check a batch of uploads; the error names which photo is wrong when there are several."""
    uploads = list(uploads)
    if len(uploads) > MAX_PHOTOS:
        raise DomainError(_("最多上传 6 张照片。"), code="photo_count")
    processed = []
    for number, upload in enumerate(uploads, start=1):
        try:
            processed.append(photo_process(upload=upload))
        except DomainError as error:
            if len(uploads) == 1:
                raise
            raise DomainError(_("第 %(number)s 张照片：%(error)s") % {"number": number, "error": error.message},
                              code=error.code) from None
    return processed


def photos_store(*, photos, processed) -> list:
    """Save unsaved ``StoredPhoto`` rows, each with its processed file, all or none.

    Every stored photo (a case's, a need's, an app's) is written here: the file gets its random name from the
    model's ``upload_to``, and the files already written are removed again if a row cannot be saved.
    """
    photos, written = list(photos), []
    try:
        with transaction.atomic():
            for photo, item in zip(photos, processed, strict=True):
                photo.extension, photo.width, photo.height = item.extension, item.width, item.height
                photo.size = len(item.content)
                # The name passed here is ignored: the model's upload_to picks a random one.
                photo.image.save(f"photo.{item.extension}", ContentFile(item.content), save=False)
                written.append(photo.image.name)
                photo.save()
    except BaseException:
        for photo, name in zip(photos, written):
            photo.image.storage.delete(name)
        raise
    return photos


def photos_attach(*, case, event, uploaded_by, uploads=(), processed=()) -> list[CasePhoto]:
    """Attach photos to ``case`` (and the ``event`` they illustrate). All are checked before any is saved.

    Pass ``uploads`` (Django UploadedFiles), or ``processed`` from :func:`photo_process` when the caller holds
    row locks: decoding a photo takes a while, so it is better done before the transaction starts.
    """
    processed = list(processed)
    uploads = list(uploads)
    if len(processed) + len(uploads) > MAX_PHOTOS:
        raise DomainError(_("最多上传 6 张照片。"), code="photo_count")
    ready = processed + photos_process(uploads=uploads)
    return photos_store(photos=[CasePhoto(case=case, event=event, uploaded_by=uploaded_by) for _item in ready],
                        processed=ready)


PENDING_KEPT_FOR = timedelta(days=1)


def pending_photos_keep(*, user, community, token: str, kept: list, uploads=(), discard=()) -> str:
    """Keep the photos of a filing form that came back with an error, so they need not be attached again.

    ``kept`` are the user's pending photos under ``token`` (``selectors.cases.pending_photos_of``: another
    user's token finds none); those whose id is in ``discard`` are deleted, ``uploads`` are checked and added.
    Returns the token to put in the re-rendered form: a new one when the user has none of their own yet.
    Raises DomainError (nothing added) when an upload is not a usable photo or there would be more than six.
    """
    discard = {int(pk) for pk in discard}
    keep = [p for p in kept if p.pk not in discard]
    uploads = list(uploads)
    if len(keep) + len(uploads) > MAX_PHOTOS:
        raise DomainError(_("最多上传 6 张照片。"), code="photo_count")
    processed = photos_process(uploads=uploads)
    if not kept:
        token = secrets.token_urlsafe(24)
    expires = timezone.now() + PENDING_KEPT_FOR
    with transaction.atomic():
        photos_store(photos=[PendingPhoto(community=community, token=token, expires_at=expires, uploaded_by=user)
                             for _item in processed], processed=processed)
        _pending_delete([p for p in kept if p.pk in discard])  # after the new ones are safely stored
    return token


def pending_photos_take(*, photos) -> list[ProcessedPhoto]:
    """The pixels of pending photos, read before filing (they were checked and cleaned when they came): the
    case's ``CasePhoto`` rows get copies, and the pending rows and files go once the case is committed."""
    taken, rows = [], list(photos)
    for photo in rows:
        try:
            with photo.image.storage.open(photo.image.name, "rb") as handle:
                content = handle.read()
        except OSError:
            continue  # its file is gone (purged meanwhile): the case is filed without it
        taken.append(ProcessedPhoto(content=content, extension=photo.extension, width=photo.width,
                                    height=photo.height))
    transaction.on_commit(lambda: _pending_delete(rows))
    return taken


def pending_photos_discard(*, user, photos) -> None:
    """Delete the user's own pending photos among ``photos`` (those not filed with the case)."""
    _pending_delete([p for p in photos if p.uploaded_by_id == user.pk])


def pending_photos_purge(*, now=None) -> int:
    """Delete the pending photos past their ``expires_at`` (rows and files); daily, safe to run twice."""
    now, deleted = now or timezone.now(), 0
    while batch := list(PendingPhoto.objects.filter(expires_at__lt=now).order_by("id")[:500]):
        _pending_delete(batch)
        deleted += len(batch)
    return deleted


def _pending_delete(photos) -> None:
    photos = list(photos)
    if not photos:
        return
    PendingPhoto.objects.filter(pk__in=[p.pk for p in photos]).delete()
    for photo in photos:
        photo.image.storage.delete(photo.image.name)


def photo_open(*, photo):
    """The stored file of ``photo`` (any ``StoredPhoto``), opened for reading, and its content type."""
    return photo.image.storage.open(photo.image.name, "rb"), photo.content_type


# --- helpers -----------------------------------------------------------------

def _read_limited(upload) -> bytes:
    limit = settings.UPLOAD_MAX_BYTES
    too_big = DomainError(_("照片不能超过 %(size)s MB。") % {"size": limit // (1024 * 1024)}, code="photo_size")
    if upload.size is not None and upload.size > limit:
        raise too_big
    upload.seek(0)
    data = upload.read(limit + 1)  # never trust the declared size alone
    if len(data) > limit:
        raise too_big
    return data


def _sniff(data: bytes) -> str | None:
    """The format by its signature bytes: the file's name and declared content type are not looked at."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _decode(data: bytes, image_format: str) -> Image.Image:
    # formats=[...] keeps Pillow from trying any other decoder on these bytes.
    with Image.open(io.BytesIO(data), formats=[image_format]) as probe:
        _check_pixels(probe)
        probe.verify()
    image = Image.open(io.BytesIO(data), formats=[image_format])
    _check_pixels(image)
    if image_format == "JPEG":
        image.draft(None, (MAX_SIDE, MAX_SIDE))  # decode a big JPEG at 1/2, 1/4 or 1/8 scale: less memory
    image.load()  # a truncated file fails here
    ImageOps.exif_transpose(image, in_place=True)
    return image


def _check_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise ValueError("empty image")
    if width * height > MAX_PIXELS:
        raise Image.DecompressionBombError("too many pixels")


def _encode(image: Image.Image, image_format: str) -> ProcessedPhoto:
    image = _to_output_mode(image, image_format)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A new image holding only the pixels: no EXIF (GPS), XMP, comment, ICC profile or text chunk survives.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif image_format == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return ProcessedPhoto(content=out.getvalue(), extension=EXTENSIONS[image_format],
                          width=clean.width, height=clean.height)


def _to_output_mode(image: Image.Image, image_format: str) -> Image.Image:
    has_alpha = image.mode in ALPHA_MODES or "transparency" in image.info
    if image_format == "JPEG":
        target = "L" if image.mode in ("1", "L") else "RGB"
    elif has_alpha:
        target = "RGBA"
    else:
        target = "L" if image.mode in ("1", "L") and image_format == "PNG" else "RGB"
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK") and target in ("RGB", "RGBA"):
        # The profile is dropped with the rest of the metadata, so bake it in: wide-gamut (Display P3) and
        # CMYK photos keep their colours.
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(image, source, _srgb(), outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # an unreadable profile: plain conversion below
    return image if image.mode == target else image.convert(target)


@cache
def _srgb():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
