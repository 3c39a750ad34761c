"""The claims tests call the services directly and read their refusals in English."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def refusals_in_english():
    """Outside a request the active language is the site's (Indonesian); these tests read the English texts.

    A request made through the test client still follows its own URL or Accept-Language.
    """
    with translation.override("en"):
        yield
