"""Chinese number plates (GA 36-2018): an ordinary plate is 7 characters — a province abbreviation, the issuing
office's letter, then 5 letters or digits (never I or O; the last may be 警, 学 or 挂); a new-energy plate is 8 —
a small car has D or F third (D pure electric, F other), a large one has 5 digits then D or F."""
import re

from django.utils.translation import gettext_lazy as _

from communities.services.errors import DomainError

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
LETTER = "A-HJ-NP-Z"
ORDINARY = re.compile(rf"^[{PROVINCES}][{LETTER}]([{LETTER}0-9]{{5}}|[{LETTER}0-9]{{4}}[警学挂])$")
NEW_ENERGY = re.compile(rf"^[{PROVINCES}][{LETTER}]([DF][{LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[DF])$")


def plate_normalize(raw: str) -> str:
    """The plate in upper case without spaces or dots, or a ``DomainError`` in Chinese."""
    plate = re.sub(r"[\s·.\-]", "", raw or "").upper()
    if not plate:
        raise DomainError(_("请填写车牌号。"), code="plate_missing")
    if len(plate) == 7 and ORDINARY.match(plate) or len(plate) == 8 and NEW_ENERGY.match(plate):
        return plate
    if plate[0] not in PROVINCES:
        raise DomainError(_("车牌号要以省份简称开头，例如“沪”。"), code="plate_province")
    if "I" in plate or "O" in plate:
        raise DomainError(_("车牌号中不使用字母I和O，请核对（可能是数字1或0）。"), code="plate_io")
    if len(plate) == 8:
        raise DomainError(_("新能源车牌为8位：小型车第三位是D或F，大型车最后一位是D或F。"), code="plate_new_energy")
    raise DomainError(_("车牌号格式不对：普通车牌7位（如沪A12345），新能源车牌8位（如沪AD12345）。"),
                      code="plate_format")


def is_new_energy(plate: str) -> bool:
    return len(plate) == 8
