"""The appointments API's pages: page numbers as clients get them today, and the cursor walk.

The first test pins page 1 exactly (keys, values, order, count/next/previous), so that any
change to the pagination is proven not to alter what an existing client receives.
"""

from datetime import UTC, datetime, timedelta

import pytest

from scheduling.tests.factories import AppointmentFactory

APPOINTMENTS = "/api/v1/appointments/"
NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def three_appointments(db):
    return [
        AppointmentFactory(start=NINE + timedelta(hours=hours), reason=f"Visit {hours}")
        for hours in (2, 0, 1)  # created out of order: the list sorts by start
    ]


def as_json(appointment) -> dict:
    """One row as the list shows it, spelled out field by field."""
    doctor = appointment.doctor
    return {
        "id": appointment.pk,
        "patient": appointment.patient_id,
        "patient_name": appointment.patient.full_name,
        "medical_record_number": appointment.patient.medical_record_number,
        "doctor": doctor.pk,
        "doctor_name": doctor.profile.user.get_full_name(),
        "department": doctor.profile.department.name if doctor.profile.department else None,
        "start": appointment.start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "end": appointment.end.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "status": "scheduled",
        "reason": appointment.reason,
    }


def test_page_one_is_what_clients_get_today(api_client_for, receptionist, three_appointments):
    _, at_nine, at_ten = three_appointments
    response = api_client_for(receptionist).get(APPOINTMENTS, {"page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 3
    assert body["next"] == "http://testserver/api/v1/appointments/?page=2&page_size=2"
    assert body["previous"] is None
    assert body["results"] == [as_json(at_nine), as_json(at_ten)]
    assert body["results"][0]["start"] == "2026-03-02T09:00:00Z"


def test_page_two_links_back_to_page_one(api_client_for, receptionist, three_appointments):
    at_eleven, _, _ = three_appointments
    body = api_client_for(receptionist).get(APPOINTMENTS, {"page_size": 2, "page": 2}).json()
    assert body["results"] == [as_json(at_eleven)]
    assert body["next"] is None
    assert body["previous"] == "http://testserver/api/v1/appointments/?page_size=2"


def test_the_cursor_walk_gives_every_appointment_once_in_start_order(
    api_client_for, receptionist, db
):
    made = [AppointmentFactory(start=NINE + timedelta(days=day)) for day in (3, 0, 4, 1, 2)]
    client = api_client_for(receptionist)
    seen, url = [], f"{APPOINTMENTS}?cursor=&page_size=2"
    while url:
        body = client.get(url).json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == [a.pk for a in sorted(made, key=lambda a: a.start)]


def test_the_cursor_walk_keeps_the_rules_of_the_list(api_client_for, doctor):
    # A doctor walks only their own appointments, as on page numbers.
    mine = AppointmentFactory(doctor=doctor, start=NINE)
    AppointmentFactory(start=NINE + timedelta(hours=1))
    body = api_client_for(doctor.profile.user).get(APPOINTMENTS, {"cursor": ""}).json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
