"""The API's JSON parser: DRF's, plus a clear 400 for JSON nested too deeply to decode."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Python's decoder gives up on very deep nesting (about a thousand levels) with a RecursionError,
            # which DRF does not catch: a 500 for a request body such as "[[[[…]]]]".
            raise ParseError(_("JSON parse error - the body is nested too deeply.")) from None
