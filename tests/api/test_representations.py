"""One ETag, one representation: whatever a client's ``Accept`` says, two answers of the same address with
the same ETag have the same body and type, and an answer whose body follows ``Accept`` says so in ``Vary``
(so a shared cache keeps one copy per representation). Checked on every endpoint the API root lists."""

from __future__ import annotations

import itertools
import re

import pytest
from django.conf import settings

ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "application/json; indent=4",
    "application/json; charset=utf-8",
    "application/ld+json",
    "application/ld+json; indent=2",
    "application/json, application/ld+json",
]
QUERIES = {"factcheck_claims_search": "?query=ASEM"}


def every_public_read(client, claim) -> list[str]:
    """The API root's endpoints, with the published claim (and its article) in their placeholders."""
    endpoints = client.get("/api/v1/").json()["endpoints"]
    paths = []
    for name, entry in endpoints.items():
        pk = claim.article_id if name == "article" else claim.pk
        path = entry["url"].removeprefix(settings.SITE_URL).replace("{id}", str(pk))
        paths.append(path + QUERIES.get(name, ""))
    return paths


@pytest.mark.django_db
def test_the_same_etag_is_always_the_same_body_and_a_body_that_follows_accept_varies_on_it(
    anon_client, published_claim
):
    for path in every_public_read(anon_client, published_claim):
        answers = []
        for accept in ACCEPTS:
            headers = {} if accept is None else {"HTTP_ACCEPT": accept}
            response = anon_client.get(path, **headers)
            if response.status_code == 200:
                answers.append((accept, response))
        if not answers:
            continue  # a partner's own (webhooks): nothing a shared cache keeps
        for (accept_a, a), (accept_b, b) in itertools.combinations(answers, 2):
            if a["ETag"] == b["ETag"]:
                assert (a.content, a["Content-Type"]) == (b.content, b["Content-Type"]), (path, accept_a, accept_b)
        if len({(a.content, a["Content-Type"]) for _, a in answers}) > 1:
            for accept, answer in answers:
                assert "accept" in answer.get("Vary", "").lower(), (path, accept)


@pytest.mark.django_db
def test_media_type_parameters_do_not_change_the_body(anon_client, published_claim):
    plain = anon_client.get(f"/api/v1/claims/{published_claim.pk}/", HTTP_ACCEPT="application/json")
    indented = anon_client.get(f"/api/v1/claims/{published_claim.pk}/", HTTP_ACCEPT="application/json; indent=4")
    assert indented.status_code == 200 and indented.content == plain.content


@pytest.mark.django_db
def test_a_claimreview_as_json_ld_and_as_json_are_two_representations(anon_client, published_claim):
    path = f"/api/v1/claims/{published_claim.pk}/claimreview/"
    ld = anon_client.get(path, HTTP_ACCEPT="application/ld+json")
    json = anon_client.get(path, HTTP_ACCEPT="application/json")
    assert ld["Content-Type"].startswith("application/ld+json") and json["Content-Type"].startswith("application/json")
    assert ld["ETag"] != json["ETag"] and "Accept" in ld["Vary"] and "Accept" in json["Vary"]
    assert anon_client.get(path, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=ld["ETag"]).status_code == 200
    assert anon_client.get(path, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=json["ETag"]).status_code == 304


@pytest.mark.django_db
def test_varnish_normalises_accept_exactly_where_an_answer_varies_on_it(anon_client, published_claim):
    """The VCL reduces Accept to one value per representation on these addresses only (elsewhere, e.g. the
    schema's YAML or JSON, the client's Accept must reach the origin as sent)."""
    from factcheck.web.management.commands.varnish_vcl import ACCEPT_VARIES

    for path in [*every_public_read(anon_client, published_claim), "/api/schema/"]:
        response = anon_client.get(path)
        if response.status_code != 200:
            continue
        varies = "accept" in [v.strip().lower() for v in response.get("Vary", "").split(",")]
        shared = "public" in response.get("Cache-Control", "")
        assert bool(re.match(ACCEPT_VARIES, path)) == (varies and shared), path
