"""The tip line: a reader sends a claim to check, or asks for a correction, and gets a reference number;
bots, floods and oversized messages are refused with a clear message and nothing is stored."""

import re
import socket
import time

import pytest
import time_machine
from django.test import Client

from factcheck import redis_cache
from factcheck.tips.models import Tip

from .conftest import tip_form, unique_address

pytestmark = pytest.mark.django_db


def reference_on(response) -> str:
    match = re.search(r"<strong>([2-9A-Z]{8})</strong>", response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


def test_the_tip_page_shows_the_form_without_touching_the_database(anon, django_assert_num_queries):
    with django_assert_num_queries(0):  # no claim, no session: nothing to read
        response = anon.get("/tips/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Kirim klaim untuk diperiksa</h1>" in body
    assert 'name="csrfmiddlewaretoken"' in body and 'name="started"' in body and 'name="website"' in body
    assert "no-cache" in response["Cache-Control"]


def test_the_tip_page_is_in_english_under_en(anon):
    body = anon.get("/en/tips/").content.decode()
    assert "<h1>Send us a claim to check</h1>" in body and '<html lang="en">' in body


def test_every_page_links_to_the_tip_page(anon):
    assert 'href="/tips/"' in anon.get("/").content.decode()
    assert 'href="/en/tips/"' in anon.get("/en/").content.decode()


def test_a_tip_is_stored_and_the_reader_gets_a_reference_number(anon):
    response = anon.post("/tips/", tip_form())
    assert response.status_code == 302 and response["Location"].startswith("/tips/thanks/?r=")
    thanks = anon.get(response["Location"])
    assert thanks.status_code == 200
    reference = reference_on(thanks)
    tip = Tip.objects.get()
    assert tip.reference == reference
    assert (tip.kind, tip.status, tip.claim, tip.language, tip.consent) == ("claim", "new", None, "id", True)
    assert tip.text.startswith("Katanya vaksin") and tip.link == "https://example.org/pesan-berantai"
    assert tip.contact == "pembaca@example.org"
    # The thank-you page shows the reference only, never what the reader wrote.
    assert "vaksin" not in thanks.content.decode() and "pembaca@" not in thanks.content.decode()


def test_link_and_contact_are_optional_and_the_language_is_kept(anon):
    response = anon.post("/en/tips/", tip_form(link="", contact=""))
    assert response.status_code == 302 and response["Location"].startswith("/en/tips/thanks/")
    tip = Tip.objects.get()
    assert (tip.link, tip.contact, tip.language) == ("", "", "en")


def test_the_thank_you_page_needs_a_signed_reference(anon):
    assert anon.get("/tips/thanks/").status_code == 404
    assert anon.get("/tips/thanks/?r=ABCDEFGH").status_code == 404


def test_every_claim_page_offers_a_correction_request(anon, published_claim, django_assert_num_queries):
    page = anon.get(f"/claims/{published_claim.slug}/").content.decode()
    assert f'href="/tips/correction/{published_claim.slug}/"' in page and "Minta koreksi" in page
    with django_assert_num_queries(1):  # the public claim (with its rating)
        response = anon.get(f"/tips/correction/{published_claim.slug}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Minta koreksi</h1>" in body and published_claim.statement in body


def test_a_correction_request_carries_its_claim(anon, published_claim):
    response = anon.post(f"/en/tips/correction/{published_claim.slug}/", tip_form(text="The date is wrong."))
    assert response.status_code == 302
    tip = Tip.objects.get()
    assert (tip.kind, tip.claim, tip.text) == ("correction", published_claim, "The date is wrong.")


def test_no_correction_request_for_a_claim_readers_cannot_see(anon, draft_claim):
    assert anon.get(f"/tips/correction/{draft_claim.slug}/").status_code == 404
    assert anon.post(f"/tips/correction/{draft_claim.slug}/", tip_form()).status_code == 404
    assert anon.get("/tips/correction/no-such-claim/").status_code == 404
    assert not Tip.objects.exists()


def test_the_honeypot_refuses_and_stores_nothing(anon):
    response = anon.post("/tips/", tip_form(website="https://spam.example"))
    assert response.status_code == 400
    assert "kolom yang harus tetap kosong" in response.content.decode()
    assert not Tip.objects.exists()


def test_a_form_sent_too_fast_is_refused_and_stores_nothing(anon):
    response = anon.post("/en/tips/", tip_form(opened_seconds_ago=0))
    assert response.status_code == 400
    assert "sent too quickly after it was opened" in response.content.decode()
    assert not Tip.objects.exists()


@pytest.mark.parametrize("started", ["", "forged", "1700000000"])
def test_a_form_without_a_valid_signed_start_is_refused(anon, started):
    response = anon.post("/en/tips/", tip_form(started=started))
    assert response.status_code == 400
    assert "could not be checked. Please reload the page" in response.content.decode()
    assert not Tip.objects.exists()


def test_an_expired_form_is_refused_and_offered_again(anon, settings):
    settings.TIP_FORM_MAX_AGE_SECONDS = 60
    # The signature carries the time it was made: sign an hour in the past.
    with time_machine.travel(time.time() - 3600, tick=False):
        data = tip_form()
    response = anon.post("/en/tips/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "open too long and has expired" in body
    assert not Tip.objects.exists()
    # The form comes back with a new signed start and the reader's words, ready to send again.
    fresh = re.search(r'name="started" value="([^"]+)"', body).group(1)
    assert fresh != data["started"]
    assert "Katanya vaksin mengandung cip pelacak." in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("text", "x" * 2001, "Pastikan nilai ini mengandung paling banyak 2000 karakter (sekarang 2001 karakter)."),
        ("link", "https://example.org/" + "a" * 481, "Pastikan nilai ini mengandung paling banyak 500 karakter"),
        ("contact", "c" * 201, "Pastikan nilai ini mengandung paling banyak 200 karakter (sekarang 201 karakter)."),
    ],
)
def test_oversized_fields_are_refused_naming_the_field_and_store_nothing(anon, field, value, message):
    response = anon.post("/tips/", tip_form(**{field: value}))
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}-error">{message}' in body
    assert f'id="id_{field}" ' in body and 'aria-invalid="true"' in body
    assert not Tip.objects.exists()


def test_text_and_consent_are_required(anon):
    response = anon.post("/en/tips/", tip_form(text="  ", consent=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_text-error">This field is required.' in body
    assert 'id="id_consent-error">Please agree to how we store your message' in body
    assert not Tip.objects.exists()


@pytest.mark.parametrize("refusal", ["0", "off", "no", "false", "x"])
def test_only_a_ticked_box_is_consent(anon, refusal):
    # A browser sends "on" for the ticked box and nothing otherwise; Django's checkbox read any other value as ticked.
    response = anon.post("/en/tips/", tip_form(consent=refusal))

    assert response.status_code == 400
    assert 'id="id_consent-error">Please agree to how we store your message' in response.content.decode()
    assert not Tip.objects.exists()


def test_a_link_must_be_a_web_address(anon):
    response = anon.post("/en/tips/", tip_form(link="javascript:alert(1)"))
    assert response.status_code == 400
    assert 'id="id_link-error">Enter a valid URL.' in response.content.decode()
    assert not Tip.objects.exists()


def test_the_rate_limit_per_address_refuses_and_stores_nothing(anon, settings):
    settings.TIP_RATE = "2/hour"
    for _ in range(2):
        assert anon.post("/tips/", tip_form()).status_code == 302
    response = anon.post("/en/tips/", tip_form())
    assert response.status_code == 429
    assert "Too many messages were sent from your address. Please try again in 60 minutes." in (
        response.content.decode()
    )
    assert Tip.objects.count() == 2
    # Another address is not held back by this one.
    assert anon.post("/tips/", tip_form(), REMOTE_ADDR=unique_address()).status_code == 302
    assert Tip.objects.count() == 3


def test_csrf_is_required(published_claim):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/tips/", tip_form()).status_code == 403
    assert browser.post(f"/tips/correction/{published_claim.slug}/", tip_form()).status_code == 403
    assert not Tip.objects.exists()


def test_with_the_cache_down_the_rate_limit_fails_open(anon, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket is closed
    settings.CACHES = {
        "default": {
            "BACKEND": "factcheck.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    settings.TIP_RATE = "1/hour"
    try:
        for _ in range(3):
            assert anon.post("/tips/", tip_form()).status_code == 302
        assert Tip.objects.count() == 3
    finally:
        redis_cache.reset_breakers()


def test_the_claim_named_on_a_correction_request_carries_its_language(anon, published_claim):
    english = anon.get(f"/en/tips/correction/{published_claim.slug}/").content.decode()
    assert f'lang="en">{published_claim.statement_en}</a>' in english
    indonesian = anon.get(f"/tips/correction/{published_claim.slug}/").content.decode()
    assert f'lang="id">{published_claim.statement}</a>' in indonesian
    published_claim.statement_en = ""
    published_claim.save(update_fields=["statement_en"])
    assert f'lang="id">{published_claim.statement}</a>' in (
        anon.get(f"/en/tips/correction/{published_claim.slug}/").content.decode()
    )


def test_a_body_over_the_request_limit_is_refused_and_stores_nothing(anon, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = anon.post("/tips/", tip_form(text="x" * 20_000))
    assert response.status_code == 400
    assert not Tip.objects.exists()
