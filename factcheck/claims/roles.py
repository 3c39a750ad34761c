"""The newsroom roles as auth groups, created idempotently.

Editors create and research claims and evidence and send them to review;
reviewers also publish, correct and retract. Only superusers delete a
published or retracted claim (``services.claim_delete``).
"""

from django.contrib.auth.models import Group, Permission

# The apps whose permissions the roles hold (codenames are unique across them).
ROLE_APPS = ("claims", "tips")

EDITORS = "Editors"
REVIEWERS = "Reviewers"

EDITOR_PERMISSIONS = [
    "view_article",
    "add_article",
    "change_article",
    "view_claim",
    "add_claim",
    "change_claim",
    "delete_claim",
    "view_evidence",
    "add_evidence",
    "change_evidence",
    "delete_evidence",
    "view_rating",
    "view_correction",
    # Reader tips and correction requests (factcheck/tips): read and triage.
    "view_tip",
    "change_tip",
]
REVIEWER_PERMISSIONS = EDITOR_PERMISSIONS + ["publish_claim", "correct_claim", "retract_claim"]


def ensure_roles(using: str = "default") -> dict[str, Group]:
    """Create or update the Editors and Reviewers groups with exactly their permissions."""
    groups = {}
    for name, codenames in ((EDITORS, EDITOR_PERMISSIONS), (REVIEWERS, REVIEWER_PERMISSIONS)):
        group, _ = Group.objects.using(using).get_or_create(name=name)
        permissions = list(
            Permission.objects.using(using).filter(content_type__app_label__in=ROLE_APPS, codename__in=codenames)
        )
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions missing (run migrate first): {', '.join(sorted(missing))}")
        group.permissions.set(permissions)
        groups[name] = group
    return groups
