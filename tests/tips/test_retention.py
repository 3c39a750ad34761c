"""Retention: what readers wrote is wiped after settings.TIP_RETENTION_DAYS by `manage.py anonymise_tips`."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from factcheck.tips.models import Tip
from factcheck.tips.services import tip_set_status, tip_submit

pytestmark = pytest.mark.django_db


def tip_received(days_ago: float, **extra) -> Tip:
    with time_machine.travel(timezone.now() - datetime.timedelta(days=days_ago)):
        return tip_submit(
            kind="claim",
            text=f"Pesan {days_ago} hari lalu",
            link="https://example.org/x",
            contact="saya@example.org",
            consent=True,
            language="id",
            **extra,
        )


def test_tips_older_than_the_retention_period_are_anonymised(settings, capsys, editor):
    settings.TIP_RETENTION_DAYS = 180
    old = tip_set_status(tip=tip_received(181), status="answered", by=editor, note="Dijawab ke saya@example.org")
    kept = tip_received(179)
    call_command("anonymise_tips")
    out = capsys.readouterr().out
    assert "Anonymised 1 tip(s)" in out and "(retention 180 days)" in out
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.text, old.link, old.contact, old.editor_note) == ("", "", "", "")
    assert old.anonymised_at is not None
    # What the newsroom needs to account for it stays.
    assert (old.reference, old.status, old.status_changed_by, old.kind) == (old.reference, "answered", editor, "claim")
    assert (kept.text, kept.contact, kept.anonymised_at) == ("Pesan 179 hari lalu", "saya@example.org", None)


def test_the_command_reports_and_is_idempotent(settings, capsys):
    settings.TIP_RETENTION_DAYS = 30
    tip_received(31)
    tip_received(45)
    call_command("anonymise_tips")
    assert "Anonymised 2 tip(s)" in capsys.readouterr().out
    call_command("anonymise_tips")
    assert "Anonymised 0 tip(s)" in capsys.readouterr().out
    assert Tip.objects.filter(anonymised_at__isnull=False).count() == 2


def test_the_retention_period_is_a_setting():
    from django.conf import settings

    assert settings.TIP_RETENTION_DAYS == 180  # the default, documented in docs/tips.md
