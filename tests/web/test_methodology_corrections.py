"""The methodology page (rating scale from the data, selection, four eyes, corrections) and the corrections log."""

from factcheck.claims.models import Rating
from tests.conftest import retract


def test_methodology_shows_the_rating_scale_from_the_data(anon, db):
    Rating.objects.filter(key="false").update(definition_id="Definisi baru dari data.")
    html = anon.get("/methodology/").content.decode()
    for rating in Rating.objects.all():
        assert f'<span class="badge rating-{rating.key}">{rating.label_id}</span>' in html
        assert f'<span class="scale-other" lang="en">{rating.label_en}</span>' in html
    assert "Definisi baru dari data." in html


def test_methodology_in_english(anon, db):
    html = anon.get("/en/methodology/").content.decode()
    for rating in Rating.objects.all():
        assert f'<span class="badge rating-{rating.key}">{rating.label_en}</span>' in html
        assert rating.definition_en in html
    assert "How claims are chosen" in html
    assert "The four-eyes rule" in html
    assert "Corrections policy" in html


def test_methodology_explains_choice_four_eyes_and_corrections_in_indonesian(anon, db):
    html = anon.get("/methodology/").content.decode()
    assert 'id="choosing">Cara klaim dipilih</h2>' in html
    assert 'id="four-eyes">Aturan empat mata</h2>' in html
    assert 'id="corrections-policy">Kebijakan koreksi</h2>' in html
    assert 'href="/corrections/"' in html


def test_methodology_query_count(anon, db, django_assert_num_queries):
    # On a cold cache: 0. the cache stamp (newest revisions, one query), then
    # 1. the rating scale.
    with django_assert_num_queries(2):
        assert anon.get("/methodology/").status_code == 200


def test_corrections_lists_every_public_correction_and_retraction_newest_first(
    anon, two_public_claims, reviewer, reviewer2
):
    first, second = two_public_claims
    retract(second, by=reviewer, approver=reviewer2, note="Sumbernya keliru.")
    html = anon.get("/corrections/").content.decode()
    assert html.index("Sumbernya keliru.") < html.index("Tanggal KTT diperjelas.")
    assert f'href="/claims/{first.slug}/#version-' in html
    assert "tag-retracted" in html
    assert html.count('<li class="correction ') == 2


def test_corrections_query_count_with_two_corrections(
    anon, two_public_claims, reviewer, reviewer2, django_assert_num_queries
):
    retract(two_public_claims[1], by=reviewer, approver=reviewer2, note="Sumbernya keliru.")
    # On a cold cache: 0. the cache stamp (newest revisions, one query), then
    # 1. one page of corrections with their claim, article and rating.
    with django_assert_num_queries(2):
        assert anon.get("/corrections/").status_code == 200


def test_corrections_query_count_is_constant(anon, two_public_claims, more_public_data, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert anon.get("/corrections/").status_code == 200


def test_the_log_shows_a_retracted_claim_as_retracted_never_its_withdrawn_rating(
    anon, two_public_claims, reviewer, reviewer2
):
    retract(two_public_claims[1], by=reviewer, approver=reviewer2, note="Sumber keliru.", note_en="Wrong source.")
    html = anon.get("/corrections/").content.decode()
    retraction = html[html.index('<li class="correction correction-retraction">') :].split("</li>")[0]
    assert '<span class="badge badge-retracted">Dicabut</span>' in retraction
    assert "rating-mostly-true" not in retraction
    english = anon.get("/en/corrections/").content.decode()
    assert '<p class="correction-note" lang="en">Wrong source.</p>' in english
