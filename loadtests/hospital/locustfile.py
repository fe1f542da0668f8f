"""The hospital's load: receptionists booking and checking in, doctors opening charts,
patients using the portal, and a program reading the API with a JWT.

    make loadtest P=hospital USERS=30        (headless, report in loadtests/reports/)
    make loadtest-ui P=hospital              (locust's web UI)

Staff log in through the login page (session + CSRF) and work through the pages, as
they do at a desk; the ids they need (doctors, today's appointments, their patients)
are read from the API with the same session. Refusals that are part of the domain
(a slot someone else booked a second earlier) are outcomes, not failures.
"""

import random
import re
from datetime import date, timedelta

from locust import HttpUser, task

from loadtests.common.auth import (
    ApiSession,
    allow_secure_cookies_over_http,
    page_login,
    post_form,
)
from loadtests.common.journey import SeedData, collect, next_login, pause, share, think

SLOT_START = re.compile(r'name="start" value="([^"]+)"')
SEARCH_WORDS = ["Load1", "Patient3", "Smith", "Khan", "Chen", "Patient12", "Load2"]

STEPS = [
    "/accounts/login/",
    "/accounts/login/ [POST]",
    "/desk/",
    "/desk/?q=[words]",
    "/desk/patients/[id]/",
    "/desk/patients/[id]/?doctor=[id]&day=[day]",
    "/patients/[id]/book/",
    "/appointments/[id]/check-in/",
    "/schedule/",
    "/chart/[id]/",
    "/portal/",
    "/portal/results/",
    "/portal/book/?doctor=[id]&day=[day]",
    "/api/v1/auth/token/",
    "/api/v1/appointments/",
    "/api/v1/patients/",
    "/api/v1/doctors/[id]/slots/",
]


def doctor_ids(client, headers=None) -> list[int]:
    return SeedData.get("doctors", lambda: collect(client, "/api/v1/doctors/", headers=headers))


def upcoming_day() -> str:
    """Today or one of the next working days: when people book."""
    day = date.today() + timedelta(days=random.choice([0, 1, 1, 2, 3, 7]))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


def message_outcome(response) -> str:
    """The flash message a page POST left: "success", "error" (a refusal) or ""."""
    if "message-success" in response.text:
        return "success"
    if "message-error" in response.text:
        return "error"
    return ""


class StaffUser(HttpUser):
    abstract = True
    role = ""

    def on_start(self):
        allow_secure_cookies_over_http(self.client)
        account = next_login(self.role)
        page_login(self.client, account["email"], account["password"])


class Receptionist(StaffUser):
    """Finds patients, books their appointments, checks them in when they arrive."""

    role = "receptionist"
    weight = share(4)
    wait_time = think(2, 6)

    def patient_ids(self) -> list[int]:
        return SeedData.get("patients", lambda: collect(self.client, "/api/v1/patients/", pages=10))

    @task(3)
    def book_for_a_patient(self):
        self.client.get("/desk/", name="/desk/")
        pause(1, 3)
        word = random.choice(SEARCH_WORDS)
        self.client.get(f"/desk/?q={word}", name="/desk/?q=[words]")
        pause(1, 3)
        patient = random.choice(self.patient_ids())
        detail = f"/desk/patients/{patient}/"
        self.client.get(detail, name="/desk/patients/[id]/")
        pause(2, 4)
        doctor, day = random.choice(doctor_ids(self.client)), upcoming_day()
        page = self.client.get(
            f"{detail}?doctor={doctor}&day={day}",
            name="/desk/patients/[id]/?doctor=[id]&day=[day]",
        )
        slots = SLOT_START.findall(page.text)
        if not slots:
            return  # a full day (or a weekend clinic closed): the receptionist tries later
        pause(1, 3)
        with post_form(
            self.client,
            f"/patients/{patient}/book/",
            {"doctor": doctor, "start": random.choice(slots), "reason": "Check-up", "next": detail},
            name="/patients/[id]/book/",
            page_html=page.text,
        ) as response:
            if not response.ok or not message_outcome(response):
                response.failure(f"booking answered {response.status_code} without a message")
            else:
                response.success()  # booked, or refused because someone took the slot first

    @task(2)
    def check_in_an_arrival(self):
        today = date.today().isoformat()
        listing = self.client.get(
            f"/api/v1/appointments/?day={today}&status=scheduled",
            name="/api/v1/appointments/",
        )
        waiting = [row["id"] for row in listing.json().get("results", [])]
        self.client.get("/desk/", name="/desk/")
        if not waiting:
            return
        pause(1, 3)
        with post_form(
            self.client,
            f"/appointments/{random.choice(waiting)}/check-in/",
            {"next": "/desk/"},
            name="/appointments/[id]/check-in/",
        ) as response:
            if not response.ok or not message_outcome(response):
                response.failure(f"check-in answered {response.status_code} without a message")
            else:
                response.success()  # checked in, or a colleague was faster


class Doctor(StaffUser):
    """Goes through the day's list and opens the charts of their patients."""

    role = "doctor"
    weight = share(3)
    wait_time = think(3, 8)

    def on_start(self):
        super().on_start()
        # This doctor's own patients (the API shows a doctor only their appointments).
        rows = self.client.get("/api/v1/appointments/?page_size=100", name="/api/v1/appointments/")
        self.patients = sorted({row["patient"] for row in rows.json().get("results", [])})

    @task
    def open_charts(self):
        day = date.today() + timedelta(days=random.choice([0, 0, 0, 1, -1]))
        self.client.get(f"/schedule/?day={day.isoformat()}", name="/schedule/")
        for _ in range(random.randint(1, 3)):
            if not self.patients:
                return
            pause(2, 5)
            self.client.get(f"/chart/{random.choice(self.patients)}/", name="/chart/[id]/")


class Patient(HttpUser):
    """Looks at their appointments and results in the portal, sometimes looks for a slot."""

    weight = share(3)
    wait_time = think(3, 10)

    def on_start(self):
        allow_secure_cookies_over_http(self.client)
        account = next_login("patient")
        page_login(self.client, account["email"], account["password"])

    @task(3)
    def my_appointments(self):
        self.client.get("/portal/", name="/portal/")
        pause(2, 5)
        self.client.get("/portal/results/", name="/portal/results/")

    @task(1)
    def look_for_a_slot(self):
        doctor = random.choice(doctor_ids(self.client))
        self.client.get(
            f"/portal/book/?doctor={doctor}&day={upcoming_day()}",
            name="/portal/book/?doctor=[id]&day=[day]",
        )


class ApiClient(HttpUser):
    """An integration (say the hospital's mobile app backend) reading with a JWT."""

    weight = share(1)
    wait_time = think(1, 3)

    def on_start(self):
        account = next_login("receptionist")
        self.api = ApiSession(self.client, account["email"], account["password"])
        self.api.login()

    @task(3)
    def appointments(self):
        self.api.get(f"/api/v1/appointments/?day={upcoming_day()}", name="/api/v1/appointments/")

    @task(2)
    def patients(self):
        self.api.get(f"/api/v1/patients/?page={random.randint(1, 5)}", name="/api/v1/patients/")

    @task(1)
    def slots(self):
        doctor = random.choice(doctor_ids(self.client, self.api.headers()))
        self.api.get(
            f"/api/v1/doctors/{doctor}/slots/?day={upcoming_day()}",
            name="/api/v1/doctors/[id]/slots/",
        )
