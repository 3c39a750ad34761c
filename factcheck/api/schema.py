"""OpenAPI description of the API key authentication (drf-spectacular extension, loaded by the app config)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "factcheck.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Api-Key <key>`: a partner's key (read-only, webhooks) or an editor's or reviewer's own key."
            ),
        }


class QueryKeyScheme(OpenApiAuthenticationExtension):
    target_class = "factcheck.api.authentication.QueryKeyAuthentication"
    name = "GoogleApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "query",
            "name": "key",
            "description": (
                "claims:search only: a partner's key as the `key` query parameter, where Google's client libraries "
                "send the API key. An invalid key is a 400 INVALID_ARGUMENT, as at Google."
            ),
        }


PATH_PARAMETERS = {
    "id": "The id of the {what}.",
    "evidence_pk": "The id of the evidence link (of this claim).",
    "delivery_pk": "The id of the delivery (of this endpoint), as the delivery log shows it.",
}


def describe_path_parameters(result, generator, request, public):
    """Name what each path id refers to (drf-spectacular leaves path parameters undescribed)."""
    for path, item in result.get("paths", {}).items():
        what = path.removeprefix("/api/v1/").split("/")[0].rstrip("s") or "object"
        what = {"claim": "claim", "article": "article", "webhook": "webhook endpoint"}.get(what, what)
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("description"):
                    continue
                if parameter["in"] == "path":
                    parameter["description"] = PATH_PARAMETERS.get(parameter["name"], "An id.").format(what=what)
                elif parameter["name"] == "format":
                    parameter["description"] = "jsonld (default) answers application/ld+json; json application/json."
    return result


def close_request_bodies(result, generator, request, public):
    """Request bodies refuse unknown fields (StrictSerializer): say so with additionalProperties: false.

    Without it the schema promised that any extra field is accepted, and generated clients (and the
    fuzzer) sent bodies the API refuses with 400.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result


def document_body_limit(result, generator, request, public):
    """Every operation that takes a body may answer 413 when it is over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    from django.conf import settings

    for item in result.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["responses"]["413"] = {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    "description": f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes.",
                }
    return result
