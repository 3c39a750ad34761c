"""Claim statuses are listed once, on the model (``Claim.Status``); every place that shows one derives from it.

A status added to the model without its Indonesian wording or its colour on the newsroom's badge fails here.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from factcheck.claims.labels import choice_label
from factcheck.claims.models import PUBLIC_CLAIM, Claim
from factcheck.web.reader import status_label

STATUSES = list(Claim.Status)
ADMIN_CSS = Path(settings.BASE_DIR, "static", "css", "admin_claims.css").read_text()


@pytest.mark.parametrize("status", STATUSES, ids=str)
def test_every_status_has_indonesian_words_for_the_newsroom_and_for_readers(status):
    with translation.override("en"):
        english = (choice_label(status.label), status.reader_label)
    with translation.override("id"):
        indonesian = (choice_label(status.label), status.reader_label)

    assert all(indonesian), status
    assert indonesian[0] != english[0] and indonesian[1] != english[1], f"{status}: no Indonesian in django.po"


@pytest.mark.parametrize("status", STATUSES, ids=str)
def test_every_status_has_a_colour_on_the_newsroom_badge(status):
    assert re.search(rf"\.claim-status-{status.value}\s*\{{[^}}]*background:", ADMIN_CSS), status


def test_readers_see_a_dismissed_claim_as_not_checkable_and_the_rest_by_their_newsroom_names():
    with translation.override("en"):
        shown = {status.value: status_label(status.value) for status in STATUSES}

    assert shown == {
        "draft": "Draft",
        "researching": "Researching",
        "in_review": "In review",
        "published": "Published",
        "retracted": "Retracted",
        "dismissed": "Not checkable",
    }


def test_readers_see_a_status_in_their_language_and_an_unknown_one_as_stored():
    with translation.override("id"):
        assert status_label("dismissed") == "Tidak dapat diperiksa"
        assert status_label("published") == "Diterbitkan"
        assert status_label("archived") == "archived"


def test_the_database_condition_for_public_claims_names_exactly_the_public_statuses():
    (lookup, values), *rest = PUBLIC_CLAIM.children

    assert not rest and lookup == "status__in"
    assert sorted(values) == sorted(Claim.PUBLIC_STATUSES)
