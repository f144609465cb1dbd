"""A stored message as a key and its parameters, rendered at read time in the reader's language.

``deferred`` (communities.services.texts) marks its lazy text with the template and the parameters;
``message_spec`` turns such a text (or a plain ``gettext_lazy``) into ``{"key": …, "params": {…}}``, with a
nested message as a nested spec. The key is the gettext msgid of the template (the Chinese source text),
so every template a service passes is already in the catalogue and an app's templates are in its own;
``message_render`` translates the key in the active language and formats it. A key that no longer
formats (the wording changed, a parameter went away) renders as None and the caller shows the stored text.
"""
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext


def _msgid(template) -> str:
    with translation.override(None):  # no catalogue: gettext gives the msgid back
        return str(template)


def _param_spec(value):
    if isinstance(value, Promise):
        spec = message_spec(value)
        return spec if spec is not None else str(value)
    if isinstance(value, (int, float, bool)):
        return value
    return "" if value is None else str(value)


def message_spec(value) -> dict | None:
    """The key and parameters of a lazy text (``deferred`` or ``gettext_lazy``), or None for a plain string."""
    if not isinstance(value, Promise):
        return None
    template = getattr(value, "message_template", None)
    if template is None:  # a plain gettext_lazy: nothing to format
        return {"key": _msgid(value)}
    params = value.message_params
    return {"key": _msgid(template), "params": {name: _param_spec(v) for name, v in params.items()}}


def _render_param(value):
    if isinstance(value, dict) and "key" in value:
        return message_render(value)
    return value


def message_render(spec) -> str | None:
    """The text of a stored spec in the active language; None when it cannot be rendered."""
    if not isinstance(spec, dict) or not isinstance(spec.get("key"), str) or not spec["key"]:
        return None
    params = spec.get("params")
    try:
        template = gettext(spec["key"])
        if params is None:
            return template
        resolved = {name: _render_param(v) for name, v in params.items()}
        if any(v is None for v in resolved.values()):
            return None
        return template % resolved
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
