"""Refusals raised by the services come in the request's language: Indonesian when asked for, English otherwise.

The messages are taken from the code itself (every literal gettext call of the modules that raise service
errors), so a new message without an Indonesian translation fails here.
"""

import ast
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from factcheck.claims import services
from tests.admin.conftest import messages_of, transition_url

ROOT = Path(__file__).resolve().parent.parent.parent
MODULES_THAT_REFUSE = [
    "factcheck/claims/errors.py",
    "factcheck/claims/gate.py",
    "factcheck/claims/importing.py",
    "factcheck/claims/revisions.py",
    "factcheck/claims/services.py",
    "factcheck/claims/admin/articles.py",
    "factcheck/partners/network.py",
    "factcheck/partners/services.py",
]
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop"}
# The errors shown to the user: the services' and the webhook address checks'.
REFUSALS = {
    "ServiceError",
    "InvalidInput",
    "NotAllowed",
    "InvalidTransition",
    "NeedsReview",
    "VersionRequired",
    "TargetRefused",
    "HostDoesNotResolve",
    "KeyRejected",
}


def msgids_in(path: Path) -> list[str]:
    """The literal first argument of every gettext call in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in GETTEXT_NAMES
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(node.args[0].value)
    return found


@pytest.mark.parametrize("module", MODULES_THAT_REFUSE)
def test_every_message_of_the_module_has_an_indonesian_translation(module):
    msgids = msgids_in(ROOT / module)
    assert msgids, f"{module} has no translatable message: is the list of modules stale?"
    with translation.override("id"):
        untranslated = [
            msgid for msgid in msgids if not translation.gettext(msgid) or translation.gettext(msgid) == msgid
        ]
    assert untranslated == []


def test_the_service_modules_no_longer_raise_bare_english():
    """A ``raise SomeError("…")`` or ``raise SomeError(f"…")`` with a literal message skips the translation."""
    bare = []
    for module in MODULES_THAT_REFUSE:
        for node in ast.walk(ast.parse((ROOT / module).read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                first = node.exc.args[0]
                literal = isinstance(first, ast.JoinedStr) or (
                    isinstance(first, ast.Constant) and isinstance(first.value, str)
                )
                if literal and isinstance(node.exc.func, ast.Name) and node.exc.func.id in REFUSALS:
                    bare.append(f"{module}:{node.lineno}")
    assert bare == []


def lang(code: str) -> dict:
    return {"HTTP_ACCEPT_LANGUAGE": code}


def test_an_editor_changing_a_published_claim_is_refused_in_the_request_language(editor_client, published_claim):
    url = f"/api/v1/claims/{published_claim.pk}/"
    body = {"claimant": "Orang lain", "version": published_claim.version}

    indonesian = editor_client.patch(url, body, format="json", **lang("id"))
    english = editor_client.patch(url, body, format="json", **lang("en"))

    assert indonesian.status_code == english.status_code == 409
    pk = published_claim.pk
    assert indonesian.json()["detail"].startswith(
        f"Klaim {pk} berstatus diterbitkan: apa yang dilihat pembaca hanya berubah melalui koreksi"
    )
    assert indonesian.json()["errors"]["claimant"] == [indonesian.json()["detail"]]
    assert english.json()["detail"].startswith(
        f"Claim {pk} is published: what readers see changes only through a correction"
    )


@pytest.fixture
def own_claim_in_review(article, reviewer):
    """A claim the reviewer researched and wrote themselves, waiting for review."""
    claim = services.claim_create(article=article, start=0, end=59, by=reviewer, statement="ASEM", researcher=reviewer)
    claim = services.claim_start_research(claim=claim, by=reviewer)
    services.evidence_add(claim=claim, by=reviewer, url="https://example.org/a", title="A", publisher="P")
    claim.refresh_from_db()
    claim = services.claim_update(
        claim=claim, by=reviewer, expected_version=claim.version, changes={"rating": "true", "verdict": "Benar."}
    )
    return services.claim_send_to_review(claim=claim, by=reviewer)


def test_a_self_publish_is_refused_by_four_eyes_in_the_request_language(reviewer_client, own_claim_in_review):
    url = f"/api/v1/claims/{own_claim_in_review.pk}/transition/"
    body = {"status": "published", "version": own_claim_in_review.version}

    indonesian = reviewer_client.post(url, body, format="json", **lang("id"))
    english = reviewer_client.post(url, body, format="json", **lang("en"))

    assert indonesian.status_code == english.status_code == 403
    assert indonesian["Content-Language"] == "id"
    assert indonesian.json()["detail"] == (
        "Aturan empat mata: Anda menulis sebagian dari apa yang akan dipublikasikan (riwayat sejak versi terakhir "
        "yang disetujui), jadi peninjau lain yang harus menerbitkannya."
    )
    assert english.json()["detail"] == (
        "Four-eyes rule: you wrote part of what would be made public (history since the last approved version), "
        "so another reviewer must publish it."
    )


def test_a_webhook_to_this_machine_is_refused_in_the_request_language(partner_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    body = {"url": "https://127.0.0.1/hooks", "events": ["claim.published"]}

    indonesian = partner_client.post("/api/v1/webhooks/", body, format="json", **lang("id"))
    english = partner_client.post("/api/v1/webhooks/", body, format="json", **lang("en"))

    assert indonesian.status_code == english.status_code == 400
    assert indonesian.json()["errors"]["url"] == [
        "Host '127.0.0.1' mengarah ke alamat loopback (127.0.0.1); webhook hanya dikirim ke alamat publik."
    ]
    assert english.json()["errors"]["url"] == [
        "The host '127.0.0.1' resolves to a loopback address (127.0.0.1); webhooks go only to public addresses."
    ]


def test_the_admin_shows_the_four_eyes_refusal_in_indonesian(reviewer, own_claim_in_review):
    browser = Client(HTTP_ACCEPT_LANGUAGE="id")
    browser.force_login(reviewer)

    response = browser.post(
        transition_url(own_claim_in_review, "published"),
        {"version": own_claim_in_review.version, "note": ""},
        follow=True,
    )

    own_claim_in_review.refresh_from_db()
    assert own_claim_in_review.status == "in_review"
    assert any(m.startswith("Aturan empat mata: Anda menulis sebagian") for m in messages_of(response)), messages_of(
        response
    )
