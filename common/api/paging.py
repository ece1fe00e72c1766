"""Cursor paging that stays right while records change."""

from datetime import datetime

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
# A cursor this API gives out is about 90 characters; longer ones are not read at all.
MAX_CURSOR_LENGTH = 200
CURSOR_SALT = "common.api.paging.cursor"


class KeysetPagination(BasePagination):
    """Cursor paging on a unique, explicit order (the view's `keyset_ordering`).

    A cursor is the position of the last record a page held; the next page
    starts just after it, so records inserted, changed or removed meanwhile
    never shift a page (a changed record moves to the end, where it is seen
    again). Cursors are signed with SECRET_KEY, so they stay opaque to partners:
    a forged or altered one is a 400 before anything of it is decoded.
    """

    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    def __init__(self, *, ordering: tuple[str, ...] = ("id",)):
        self.ordering = ordering
        self.next_link = None

    def paginate_queryset(self, queryset, request, view=None):
        if view is not None:
            self.ordering = getattr(view, "keyset_ordering", self.ordering)
        size = self.page_size(request)
        rows = list(self.after(queryset, self.position(request))[: size + 1])
        self.next_link = None
        if len(rows) > size:
            rows = rows[:size]
            self.next_link = self.next_url(request, self.key_of(rows[-1]))
        return rows

    def key_of(self, obj) -> tuple:
        """The position of a record: a model instance, or a `.values()` row."""
        if isinstance(obj, dict):
            return tuple(obj[field] for field in self.ordering)
        return tuple(getattr(obj, field) for field in self.ordering)

    def query_parameters(self) -> tuple[str, ...]:
        """The parameters paging reads (common/api/parameters.py allows them on lists)."""
        return (self.cursor_query_param, self.page_size_query_param)

    def get_paginated_response(self, data):
        return Response({"next": self.next_link, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last one.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Where the page starts (from the previous page's next link).",
                "schema": {"type": "string", "minLength": 1, "maxLength": MAX_CURSOR_LENGTH},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Records per page, 1 to {MAX_PAGE_SIZE} "
                f"(default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]

    def page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return DEFAULT_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError(
                {
                    "page_size": [
                        _("The page size is a whole number from 1 to %(max)s.")
                        % {"max": MAX_PAGE_SIZE}
                    ]
                }
            )
        return size

    def position(self, request):
        """The (key, ...) position after which the page starts, or None for the first page."""
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        try:
            if raw == "" or len(raw) > MAX_CURSOR_LENGTH:
                raise ValueError
            values = signing.loads(raw, salt=CURSOR_SALT)
            if not isinstance(values, list) or len(values) != len(self.ordering):
                raise ValueError
            return tuple(
                self._decode(field, value)
                for field, value in zip(self.ordering, values, strict=True)
            )
        except (signing.BadSignature, ValueError, TypeError):
            raise exceptions.ValidationError(
                {
                    "cursor": [
                        _(
                            "This cursor was not issued by this API; start again without it"
                            " or use the “next” address of the previous page."
                        )
                    ]
                }
            ) from None

    def _decode(self, field, value):
        if field.endswith("_at"):
            if not isinstance(value, str):
                raise ValueError
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise ValueError
            return parsed
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError
        return value

    def cursor_for(self, key: tuple) -> str:
        values = [v.isoformat() if isinstance(v, datetime) else v for v in key]
        return signing.dumps(values, salt=CURSOR_SALT)

    def after(self, queryset: QuerySet, position, fields: tuple[str, ...] | None = None):
        """The rows of `queryset` strictly after `position`, in order."""
        fields = fields or self.ordering
        queryset = queryset.order_by(*fields)
        if position is None:
            return queryset
        condition = Q()
        for index, field in enumerate(fields):
            step = Q(**{f"{field}__gt": position[index]})
            for previous, value in zip(fields[:index], position[:index], strict=True):
                step &= Q(**{previous: value})
            condition |= step
        return queryset.filter(condition)

    def next_url(self, request, key) -> str:
        url = request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.cursor_for(key))
