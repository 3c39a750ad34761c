"""Evidence on the claim change page: added, edited and removed through the evidence services."""

from factcheck.claims import services
from factcheck.claims.models import Claim, Correction, Evidence, Revision

from .conftest import change_url, messages_of, revision_url
from .test_claim_change_page import form_data


def test_adding_editing_and_removing_evidence_goes_through_the_services(login, editor, rich_claim):
    client = login(editor)
    first, second = rich_claim.evidence.order_by("position", "id")
    data = form_data(client, rich_claim, _save="1")
    data["evidence-0-title"] = "ASEM1 Bangkok 1996"
    data["evidence-1-DELETE"] = "on"
    data.update(
        {
            "evidence-TOTAL_FORMS": "3",
            "evidence-2-url": "https://example.org/new",
            "evidence-2-title": "New source",
            "evidence-2-publisher": "Kompas",
            "evidence-2-stance": "refutes",
            "evidence-2-is_primary": "on",
            "evidence-2-archived_url": "https://archive.example.org/new",
            "evidence-2-published_on": "2020-01-31",
            "evidence-2-excerpt": "What it says",
        }
    )
    response = client.post(change_url(rich_claim), data)
    assert response.status_code == 302
    assert Evidence.objects.get(pk=first.pk).title == "ASEM1 Bangkok 1996"
    assert not Evidence.objects.filter(pk=second.pk).exists()
    new = Evidence.objects.get(url="https://example.org/new")
    assert (new.stance, new.is_primary, new.archived_url, str(new.published_on)) == (
        "refutes",
        True,
        "https://archive.example.org/new",
        "2020-01-31",
    )
    claim = Claim.objects.get(pk=rich_claim.pk)
    assert claim.version == rich_claim.version + 3  # one per evidence write, each recorded
    reasons = set(claim.history.filter(version__gt=rich_claim.version).values_list("history_change_reason", flat=True))
    assert reasons == {
        "Evidence added: Kompas — New source",
        "Evidence edited: ASEM InfoBoard — ASEM1 Bangkok 1996",
        "Evidence removed: Arsip Nasional — Source 2",
    }
    assert Evidence.history.filter(id=second.pk, history_type="-", history_user=editor).exists()


def test_the_last_evidence_of_a_published_verdict_cannot_be_removed(login, reviewer2, published_claim):
    client = login(reviewer2)
    data = form_data(client, published_claim, note="Sumber dihapus.", _save="1")
    data["evidence-0-DELETE"] = "on"
    response = client.post(change_url(published_claim), data)
    assert response.status_code == 200
    assert "A published verdict needs at least one evidence link" in response.content.decode()
    assert published_claim.evidence.count() == 1
    assert Claim.objects.get(pk=published_claim.pk).version == published_claim.version
    assert not Revision.objects.filter(claim=published_claim).exists()  # not even proposed


def test_invalid_evidence_url_is_refused_by_field(login, editor, rich_claim):
    client = login(editor)
    data = form_data(client, rich_claim, _save="1")
    data["evidence-0-url"] = "javascript:alert(1)"
    response = client.post(change_url(rich_claim), data)
    assert response.status_code == 200
    assert "url" in response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert not Evidence.objects.filter(url__startswith="javascript").exists()


def evidence_rows(claim) -> list[tuple]:
    return list(claim.evidence.order_by("id").values_list("id", "url", "title", "stance", "position"))


def test_an_editor_proposes_evidence_changes_on_a_published_claim_and_nothing_public_changes(
    login, editor, reviewer, reviewer2, researched_claim
):
    services.evidence_add(
        claim=researched_claim,
        by=editor,
        url="https://example.org/asem-context",
        title="ASEM, a history",
        publisher="Kompas",
        stance="context",
    )
    services.evidence_add(
        claim=researched_claim, by=editor, url="https://example.org/asem-old", title="Old report", publisher="Antara"
    )
    claim = services.claim_send_to_review(claim=researched_claim, by=editor)
    claim = services.claim_publish(claim=claim, by=reviewer)
    live_claim = Claim.objects.filter(pk=claim.pk).values().get()
    live_evidence = evidence_rows(claim)
    forms = {url: n for n, (_, url, *_rest) in enumerate(evidence_rows(claim))}  # the inline orders by position
    assert list(claim.evidence.order_by("position", "id").values_list("url", flat=True)) == list(forms)

    client = login(editor)
    data = form_data(client, claim, note="Sumber diperbarui.", note_en="Sources updated.", _save="1")
    data[f"evidence-{forms['https://example.org/asem-old']}-DELETE"] = "on"
    assert data[f"evidence-{forms['https://example.org/asem-context']}-stance"] == "context"
    data[f"evidence-{forms['https://example.org/asem-context']}-stance"] = "supports"
    data.update(
        {
            "evidence-TOTAL_FORMS": "4",
            "evidence-3-url": "https://example.org/new",
            "evidence-3-title": "New source",
            "evidence-3-publisher": "Tempo",
            "evidence-3-stance": "supports",
        }
    )
    response = client.post(change_url(claim), data, follow=True)
    assert any(m.startswith("Your correction is proposed") for m in messages_of(response))

    # Nothing readers see changed: the claim and its evidence rows are as they were.
    assert Claim.objects.filter(pk=claim.pk).values().get() == live_claim
    assert evidence_rows(claim) == live_evidence
    assert not Correction.objects.filter(claim=claim).exists()
    revision = Revision.objects.get(claim=claim, state="pending")
    assert revision.proposed_by == editor and revision.changes == {}
    diff = response.context["pending_changes"]
    assert sorted(change["kind"] for change in diff) == ["source_added", "source_changed", "source_removed"]
    changed = next(change for change in diff if change["kind"] == "source_changed")
    assert (changed["title"], changed["field"], changed["old"], changed["new"]) == (
        "ASEM, a history",
        "stance",
        "context",
        "supports",
    )
    assert next(c for c in diff if c["kind"] == "source_added")["url"] == "https://example.org/new"
    assert next(c for c in diff if c["kind"] == "source_removed")["url"] == "https://example.org/asem-old"
    html = response.content.decode()
    assert (
        "source added</strong>: Tempo — New source" in html and "source removed</strong>: Antara — Old report" in html
    )

    # Another reviewer approves it: now the evidence changed, as one public correction.
    login(reviewer2).post(revision_url(claim, revision, "approve"), {"note": ""})
    claim.refresh_from_db()
    assert claim.status == "published" and claim.public_note == "Sumber diperbarui."
    assert dict(claim.evidence.values_list("url", "stance")) == {
        "https://example.org/asem1": "supports",
        "https://example.org/asem-context": "supports",
        "https://example.org/new": "supports",
    }
    correction = Correction.objects.get(claim=claim)
    assert (correction.created_by, correction.approved_by, correction.note_en) == (
        editor,
        reviewer2,
        "Sources updated.",
    )
    assert sorted(change["kind"] for change in correction.changes) == [
        "source_added",
        "source_changed",
        "source_removed",
    ]
    assert Evidence.history.filter(url="https://example.org/asem-old", history_type="-", history_user=reviewer2)
