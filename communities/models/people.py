import re
import unicodedata

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")


# A phone number inside free text, once spacing and separators between its digits are gone.
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:(?:86)?1[3-9]\d{9}|0\d{9,11})(?!\d)")
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s\-‐‑‒–—―.·•()（）]+(?=\d)")


def contains_phone(text: str) -> bool:
    """Whether ``text`` carries a Chinese mobile or landline number, however it is written: full-width digits,
    spaces, hyphens or dots between the digits, a +86 in front ("138 0013 8000", "１３８-００１３-８０００",
    "021 6688 1234")."""
    plain = unicodedata.normalize("NFKC", text or "")
    return bool(_PHONE_IN_TEXT.search(_BETWEEN_DIGITS.sub("", plain)))


def normalize_phone(raw: str) -> str:
    """Return the phone as digits only; raise ValidationError if it is not a Chinese number.

    Accepts "138 0013 8000", "+86-138-0013-8000", "021-6688 1234"; stores
    "13800138000", "02166881234".
    """
    if raw is None:
        return ""
    digits = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", str(raw)).strip())
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not digits:
        return ""
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return digits
    raise ValidationError(_("手机号码格式不正确：请填写11位手机号或带区号的固定电话。"), code="phone")


def mask_name(name: str) -> str:
    """张* : a name on a public page (the owners' roster, the fund's households, a vote's deliveries): its first
    character and one star, whatever its length, so the star does not tell how long the name is."""
    name = (name or "").strip()
    return f"{name[0]}*" if name else ""


def mask_phone(phone: str) -> str:
    """138****1234: keep the first three and last four digits."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


class User(AbstractUser):
    class TownRole(models.TextChoices):
        NONE = "", _("无")
        TOWN_STAFF = "town_staff", _("镇工作人员")
        TOWN_SECRETARY = "town_secretary", _("镇党委书记")

    town_role = models.CharField(_("镇级角色"), max_length=20, choices=TownRole.choices, blank=True, default="")
    elder_mode = models.BooleanField(_("长辈模式"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def display_name(self):
        person = getattr(self, "person", None)
        return person.name if person else (self.get_full_name() or self.username)


class Person(models.Model):
    """A person registered in a community. No national ID numbers are kept."""

    name = models.CharField(_("姓名"), max_length=50)
    # Normalised digits, stored once: one phone number belongs to one person.
    phone = models.CharField(_("手机号码"), max_length=15, blank=True, default="")
    user = models.OneToOneField("communities.User", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="person", verbose_name=_("账号"))
    # Only to tell adult villagers (村民会议) and the older of two tied candidates; optional.
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="uniq_person_phone"),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    def clean(self):
        self.phone = normalize_phone(self.phone)


class Residency(models.Model):
    """A person living in a unit, as owner, family member or tenant."""
    community_path = "unit__building__community"  # how the policy (communities.policy) reaches its community

    class Relation(models.TextChoices):
        OWNER = "owner", _("业主")
        FAMILY = "family", _("家庭成员")
        TENANT = "tenant", _("租客")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residencies",
                               verbose_name=_("人员"))
    unit = models.ForeignKey("communities.Unit", on_delete=models.CASCADE, related_name="residencies",
                             verbose_name=_("房屋"))
    relation = models.CharField(_("关系"), max_length=10, choices=Relation.choices)
    moved_in = models.DateField(_("入住日期"))
    moved_out = models.DateField(_("迁出日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("居住登记")
        verbose_name_plural = _("居住登记")
        ordering = ["unit", "-moved_in"]
        constraints = [
            # One active residency per person per unit.
            models.UniqueConstraint(fields=["person", "unit"], condition=Q(moved_out__isnull=True),
                                    name="uniq_active_residency"),
            models.CheckConstraint(condition=Q(moved_out__isnull=True) | Q(moved_out__gte=models.F("moved_in")),
                                   name="residency_out_after_in"),
        ]
        indexes = [models.Index(fields=["unit", "moved_out"], name="residency_unit_active_idx")]

    def __str__(self):
        return f"{self.person} @ {self.unit}"

    @property
    def is_active(self):
        return self.moved_out is None
