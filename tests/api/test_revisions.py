"""Corrections through the API: refused in place, proposed as a revision, approved by someone else."""

from rest_framework.test import APIClient

from factcheck.claims.models import Claim, Revision


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_editor_cannot_change_evidence_or_the_claimant_of_a_published_claim(published_claim, editor):
    """Finding 1: POST evidence answered 201 and PATCH claimant 200; both are corrections now."""
    client = client_for(editor)
    version = published_claim.version
    added = client.post(
        f"/api/v1/claims/{published_claim.pk}/evidence/",
        {"url": "https://example.org/x", "title": "X", "publisher": "P", "version": version},
        format="json",
    )
    claimant = client.patch(
        f"/api/v1/claims/{published_claim.pk}/", {"claimant": "X", "version": version}, format="json"
    )

    assert (added.status_code, claimant.status_code) == (409, 409)
    assert "correction" in added.json()["detail"] and "correction" in claimant.json()["detail"]
    assert published_claim.evidence.count() == 1
    assert Claim.objects.get(pk=published_claim.pk).claimant == published_claim.claimant


def test_a_correction_is_proposed_then_approved_by_another_reviewer(published_claim, editor, reviewer, client):
    proposed = client_for(editor).post(
        f"/api/v1/claims/{published_claim.pk}/revisions/",
        {"changes": {"claimant": "Panitia ASEM"}, "note": "Pengklaim diperbaiki.", "version": published_claim.version},
        format="json",
    )
    assert proposed.status_code == 201, proposed.json()
    revision = proposed.json()
    assert revision["state"] == "pending" and revision["changes"] == {"claimant": "Panitia ASEM"}
    assert client.get(f"/api/v1/claims/{published_claim.pk}/").json()["claimant"] == published_claim.claimant
    assert client.get(f"/api/v1/claims/{published_claim.pk}/revisions/").status_code in (401, 403)

    own = client_for(editor).post(f"/api/v1/claims/{published_claim.pk}/revisions/{revision['id']}/approve/")
    assert own.status_code == 403
    approved = client_for(reviewer).post(f"/api/v1/claims/{published_claim.pk}/revisions/{revision['id']}/approve/")

    assert approved.status_code == 200 and approved.json()["claimant"] == "Panitia ASEM"
    assert Revision.objects.get().state == "approved"
    history = client.get(f"/api/v1/claims/{published_claim.pk}/history/").json()["versions"]
    assert history[-1]["note"] == "Pengklaim diperbaiki."
    assert history[-1]["changes"][0]["field"] == "claimant"


def test_a_retraction_through_the_api_needs_a_second_reviewer(published_claim, reviewer, reviewer2):
    proposed = (
        client_for(reviewer)
        .post(
            f"/api/v1/claims/{published_claim.pk}/revisions/",
            {"kind": "retraction", "note": "Sumber ditarik.", "version": published_claim.version},
            format="json",
        )
        .json()
    )
    assert Claim.objects.get(pk=published_claim.pk).status == "published"

    client_for(reviewer2).post(f"/api/v1/claims/{published_claim.pk}/revisions/{proposed['id']}/approve/")

    assert Claim.objects.get(pk=published_claim.pk).status == "retracted"


def test_while_the_english_verdict_is_pending_partners_get_no_english_text_that_argues_another_rating(
    published_claim, editor, reviewer2, client
):
    from tests.conftest import correct

    correct(published_claim, by=editor, approver=reviewer2, changes={"rating": "false", "verdict": "Keliru."}, note="n")

    verdict = client.get(f"/api/v1/claims/{published_claim.pk}/").json()["verdict"]

    assert verdict == {"id": "Keliru.", "en": ""}
    english = client.get(f"/api/v1/claims/{published_claim.pk}/claimreview/?language=en").json()
    assert "True." not in str(english)
