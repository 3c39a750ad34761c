"""The admin login cannot be guessed at speed: repeated failures lock the username for that address."""

from django.test import override_settings

LOGIN = "/admin/login/"


def attempt(client, username: str, password: str, ip: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_after_repeated_failures_even_the_right_password_is_refused(client, editor):
    for _ in range(3):
        assert attempt(client, "editor", "wrong").status_code in (200, 429)

    response = attempt(client, "editor", "pass-for-tests")

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_lock_out_does_not_block_the_same_user_from_another_address(client, editor):
    for _ in range(3):
        attempt(client, "editor", "wrong", ip="203.0.113.7")

    response = attempt(client, "editor", "pass-for-tests", ip="198.51.100.20")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_correct_login_after_few_failures_works(client, editor):
    attempt(client, "editor", "wrong")

    response = attempt(client, "editor", "pass-for-tests")

    assert response.status_code == 302
