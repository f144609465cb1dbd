"""Fixtures of the sheds tests: two sheds in the test village (one priced per kWh, one per 6 hours) and one in
the other village, and a photo."""
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from propertyservice.models import ChargingPort, ChargingShed


def photo(name="wire.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 80, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_shed(village, name="丁钱一号棚", ports=4, **prices) -> ChargingShed:
    prices = prices or {"electricity_price": Decimal("0.6"), "service_fee_per_kwh": Decimal("0.4")}
    shed = ChargingShed.objects.create(community=village, name=name, place="3排东侧", **prices)
    ChargingPort.objects.bulk_create([ChargingPort(shed=shed, number=n) for n in range(1, ports + 1)])
    return shed


@pytest.fixture
def shed(village):
    return make_shed(village)


@pytest.fixture
def time_shed(village):
    return make_shed(village, "施杨棚", ports=2, electricity_price=Decimal("0.6"),
                     service_fee_per_block=Decimal("1"), block_hours=6)


@pytest.fixture
def other_shed(other_village):
    return make_shed(other_village, "外村棚", ports=2)
