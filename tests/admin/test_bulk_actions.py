"""Bulk actions: send to review, publish (each claim checked like a single publication), assign a researcher;
each refuses a claim changed since the list was shown."""

import re

from factcheck.claims import services
from factcheck.claims.models import Claim

from .conftest import change_url, messages_of, transition_url

LIST_URL = "/admin/claims/claim/"
VERSION_INPUT = re.compile(r'<input type="hidden" name="_version_(\d+)" value="(\d*)">')


def versions_on(html: str) -> dict[int, str]:
    """The version each row of a list (or a confirmation page) carries, by claim id."""
    return {int(pk): version for pk, version in VERSION_INPUT.findall(html)}


def open_list(client) -> dict[int, str]:
    """Open the claim list as a reviewer would, and return the versions it shows."""
    return versions_on(client.get(LIST_URL).content.decode())


def act(client, action: str, claims, *, shown: dict[int, str] | None = None, **extra):
    """Select ``claims`` on the list and run ``action``; ``shown`` is the list on screen (opened now if None)."""
    shown = open_list(client) if shown is None else shown
    versions = {f"_version_{c.pk}": shown[c.pk] for c in claims if c.pk in shown}
    data = {"action": action, "_selected_action": [c.pk for c in claims], **versions, **extra}
    return client.post(LIST_URL, data, follow=True)


def status_of(claim) -> str:
    return Claim.objects.values_list("status", flat=True).get(pk=claim.pk)


def test_send_to_review_reports_each_refusal(login, editor, researched_claim, draft_claim_2):
    response = act(login(editor), "send_to_review", [researched_claim, draft_claim_2])
    assert status_of(researched_claim) == "in_review"
    assert status_of(draft_claim_2) == "draft"
    texts = messages_of(response)
    assert any(t.startswith("Sent to review 1 claim(s):") and str(researched_claim) in t for t in texts)
    assert any(
        t.startswith(f"«{draft_claim_2}» was refused:") and "cannot go from draft to in_review" in t for t in texts
    )


def test_bulk_publish_checks_each_claim_like_single_publishing(login, reviewer, in_review_claim, own_in_review):
    response = act(login(reviewer), "publish_selected", [in_review_claim, own_in_review])
    assert status_of(in_review_claim) == "published"
    assert status_of(own_in_review) == "in_review"
    texts = messages_of(response)
    assert any(t.startswith("Published 1 claim(s):") for t in texts)
    assert any(t.startswith(f"«{own_in_review}» was refused: Four-eyes rule") for t in texts)
    record = Claim.history.filter(id=in_review_claim.pk).latest("history_date")
    assert record.history_user == reviewer and record.history_change_reason == "Published"


def test_bulk_publish_refuses_unready_and_wrong_status_claims(login, reviewer, researched_claim, published_claim_2):
    response = act(login(reviewer), "publish_selected", [researched_claim, published_claim_2])
    texts = messages_of(response)
    assert any("cannot go from researching to published" in t for t in texts)
    assert any("cannot go from published to published" in t for t in texts)


def test_editors_are_not_offered_bulk_publishing(login, editor, in_review_claim):
    client = login(editor)
    html = client.get(LIST_URL).content.decode()
    assert 'value="publish_selected"' not in html and 'value="send_to_review"' in html
    act(client, "publish_selected", [in_review_claim])
    assert status_of(in_review_claim) == "in_review"


def test_assign_researcher_asks_whom_then_assigns_through_the_service(
    login, editor, editor2, draft_claim_2, published_claim
):
    client = login(editor)
    page = client.post(
        LIST_URL, {"action": "assign_researcher", "_selected_action": [draft_claim_2.pk, published_claim.pk]}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Assign a researcher to these claims" in html and 'name="researcher"' in html
    response = act(client, "assign_researcher", [draft_claim_2, published_claim], researcher=editor2.pk, apply="Assign")
    draft_claim_2.refresh_from_db()
    assert draft_claim_2.researcher == editor2
    assert Claim.objects.get(pk=published_claim.pk).researcher != editor2
    record = draft_claim_2.history.latest("history_date")
    assert record.history_user == editor and record.history_change_reason == "Researcher assigned: Editor2"
    texts = messages_of(response)
    assert any(t.startswith("Assigned the researcher to 1 claim(s)") for t in texts)
    assert any(t.startswith(f"«{published_claim}» was refused:") and "cannot change" in t for t in texts)


def test_assign_researcher_refuses_someone_who_cannot_research(login, editor, outsider, draft_claim_2):
    client = login(editor)
    response = act(client, "assign_researcher", [draft_claim_2], researcher=outsider.pk, apply="Assign")
    assert "researcher" in response.context["form"].errors
    draft_claim_2.refresh_from_db()
    assert draft_claim_2.researcher is None


# --- the versions the list showed ---------------------------------------------------------


def test_the_list_carries_each_rows_version_inside_its_form(login, reviewer, in_review_claim, draft_claim_2):
    html = login(reviewer).get(LIST_URL).content.decode()
    form = html[html.index('id="changelist-form"') : html.index("</form>", html.index('id="changelist-form"'))]
    assert versions_on(form) == {in_review_claim.pk: str(in_review_claim.version), draft_claim_2.pk: "1"}


def test_bulk_publish_refuses_a_verdict_changed_since_the_list_was_shown(login, reviewer, editor2, in_review_claim):
    client = login(reviewer)
    shown = open_list(client)
    services.claim_update(
        claim=in_review_claim,
        by=editor2,
        expected_version=in_review_claim.version,
        changes={"rating": "false", "verdict": "Keliru: diubah setelah daftar dibuka."},
    )

    response = act(client, "publish_selected", [in_review_claim], shown=shown)

    claim = Claim.objects.get(pk=in_review_claim.pk)
    assert (claim.status, claim.rating.key, claim.version) == ("in_review", "false", in_review_claim.version + 1)
    [text] = messages_of(response)
    assert text.startswith(f"«{claim}» was refused: it was changed by Editor2 at ")
    assert f"since the list was shown (you saw version {in_review_claim.version}, it is now at version " in text
    assert "Reload the list" in text


def test_bulk_publish_with_the_version_now_shown_publishes_the_changed_verdict(
    login, reviewer, editor2, in_review_claim
):
    client = login(reviewer)
    services.claim_update(
        claim=in_review_claim, by=editor2, expected_version=in_review_claim.version, changes={"rating": "false"}
    )

    response = act(client, "publish_selected", [in_review_claim], shown=open_list(client))

    claim = Claim.objects.get(pk=in_review_claim.pk)
    assert (claim.status, claim.rating.key) == ("published", "false")
    assert any(t.startswith("Published 1 claim(s):") for t in messages_of(response))


def test_a_bulk_action_without_the_versions_of_the_list_is_refused_asking_to_reload_it(
    login, reviewer, in_review_claim
):
    response = act(login(reviewer), "publish_selected", [in_review_claim], shown={})

    assert status_of(in_review_claim) == "in_review"
    assert messages_of(response) == [
        f"«{in_review_claim}» was refused: The list did not say which version of this claim you saw; "
        "reload the list and select it again."
    ]


def test_send_to_review_refuses_a_claim_changed_since_the_list_was_shown(login, editor, editor2, researched_claim):
    client = login(editor)
    shown = open_list(client)
    services.claim_update(
        claim=researched_claim, by=editor2, expected_version=researched_claim.version, changes={"claimant": "Kemlu"}
    )

    response = act(client, "send_to_review", [researched_claim], shown=shown)

    assert status_of(researched_claim) == "researching"
    assert any("changed by Editor2 at " in t and "since the list was shown" in t for t in messages_of(response))


def test_assign_researcher_keeps_the_versions_of_the_list_through_its_confirmation(
    login, editor, editor2, draft_claim_2
):
    client = login(editor)
    shown = open_list(client)
    page = client.post(
        LIST_URL,
        {
            "action": "assign_researcher",
            "_selected_action": [draft_claim_2.pk],
            **{f"_version_{draft_claim_2.pk}": shown[draft_claim_2.pk]},
        },
    )
    assert versions_on(page.content.decode()) == {draft_claim_2.pk: shown[draft_claim_2.pk]}
    services.claim_update(claim=draft_claim_2, by=editor2, expected_version=1, changes={"claimant": "Kemlu"})

    response = act(client, "assign_researcher", [draft_claim_2], shown=shown, researcher=editor2.pk, apply="Assign")

    assert Claim.objects.get(pk=draft_claim_2.pk).researcher is None
    assert any("since the list was shown" in t for t in messages_of(response))


def test_assign_researcher_bulk_action_does_not_change_authorship(login, reviewer, reviewer2, researched_claim):
    claim = services.claim_update(
        claim=researched_claim,
        by=reviewer,
        expected_version=researched_claim.version,
        changes={"verdict": "Benar: KTT pertama ASEM di Bangkok, 1996."},
    )
    client = login(reviewer)
    response = act(client, "assign_researcher", [claim], researcher=reviewer2.pk, apply="Assign")
    assert any(t.startswith("Assigned the researcher to 1 claim(s)") for t in messages_of(response))
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.researcher == reviewer2
    claim = services.claim_update(
        claim=claim, by=reviewer2, expected_version=claim.version, changes={"claimant": "Penulis artikel"}
    )
    claim = services.claim_send_to_review(claim=claim, by=reviewer2)
    assert (claim.researcher, claim.last_edited_by) == (reviewer2, reviewer2)

    html = client.get(change_url(claim)).content.decode()
    assert ">Publish</button>" not in html
    assert "Four-eyes rule: you wrote part of what would be made public" in html
    response = client.post(transition_url(claim, "published"), {"version": claim.version, "note": ""}, follow=True)
    assert status_of(claim) == "in_review"
    assert any(
        m.startswith("Four-eyes rule: you wrote part of what would be made public") for m in messages_of(response)
    )
