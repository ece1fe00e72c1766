"""The OpenAPI description every operation shares: `?lang=` and its error answers."""

from drf_spectacular.openapi import AutoSchema

from common.api.errors import ERROR_RESPONSES, NOT_FOUND_RESPONSE
from common.api.languages import LANG_PARAMETER


class ApiSchema(AutoSchema):
    """Every operation documents `?lang=` and the errors it may answer."""

    def get_override_parameters(self):
        return [LANG_PARAMETER, *super().get_override_parameters()]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERROR_RESPONSES)
        if self.method == "GET" and not self._is_list_view():
            errors.update(NOT_FOUND_RESPONSE)
        for code, response in errors.items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    response, str(code), ["application/json"], direction
                )
        return responses
