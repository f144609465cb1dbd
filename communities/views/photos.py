"""Stored photos, served only through this module: the policy decides who sees them, never the web server.

``photo_response`` is the one way a ``StoredPhoto`` (a case's, a need's, an app's) leaves the server, with one
set of security headers; each object's view checks access and finds the photo, then calls it.
"""
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from .. import policy
from ..models import Case, CasePhoto, PendingPhoto
from ..policy import guard
from ..services.photos import photo_open

SECURITY_HEADERS = {
    # Private: a shared proxy must not keep a photo of someone's home for the next visitor.
    "Cache-Control": "private, max-age=3600",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def photo_response(photo, *, name: str) -> FileResponse:
    """The photo's file, inline, under a neutral ``name`` (no extension: it is added), with the headers."""
    try:
        handle, content_type = photo_open(photo=photo)
    except FileNotFoundError:
        raise Http404 from None
    # filename= with as_attachment=False gives "Content-Disposition: inline" and a neutral name.
    response = FileResponse(handle, content_type=content_type, filename=f"{name}.{photo.extension}")
    for header, value in SECURITY_HEADERS.items():
        response[header] = value
    return response


@guard("case.view")
@require_safe
def case_photo(request, case_id, photo_id):
    case = policy.get_object_or_404_for(request.user, "case.view", Case.objects.all(), pk=case_id)
    photo = get_object_or_404(CasePhoto, pk=photo_id, case=case)
    return photo_response(photo, name=f"case-{case.pk}-photo-{photo.pk}")


@guard("case.pending_photo")
@require_safe
def pending_photo(request, photo_id):
    """A photo kept from the user's own filing form that came back with an error (its thumbnail there)."""
    # Someone else's is 404 like a missing one: a kept photo is nobody else's business.
    photo = get_object_or_404(policy.scope(request.user, "case.pending_photo", PendingPhoto.objects.all()), pk=photo_id)
    return photo_response(photo, name=f"photo-{photo.pk}")
