"""The newsroom's people as readers see them: the public name in a fact-check's byline."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models


class StaffProfile(models.Model):
    """A staff member's public face: the name shown in bylines (researched by, reviewed by)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile")
    display_name = models.CharField(
        max_length=120,
        help_text="The name readers see in the byline of the fact-checks this person researched or reviewed.",
    )

    class Meta:
        verbose_name = "staff profile"

    def __str__(self) -> str:
        return self.display_name


def fields_public_name_skips(relation: str) -> list[str]:
    """The fields of the user at ``relation`` (``"researcher"``) that ``public_name`` does not read, as
    ``defer()`` takes them: a reader page loads a byline's names, not a login's password hash or email."""
    user_model = get_user_model()
    read = {user_model._meta.pk.name, "first_name", "last_name"}  # get_full_name()'s
    return [f"{relation}__{field.name}" for field in user_model._meta.concrete_fields if field.name not in read]


def public_name(user: AbstractBaseUser | None) -> str:
    """The name readers see for ``user``: the profile's display name, else the full name, else ''.

    Never the username, which is a login. Read ``user`` with ``select_related("…__staff_profile")``.
    """
    if user is None:
        return ""
    try:
        return user.staff_profile.display_name
    except StaffProfile.DoesNotExist:
        return user.get_full_name()
