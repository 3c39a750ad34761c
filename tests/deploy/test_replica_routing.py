"""Public reads go to the replica; the admin, staff, writes, transactions and what a shared cache may store
stay on the primary."""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import RequestFactory

from factcheck.claims.models import Claim
from factcheck.routing import ReplicaReadsMiddleware

pytestmark = [
    pytest.mark.skipif("replica" not in settings.DATABASES, reason="DATABASE_REPLICA_URL is not set"),
    pytest.mark.django_db(transaction=True, databases="__all__", serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def replica_reads_on(settings):
    settings.REPLICA_READS = True


def database_used(method: str, path: str, user=None) -> str:
    from django.contrib.auth.models import AnonymousUser

    request = getattr(RequestFactory(), method.lower())(path)
    request.user = user or AnonymousUser()
    seen = {}

    def view(request):
        seen["db"] = Claim.objects.all().db
        from django.http import HttpResponse

        return HttpResponse()

    ReplicaReadsMiddleware(view)(request)
    return seen["db"]


def test_public_get_requests_read_from_the_replica():
    assert database_used("GET", "/id/") == "replica"
    assert database_used("HEAD", "/api/v1/claims/") == "replica"


def test_admin_writes_and_staff_stay_on_the_primary(editor):
    assert database_used("GET", "/admin/claims/claim/") == "default"
    assert database_used("POST", "/api/v1/claims/") == "default"
    assert database_used("GET", "/id/", user=editor) == "default"


def test_reads_inside_a_transaction_stay_on_the_primary():
    from factcheck.routing import _reads_from_replica

    token = _reads_from_replica.set(True)
    try:
        with transaction.atomic():
            assert Claim.objects.all().db == "default"
        assert Claim.objects.all().db == "replica"
    finally:
        _reads_from_replica.reset(token)


def test_the_replica_alias_sees_the_primarys_data(published_claim):
    assert Claim.objects.using("replica").filter(pk=published_claim.pk).exists()


def test_what_a_shared_cache_may_store_is_read_from_the_primary():
    """A purge after a commit is followed at once by refills of the HTTP cache in front: a lagging replica
    would answer them with what was just purged. Personal answers (never stored there) may use the replica."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from factcheck.caching import public_page

    seen = []

    def shown():
        seen.append(("validators", Claim.objects.all().db))
        return ()

    @public_page(shown)
    def view(request):
        seen.append(("render", Claim.objects.all().db))
        return HttpResponse("ok")

    def outer(request):
        seen.append(("request", Claim.objects.all().db))
        return view(request)

    request = RequestFactory().get("/id/test/")
    request.user = AnonymousUser()
    response = ReplicaReadsMiddleware(outer)(request)

    assert "public" in response["Cache-Control"]
    assert seen == [("request", "replica"), ("validators", "default"), ("render", "default")]
