"""Case photos, served only through this view: the policy decides who sees them, never the web server."""
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from .. import policy
from ..models import Case, CasePhoto
from ..policy import guard
from ..services.photos import photo_open


@guard("case.view")
@require_safe
def case_photo(request, case_id, photo_id):
    case = policy.get_object_or_404_for(request.user, "case.view", Case.objects.all(), pk=case_id)
    photo = get_object_or_404(CasePhoto, pk=photo_id, case=case)
    try:
        handle, content_type = photo_open(photo=photo)
    except FileNotFoundError:
        raise Http404 from None
    # filename= with as_attachment=False gives "Content-Disposition: inline" and a neutral name.
    response = FileResponse(handle, content_type=content_type,
                            filename=f"case-{case.pk}-photo-{photo.pk}.{photo.extension}")
    # Private: a shared proxy must not keep a photo of someone's home for the next visitor.
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
