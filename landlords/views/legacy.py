"""Old addresses of pages that moved to the core: the needs list lived at /landlords/needs/ until issue 11.

Bookmarks and links in old notifications keep working: a GET is sent on permanently (301), anything else
with its method and body kept (308), so a form posted from a page opened before the move still arrives.
"""
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from communities.policy import guard


def _moved(request, url: str):
    query = request.META.get("QUERY_STRING", "")
    response = HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
    if request.method not in ("GET", "HEAD"):
        response.status_code = 308
    return response


def moved_to(core_name: str):
    """A view that sends the old address on to the core page ``core_name`` (with the same arguments)."""
    @guard("need.view")
    def view(request, **kwargs):
        return _moved(request, reverse(core_name, kwargs=kwargs))

    view.__name__ = f"moved_{core_name.split(':')[-1]}"
    return view
