"""A partner's webhooks: its endpoints (list, register, read, change, remove), their delivery logs, and
the tools to test them (ping, redeliver, rotate the signing secret), throttled tighter than the reads.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.settings import api_settings

from factcheck.partners import services as partner_services
from factcheck.partners.models import WebhookDelivery, WebhookEndpoint

from . import serializers as s
from .authentication import request_partner
from .conditional import conditional_response, digest_etag
from .docs import CURSOR, IF_NONE_MATCH, NOT_MODIFIED, PAGE_SIZE, errors
from .lookups import object_or_404
from .pagination import KeysetPaginator
from .permissions import PartnerOnly
from .throttles import WebhookToolsThrottle


def endpoint_data(endpoint: WebhookEndpoint) -> dict:
    return dict(s.WebhookEndpointSerializer(endpoint).data)


class WebhookEndpointListView(GenericAPIView):
    permission_classes = [PartnerOnly]
    serializer_class = s.WebhookEndpointSerializer

    @extend_schema(
        operation_id="webhooks_list",
        summary="Your webhook endpoints (partner key)",
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(s.WebhookEndpointListSerializer, description="Your endpoints."),
            **NOT_MODIFIED,
            **errors(401, 403),
        },
    )
    def get(self, request):
        endpoints = WebhookEndpoint.objects.filter(partner=request_partner(request))
        data = {"results": [endpoint_data(e) for e in endpoints]}
        return conditional_response(
            request, data, etag=digest_etag("webhooks", [v for e in data["results"] for v in e.values()])
        )

    @extend_schema(
        operation_id="webhooks_create",
        summary="Register a webhook endpoint (partner key)",
        description="The response carries the endpoint's signing `secret`, shown only this once.",
        request=s.WebhookEndpointSerializer,
        responses={
            201: OpenApiResponse(
                s.WebhookEndpointCreatedSerializer,
                description="The new endpoint and its signing secret (shown only now).",
            ),
            **errors(400, 401, 403),
        },
    )
    def post(self, request):
        serializer = s.WebhookEndpointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        endpoint = partner_services.webhook_endpoint_create(
            partner=request_partner(request),
            url=data["url"],
            events=data["events"],
            description=data.get("description", ""),
        )
        if data.get("is_active") is False:
            endpoint = partner_services.webhook_endpoint_update(endpoint=endpoint, changes={"is_active": False})
        body = {**endpoint_data(endpoint), "secret": endpoint.secret}
        return Response(
            body, status=status.HTTP_201_CREATED, headers={"Location": s.api_url(f"webhooks/{endpoint.pk}/")}
        )


class WebhookEndpointDetailView(GenericAPIView):
    permission_classes = [PartnerOnly]
    serializer_class = s.WebhookEndpointSerializer

    def get_endpoint(self, pk: int) -> WebhookEndpoint:
        return object_or_404(WebhookEndpoint.objects.filter(partner=request_partner(self.request)), pk, "Endpoint")

    @extend_schema(
        operation_id="webhooks_retrieve",
        summary="A webhook endpoint (partner key)",
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(s.WebhookEndpointSerializer, description="The endpoint."),
            **NOT_MODIFIED,
            **errors(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        data = endpoint_data(self.get_endpoint(pk))
        return conditional_response(request, data, etag=digest_etag("webhook", data.values()))

    @extend_schema(
        operation_id="webhooks_partial_update",
        summary="Change a webhook endpoint (partner key)",
        request=s.WebhookEndpointUpdateSerializer,
        responses={
            200: OpenApiResponse(s.WebhookEndpointSerializer, description="The endpoint as it is now."),
            **errors(400, 401, 403, 404),
        },
    )
    def patch(self, request, pk: int):
        endpoint = self.get_endpoint(pk)
        serializer = s.WebhookEndpointUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = partner_services.webhook_endpoint_update(endpoint=endpoint, changes=dict(serializer.validated_data))
        return Response(endpoint_data(endpoint))

    @extend_schema(
        operation_id="webhooks_destroy",
        summary="Remove a webhook endpoint (partner key)",
        responses={204: OpenApiResponse(description="Removed, with its delivery log."), **errors(401, 403, 404)},
    )
    def delete(self, request, pk: int):
        partner_services.webhook_endpoint_delete(endpoint=self.get_endpoint(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListView(GenericAPIView):
    permission_classes = [PartnerOnly]
    serializer_class = s.WebhookDeliverySerializer

    @extend_schema(
        operation_id="webhooks_deliveries",
        summary="The delivery log of an endpoint (partner key)",
        description="Newest first: each event sent, its status, and every attempt (status code, time, error).",
        parameters=[CURSOR, PAGE_SIZE, IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(
                s.WebhookDeliveryListSerializer, description="A page of deliveries, newest first, with their attempts."
            ),
            **NOT_MODIFIED,
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        endpoint = object_or_404(WebhookEndpoint.objects.filter(partner=request_partner(request)), pk, "Endpoint")
        deliveries = (
            WebhookDelivery.objects.filter(endpoint=endpoint).select_related("event").prefetch_related("attempts")
        )
        deliveries = deliveries.defer("event__payload")
        paginator = KeysetPaginator(("created_at", "id"), descending=True)
        rows = paginator.paginate(deliveries, request)
        data = {"next": paginator.next_url(), "results": s.WebhookDeliverySerializer(rows, many=True).data}
        etag = digest_etag(
            "deliveries",
            [request.get_full_path(), paginator.next_cursor, *(f"{d.pk}:{d.status}:{d.attempt_count}" for d in rows)],
        )
        return conditional_response(request, data, etag=etag)


# The partner's own limit, and a tighter one for these three: a ping connects out while the request waits.
WEBHOOK_TOOLS_THROTTLES = [*api_settings.DEFAULT_THROTTLE_CLASSES, WebhookToolsThrottle]


def delivery_data(delivery: WebhookDelivery) -> dict:
    return dict(s.WebhookDeliverySerializer(delivery).data)


class WebhookPingView(GenericAPIView):
    permission_classes = [PartnerOnly]
    throttle_classes = WEBHOOK_TOOLS_THROTTLES
    serializer_class = s.WebhookDeliverySerializer

    @extend_schema(
        operation_id="webhooks_ping",
        summary="Send a test event to an endpoint now (partner key)",
        description=(
            "Delivers a signed `ping` event to the endpoint at once (one attempt, no retries) and answers with "
            "the delivery and its attempt: whether your receiver answered 2xx, or what went wrong. The ping is "
            "also in the delivery log and can be redelivered."
        ),
        request=None,
        responses={
            200: OpenApiResponse(s.WebhookDeliverySerializer, description="The ping's delivery, with its attempt."),
            **errors(401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        endpoint = object_or_404(WebhookEndpoint.objects.filter(partner=request_partner(request)), pk, "Endpoint")
        delivery = partner_services.webhook_ping(endpoint=endpoint)
        return Response(delivery_data(delivery))


class WebhookRedeliverView(GenericAPIView):
    permission_classes = [PartnerOnly]
    throttle_classes = WEBHOOK_TOOLS_THROTTLES
    serializer_class = s.WebhookDeliverySerializer

    @extend_schema(
        operation_id="webhooks_redeliver",
        summary="Send a delivery again (partner key)",
        description=(
            "Queues a delivery that succeeded or gave up once more, with the same event id and body (signed "
            "anew). A delivery still pending is refused with 409: its next attempt is already queued."
        ),
        request=None,
        responses={
            202: OpenApiResponse(s.WebhookDeliverySerializer, description="Queued; the worker sends it shortly."),
            **errors(401, 403, 404),
            409: OpenApiResponse(
                s.ErrorSerializer, description="The delivery is still pending: its next attempt is already queued."
            ),
        },
    )
    def post(self, request, pk: int, delivery_pk: int):
        endpoint = object_or_404(WebhookEndpoint.objects.filter(partner=request_partner(request)), pk, "Endpoint")
        delivery = object_or_404(WebhookDelivery.objects.filter(endpoint=endpoint), delivery_pk, "Delivery")
        delivery = partner_services.webhook_redeliver(delivery=delivery)
        delivery = WebhookDelivery.objects.select_related("event").prefetch_related("attempts").get(pk=delivery.pk)
        return Response(delivery_data(delivery), status=status.HTTP_202_ACCEPTED)


class WebhookRotateSecretView(GenericAPIView):
    permission_classes = [PartnerOnly]
    throttle_classes = WEBHOOK_TOOLS_THROTTLES
    serializer_class = s.WebhookSecretSerializer

    @extend_schema(
        operation_id="webhooks_rotate_secret",
        summary="Replace an endpoint's signing secret (partner key)",
        description=(
            "Returns the new secret, shown only in this response. Until `previous_secret_expires_at` (24 hours) "
            "each delivery is signed with both secrets, so your receiver can switch without losing an event."
        ),
        request=None,
        responses={
            200: OpenApiResponse(s.WebhookSecretSerializer, description="The new secret (shown only now)."),
            **errors(401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        endpoint = object_or_404(WebhookEndpoint.objects.filter(partner=request_partner(request)), pk, "Endpoint")
        endpoint = partner_services.webhook_endpoint_rotate_secret(endpoint=endpoint)
        return Response(s.WebhookSecretSerializer(endpoint).data)
