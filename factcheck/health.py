"""Health checks for load balancers and orchestrators.

- ``/healthz/live``: the process serves requests. It touches nothing else, so it is also the benchmark's
  baseline: the most this stack (gunicorn, Django's middleware, a JSON response) can serve on a machine.
- ``/healthz/ready`` (and ``/healthz``, what load balancers were pointed at before): each dependency in
  turn, ``{"status": "ok" | "degraded" | "down", "checks": {"database": ..., "cache": ..., "tasks": ...}}``.
  Only the database is needed to answer correctly: without it the status is "down" and the answer 503,
  so a load balancer takes the instance out. The cache (Redis) and the task queue only make the portal
  faster or deliver webhooks later: losing them is "degraded", still 200 (every instance shares them,
  taking all instances out would turn a slower portal into none).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _timed(check: Callable[[], dict]) -> dict:
    started = time.monotonic()
    result = check()
    return {**result, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_database() -> dict:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("health check: database unavailable: %s", error)
        return {"status": "down", "error": type(error).__name__}
    return {"status": "ok"}


def check_cache() -> dict:
    """Redis answers a PING (the local-memory cache, without REDIS_URL, is always there)."""
    ping = getattr(cache, "ping", None)
    if ping is None:
        return {"status": "ok", "backend": "local memory"}
    import redis  # only with the Redis backend

    try:
        ping()
    except redis.RedisError as error:
        return {"status": "down", "error": type(error).__name__, "impact": "pages are rendered on every request"}
    return {"status": "ok", "backend": "redis"}


# A task due for longer than this (webhook deliveries) says no worker (``manage.py db_worker``) takes them.
TASK_OVERDUE_SECONDS = 300


def check_tasks() -> dict:
    """The task queue lives in the database (django_tasks_db): how long its oldest due task has waited."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    try:
        due = DBTaskResult.objects.filter(status="READY").exclude(run_after__gt=now)
        oldest = due.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    except DatabaseError as error:
        return {"status": "down", "error": type(error).__name__}
    waited = 0 if oldest is None else round((now - oldest).total_seconds())
    if waited > TASK_OVERDUE_SECONDS:
        return {"status": "degraded", "oldest_due_seconds": waited, "impact": "webhooks are delivered late"}
    return {"status": "ok", "oldest_due_seconds": waited}


def readiness() -> tuple[str, dict]:
    checks = {"database": _timed(check_database), "cache": _timed(check_cache)}
    checks["tasks"] = _timed(check_tasks) if checks["database"]["status"] == "ok" else {"status": "down"}
    if checks["database"]["status"] != "ok":
        status = "down"
    elif any(check["status"] != "ok" for check in checks.values()):
        status = "degraded"
    else:
        status = "ok"
    return status, checks


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    status, checks = readiness()
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "down" else 200)


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
