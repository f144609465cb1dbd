"""Case photos: type checked by content, metadata (GPS!) stripped, resized; served only to who may see the case."""
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms

from communities.models import Case, CaseCategory, CaseEvent, CasePhoto, CaseStatus, PendingPhoto, Role
from communities.selectors.cases import pending_photos_of
from communities.services import photos as photo_service
from communities.services.cases import case_file
from communities.services.errors import DomainError
from communities.services.photos import photo_process, photos_attach

from ..factories import CaseCategoryFactory, make_member

TYPE_MESSAGE = "只能上传 JPEG、PNG 或 WebP 格式的照片。"
BROKEN_MESSAGE = "照片无法识别，请换一张再试。"
SIZE_MESSAGE = "照片不能超过 10 MB。"
COUNT_MESSAGE = "最多上传 6 张照片。"




# --- fixtures and image makers -----------------------------------------------------------------------------

def stored_files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def image_bytes(fmt="JPEG", size=(320, 240), mode="RGB", color=(200, 80, 40), **save_kwargs) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **save_kwargs)
    return out.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def gps_exif(orientation=None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.Base.Model] = "Camera 12"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)  # tag 34853
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 24.0, 36.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 21.0, 36.0)
    return exif


def reopen(processed) -> Image.Image:
    image = Image.open(io.BytesIO(processed.content))
    image.load()
    return image


def refused(data, **kwargs) -> str:
    with pytest.raises(DomainError) as caught:
        photo_process(upload=upload(data, **kwargs))
    return caught.value.message


# --- photo_process: what is kept ----------------------------------------------------------------------------

def test_gps_and_all_other_metadata_are_stripped_from_a_jpeg():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = image_bytes(exif=gps_exif(), xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret</x:xmpmeta>',
                       comment=b"home of Wang", icc_profile=srgb)
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test image must carry GPS data"
    assert "xmp" in original.info and "comment" in original.info and "icc_profile" in original.info

    processed = photo_process(upload=upload(data))

    image = reopen(processed)
    assert processed.extension == "jpg" and image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)
    for marker in (b"Exif\x00\x00", b"adobe:ns:meta", b"home of Wang", b"Camera 12", b"Phone"):
        assert marker not in processed.content


def test_text_chunks_and_exif_are_stripped_from_a_png():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "王阿姨家 301")
    data = image_bytes("PNG", exif=gps_exif(), pnginfo=info)
    processed = photo_process(upload=upload(data, name="x.png", content_type="image/png"))
    image = reopen(processed)
    assert len(image.getexif()) == 0
    assert not {"exif", "Comment", "icc_profile"} & set(image.info)
    assert b"eXIf" not in processed.content and b"tEXt" not in processed.content


def test_exif_orientation_is_applied_before_the_metadata_goes():
    data = image_bytes(size=(300, 200), exif=gps_exif(orientation=6))  # 6: rotate 90° clockwise to view
    processed = photo_process(upload=upload(data))
    assert (processed.width, processed.height) == (200, 300)
    assert reopen(processed).size == (200, 300)


def test_a_large_photo_is_resized_to_1600_on_the_longest_side():
    processed = photo_process(upload=upload(image_bytes(size=(4000, 3000))))
    assert (processed.width, processed.height) == (1600, 1200)
    assert reopen(processed).size == (1600, 1200)


def test_a_tall_photo_keeps_its_aspect_and_a_small_one_is_not_enlarged():
    tall = photo_process(upload=upload(image_bytes(size=(1000, 4000))))
    assert (tall.width, tall.height) == (400, 1600)
    small = photo_process(upload=upload(image_bytes(size=(640, 480))))
    assert (small.width, small.height) == (640, 480)


def test_a_rotated_large_photo_is_resized_upright():
    processed = photo_process(upload=upload(image_bytes(size=(4000, 3000), exif=gps_exif(orientation=6))))
    assert (processed.width, processed.height) == (1200, 1600)


def test_a_png_with_transparency_stays_a_png_with_alpha():
    data = image_bytes("PNG", size=(100, 80), mode="RGBA", color=(10, 20, 30, 0))
    processed = photo_process(upload=upload(data, name="x.png", content_type="image/png"))
    image = reopen(processed)
    assert processed.extension == "png" and image.format == "PNG"
    assert image.mode == "RGBA" and image.getpixel((5, 5))[3] == 0


def test_a_palette_png_with_a_transparent_colour_becomes_rgba():
    palette = Image.new("P", (50, 50), 1)
    palette.putpalette([255, 255, 255, 255, 0, 0] + [0] * 762)
    out = io.BytesIO()
    palette.save(out, "PNG", transparency=1)
    processed = photo_process(upload=upload(out.getvalue(), name="x.png", content_type="image/png"))
    image = reopen(processed)
    assert processed.extension == "png" and image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0


def test_webp_stays_webp():
    processed = photo_process(upload=upload(image_bytes("WEBP", quality=80), name="x.webp", content_type="image/webp"))
    assert processed.extension == "webp" and reopen(processed).format == "WEBP"


def test_a_cmyk_jpeg_becomes_rgb_and_a_grey_one_stays_grey():
    cmyk = photo_process(upload=upload(image_bytes(mode="CMYK", color=(0, 100, 100, 0))))
    assert reopen(cmyk).mode == "RGB"
    grey = photo_process(upload=upload(image_bytes(mode="L", color=128)))
    assert reopen(grey).mode == "L"


def test_the_name_and_declared_type_do_not_matter_only_the_content():
    processed = photo_process(upload=upload(image_bytes("PNG"), name="report.pdf", content_type="application/pdf"))
    assert processed.extension == "png"


# --- photo_process: what is refused --------------------------------------------------------------------------

def test_html_renamed_to_jpg_is_refused():
    html = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
    assert refused(html, name="photo.jpg", content_type="image/jpeg") == TYPE_MESSAGE


def test_svg_renamed_to_png_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    assert refused(svg, name="photo.png", content_type="image/png") == TYPE_MESSAGE


def test_pdf_is_refused():
    assert refused(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", name="a.pdf") == TYPE_MESSAGE


def test_text_file_is_refused():
    assert refused("这不是照片".encode(), name="note.jpg") == TYPE_MESSAGE


def test_an_empty_file_is_refused():
    assert refused(b"", name="empty.jpg") == TYPE_MESSAGE


def test_gif_is_refused():
    assert refused(image_bytes("GIF", mode="P", color=1), name="x.gif", content_type="image/gif") == TYPE_MESSAGE


def test_a_truncated_jpeg_is_refused():
    data = image_bytes(size=(800, 600), quality=95)
    assert refused(data[: len(data) // 2]) == BROKEN_MESSAGE


def test_a_file_that_only_starts_like_a_jpeg_is_refused():
    assert refused(b"\xff\xd8\xff" + b"not really a jpeg" * 20) == BROKEN_MESSAGE


def test_a_file_over_10_mb_is_refused_before_decoding(settings, monkeypatch):
    assert settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024

    def must_not_decode(*args, **kwargs):
        raise AssertionError("an oversized file must be refused before it is decoded")

    monkeypatch.setattr(photo_service.Image, "open", must_not_decode)
    data = b"\xff\xd8\xff" + b"\0" * (settings.UPLOAD_MAX_BYTES + 1 - 3)
    assert len(data) == 10 * 1024 * 1024 + 1
    assert refused(data) == SIZE_MESSAGE


def test_a_file_of_exactly_10_mb_is_not_refused_for_its_size(settings):
    data = image_bytes("PNG", size=(64, 64))
    # A PNG may carry trailing bytes after IEND; pad it to exactly the limit.
    padded = data + b"\0" * (settings.UPLOAD_MAX_BYTES - len(data))
    assert photo_process(upload=upload(padded, name="x.png", content_type="image/png")).extension == "png"


def test_a_decompression_bomb_is_refused():
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")  # 100 MP, a few kilobytes on disk
    assert len(bomb.getvalue()) < 1024 * 1024
    message = refused(bomb.getvalue(), name="x.png", content_type="image/png")
    assert message == "照片尺寸太大，请缩小后再试。"


def test_pillows_decompression_bomb_warning_is_a_refusal(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # 40×40 = 1600: a warning, not yet Pillow's error
    assert refused(image_bytes("PNG", size=(40, 40)), name="x.png") == "照片尺寸太大，请缩小后再试。"


# --- photos_attach -------------------------------------------------------------------------------------------

@pytest.fixture
def category(community):
    return CaseCategory.objects.create(community=community, code="env", name="环境卫生")


@pytest.fixture
def case(community, category, building, resident, landlord):
    return Case.objects.create(community=community, category=category, reporter=resident, filed_by=resident,
                               building=building, description="楼道堆物", handler_user=landlord,
                               status=CaseStatus.DISPATCHED)


@pytest.fixture
def event(case, resident):
    return CaseEvent.objects.create(case=case, actor=resident, action="file", to_status=CaseStatus.SUBMITTED)


def test_photos_are_saved_with_random_names_outside_the_web_root(settings, case, event, resident, media_root):
    uploads = [upload(image_bytes(size=(4000, 3000)), name="王阿姨 家门口.jpg"),
               upload(image_bytes("PNG", mode="RGBA", color=(0, 0, 0, 0)), name="b.png", content_type="image/png")]
    saved = photos_attach(case=case, event=event, uploaded_by=resident, uploads=uploads)

    assert [(p.extension, p.width, p.height) for p in saved] == [("jpg", 1600, 1200), ("png", 320, 240)]
    assert CasePhoto.objects.filter(case=case, event=event, uploaded_by=resident).count() == 2
    files = stored_files(media_root)
    assert len(files) == 2
    for photo in saved:
        assert photo.image.name.startswith("case-photos/")
        assert "王阿姨" not in photo.image.name and photo.image.name.endswith("." + photo.extension)
        assert not (media_root / photo.image.name).resolve().is_relative_to(settings.STATIC_ROOT.resolve())
    with saved[0].image.open("rb") as fh:
        assert b"Exif" not in fh.read()


def test_already_processed_photos_can_be_attached(case, event, resident):
    processed = [photo_process(upload=upload(image_bytes()))]
    saved = photos_attach(case=case, event=event, uploaded_by=resident, processed=processed)
    assert len(saved) == 1 and saved[0].image.read() == processed[0].content


def test_more_than_six_photos_are_refused_and_none_saved(case, event, resident, media_root):
    uploads = [upload(image_bytes()) for _ in range(7)]
    with pytest.raises(DomainError) as caught:
        photos_attach(case=case, event=event, uploaded_by=resident, uploads=uploads)
    assert caught.value.message == COUNT_MESSAGE
    assert not CasePhoto.objects.exists() and stored_files(media_root) == []


def test_six_photos_are_fine(case, event, resident):
    uploads = [upload(image_bytes(size=(64, 48))) for _ in range(6)]
    assert len(photos_attach(case=case, event=event, uploaded_by=resident, uploads=uploads)) == 6


def test_one_bad_photo_among_good_ones_saves_none(case, event, resident, media_root):
    uploads = [upload(image_bytes()), upload(b"<html></html>", name="evil.jpg"), upload(image_bytes("PNG"))]
    with pytest.raises(DomainError) as caught:
        photos_attach(case=case, event=event, uploaded_by=resident, uploads=uploads)
    assert caught.value.message == f"第 2 张照片：{TYPE_MESSAGE}"
    assert not CasePhoto.objects.exists() and stored_files(media_root) == []


def test_files_written_are_removed_when_saving_fails(case, event, resident, media_root, monkeypatch):
    calls = []
    original_save = CasePhoto.save

    def failing_second_save(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(CasePhoto, "save", failing_second_save)
    with pytest.raises(RuntimeError):
        photos_attach(case=case, event=event, uploaded_by=resident,
                      uploads=[upload(image_bytes()), upload(image_bytes())])
    assert not CasePhoto.objects.exists() and stored_files(media_root) == []


# --- serving a photo -----------------------------------------------------------------------------------------

@pytest.fixture
def photo(case, event, resident):
    return photos_attach(case=case, event=event, uploaded_by=resident, uploads=[upload(image_bytes())])[0]


def photo_url(photo, case=None):
    return reverse("communities:case_photo", args=[(case or photo.case).pk, photo.pk])


@pytest.mark.parametrize("persona", ["resident", "landlord", "committee_staff", "party_secretary"])
def test_reporter_handler_staff_and_secretary_see_the_photo(client, request, photo, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(photo_url(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert photo.image.name.rsplit("/", 1)[-1] not in response["Content-Disposition"]
    with photo.image.open("rb") as fh:
        assert b"".join(response.streaming_content) == fh.read()


def test_png_photo_is_served_as_png(client, case, event, resident):
    png = photos_attach(case=case, event=event, uploaded_by=resident,
                        uploads=[upload(image_bytes("PNG"), name="x.png", content_type="image/png")])[0]
    client.force_login(resident)
    assert client.get(photo_url(png))["Content-Type"] == "image/png"


def test_outsider_gets_404(client, photo, outsider):
    client.force_login(outsider)
    assert client.get(photo_url(photo)).status_code == 404


def test_unrelated_member_of_the_community_is_refused(client, photo, tenant):
    client.force_login(tenant)
    assert client.get(photo_url(photo)).status_code == 403


def test_anonymous_is_sent_to_login(client, photo):
    response = client.get(photo_url(photo))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_photo_of_another_case_is_not_served_under_this_case(client, photo, community, category, resident,
                                                                committee_staff):
    other = Case.objects.create(community=community, category=category, reporter=resident, filed_by=resident,
                                description="另一件")
    client.force_login(committee_staff)
    assert client.get(photo_url(photo, case=other)).status_code == 404


def test_a_photo_missing_on_disk_is_404(client, photo, resident, media_root):
    (media_root / photo.image.name).unlink()
    client.force_login(resident)
    assert client.get(photo_url(photo)).status_code == 404


def test_photos_are_only_read_not_written(client, photo, resident):
    client.force_login(resident)
    assert client.post(photo_url(photo)).status_code == 405


def test_the_media_root_is_not_under_the_static_root_or_served_as_static():
    import luodian.settings as project  # the configured values, not this module's tmp MEDIA_ROOT
    import luodian.urls as root_urls

    media = project.MEDIA_ROOT.resolve()
    assert not media.is_relative_to(project.STATIC_ROOT.resolve())
    assert all(not media.is_relative_to(d.resolve()) for d in project.STATICFILES_DIRS)
    assert not any(str(p.pattern).startswith(project.MEDIA_URL.lstrip("/")) for p in root_urls.urlpatterns)


# --- photos kept from a filing form that came back with an error (PendingPhoto) ----------------------------------

def test_a_kept_photo_is_cleaned_like_any_other_and_filed_with_the_case(community, resident, media_root,
                                                                         django_capture_on_commit_callbacks):
    data = image_bytes(exif=gps_exif())
    token = photo_service.pending_photos_keep(user=resident, community=community, token="", kept=[],
                                              uploads=[upload(data, name="王阿姨家.jpg")])
    kept = pending_photos_of(user=resident, token=token)
    assert len(kept) == 1 and "王阿姨" not in kept[0].image.name
    with kept[0].image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) and len(stored.getexif()) == 0
    with django_capture_on_commit_callbacks(execute=True):
        case = case_file(filed_by=resident, community=community, category=CaseCategoryFactory(community=community),
                         description="楼道灯坏了", building=resident.person.residencies.get().unit.building,
                         pending_photos=kept)
    photo = CasePhoto.objects.get(case=case)
    assert (photo.width, photo.height, photo.extension) == (kept[0].width, kept[0].height, "jpg")
    assert photo.event.action == "file"
    assert not PendingPhoto.objects.exists() and not (media_root / kept[0].image.name).exists()


def test_an_expired_or_foreign_token_finds_nothing(community, resident, media_root):
    token = photo_service.pending_photos_keep(user=resident, community=community, token="", kept=[],
                                              uploads=[upload(image_bytes())])
    other = make_member(community, Role.RESIDENT, username="other")
    assert pending_photos_of(user=other, token=token) == []
    assert pending_photos_of(user=resident, token="x" * 200) == []
    photo = pending_photos_of(user=resident, token=token)[0]
    photo.expires_at = photo.uploaded_at - timedelta(seconds=1)
    photo.save(update_fields=["expires_at"])
    assert pending_photos_of(user=resident, token=token) == []
