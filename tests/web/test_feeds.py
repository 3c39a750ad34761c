"""RSS and Atom feeds of published verdicts and of corrections."""

import xml.etree.ElementTree as ET

from tests.conftest import retract

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(client, path: str) -> list[ET.Element]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).findall("./channel/item")


def atom_entries(client, path: str) -> list[ET.Element]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_the_verdicts_feed_lists_public_verdicts_newest_first(anon, two_public_claims, unpublished_claim, settings):
    first, second = two_public_claims
    items = rss_items(anon, "/feeds/verdicts.rss")
    assert [item.findtext("title") for item in items] == [
        "[Sebagian besar benar] ASEM mencakup 53 negara mitra",
        "[Benar] ASEM didirikan di Bangkok pada 1996",
    ]
    assert items[1].findtext("link") == f"{settings.SITE_URL}/claims/{first.slug}/"
    assert items[1].findtext("description") == "Benar: KTT pertama di Bangkok, 1-2 Maret 1996."


def test_the_verdicts_feed_in_english(anon, two_public_claims, settings):
    entries = atom_entries(anon, "/en/feeds/verdicts.atom")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert "[True] ASEM was founded in Bangkok in 1996" in titles
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert f"{settings.SITE_URL}/en/claims/{two_public_claims[0].slug}/" in links


def test_the_corrections_feed_lists_corrections_and_retractions(anon, two_public_claims, reviewer, reviewer2, settings):
    retract(two_public_claims[1], by=reviewer, approver=reviewer2, note="Sumber keliru.")
    items = rss_items(anon, "/feeds/corrections.rss")
    assert [item.findtext("title") for item in items] == [
        "Pencabutan: ASEM mencakup 53 negara mitra",
        "Koreksi: ASEM didirikan di Bangkok pada 1996",
    ]
    assert [item.findtext("description") for item in items] == ["Sumber keliru.", "Tanggal KTT diperjelas."]
    assert items[1].findtext("link").startswith(f"{settings.SITE_URL}/claims/{two_public_claims[0].slug}/#version-")
    assert len(atom_entries(anon, "/en/feeds/corrections.atom")) == 2


def test_pages_link_to_the_feeds(anon, db):
    html = anon.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/feeds/verdicts.rss"' in html
    assert 'href="/feeds/corrections.atom"' in html


def test_feed_query_counts_are_constant(anon, two_public_claims, more_public_data, django_assert_num_queries):
    # One query each: the latest public claims (or corrections) with their claim, article and rating.
    for path in ["/feeds/verdicts.rss", "/feeds/verdicts.atom", "/feeds/corrections.rss", "/feeds/corrections.atom"]:
        with django_assert_num_queries(1):
            assert anon.get(path).status_code == 200


def test_feed_query_counts_with_two_claims(anon, two_public_claims, django_assert_num_queries):
    for path in ["/feeds/verdicts.rss", "/feeds/corrections.rss"]:
        with django_assert_num_queries(1):
            assert anon.get(path).status_code == 200


def test_a_retracted_verdict_is_fed_as_retracted_never_with_its_withdrawn_rating(
    anon, two_public_claims, reviewer, reviewer2
):
    retract(two_public_claims[1], by=reviewer, approver=reviewer2, note="Sumber keliru.")
    items = rss_items(anon, "/feeds/verdicts.rss")
    item = next(item for item in items if "53 negara" in item.findtext("title"))
    assert item.findtext("title") == "[Dicabut] ASEM mencakup 53 negara mitra"
    assert item.findtext("description") == "Hasil cek fakta ini telah dicabut. Sumber keliru."
    assert [category.text for category in item.findall("category")] == ["Dicabut"]
    entries = atom_entries(anon, "/en/feeds/verdicts.atom")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert "[Retracted] ASEM mencakup 53 negara mitra" in titles
    assert not any("Mostly true" in title for title in titles)
