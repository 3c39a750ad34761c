from unittest import mock

from django.db import OperationalError


def test_liveness_answers_without_touching_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_reports_each_dependency(db, client):
    response = client.get("/healthz/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "tasks": "ok",
    }
    assert "no-cache" in response["Cache-Control"]
    assert client.get("/healthz").json()["status"] == "ok"  # what load balancers were pointed at before


def test_readiness_is_503_when_the_database_is_down(db, client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("gone")):
        response = client.get("/healthz/ready")

    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["checks"]["database"]["status"] == "down"


def test_health_checks_refuse_writes(client):
    for path in ("/healthz", "/healthz/ready", "/healthz/live"):
        assert client.post(path).status_code == 405
