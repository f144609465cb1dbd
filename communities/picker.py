"""Which community is this page about: the one helper every view uses.

The URL style is one: a page that works in one community names it with ``?community=<slug>`` (in the query
string of a GET, or a hidden field of a POST). Without it the page opens in the first of the user's
communities where the action is allowed, ordered by name, and a picker lists the others. Only the community's
own page (``/communities/<slug>/``) carries the slug in its path.

    from communities.picker import community_for

    @guard("rota.create")
    def rota_new(request):
        picked = community_for(request, "rota.create")
        ...render(..., {"community": picked.community, "communities": picked.choices})

A slug the user may not act in answers 404 (the page does not exist for them), the same as an unknown slug,
so a URL never tells an outsider which communities exist. A user with no community for the action at all
gets 404 as well: ``guard`` has already refused anyone without the role, so this is a town role looking at an
empty town.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.http import urlencode

from . import policy
from .models import Community

PARAM = "community"


@dataclass(frozen=True)
class Picked:
    community: Community
    choices: QuerySet          # every community the user may do the action in, by name

    @property
    def several(self) -> bool:
        return len(self.choices) > 1


def requested_slug(request) -> str:
    """The slug the request asks for (GET first, then POST), or ''."""
    return (request.GET.get(PARAM) or request.POST.get(PARAM) or "").strip()


def community_for(request, action: str, *, choices: QuerySet | None = None, default: bool = True) -> Picked:
    """The community ``request`` is about, among those where the user may do ``action``.

    ``choices`` narrows the candidates further (e.g. only communities with a sublandlords' team);
    ``default=False`` makes the slug compulsory (404 without it)."""
    if choices is None:
        choices = policy.communities_for(request.user, action)
    choices = choices.order_by("name")
    slug = requested_slug(request)
    if slug:
        community = choices.filter(slug=slug).first()
    else:
        community = choices.first() if default else None
    if community is None:
        raise Http404
    return Picked(community=community, choices=choices)


def community_checked(request, action: str, *, default: bool = True) -> Picked:
    """As ``community_for``, for a page that checks ``action`` on the community itself, as an object page does:
    404 outside the user's communities, 403 in one of theirs where ``action`` is not allowed. Use it where the
    rule grants on the object (an ``extra``, e.g. a 蓉治社 officer drafting the charter, which
    ``communities_for`` cannot list) or where a member without the right has always been told 403. Without a
    slug, the first of the user's communities where ``action`` is allowed (else the first); ``default=False``
    makes the slug compulsory (404 without it), as for a button that changes something."""
    choices = policy.communities_for(request.user, "community.view").order_by("name")
    if requested_slug(request) or not default:
        community = community_for(request, action, choices=choices, default=default).community
    else:
        community = next((c for c in choices if policy.can(request.user, action, c)), None) or choices.first()
        if community is None:
            raise Http404
    if not policy.can(request.user, action, community):
        raise PermissionDenied
    return Picked(community=community, choices=choices)


def community_url(name: str, community, *args, **kwargs) -> str:
    """The URL of page ``name`` about ``community``, in the one style: ``…?community=<slug>``."""
    return f"{reverse(name, args=args, kwargs=kwargs)}?{urlencode({PARAM: community.slug})}"


def legacy_community_path(name: str, action: str):
    """A view for an older URL with the community in its path: it moves the slug to ``?community=`` (the query
    string kept, the path's other arguments passed on to ``name``) so bookmarks, printed links and links in
    stored notifications keep working. A GET moves permanently (301); anything else keeps its method and body
    (308), so a form posted from a page opened before the move still arrives. It is guarded by the same
    ``action`` as the page it leads to, which checks the community again."""
    @policy.guard(action)
    def view(request, slug, **kwargs):
        query = request.GET.copy()
        query[PARAM] = slug
        response = HttpResponsePermanentRedirect(f"{reverse(name, kwargs=kwargs)}?{query.urlencode()}")
        if request.method not in ("GET", "HEAD"):
            response.status_code = 308
        return response

    view.__name__ = f"legacy_{name.split(':')[-1]}"
    return view
