"""The OpenAPI description every operation shares: `?lang=` and its error answers."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from common.api.errors import ERROR_RESPONSES, NOT_FOUND_RESPONSE
from common.api.languages import LANG_PARAMETER
from common.api.sync import TombstoneSerializer

GONE_RESPONSE = OpenApiResponse(
    TombstoneSerializer, description="Deleted: the partner should remove it (its tombstone)."
)


class ApiSchema(AutoSchema):
    """Every operation documents `?lang=` and the errors it may answer."""

    def get_override_parameters(self):
        return [LANG_PARAMETER, *super().get_override_parameters()]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERROR_RESPONSES)
        if self.method == "GET" and not self._is_list_view():
            errors.update(NOT_FOUND_RESPONSE)
            if getattr(self.view, "gone_on_detail", False):
                errors[410] = GONE_RESPONSE
        for code, response in errors.items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    response, str(code), ["application/json"], direction
                )
        return responses


# The one value `null`, as OAS 3.0.3 lets a schema allow it (nullable + enum [null]).
NULL_ONLY = {"type": "object", "nullable": True, "enum": [None]}


def oas303_strict(result, generator, request, public):
    """Post-processing hook: forms a strict OAS 3.0.3 validator and generated clients read right.

    - A nullable reference comes out of drf-spectacular as `allOf: [$ref]` with
      `nullable` beside it, which 3.0.3 ignores without a `type`: null was refused.
      It becomes `anyOf: [$ref, null-only]`.
    - An optional e-mail or address is `oneOf: [formatted, maxLength 0]`; `anyOf`
      says the same without making a value that matches both invalid.
    """
    return _rewrite(result)


def _rewrite(node):
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _rewrite(value) for key, value in node.items()}
    all_of = node.get("allOf")
    if (
        node.get("nullable")
        and isinstance(all_of, list)
        and len(all_of) == 1
        and "type" not in node
    ):
        del node["nullable"], node["allOf"]
        node["anyOf"] = [all_of[0], NULL_ONLY]
    one_of = node.get("oneOf")
    if isinstance(one_of, list) and any(branch.get("maxLength") == 0 for branch in one_of):
        node["anyOf"] = node.pop("oneOf")
    return node


def _header(description: str, schema_type: str = "string") -> dict:
    return {"description": description, "schema": {"type": schema_type}}


SUCCESS_HEADERS = {
    "ETag": _header("The answer's version: send it back as If-None-Match."),
    "Cache-Control": _header("public with max-age, or private for a signed-in person."),
    "RateLimit-Limit": _header("Requests allowed per window.", "integer"),
    "RateLimit-Remaining": _header("Requests left in the window.", "integer"),
    "RateLimit-Reset": _header("Seconds until a request leaves the window.", "integer"),
    "RateLimit-Policy": _header("The limit and its window, e.g. 120;w=60."),
}
LIST_HEADERS = {"Link": _header('The next page, as <url>; rel="next" (JSON-LD and JSON).')}
NOT_MODIFIED = {"description": "Not modified: your copy (If-None-Match) is current."}


def declare_http_semantics(result, generator, request, public):
    """Post-processing hook: the 304 and the headers every read answers with.

    drf-spectacular documents bodies only; a generated client must know that a
    GET may answer 304 without a body, and which headers carry the version, the
    next page and the rate limit.
    """
    for path, item in result.get("paths", {}).items():
        operation = item.get("get")
        if operation is None:
            continue
        responses = operation["responses"]
        responses.setdefault("304", NOT_MODIFIED)
        if "200" in responses:
            headers = responses["200"].setdefault("headers", {})
            headers.update(SUCCESS_HEADERS)
            if not path.endswith("}/"):
                headers.update(LIST_HEADERS)
        if "429" in responses:
            responses["429"].setdefault("headers", {})["Retry-After"] = _header(
                "Seconds to wait before trying again.", "integer"
            )
    return result


# What every text the API reads may hold: anything but the NUL character.
WITHOUT_NUL = "^[^\\u0000]*$"


def refuse_null_characters(result, generator, request, public):
    """Post-processing hook: a text in a query may hold any character but NUL, which
    every field refuses with a 400 (PostgreSQL cannot store it); said in each free text's
    schema, so a generated client and a schema-driven test know it."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter["in"] == "query":
                    _text_without_nul(schema)
                    _text_without_nul(schema.get("items", {}))
    return result


def _text_without_nul(schema: dict) -> None:
    if schema.get("type") == "string" and "enum" not in schema and "pattern" not in schema:
        schema["pattern"] = WITHOUT_NUL
