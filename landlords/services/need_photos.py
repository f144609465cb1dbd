"""Photos of a need (the posted need, the delivered item): checked and cleaned by the core photo service
(content sniffing, EXIF/GPS stripped, resized), stored under MEDIA_ROOT with random names."""
from django.core.files.base import ContentFile
from django.db import transaction

from communities.services.photos import CONTENT_TYPES, ProcessedPhoto

from ..models import NeedPhoto


def need_photo_store(*, need, event, uploaded_by, processed: ProcessedPhoto) -> NeedPhoto:
    """Save one processed photo; the file is removed again if the row cannot be written."""
    photo = NeedPhoto(need=need, event=event, uploaded_by=uploaded_by, extension=processed.extension,
                      width=processed.width, height=processed.height)
    # The name passed here is ignored: need_photo_path picks a random one.
    photo.image.save(f"photo.{processed.extension}", ContentFile(processed.content), save=False)
    name = photo.image.name
    try:
        with transaction.atomic():
            photo.save()
    except BaseException:
        photo.image.storage.delete(name)
        raise
    return photo


def need_photo_open(*, photo: NeedPhoto):
    """The stored file of ``photo``, opened for reading, and its content type."""
    content_type = CONTENT_TYPES.get(photo.extension, "application/octet-stream")
    return photo.image.storage.open(photo.image.name, "rb"), content_type
