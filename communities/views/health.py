from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..policy import public
from ..selectors.health import broker_state, database_state


@public
@never_cache
@require_GET
def healthz(request):
    """Database and broker state; 503 naming what does not answer, always within 3 s."""
    checks = {"database": database_state(), "broker": broker_state()}
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", **checks}, status=200 if ok else 503)
