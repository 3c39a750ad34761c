"""Tracking parameters (utm_*, fbclid, ...) do not make another page: the answer, its links and its
validators are those of the address without them (factcheck.middleware.StripTrackingParametersMiddleware).
That they share one entry of the HTTP cache in front is tested there (tests/edge/test_varnish.py)."""

from factcheck.middleware import normal_query_string


def test_the_query_string_loses_tracking_parameters_and_is_sorted():
    assert normal_query_string("utm_source=a&page=2&UTM_Medium=b&fbclid=c&q=x") == "page=2&q=x"
    assert normal_query_string("rating=true&q=asem&gclid") == "q=asem&rating=true"
    assert normal_query_string("utmost=1&fbclidx=2") == "fbclidx=2&utmost=1"  # look-alikes are kept
    assert normal_query_string("utm%5Fsource=a") == ""  # percent-encoded names too


def test_a_tracked_address_is_the_same_page_with_the_same_validators(client, two_public_claims):
    claim = two_public_claims[0]
    path = f"/claims/{claim.slug}/"
    tracked = client.get(path + "?utm_source=newsletter&fbclid=abc")
    assert tracked.status_code == 200
    assert b"utm_source" not in tracked.content and b"fbclid" not in tracked.content  # nor in its links
    plain = client.get(path)
    other = client.get(path + "?gclid=x")
    assert plain.content == tracked.content == other.content and plain["ETag"] == tracked["ETag"] == other["ETag"]
    assert client.get(path + "?utm_source=x", headers={"If-None-Match": plain["ETag"]}).status_code == 304


def test_real_parameters_stay_and_their_order_does_not_matter(client, two_public_claims):
    first = client.get("/search/?q=asem&rating=true&utm_campaign=x")
    second = client.get("/search/?rating=true&q=asem")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first["ETag"] == second["ETag"]
    assert client.get("/search/?q=lain").content != first.content
