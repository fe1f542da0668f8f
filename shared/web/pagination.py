"""How every API list is cut into pages: page numbers by default, a cursor to walk to the end.

``?page=3&page_size=50`` is what clients use by default: a page count, links to the next
and previous page. It costs an exact ``COUNT(*)`` and an ``OFFSET``, and the offset grows
with the page number: the database reads and throws away every row before the page, so
page 5,000 of 100,000 rows is many times slower than page 1.

``?cursor=`` (empty for the first page) switches the same list to keyset pagination: the
next link carries the sort values of the page's last row, and the next page is "the rows
after those values", which an index on the sort order finds at once, however deep. There
is no count and no page number, only ``next`` and ``previous``: what a client that walks a
whole list (an export, a sync) needs. The same idea as Stripe's ``starting_after``, and as
DRF's own ``CursorPagination``, which positions on the first sort field only and falls
back to an offset among ties (a bulk import gives many rows the same ``created``).

The cursor is signed (``django.core.signing``) with the URL's path, so a client cannot
forge a position or reuse one on another list; a cursor that does not verify, or that
was made for another ``?ordering=``, is a 400 naming ``cursor``.

The list's ordering (its ``order_by``, or the model's ``Meta.ordering``, or what
``?ordering=`` asked for) is used as is, with the primary key added as the last tiebreaker
so that every row has one place. Each sort field must be a column or an annotation that
is never NULL: SQL compares nothing with NULL, so such a row would fall out of the walk.
"""

import hashlib
from functools import cached_property
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from rest_framework import pagination, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView


class TimedCountPaginator(Paginator):  # type: ignore[type-arg]
    """Django's Paginator for HTML pages, with the ``COUNT(*)`` cached for a minute.

    "Page 3 of 480" needs the count, and on a big table the count is the one query of a
    page that grows with the table: PostgreSQL keeps no row count, so it reads every
    matching row, on every request. Here the count is kept in the cache for
    ``count_timeout`` seconds under the list's SQL and parameters (each filter and search
    has its own entry), so a busy list counts once a minute. The price: for that minute
    the page count may lag a row or two behind; the rows shown are always fresh.
    ``ListView(paginator_class=...)``, or ``TimedCountPaginator(rows, 12).get_page(n)``.
    """

    count_timeout = 60

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows)
        try:
            sql, params = rows.query.sql_with_params()
        except EmptyResultSet:  # a .none() list: Django counts it without a query
            return rows.count()
        key = "pagination:count:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        return self.cached_count(key, rows)

    def cached_count(self, key: str, rows: QuerySet[Any]) -> int:
        count: int | None = cache.get(key)
        if count is None:
            count = rows.count()
            cache.set(key, count, self.count_timeout)
        return count


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=2&page_size=50``; the size is capped so one request cannot ask for everything.

    ``?cursor=`` asks for the same list by keyset instead (see the module's docstring)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_param = "cursor"

    def paginate_queryset(
        self, queryset: Any, request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        # A plain list (not a queryset) has no SQL order to key on: page numbers only.
        if self.cursor_query_param in request.query_params and isinstance(queryset, QuerySet):
            self.keyset: KeysetPagination | None = KeysetPagination(self)
            return self.keyset.paginate_queryset(queryset, request)
        self.keyset = None
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        if self.keyset is not None:
            return self.keyset.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        # With ?cursor= there is no count: only next, previous and results are always there.
        described["required"] = ["next", "previous", "results"]
        described["properties"]["count"]["description"] = "Absent when ?cursor= is used."
        return described

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Keyset pagination instead of page numbers: empty for the first page, "
                    "then the value in the `next` or `previous` link. Constant time per "
                    "page, however deep; no `count`."
                ),
                "schema": {"type": "string"},
            },
        ]


class KeysetPagination:
    """One ``?cursor=`` page of a list; made by PageNumberPagination, for one request."""

    def __init__(self, numbered: PageNumberPagination):
        self.numbered = numbered
        self.param = numbered.cursor_query_param

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request) -> list[Any]:
        self.request = request
        self.ordering = sort_keys(queryset)
        size = self.numbered.get_page_size(request) or self.numbered.page_size
        position, backwards = self.read_cursor(request.query_params[self.param])

        rows = queryset.order_by(*order_by(self.ordering, reverse=backwards))
        if position is not None:
            rows = rows.filter(after(self.ordering, position, reverse=backwards))
        page = list(rows[: size + 1])  # one more row than the page says if there is more
        more = len(page) > size
        page = page[:size]
        if backwards:
            page.reverse()
        # Coming from a page, there is always a way back to it (unless its rows are gone).
        self.has_next = bool(page) and (more if not backwards else position is not None)
        self.has_previous = bool(page) and (position is not None if not backwards else more)
        self.page = page
        return page

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "next": self.link(self.page[-1], backwards=False) if self.has_next else None,
                "previous": self.link(self.page[0], backwards=True) if self.has_previous else None,
                "results": data,
            }
        )

    # --- The cursor: [sort fields, values of one row, direction], signed ----------------
    def link(self, row: Any, *, backwards: bool) -> str:
        token = cursor_for(self.request.path, self.ordering, row, backwards=backwards)
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        return replace_query_param(url, self.param, token)

    def read_cursor(self, token: str) -> tuple[list[Any] | None, bool]:
        if not token:
            return None, False  # ?cursor= : the first page
        try:
            spec, values, backwards = signing.loads(token, salt=self.salt())
        except (signing.BadSignature, ValueError, TypeError):
            raise serializers.ValidationError(
                {self.param: ["This cursor is not valid: use the link from a page's next."]},
                code="invalid",
            ) from None
        if spec != ordering_spec(self.ordering):
            raise serializers.ValidationError(
                {self.param: ["This cursor was made for another ordering: start again."]},
                code="invalid",
            )
        return values, bool(backwards)

    def salt(self) -> str:
        return salt_for(self.request.path)


def salt_for(path: str) -> str:
    return f"shared.web.pagination:{path}"


def cursor_for(
    path: str, ordering: list[tuple[str, bool]], row: Any, *, backwards: bool = False
) -> str:
    """The ``?cursor=`` value of the rows after ``row`` (before it, ``backwards``) on ``path``.

    The pages' links are made with it; so is a benchmark's jump to a deep page."""
    values = [plain(value_of(row, field)) for field, _ in ordering]
    payload = [ordering_spec(ordering), values, backwards]
    return signing.dumps(payload, salt=salt_for(path), compress=True)


def sort_keys(queryset: QuerySet[Any]) -> list[tuple[str, bool]]:
    """The list's ordering as (field, descending) pairs, ending with the primary key."""
    query = queryset.query
    ordering = list(
        query.order_by or (query.get_meta().ordering or () if query.default_ordering else ())
    )
    keys: list[tuple[str, bool]] = []
    for item in ordering:
        if not isinstance(item, str) or item == "?" or "." in item:
            raise serializers.ValidationError(
                {"cursor": ["This list's order cannot be walked by cursor; use ?page=."]},
                code="invalid",
            )
        descending = item.startswith("-")
        name = item.lstrip("-+")
        if nullable(query.model, name):
            raise serializers.ValidationError(
                {"ordering": [f"{name} may be empty, so a cursor cannot sort on it; use ?page=."]},
                code="invalid",
            )
        keys.append(("pk" if name in ("pk", "id") else name, descending))
    if not any(name == "pk" for name, _ in keys):
        keys.append(("pk", keys[-1][1] if keys else False))
    return keys[: [name for name, _ in keys].index("pk") + 1]  # nothing after pk matters


def nullable(model: Any, name: str) -> bool:
    """True for a column that may hold NULL (an annotation or a relation's path: False)."""
    try:
        return bool(model._meta.get_field(name).null)
    except FieldDoesNotExist:
        return False


def ordering_spec(ordering: list[tuple[str, bool]]) -> str:
    return ",".join(("-" if descending else "") + name for name, descending in ordering)


def order_by(ordering: list[tuple[str, bool]], *, reverse: bool) -> list[Any]:
    return [
        F(name).desc() if descending != reverse else F(name).asc() for name, descending in ordering
    ]


def after(ordering: list[tuple[str, bool]], values: list[Any], *, reverse: bool) -> Q:
    """The rows that come after ``values`` in ``ordering`` (before them when ``reverse``).

    For (a, b, pk) it reads ``a >= x AND (a > x OR (b >= y AND (b > y OR pk > z)))``: the
    outer ``a >= x`` is a range the index on (a, b, pk) starts from, the rest only skips
    the rows tied with the cursor's row. (The plain ``a > x OR (a = x AND ...)`` means
    the same rows, but the database would read the index from its start.)
    """
    (name, descending), value = ordering[-1], values[-1]
    forward = descending == reverse  # ascending in the direction we walk
    condition = Q(**{f"{name}__{'gt' if forward else 'lt'}": value})
    earlier = zip(ordering[:-1], values[:-1], strict=True)
    for (name, descending), value in reversed(list(earlier)):
        forward = descending == reverse
        strictly = Q(**{f"{name}__{'gt' if forward else 'lt'}": value})
        condition = Q(**{f"{name}__{'gte' if forward else 'lte'}": value}) & (strictly | condition)
    return condition


def value_of(row: Any, field: str) -> Any:
    value = row
    for part in field.split("__"):
        value = getattr(value, part)
    return value


def plain(value: Any) -> Any:
    """A sort value as JSON can carry it; the field turns the string back when it filters.

    ``str()`` and not DjangoJSONEncoder, which cuts a datetime to milliseconds: the
    cursor's row would then compare unequal to itself."""
    if value is None:
        raise serializers.ValidationError(
            {"cursor": ["This list sorts on a value some rows lack; use ?page= instead."]},
            code="invalid",
        )
    return value if isinstance(value, bool | int | str) else str(value)
