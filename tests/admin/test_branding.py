"""The admin is branded "Cek Fakta — Redaksi" and its home page leads to Import article and the review queue."""

QUEUE_URL = "/admin/claims/claim/review-queue/"
IMPORT_URL = "/admin/claims/article/import/"


def test_the_home_page_is_branded_and_links_to_the_desk(login, editor):
    html = login(editor).get("/admin/", HTTP_ACCEPT_LANGUAGE="id").content.decode()

    assert "<title>Meja redaksi | Cek Fakta — Redaksi</title>" in html
    assert "Cek Fakta — Redaksi</a>" in html  # the header
    assert "Administrasi Django" not in html
    assert f'<a href="{IMPORT_URL}">Impor artikel</a>' in html
    assert f'<a href="{QUEUE_URL}">Antrean tinjauan</a>' in html


def test_the_links_follow_permissions(client, django_user_model):
    staff = django_user_model.objects.create_user("tamu", password="x", is_staff=True)
    client.force_login(staff)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert IMPORT_URL not in html and QUEUE_URL not in html
