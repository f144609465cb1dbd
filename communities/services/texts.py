"""Text that is stored rather than shown at once (notifications, access-log purposes) is written in
the community's language (settings.LANGUAGE_CODE), not in the language of whoever caused it: a
committee worker browsing in English must not send a Chinese-speaking resident an English message.

A notification also keeps the message key and parameters of its text (``communities.messages``), so the
inbox renders it again in the reader's language."""
from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy

from ..messages import message_render, message_spec  # noqa: F401  (the services' door to them)


def _format(template, params) -> str:
    return str(template) % params if params else str(template)


_deferred = lazy(_format, str)


def deferred(template, **params):
    """Translate and format later: pass a gettext_lazy template; formatting happens when stored."""
    text = _deferred(template, params)
    text.message_template, text.message_params = template, params
    return text


def stored(value) -> str:
    """The text as it is stored: rendered in the community's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(value)




def bounded_text(value: str, *, limit: int, required=None) -> str:
    """Typed text for a service: stripped; refused with a Chinese message when empty (``required`` is that
    message; None: may be empty) or longer than ``limit`` characters."""
    from django.utils.translation import gettext_lazy

    from .errors import DomainError

    value = (value or "").strip()
    if required is not None and not value:
        raise DomainError(required, code="required")
    if len(value) > limit:
        raise DomainError(deferred(gettext_lazy("最多 %(limit)s 个字。"), limit=limit), code="too_long")
    return value
