"""API conventions shared by every capstone."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=2&page_size=50``; the page size is capped so one request cannot ask for everything."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
