"""Public pages speak HTTP caching: who may keep them and for how long, validators that follow what a page
shows, 304 for a client that holds the current page, and a change visible on the very next request."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils.http import http_date, parse_http_date

from factcheck.claims import revisions
from factcheck.claims.models import Claim
from factcheck.people.models import StaffProfile
from tests.conftest import correct

from .conftest import correct_claim

START = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
LATER = START + datetime.timedelta(hours=1)


@pytest.fixture
def clock():
    """The data is made at START; each test moves the clock on before it changes something."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def claim(clock, two_public_claims):
    return two_public_claims[0]


def claim_path(claim) -> str:
    return f"/en/claims/{claim.slug}/"


def article_path(claim) -> str:
    return f"/en/articles/{claim.article.slug}/"


PAGES = {"claim page": claim_path, "article page": article_path, "home": lambda claim: "/en/"}


def correct_the_article(claim, *, by, approver) -> None:
    revision = revisions.revision_propose_article(
        article=claim.article, by=by, changes={"headline": "ASEM, Ukraina dan Indonesia"}, note="Judul diperbaiki."
    )
    revisions.revision_approve(revision=revision, by=approver)


def relabel_the_scale(claim, **people) -> None:
    rating = claim.rating
    rating.label_en = "Entirely true"
    rating._change_reason = "Relabelled"
    rating.save()


def correct_the_claim(claim, *, by, approver) -> None:
    correct_claim(claim, by=by, approver=approver, note="Fixed.", statement_en="ASEM was founded in Bangkok, 1996")


SHOWN = {
    correct_the_article: b"ASEM, Ukraina dan Indonesia",
    relabel_the_scale: b"Entirely true",
    correct_the_claim: b"ASEM was founded in Bangkok, 1996",
}


def test_a_public_page_may_be_kept_by_browsers_and_shared_caches(anon, claim, settings):
    response = anon.get(claim_path(claim))

    control = {part.strip().split("=")[0] for part in response["Cache-Control"].split(",")}
    assert control == {"public", "max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"}
    assert response["Vary"] == "Cookie"  # the language is in the address; a session makes the page personal
    assert response["ETag"] and response["Last-Modified"]


def test_last_modified_is_the_newest_change_of_what_the_page_shows(anon, claim, clock, reviewer, reviewer2):
    assert parse_http_date(anon.get(claim_path(claim))["Last-Modified"]) == int(START.timestamp())

    clock.move_to(LATER)
    correct_the_article(claim, by=reviewer2, approver=reviewer)

    for page in PAGES.values():
        assert parse_http_date(anon.get(page(claim))["Last-Modified"]) == int(LATER.timestamp()), page


@pytest.mark.parametrize("page", PAGES)
def test_if_modified_since_is_answered_304_with_one_query(anon, claim, page, django_assert_num_queries):
    path = PAGES[page](claim)
    first = anon.get(path)

    with django_assert_num_queries(1):  # what the page shows, as times and change numbers; nothing rendered
        again = anon.get(path, headers={"If-Modified-Since": first["Last-Modified"]})

    assert again.status_code == 304 and again.content == b""
    assert again["Last-Modified"] == first["Last-Modified"] and again["ETag"] == first["ETag"]
    assert "public" in again["Cache-Control"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("change", SHOWN, ids=[change.__name__ for change in SHOWN])
def test_a_change_makes_an_old_if_modified_since_answer_200(anon, claim, clock, reviewer, reviewer2, page, change):
    path = PAGES[page](claim)
    held = anon.get(path)["Last-Modified"]

    clock.move_to(LATER)
    change(claim, by=reviewer2, approver=reviewer)
    response = anon.get(path, headers={"If-Modified-Since": held})

    assert response.status_code == 200
    assert SHOWN[change] in response.content
    assert anon.get(path, headers={"If-Modified-Since": response["Last-Modified"]}).status_code == 304


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("change", SHOWN, ids=[change.__name__ for change in SHOWN])
def test_a_change_within_the_same_second_still_moves_the_etag(anon, claim, reviewer, reviewer2, page, change):
    path = PAGES[page](claim)  # the clock stands still: Last-Modified cannot tell, the ETag must
    held = anon.get(path)["ETag"]

    change(claim, by=reviewer2, approver=reviewer)
    response = anon.get(path, headers={"If-None-Match": held})

    assert response.status_code == 200 and response["ETag"] != held
    assert SHOWN[change] in response.content


def test_if_none_match_is_answered_304_and_wins_over_if_modified_since(anon, claim, django_assert_num_queries):
    first = anon.get(claim_path(claim))
    long_ago = http_date((START - datetime.timedelta(days=1)).timestamp())

    with django_assert_num_queries(1):
        not_modified = anon.get(claim_path(claim), headers={"If-None-Match": first["ETag"]})
    stale = anon.get(
        claim_path(claim), headers={"If-None-Match": '"other"', "If-Modified-Since": first["Last-Modified"]}
    )
    kept = anon.get(claim_path(claim), headers={"If-None-Match": first["ETag"], "If-Modified-Since": long_ago})

    assert not_modified.status_code == 304
    assert stale.status_code == 200  # RFC 9110 13.2.2: If-Modified-Since is ignored beside If-None-Match
    assert kept.status_code == 304


def test_an_evidence_change_refreshes_the_claim_page(anon, claim, reviewer, reviewer2):
    etag = anon.get(claim_path(claim))["ETag"]
    claim.refresh_from_db()
    evidence = claim.evidence.first()
    # The evidence of a published claim changes through a correction (a reviewed revision).
    sources = [
        {"id": item.pk, "title": "A renamed source"} if item.pk == evidence.pk else {"id": item.pk}
        for item in claim.evidence.all()
    ]
    correct(claim, by=reviewer2, approver=reviewer, note="Source title fixed.", evidence=sources)

    response = anon.get(claim_path(claim), headers={"If-None-Match": etag})
    assert response.status_code == 200 and b"A renamed source" in response.content


def other_articles_claim(claim):
    """A public claim of another article (``more_public_data``)."""
    return Claim.objects.public().exclude(article=claim.article).get()


def test_a_change_to_any_other_claim_gives_the_claim_page_new_validators(
    anon, claim, more_public_data, clock, reviewer, reviewer2
):
    """A claim page lists similar claims of other articles by their statements; which claims those are is
    decided by a search, so any correction may change what the page shows."""
    first = anon.get(claim_path(claim))

    clock.move_to(LATER)
    correct_claim(other_articles_claim(claim), by=reviewer2, approver=reviewer, note="Other.", verdict_en="Other.")
    again = anon.get(claim_path(claim), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"] and again["Last-Modified"] != first["Last-Modified"]


def test_a_corrected_similar_claim_is_never_shown_stale_on_a_claim_page(
    anon, claim, more_public_data, reviewer, reviewer2
):
    """The page names the similar claims it lists (surrogate keys), and its validators follow them."""
    similar = other_articles_claim(claim)
    correct_claim(similar, by=reviewer2, approver=reviewer, note="Restated.", statement="Monas didirikan di Bangkok")
    page = anon.get(claim_path(claim))
    assert f"claim-{similar.pk}" in page["xkey"].split()
    assert "Monas didirikan di Bangkok<" in page.content.decode()

    correct_claim(similar, by=reviewer2, approver=reviewer, note="Again.", statement="Monas didirikan di Bangkok, 1961")
    again = anon.get(claim_path(claim), headers={"If-None-Match": page["ETag"]})

    assert again.status_code == 200
    assert "Monas didirikan di Bangkok, 1961<" in again.content.decode()


def test_a_correction_of_a_claim_of_the_same_article_refreshes_the_related_list(
    anon, two_public_claims, reviewer, reviewer2
):
    first, second = two_public_claims
    etag = anon.get(claim_path(first))["ETag"]

    correct_claim(second, by=reviewer2, approver=reviewer, note="Rating corrected.", rating="false")

    response = anon.get(claim_path(first), headers={"If-None-Match": etag})
    related = response.content.decode().split('id="related-title"')[1]
    assert '<span class="badge rating-false">False</span>' in related


def test_signed_in_users_get_a_private_page_without_validators(claim, editor):
    staff = Client()
    staff.force_login(editor)

    response = staff.get(claim_path(claim), headers={"If-Modified-Since": http_date(LATER.timestamp())})

    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert not response.has_header("ETag") and not response.has_header("Last-Modified")
    assert not response.has_header("xkey")


def test_the_language_versions_have_their_own_etags(anon, claim):
    english = anon.get(claim_path(claim))
    indonesian = anon.get(f"/claims/{claim.slug}/")

    assert english.content != indonesian.content and english["ETag"] != indonesian["ETag"]
    assert anon.get(f"/claims/{claim.slug}/", headers={"If-None-Match": english["ETag"]}).status_code == 200


def test_bulk_generated_claims_show_on_the_next_request(anon, two_public_claims):
    from factcheck.claims.generation import generate_claims

    before = anon.get("/en/")
    generate_claims(claims=3, evidence_per_claim=0)

    after = anon.get("/en/", headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200 and after.content != before.content


def test_a_hidden_claim_answers_like_a_missing_one_whatever_the_validators(anon, draft_claim):
    for headers in ({}, {"If-None-Match": "*"}, {"If-Modified-Since": http_date(LATER.timestamp())}):
        hidden = anon.get(claim_path(draft_claim), headers=headers)
        missing = anon.get("/en/claims/no-such-claim/", headers=headers)
        assert hidden.status_code == missing.status_code == 404
        assert not hidden.has_header("ETag") and not hidden.has_header("Last-Modified")


def test_an_unknown_host_is_refused_even_for_a_page_just_served(anon, claim):
    """ALLOWED_HOSTS holds for every answer: the origin keeps none to give before Django checks the host
    (Varnish refuses unknown hosts before its lookup: tests/edge/test_varnish.py)."""
    assert anon.get(claim_path(claim)).status_code == 200

    assert anon.get(claim_path(claim), headers={"Host": "evil.example"}).status_code == 400


def give_a_display_name(user) -> str:
    StaffProfile.objects.create(user=user, display_name="Dewi Lestari")
    return "Dewi Lestari"


def change_the_display_name(user) -> str:
    StaffProfile.objects.update_or_create(user=user, defaults={"display_name": "Dewi L."})
    return "Dewi L."


def change_the_full_name(user) -> str:
    user.first_name, user.last_name = "Dewi", "Hartono"
    user.save()
    return "Dewi Hartono"


def delete_the_account(user) -> str:
    user.delete()
    return ""


BYLINE_CHANGES = [give_a_display_name, change_the_display_name, change_the_full_name, delete_the_account]


@pytest.mark.parametrize("change", BYLINE_CHANGES, ids=lambda change: change.__name__)
def test_a_changed_byline_gives_the_claim_page_new_validators(anon, claim, clock, change):
    reviewer = claim.reviewer
    reviewer.first_name, reviewer.last_name = "Rudi", "Santoso"
    reviewer.save()
    if change is change_the_display_name:
        StaffProfile.objects.create(user=reviewer, display_name="Dewi Lestari")
    before = anon.get(claim_path(claim))
    shown_before = "Dewi Lestari" if change is change_the_display_name else "Rudi Santoso"
    assert shown_before.encode() in before.content

    clock.move_to(LATER)
    shown = change(reviewer)

    response = anon.get(claim_path(claim), headers={"If-None-Match": before["ETag"]})
    assert response.status_code == 200 and response["ETag"] != before["ETag"]
    assert shown.encode() in response.content and shown_before.encode() not in response.content
    # A client that sends If-Modified-Since alone is told of it too.
    assert parse_http_date(response["Last-Modified"]) == LATER.timestamp()
    alone = anon.get(claim_path(claim), headers={"If-Modified-Since": before["Last-Modified"]})
    assert alone.status_code == 200 and shown.encode() in alone.content
