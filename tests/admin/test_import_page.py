"""The "Import article" page: paste or upload with metadata, see candidates, keep the ticked ones as drafts."""

import base64
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from factcheck.claims.models import Article, Claim

IMPORT_URL = "/admin/claims/article/import/"
TEXT = (
    "Indonesia memiliki 38 provinsi sejak tahun 2022. "
    "Menurut BPS, jumlah penduduk mencapai 278 juta jiwa.\n"
    "Kami percaya masa depan akan cerah.\n"
)
METADATA = {
    "headline": "Provinsi dan penduduk",
    "outlet": "Harian Contoh",
    "author": "Budi",
    "url": "https://example.org/provinsi",
    "published_on": "2024-05-02",
    "language": "id",
}


def preview(client, **extra):
    return client.post(IMPORT_URL, {**METADATA, "text": TEXT, **extra})


def confirm_data(response) -> dict:
    html = response.content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    hidden.pop("csrfmiddlewaretoken", None)
    return hidden


def test_article_list_links_to_the_import_page(login, editor):
    assert 'href="/admin/claims/article/import/" class="addlink">Import article</a>' in (
        login(editor).get("/admin/claims/article/").content.decode()
    )


def test_paste_then_tick_creates_the_article_and_the_ticked_drafts(login, editor):
    client = login(editor)
    assert client.get(IMPORT_URL).status_code == 200
    step1 = preview(client)
    assert step1.status_code == 200
    html = step1.content.decode()
    candidates = step1.context["candidates"]
    quotes = [item.candidate.quote for item in candidates]
    assert quotes == [
        "Indonesia memiliki 38 provinsi sejak tahun 2022.",
        "Menurut BPS, jumlah penduduk mencapai 278 juta jiwa.",
    ]
    # The repaired text with each candidate highlighted and numbered, and the reasons.
    assert '<mark class="candidate" id="candidate-1"' in html and "<sup>1</sup>Indonesia memiliki" in html
    assert "Kami percaya masa depan akan cerah." in html
    assert "because " + "; ".join(candidates[0].candidate.reasons) in html
    assert not Article.objects.exists()  # step 1 writes nothing

    first = candidates[0].candidate
    step2 = client.post(IMPORT_URL, {**confirm_data(step1), "accept": [f"{first.start}:{first.end}"], "confirm": "1"})
    article = Article.objects.get()
    assert step2.status_code == 302
    assert step2["Location"] == f"/admin/claims/claim/?article__id__exact={article.pk}"
    assert (article.headline, article.outlet, article.author, article.url) == (
        "Provinsi dan penduduk",
        "Harian Contoh",
        "Budi",
        "https://example.org/provinsi",
    )
    assert str(article.published_on) == "2024-05-02"
    assert bytes(article.original) == TEXT.encode()
    claim = Claim.objects.get()
    assert (claim.status, claim.quote, claim.last_edited_by) == ("draft", first.quote, editor)
    record = claim.history.get()
    assert record.history_user == editor and record.history_change_reason == "Imported in the admin: candidate accepted"


def test_upload_keeps_the_bytes_as_received(login, editor):
    client = login(editor)
    data = "Jakarta\u00a0berpenduduk 10 juta jiwa pada 2020.\r\n".encode()
    step1 = client.post(IMPORT_URL, {**METADATA, "text": "", "file": SimpleUploadedFile("a.txt", data, "text/plain")})
    assert step1.status_code == 200
    assert base64.b64decode(confirm_data(step1)["data"]) == data
    step2 = client.post(IMPORT_URL, {**confirm_data(step1), "confirm": "1"})
    assert step2.status_code == 302
    article = Article.objects.get()
    assert bytes(article.original) == data and article.body == "Jakarta berpenduduk 10 juta jiwa pada 2020.\n"
    assert not Claim.objects.exists()  # nothing ticked, nothing kept


def test_reimporting_the_same_text_says_it_exists_and_links_to_it(login, editor):
    client = login(editor)
    step1 = preview(client)
    client.post(IMPORT_URL, {**confirm_data(step1), "confirm": "1"})
    article = Article.objects.get()
    again = preview(client)
    assert again.status_code == 200
    html = again.content.decode()
    assert "already imported" in html
    assert f'<a href="/admin/claims/article/{article.pk}/change/">«Provinsi dan penduduk»</a>' in html
    # Confirming a stale second preview changes nothing either.
    response = client.post(IMPORT_URL, {**confirm_data(step1), "confirm": "1"})
    assert response["Location"] == f"/admin/claims/article/{article.pk}/change/"
    assert Article.objects.count() == 1


def test_text_or_file_is_required_but_not_both(login, editor):
    client = login(editor)
    response = client.post(IMPORT_URL, {**METADATA, "text": "  "})
    assert response.context["form"].errors["text"] == ["Paste the article's text or upload a file."]
    response = client.post(
        IMPORT_URL, {**METADATA, "text": TEXT, "file": SimpleUploadedFile("a.txt", b"x", "text/plain")}
    )
    assert response.context["form"].errors["file"] == ["Paste the text or upload a file, not both."]


def test_bad_metadata_and_non_utf8_files_are_refused_by_field(login, editor):
    client = login(editor)
    response = client.post(IMPORT_URL, {**METADATA, "text": TEXT, "url": "javascript:alert(1)"})
    assert "url" in response.context["form"].errors
    response = client.post(
        IMPORT_URL, {**METADATA, "text": "", "file": SimpleUploadedFile("a.txt", b"caf\xe9 2020", "text/plain")}
    )
    assert response.context["form"].errors["file"] == ["The file is not valid UTF-8 (byte 0xe9 at offset 3)."]
    assert not Article.objects.exists()


def test_a_span_that_does_not_fit_the_text_is_refused_and_the_choices_stay(login, editor):
    # Issue 17: an editor may keep any span they selected, not only detected candidates; one that does
    # not fit the text is refused by field, and the spans they made come back ticked.
    client = login(editor)
    step1 = preview(client)
    response = client.post(IMPORT_URL, {**confirm_data(step1), "accept": ["0:3", "5:999999"], "confirm": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "These spans do not fit the text" in html and "5–999999" in html
    assert not Article.objects.exists()
    assert any(
        (item.candidate.start, item.candidate.end, item.ticked) == (0, 3, True)
        for item in response.context["candidates"]
    )


def test_a_span_the_editor_selected_becomes_a_draft_with_exactly_that_quote(login, editor):
    client = login(editor)
    step1 = preview(client)
    text = step1.context["span_editor"]["text"]

    client.post(IMPORT_URL, {**confirm_data(step1), "accept": ["0:8"], "confirm": "1"})

    [claim] = Claim.objects.all()
    assert (claim.start, claim.end, claim.quote) == (0, 8, text[0:8])


def test_going_back_keeps_the_pasted_text_and_the_metadata(login, editor):
    client = login(editor)
    step1 = preview(client)

    back = client.post(IMPORT_URL, {**confirm_data(step1), "back": "1"})

    form = back.context["form"]
    assert form["text"].value() == TEXT
    assert form["headline"].value() == METADATA["headline"]
    assert not Article.objects.exists()


def test_only_users_who_may_add_articles_import(client, outsider, reviewer):
    client.force_login(outsider)
    assert client.get(IMPORT_URL).status_code == 302  # not staff: to the login page
    from tests.conftest import make_user

    client.force_login(make_user("clerk", is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403  # staff, but without claims.add_article
    client.force_login(reviewer)
    assert client.get(IMPORT_URL).status_code == 200


@pytest.mark.parametrize("data", [b"   \n\t ", b"abc\x00def", b"abc \xff\xfe def", b"ab \xed\xa0\x80 cd"])
def test_a_confirm_carrying_a_text_that_cannot_be_read_goes_back_with_the_reason(login, editor, data):
    # The confirm step carries the text as it was pasted; a forged one that cannot be read was refused, then
    # previewed again to show the refusal, which failed the same way (a 500).
    client = login(editor)
    step1 = preview(client)
    forged = {**confirm_data(step1), "data": base64.b64encode(data).decode(), "confirm": "1"}

    response = client.post(IMPORT_URL, forged, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == IMPORT_URL
    assert not Article.objects.exists()
