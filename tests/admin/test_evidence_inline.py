"""Evidence on the claim change page: added, edited and removed through the evidence services."""

from factcheck.claims.models import Claim, Evidence

from .conftest import change_url
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
    data = form_data(client, published_claim, _save="1")
    data["evidence-0-DELETE"] = "on"
    response = client.post(change_url(published_claim), data)
    assert response.status_code == 200
    assert "A published verdict needs at least one evidence link" in response.content.decode()
    assert published_claim.evidence.count() == 1
    assert Claim.objects.get(pk=published_claim.pk).version == published_claim.version


def test_invalid_evidence_url_is_refused_by_field(login, editor, rich_claim):
    client = login(editor)
    data = form_data(client, rich_claim, _save="1")
    data["evidence-0-url"] = "javascript:alert(1)"
    response = client.post(change_url(rich_claim), data)
    assert response.status_code == 200
    assert "url" in response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert not Evidence.objects.filter(url__startswith="javascript").exists()
