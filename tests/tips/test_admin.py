"""Editors and reviewers triage reader tips in the admin: new → accepted / answered / rejected, with who and when."""

import pytest
from django.contrib.auth.models import Permission

from factcheck.tips.models import Tip
from factcheck.tips.services import tip_set_status, tip_submit
from tests.conftest import make_user

from .conftest import tip_form


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def submit(text: str = "Klaim tentang harga beras di pasar.", kind: str = "claim", **extra) -> Tip:
    return tip_submit(kind=kind, text=text, consent=True, language="id", **extra)


def test_a_submission_appears_in_the_admin(anon, login, editor):
    assert anon.post("/tips/", tip_form(text="Harga beras naik 300 persen minggu ini.")).status_code == 302
    tip = Tip.objects.get()
    client = login(editor)
    listing = client.get("/admin/tips/tip/").content.decode()
    assert tip.reference in listing and "Baru" in listing
    page = client.get(f"/admin/tips/tip/{tip.pk}/change/").content.decode()
    assert "Harga beras naik 300 persen minggu ini." in page and "pembaca@example.org" in page


def test_editors_and_reviewers_may_read_and_triage_tips_but_not_add_or_delete(editor, reviewer):
    for user in (editor, reviewer):
        assert user.has_perm("tips.view_tip") and user.has_perm("tips.change_tip")
        assert not user.has_perm("tips.add_tip") and not user.has_perm("tips.delete_tip")


def test_nobody_adds_a_tip_in_the_admin(login, superuser):
    assert login(superuser).get("/admin/tips/tip/add/").status_code == 403


def test_triage_records_who_and_when(login, editor):
    tip = submit()
    client = login(editor)
    response = client.post(
        f"/admin/tips/tip/{tip.pk}/change/", {"status": "accepted", "editor_note": "Akan diteliti minggu ini."}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    tip.refresh_from_db()
    assert (tip.status, tip.status_changed_by, tip.editor_note) == ("accepted", editor, "Akan diteliti minggu ini.")
    assert tip.status_changed_at is not None
    assert tip.text == "Klaim tentang harga beras di pasar."  # the reader's words are read-only


def test_saving_without_a_new_status_keeps_who_and_when(reviewer, editor):
    tip = tip_set_status(tip=submit(), status="answered", by=editor)
    changed_at = tip.status_changed_at
    tip_set_status(tip=tip, status="answered", by=reviewer, note="Dijawab lewat surel.")
    tip.refresh_from_db()
    assert (tip.status_changed_by, tip.status_changed_at, tip.editor_note) == (
        editor,
        changed_at,
        "Dijawab lewat surel.",
    )


def test_an_unknown_status_is_refused_naming_the_field(editor):
    with pytest.raises(ValueError, match="status: must be one of new, accepted, answered, rejected"):
        tip_set_status(tip=submit(), status="done", by=editor)


def test_the_admin_home_counts_new_tips(login, editor, reviewer):
    first, second, _third = submit(), submit(), submit()
    tip_set_status(tip=first, status="rejected", by=reviewer)
    body = login(editor).get("/admin/").content.decode()
    assert "2 kiriman baru menunggu dipilah" in body
    assert 'href="/admin/tips/tip/?status__exact=new"' in body
    tip_set_status(tip=second, status="answered", by=reviewer)
    assert "1 kiriman baru menunggu dipilah" in login(editor).get("/admin/").content.decode()


def test_staff_without_the_permission_see_no_count(login, db):
    user = make_user("intern", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_claim"))
    submit()
    response = login(user).get("/admin/")
    assert response.status_code == 200
    assert "menunggu dipilah" not in response.content.decode()
    assert login(user).get("/admin/tips/tip/").status_code == 403


def test_the_triage_list_reads_a_fixed_number_of_queries(
    login, editor, reviewer, published_claim, django_assert_num_queries
):
    for n in range(3):
        tip = submit(kind="correction", claim=published_claim) if n % 2 else submit()
        tip_set_status(tip=tip, status="answered", by=reviewer if n else editor)
    client = login(editor)
    # session, user, the user's group permissions (twice: the list and its filters ask), the count of all tips
    # and of the filtered ones, the page of tips with their claims and triagers, the date range and the days
    # of the date hierarchy
    with django_assert_num_queries(9):
        response = client.get("/admin/tips/tip/")
    assert response.status_code == 200 and published_claim.statement[:20] in response.content.decode()


def test_the_admin_home_adds_one_query_for_the_count(login, editor, django_assert_num_queries):
    submit()
    submit()
    client = login(editor)
    # session, user, the user's group permissions (twice), the count of new tips, the recent actions
    with django_assert_num_queries(6):
        assert client.get("/admin/").status_code == 200
