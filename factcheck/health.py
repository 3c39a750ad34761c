"""A health check for load balancers. It touches no database, so it is also the benchmark's baseline:
the most this stack (gunicorn, Django's middleware, a JSON response) can serve on a machine."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
