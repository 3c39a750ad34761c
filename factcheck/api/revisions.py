"""Corrections and retractions through the API: propose a revision, approve, reject or withdraw it.

Newsroom only (editors and reviewers); the public and partners never see a pending revision.
The rules are the services' (``factcheck.claims.revisions``), exactly as in the admin.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from factcheck.claims import revisions
from factcheck.claims.models import Claim, Revision

from . import serializers as s
from .authentication import request_partner
from .claim_writes import expected_version, written_claim_response
from .conditional import conditional_response, digest_etag
from .docs import IF_MATCH, IF_NONE_MATCH, NOT_MODIFIED, errors
from .lookups import object_or_404
from .permissions import is_newsroom


class NewsroomOnly(BasePermission):
    """Pending revisions are the newsroom's: editors and reviewers, reading or writing."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            raise NotAuthenticated(_("Revisions are the newsroom's: sign in or use an editor's or reviewer's key."))
        if request_partner(request) or not is_newsroom(request.user):
            raise PermissionDenied(_("Only editors and reviewers see and propose revisions."))
        return True


def revision_data(revision: Revision) -> dict:
    return s.RevisionSerializer(revision).data


class RevisionListView(GenericAPIView):
    serializer_class = s.RevisionSerializer
    permission_classes = [NewsroomOnly]
    queryset = Revision.objects.none()  # for the schema; the view reads one claim's revisions

    @extend_schema(
        operation_id="claim_revisions_list",
        summary="The revisions of a claim, newest first (editors and reviewers)",
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(s.RevisionListSerializer, description="Its revisions, pending and decided."),
            **NOT_MODIFIED,
            **errors(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        claim = object_or_404(Claim.objects.all(), pk, "Claim")
        rows = claim.revisions.select_related("proposed_by", "decided_by")
        data = {"results": [revision_data(r) for r in rows]}
        return conditional_response(
            request, data, etag=digest_etag("revisions", [claim.pk, *map(repr, data["results"])])
        )

    @extend_schema(
        operation_id="claim_revisions_propose",
        summary="Propose a correction or a retraction of a claim readers see (editors and reviewers)",
        description=(
            "Nothing public changes: the revision waits until a reviewer who wrote none of it approves it. "
            "`changes` holds the claim fields that change; `evidence` the whole new list of sources (each "
            "existing one by `id`; omit `evidence` to keep them). Send the claim's version (If-Match or "
            "`version`)."
        ),
        parameters=[IF_MATCH],
        request=s.RevisionProposeSerializer,
        responses={
            201: OpenApiResponse(s.RevisionSerializer, description="The pending revision; nothing public changed."),
            **errors(400, 401, 403, 404, 409, 412, 428),
        },
    )
    def post(self, request, pk: int):
        claim = object_or_404(Claim.objects.all(), pk, "Claim")
        serializer = s.RevisionProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        revision = revisions.revision_propose(
            claim=claim.pk,
            by=request.user,
            expected_version=expected_version(request, claim.pk, data.get("version")),
            kind=data["kind"],
            changes=dict(data.get("changes") or {}),
            evidence=[dict(entry) for entry in data["evidence"]] if data.get("evidence") is not None else None,
            note=data["note"],
            note_en=data["note_en"],
        )
        return Response(revision_data(revision), status=status.HTTP_201_CREATED)


DECISIONS = {
    "approve": revisions.revision_approve,
    "reject": revisions.revision_reject,
    "withdraw": revisions.revision_withdraw,
}


DECISION_SUMMARIES = {
    "approve": "Approve a pending revision: it goes live (a reviewer who did not propose it)",
    "reject": "Reject a pending revision, saying why in `note` (reviewers); the live version stays",
    "withdraw": "Withdraw a pending revision (its author)",
}


class RevisionDecisionView(GenericAPIView):
    serializer_class = s.RevisionDecisionSerializer
    permission_classes = [NewsroomOnly]
    queryset = Revision.objects.none()  # for the schema

    def post(self, request, pk: int, revision_pk: int, decision: str):
        claim = object_or_404(Claim.objects.all(), pk, "Claim")
        revision = object_or_404(claim.revisions.all(), revision_pk, "Revision")
        serializer = s.RevisionDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = serializer.validated_data["note"]
        return written_claim_response(
            request, claim.pk, lambda: DECISIONS[decision](revision=revision.pk, by=request.user, note=note)
        )


def decision_view(decision: str):
    """One view per decision, each with its own operation in the OpenAPI schema."""
    schema = extend_schema(
        operation_id=f"claim_revisions_{decision}",
        summary=DECISION_SUMMARIES[decision],
        request=s.RevisionDecisionSerializer,
        responses={
            200: OpenApiResponse(s.ClaimSerializer, description="The claim as it is now, with its ETag."),
            **errors(400, 401, 403, 404, 409),
        },
    )

    def post(self, request, pk: int, revision_pk: int, decision: str):
        return RevisionDecisionView.post(self, request, pk, revision_pk, decision)

    view = type(f"Revision{decision.title()}View", (RevisionDecisionView,), {"post": schema(post)})
    return view.as_view()
