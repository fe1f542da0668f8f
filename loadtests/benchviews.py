"""Bench-only views: the yardsticks ``make bench`` holds the real endpoints against.

Served only under ``DJANGO_SETTINGS_MODULE=loadtests.benchsettings`` (see
loadtests/benchsettings.py); a project's own settings never reach this module.
For each project's main list endpoint:

* ``/bench/bare/<rows>/``: the same page of rows (same filter, order, page size and
  count) built with ``.values()`` and returned with ``JsonResponse``: no DRF, no
  serializer, no model instances, no authentication. The framework's ceiling here.
* ``/bench/n1/<rows>/``: the real viewset with its ``select_related`` and
  ``prefetch_related`` removed, i.e. the N+1 version a first draft often is.
* ``/bench/cost/<rows>/``: how long ``COUNT(*)`` and the page query take, inside the server.
* ``/bench/cursor/<rows>/?page=N``: the path of page N of the real endpoint by ``?cursor=``
  (the cursor after the last row of page N-1), so the bench can time a deep keyset page
  without walking there first.
* shop only, ``/bench/uncached/products/``: the catalog page with a cache miss on
  every request (the version bump of catalog/cache.py, then the real view).
"""

from django.db import connection
from django.http import JsonResponse
from django.urls import path

BENCH_PAGE_SIZE = 20  # the API's page size (shared/web/api.py)


class QueryCountMiddleware:
    """With ``X-Count-Queries: 1`` on the request, answer how many SQL queries it ran.

    Only on request, so timed runs do not pay for the counting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get("X-Count-Queries") != "1":
            return self.get_response(request)
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


def _page(request) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


def _timed_count_and_page(queryset, page: int) -> dict:
    import time

    started = time.perf_counter()
    count = queryset.count()
    counted = time.perf_counter()
    start = (page - 1) * BENCH_PAGE_SIZE
    rows = len(list(queryset[start : start + BENCH_PAGE_SIZE]))
    done = time.perf_counter()
    return {
        "count": count,
        "rows": rows,
        "count_ms": round((counted - started) * 1000, 2),
        "page_ms": round((done - counted) * 1000, 2),
    }


def _cursor_jump(rows_for, api_path: str):
    """A view answering {"path": ...} for page N of ``api_path`` by keyset (see above)."""
    from urllib.parse import quote

    from shared.web.pagination import cursor_for, order_by, sort_keys

    def view(request):
        rows = rows_for(request)
        keys = sort_keys(rows)
        skip = (_page(request) - 1) * BENCH_PAGE_SIZE
        if skip == 0:
            return JsonResponse({"path": f"{api_path}?cursor="})
        row = rows.order_by(*order_by(keys, reverse=False))[skip - 1]
        return JsonResponse({"path": f"{api_path}?cursor={quote(cursor_for(api_path, keys, row))}"})

    return view


# --- shop ------------------------------------------------------------------------------
def _shop_urlpatterns() -> list:
    from rest_framework import serializers

    from catalog import views as catalog_views
    from catalog.api import ProductSerializer, ProductViewSet, VariantSerializer
    from catalog.cache import bump_catalog_version
    from catalog.models import Product, Variant

    def bare_products(request):
        """The products page of the API, by hand: three queries, plain dicts."""
        products = (
            Product.objects.available().select_related(None).prefetch_related(None)
        ).order_by(*ProductViewSet.ordering)
        start = (_page(request) - 1) * BENCH_PAGE_SIZE
        rows = list(
            products.values(
                "id", "title", "slug", "description", "category__slug", "min_price", "created"
            )[start : start + BENCH_PAGE_SIZE]
        )
        variants: dict[int, list] = {row["id"]: [] for row in rows}
        for variant in Variant.objects.filter(product_id__in=variants, is_active=True).values(
            "id", "product_id", "sku", "title", "attributes", "price",
            "stock__quantity", "stock__reserved",
        ):  # fmt: skip
            quantity, reserved = variant.pop("stock__quantity"), variant.pop("stock__reserved")
            variant["available"] = (quantity or 0) - (reserved or 0)
            variants[variant.pop("product_id")].append(variant)
        for row in rows:
            row["category"] = row.pop("category__slug")
            row["variants"] = variants[row["id"]]
        return JsonResponse({"count": products.count(), "results": rows})

    class NPlusOneProductSerializer(ProductSerializer):
        # The prefetch filled product.active_variants; without it each product asks for its
        # variants, and each variant for its stock row.
        variants = serializers.SerializerMethodField()

        def get_variants(self, product) -> list:
            return VariantSerializer(product.variants.filter(is_active=True), many=True).data

    class NPlusOneProductViewSet(ProductViewSet):
        serializer_class = NPlusOneProductSerializer

        def get_queryset(self):
            return super().get_queryset().select_related(None).prefetch_related(None)

    def uncached_product_list(request):
        # A new catalog version makes every cached entry stale: this request misses the
        # cache, builds the page data from the database and stores it, as after an edit.
        bump_catalog_version()
        return catalog_views.product_list(request)

    def count_cost(request):
        """How long the page's two database costs take: COUNT(*) and the page itself."""
        products = Product.objects.available().order_by(*ProductViewSet.ordering)
        return JsonResponse(_timed_count_and_page(products, _page(request)))

    return [
        path("bench/cost/products/", count_cost),
        path("bench/bare/products/", bare_products),
        path("bench/n1/products/", NPlusOneProductViewSet.as_view({"get": "list"})),
        path("bench/uncached/products/", uncached_product_list),
        path(
            "bench/cursor/products/",
            _cursor_jump(
                lambda request: Product.objects.available().order_by(*ProductViewSet.ordering),
                "/api/v1/products/",
            ),
        ),
    ]


# --- hospital ----------------------------------------------------------------------------
def _hospital_urlpatterns() -> list:
    from scheduling.api import AppointmentViewSet
    from scheduling.models import Appointment

    def ordered(queryset):
        # The API's order: the model's Meta.ordering (start, pk), as DRF's OrderingFilter
        # leaves it when the client asks for none.
        return queryset.order_by(*Appointment._meta.ordering)

    def bare_appointments(request, appointments=None):
        """The appointments page of the API, by hand: one JOIN query and a COUNT, dicts.

        The receptionist the bench logs in as may see every appointment, so these are the
        rows the API returns to them; the bare view skips who-may-see-what entirely.
        """
        appointments = ordered(Appointment.objects.all() if appointments is None else appointments)
        start = (_page(request) - 1) * BENCH_PAGE_SIZE
        rows = list(
            appointments.values(
                "id", "patient", "patient__first_name", "patient__last_name",
                "patient__medical_record_number", "doctor", "doctor__profile__user__full_name",
                "doctor__profile__user__email", "doctor__profile__department__name",
                "start", "end", "status", "reason",
            )[start : start + BENCH_PAGE_SIZE]
        )  # fmt: skip
        for row in rows:
            first, last = row.pop("patient__first_name"), row.pop("patient__last_name")
            row["patient_name"] = f"{first} {last}"
            row["medical_record_number"] = row.pop("patient__medical_record_number")
            email = row.pop("doctor__profile__user__email")
            row["doctor_name"] = row.pop("doctor__profile__user__full_name") or email
            row["department"] = row.pop("doctor__profile__department__name")
        return JsonResponse({"count": appointments.count(), "results": rows})

    class NPlusOneAppointmentViewSet(AppointmentViewSet):
        def get_queryset(self):
            return super().get_queryset().select_related(None).prefetch_related(None)

    def count_cost(request):
        appointments = ordered(Appointment.objects.visible_to(request.user).with_people())
        return JsonResponse(_timed_count_and_page(appointments, _page(request)))

    from rest_framework.decorators import api_view

    @api_view(["GET"])
    def bare_appointments_with_access(request):
        """The bare view behind the API's JWT authentication and the access rule
        (``visible_to``): what the real endpoint does minus DRF's serializer and paginator."""
        return bare_appointments(request, Appointment.objects.visible_to(request.user))

    return [
        path("bench/bare/appointments/", bare_appointments),
        path("bench/bare-access/appointments/", bare_appointments_with_access),
        path("bench/n1/appointments/", NPlusOneAppointmentViewSet.as_view({"get": "list"})),
        # Behind DRF's authentication so that request.user is the JWT's user.
        path("bench/cost/appointments/", api_view(["GET"])(count_cost)),
        path(
            "bench/cursor/appointments/",
            api_view(["GET"])(
                _cursor_jump(
                    lambda request: ordered(Appointment.objects.visible_to(request.user)),
                    "/api/v1/appointments/",
                )
            ),
        ),
    ]


# --- lms ---------------------------------------------------------------------------------
def _lms_urlpatterns() -> list:
    from courses.api import CourseViewSet
    from courses.models import Course

    def catalogue(request):
        # The API's rows for this visitor (anonymous: the published courses), in its order.
        return Course.objects.visible_to(request.user).order_by(*Course._meta.ordering)

    def bare_courses(request):
        """The courses page of the API, by hand: the page, its tags, a COUNT; plain dicts."""
        courses = catalogue(request)
        start = (_page(request) - 1) * BENCH_PAGE_SIZE
        rows = list(
            courses.values(
                "id", "slug", "title", "summary", "status", "capacity", "seats_taken",
                "starts_on", "ends_on",
            )[start : start + BENCH_PAGE_SIZE]
        )  # fmt: skip
        tags: dict[int, list] = {row["id"]: [] for row in rows}
        links = Course.tags.through.objects.filter(course_id__in=tags)
        for course_id, slug in links.values_list("course_id", "tag__slug"):
            tags[course_id].append(slug)
        for row in rows:
            row["seats_left"] = max(row["capacity"] - row.pop("seats_taken"), 0)
            row["tags"] = tags[row["id"]]
        return JsonResponse({"count": courses.count(), "results": rows})

    class NPlusOneCourseViewSet(CourseViewSet):
        def get_queryset(self):
            return super().get_queryset().prefetch_related(None)

    def count_cost(request):
        return JsonResponse(_timed_count_and_page(catalogue(request), _page(request)))

    return [
        path("bench/bare/courses/", bare_courses),
        path("bench/n1/courses/", NPlusOneCourseViewSet.as_view({"get": "list"})),
        path("bench/cost/courses/", count_cost),
        path("bench/cursor/courses/", _cursor_jump(catalogue, "/api/v1/courses/")),
    ]


def bench_urlpatterns(project: str) -> list:
    builders = {
        "shop": _shop_urlpatterns,
        "hospital": _hospital_urlpatterns,
        "lms": _lms_urlpatterns,
    }
    return builders[project]() if project in builders else []
