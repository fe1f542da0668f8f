"""Keyset pagination (``?cursor=``): every row once, in order, both ways, and bad cursors.

The list under test sorts counters on ``-value``, and many counters share a value, so the
walk must break ties on the primary key, as a bulk import's rows sharing ``created`` do.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from shared.tests.project.lab.models import Counter

pytestmark = pytest.mark.django_db
COUNTERS = "/doors/api/counters/"


@pytest.fixture
def client(api_client_for, make_user):
    return api_client_for(make_user(email="reader@example.com"))


@pytest.fixture
def counters(db):
    # 23 counters over 4 values: ties at every page boundary of a page of 5.
    Counter.objects.bulk_create(Counter(name=f"c{i:02}", value=i % 4) for i in range(23))
    return list(Counter.objects.order_by("-value", "-pk").values_list("name", flat=True))


def walk(client, url, key):
    """Follow ``key`` links from ``url`` to the end; the names of each page."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json()
        body = response.json()
        assert set(body) == {"next", "previous", "results"}  # no count, no page number
        pages.append([row["name"] for row in body["results"]])
        url = body[key]
    return pages, body


def cursor_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["cursor"][0]


def test_the_walk_gives_every_row_once_in_the_lists_order(client, counters):
    pages, last = walk(client, f"{COUNTERS}?cursor=&page_size=5", "next")
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    # Every row once, in order: ties broken on the primary key, descending.
    assert [name for page in pages for name in page] == counters
    assert last["next"] is None


def test_previous_links_walk_back_over_the_same_pages(client, counters):
    forward, last = walk(client, f"{COUNTERS}?cursor=&page_size=5", "next")
    backward, first = walk(client, last["previous"], "previous")
    assert backward == forward[-2::-1]
    assert first["previous"] is None and first["next"]


def test_a_requested_ordering_is_walked_with_its_ties(client, counters):
    pages, _ = walk(client, f"{COUNTERS}?ordering=value&cursor=&page_size=4", "next")
    expected = list(Counter.objects.order_by("value", "pk").values_list("name", flat=True))
    assert [name for page in pages for name in page] == expected


def test_rows_added_during_the_walk_do_not_shift_the_pages(client, counters):
    body = client.get(f"{COUNTERS}?cursor=&page_size=5").json()
    Counter.objects.create(name="new-top", value=9)  # would push every page number down by one
    second = client.get(body["next"]).json()
    assert [row["name"] for row in second["results"]] == counters[5:10]


def test_page_numbers_are_still_the_default(client, counters):
    body = client.get(f"{COUNTERS}?page_size=5").json()
    assert body["count"] == 23 and "page=2" in body["next"]


@pytest.mark.parametrize("cursor", ["garbage", "a" * 300, "eyJ9:1:2", "%00", "1" * 5])
def test_a_forged_cursor_is_a_400_naming_cursor(client, counters, cursor):
    response = client.get(COUNTERS, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "cursor"


def test_a_cursor_made_for_another_ordering_is_refused(client, counters):
    next_link = client.get(f"{COUNTERS}?cursor=&page_size=5").json()["next"]
    cursor = cursor_of(next_link)
    reordered = client.get(COUNTERS, {"cursor": cursor, "ordering": "value"})
    assert reordered.status_code == 400
    assert "another ordering" in reordered.json()["errors"][0]["detail"]


def test_a_staff_list_refuses_a_cursor_from_the_counters(api_client_for, make_user, counters):
    staff = api_client_for(make_user(roles=["staff"], email="staff@example.com"))
    next_link = staff.get(f"{COUNTERS}?cursor=&page_size=5").json()["next"]
    cursor = cursor_of(next_link)
    response = staff.get("/doors/api/users/", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "cursor"


def test_an_empty_list_has_no_links(client):
    body = client.get(f"{COUNTERS}?cursor=").json()
    assert body == {"next": None, "previous": None, "results": []}


def test_the_schema_names_the_cursor_parameter(client):
    schema = client.get("/api/schema/?format=json").json()
    parameters = schema["paths"]["/doors/api/counters/"]["get"]["parameters"]
    assert "cursor" in {p["name"] for p in parameters}


def test_an_html_list_counts_once_a_minute_and_shows_fresh_rows(django_assert_num_queries):
    from shared.web.pagination import TimedCountPaginator

    Counter.objects.bulk_create(Counter(name=f"c{i:02}", value=i) for i in range(30))
    rows = Counter.objects.order_by("name")
    with django_assert_num_queries(2):  # the count, then the page
        page = TimedCountPaginator(rows, 10).get_page(2)
        assert page.paginator.num_pages == 3 and len(list(page)) == 10
    Counter.objects.create(name="c99")
    with django_assert_num_queries(1):  # the page only: the count comes from the cache
        page = TimedCountPaginator(rows, 10).get_page(3)
        assert page.paginator.count == 30  # a minute behind: c99 is not counted yet
        assert [c.name for c in page] == ["c20", "c21", "c22", "c23", "c24", "c25", "c26",
                                          "c27", "c28", "c29"]  # fmt: skip
    with django_assert_num_queries(1):  # another filter is another count
        assert TimedCountPaginator(rows.filter(value__gte=20), 10).count == 10
