"""The public name of a staff member, set in the admin and shown in bylines."""

from factcheck.people.models import StaffProfile, public_name


def test_a_superuser_sets_a_display_name_in_the_admin(client, superuser, editor):
    client.force_login(superuser)
    assert client.get("/admin/people/staffprofile/add/").status_code == 200

    response = client.post("/admin/people/staffprofile/add/", {"user": editor.pk, "display_name": "Dewi Lestari"})

    assert response.status_code == 302
    assert StaffProfile.objects.get(user=editor).display_name == "Dewi Lestari"


def test_a_display_name_is_required(client, superuser, editor):
    client.force_login(superuser)
    response = client.post("/admin/people/staffprofile/add/", {"user": editor.pk, "display_name": ""})
    assert response.status_code == 200
    # The admin speaks Indonesian.
    assert response.context["adminform"].form.errors["display_name"] == ["Bidang ini harus diisi."]
    assert not StaffProfile.objects.exists()


def test_the_public_name_is_the_display_name_else_the_full_name_never_the_username(editor, reviewer, outsider):
    StaffProfile.objects.create(user=editor, display_name="Dewi Lestari")
    outsider.first_name = ""
    outsider.save()

    assert public_name(editor) == "Dewi Lestari"
    assert public_name(reviewer) == "Reviewer"  # first name from the fixture, no last name
    assert public_name(outsider) == ""
    assert public_name(None) == ""
