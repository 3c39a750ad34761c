"""The API answers in English unless the client asks for another language; the site keeps its URL language."""


def malformed_json(editor_client, **headers):
    return editor_client.generic("POST", "/api/v1/claims/", "{not json", content_type="application/json", **headers)


def test_api_errors_are_in_english_by_default(editor_client):
    response = malformed_json(editor_client)

    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    assert response.json()["detail"].startswith("JSON parse error")


def test_api_errors_follow_accept_language(editor_client):
    response = malformed_json(editor_client, HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 400
    assert response["Content-Language"] == "id"


def test_the_public_site_keeps_its_url_language(client, db):
    assert client.get("/", headers={"Accept-Language": "en"})["Content-Language"] == "id"
    assert client.get("/en/")["Content-Language"] == "en"
