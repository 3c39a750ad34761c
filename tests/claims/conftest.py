"""The claims tests call the services directly and read their refusals in English."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.conftest import shared_rows


@pytest.fixture(autouse=True)
def refusals_in_english():
    """Outside a request the active language is the site's (Indonesian); these tests read the English texts.

    A request made through the test client still follows its own URL or Accept-Language.
    """
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def demo_loaded(request, django_db_blocker) -> str:
    """`load_demo` run once for the module that asks (tests/conftest.py: shared_rows); what it printed.

    A test using it asks for ``db`` too: its own writes are rolled back to the demo after it.
    """
    with shared_rows(request, django_db_blocker) as rows_made_here:
        with rows_made_here(), translation.override("en"):
            out = io.StringIO()
            call_command("load_demo", stdout=out)
        yield out.getvalue()
