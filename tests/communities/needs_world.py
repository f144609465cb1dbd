"""Shared set-up of the needs-list tests: a posted need, a second sublandlord, photo uploads."""
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communities.models import Role
from communities.services.needs import need_post

from ..factories import make_member

TYPE_MESSAGE = "只能上传 JPEG、PNG 或 WebP 格式的照片。"


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def jpeg(name="bench.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 40)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def html_as_jpeg():
    return SimpleUploadedFile("bench.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def landlord2(community):
    return make_member(community, Role.SUBLANDLORD, username="landlord2", name="周老板")


@pytest.fixture
def other_landlord(other_community):
    return make_member(other_community, Role.SUBLANDLORD, username="far-landlord", name="别处房东")


@pytest.fixture
def need(community, committee_staff):
    return need_post(actor=committee_staff, community=community, title="小区休闲长椅", quantity="长椅 6 张",
                     description="中心花园缺少可以坐下休息的地方。")
