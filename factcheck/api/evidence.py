"""A claim's evidence links: add, read, edit and remove one. Each write raises the claim's version,
so it needs the version the client read and answers with the claim and its new ETag.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView

from factcheck.claims import services
from factcheck.claims.models import Evidence
from factcheck.lib.digits import is_ascii_digits

from . import serializers as s
from .claim_reads import visible_claims
from .claim_writes import expected_version, written_claim_response
from .conditional import conditional_response, digest_etag
from .docs import IF_MATCH, IF_NONE_MATCH, NOT_MODIFIED, errors
from .lookups import object_or_404


class EvidenceListView(GenericAPIView):
    serializer_class = s.EvidenceWriteSerializer

    @extend_schema(
        operation_id="evidence_create",
        summary="Add evidence to a claim (editors and reviewers)",
        description="Raises the claim's version. Send the claim's version (If-Match or `version`).",
        parameters=[IF_MATCH],
        request=s.EvidenceWriteSerializer,
        responses={
            201: OpenApiResponse(s.ClaimSerializer, description="The claim with the new evidence, with its new ETag."),
            **errors(400, 401, 403, 404, 409, 412, 428),
        },
    )
    def post(self, request, pk: int):
        claim = object_or_404(visible_claims(request.user), pk, "Claim")
        serializer = s.EvidenceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = expected_version(request, claim.pk, fields.pop("version", None))
        return written_claim_response(
            request,
            claim.pk,
            lambda: services.evidence_add(claim=claim.pk, by=request.user, expected_version=version, **fields),
            status_code=status.HTTP_201_CREATED,
        )


class EvidenceDetailView(GenericAPIView):
    serializer_class = s.EvidenceSerializer

    def get_evidence(self, pk: int, evidence_pk: int) -> Evidence:
        claim = object_or_404(visible_claims(self.request.user), pk, "Claim")
        return object_or_404(Evidence.objects.filter(claim=claim), evidence_pk, "Evidence")

    @extend_schema(
        operation_id="evidence_retrieve",
        summary="One evidence link of a claim",
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(s.EvidenceSerializer, description="The evidence link."),
            **NOT_MODIFIED,
            **errors(401, 404),
        },
    )
    def get(self, request, pk: int, evidence_pk: int):
        evidence = self.get_evidence(pk, evidence_pk)
        data = s.EvidenceSerializer(evidence).data
        return conditional_response(request, data, etag=digest_etag("evidence", [*data.values()]))

    @extend_schema(
        operation_id="evidence_partial_update",
        summary="Edit evidence (editors and reviewers)",
        description="Raises the claim's version. Send the claim's version (If-Match or `version`).",
        parameters=[IF_MATCH],
        request=s.EvidenceUpdateSerializer,
        responses={
            200: OpenApiResponse(
                s.ClaimSerializer, description="The claim with the edited evidence, with its new ETag."
            ),
            **errors(400, 401, 403, 404, 409, 412, 428),
        },
    )
    def patch(self, request, pk: int, evidence_pk: int):
        evidence = self.get_evidence(pk, evidence_pk)
        serializer = s.EvidenceUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = expected_version(request, evidence.claim_id, changes.pop("version", None))
        return written_claim_response(
            request,
            evidence.claim_id,
            lambda: services.evidence_update(
                evidence=evidence.pk, by=request.user, expected_version=version, changes=changes
            ),
        )

    @extend_schema(
        operation_id="evidence_destroy",
        summary="Remove evidence (editors and reviewers)",
        description="Raises the claim's version. Send the claim's version as If-Match or `?version=`.",
        parameters=[IF_MATCH, OpenApiParameter("version", OpenApiTypes.INT, description="The claim's version.")],
        responses={
            200: OpenApiResponse(
                s.ClaimSerializer, description="The claim without the removed evidence, with its new ETag."
            ),
            **errors(400, 401, 403, 404, 409, 412, 428),
        },
    )
    def delete(self, request, pk: int, evidence_pk: int):
        evidence = self.get_evidence(pk, evidence_pk)
        raw = request.query_params.get("version")
        if raw is not None and not (is_ascii_digits(raw) and 1 <= int(raw) <= s.MAX_INT):
            raise ValidationError({"version": [_("A valid integer is required.")]})
        version = expected_version(request, evidence.claim_id, int(raw) if raw else None)
        return written_claim_response(
            request,
            evidence.claim_id,
            lambda: services.evidence_remove(evidence=evidence.pk, by=request.user, expected_version=version),
        )
