"""The hospital in a real browser: each role does its work through the pages.

Headless Chromium against a live server (see shared/testing/browser.py and
docs/browser-tests.md), on the demo seed that ``make run`` serves, on the real clock:
the seed puts today's visits around the hour it runs (scheduling/seed.py), so every role
finds work at any time of day, as a student running ``make run`` in the evening does.
"""

import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import Invoice
from clinical.models import LabOrder, LabResult, Observation, Prescription
from patients.models import Patient
from reports.models import DepartmentReport
from scheduling.models import Appointment, AppointmentStatus
from shared.accounts.models import User
from shared.testing.browser import (
    BOTH_SCREENS,
    assert_columns_in_view,
    assert_in_view,
    log_in,
    new_context,
)
from staff.models import Doctor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECEPTION = "reception@hospital.example"
NURSE = "nurse@hospital.example"
DR_HOUSE = "dr.house@hospital.example"
PATIENT = "patient@hospital.example"
ADMIN = "admin@hospital.example"


@pytest.fixture
def seeded(db):
    # A journey begun in the last minutes of a day would see "today" change halfway.
    until_midnight = (
        timezone.localtime().replace(hour=23, minute=59, second=59) - timezone.localtime()
    )
    if until_midnight < timedelta(minutes=3):
        time.sleep(until_midnight.total_seconds() + 2)
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def page_as(browser, live_server, browser_console, screenshot):
    """``page_as(email)``: a new browser context (own cookies) logged in as that demo user.

    Each role gets its own context, as each person has their own browser; their console
    messages go to the same ``browser_console`` log."""

    contexts = []

    def open_as(email: str):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: browser_console.messages.append((msg.type, msg.text)))
        page.on("pageerror", lambda exc: browser_console.messages.append(("pageerror", str(exc))))
        log_in(page, email, django_settings.DEMO_PASSWORD)
        return page

    yield open_as
    for context in contexts:
        context.close()


def nav(page, name: str) -> None:
    page.locator("header nav").get_by_role("link", name=name, exact=True).click()


def test_a_visit_from_the_desk_to_the_nurse_the_doctor_the_lab_and_billing(
    seeded, page_as, browser_console, screenshot
):
    today = timezone.localdate()
    house = Doctor.objects.get(profile__user__email=DR_HOUSE)
    # The seed's visit of today that waits for the desk (scheduling/seed.py, TODAY).
    visit = Appointment.objects.get(
        patient__last_name="Khan", doctor=house, start__date=today, status="scheduled"
    )
    amira = visit.patient

    # --- Receptionist: find a patient, then register a new one.
    desk = page_as(RECEPTION)
    nav(desk, "Desk")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Reception desk")
    desk.get_by_role("searchbox", name="Find a patient").fill("Khan")
    desk.get_by_role("button", name="Find").click()
    expect(desk.locator("main table").first).to_contain_text("Amira Khan")

    desk.get_by_role("button", name="Register a new patient").click()
    form = desk.locator("main form")
    form.locator("input[name=first_name]").fill("Grace")
    form.locator("input[name=last_name]").fill("Hopper")
    form.locator("input[name=date_of_birth]").fill("1906-12-09")
    form.locator("select[name=sex]").select_option(index=1)
    form.locator("input[name=phone]").fill("+44 20 7946 0999")
    form.get_by_role("button", name="Save").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Grace Hopper")
    grace = Patient.objects.get(first_name="Grace", last_name="Hopper")
    expect(desk.locator("main")).to_contain_text(grace.medical_record_number)

    # Book Grace a free slot of Dr House tomorrow afternoon.
    tomorrow = today + timedelta(days=1)
    desk.locator("select[name=doctor]").select_option(str(house.pk))
    desk.locator("input[name=day]").fill(tomorrow.isoformat())
    desk.get_by_role("button", name="Show free slots").click()
    desk.locator(".slots").get_by_role("button", name="14:00").click()
    appointments = desk.locator("main table").first
    expect(appointments).to_contain_text("Scheduled")
    booked = Appointment.objects.get(patient=grace)
    start = timezone.localtime(booked.start)
    assert (booked.doctor, start.date(), start.hour) == (house, tomorrow, 14)
    assert booked.status == AppointmentStatus.SCHEDULED
    screenshot(desk, "desk-booked")
    # The slot is gone from the list, and check-in is not offered before the day.
    expect(desk.locator(".slots")).not_to_contain_text("14:00")
    expect(appointments.get_by_role("button", name="Check in")).to_have_count(0)

    # Today's patient arrives: the desk checks her in from the day's list.
    nav(desk, "Desk")
    desk.locator("main tr", has_text="Amira Khan").get_by_role("button", name="Check in").click()
    expect(desk.locator("main tr", has_text="Amira Khan")).to_contain_text("Checked in")
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.CHECKED_IN
    # The desk has no way into the clinical record.
    expect(desk.get_by_role("link", name="Open the chart")).to_have_count(0)

    # --- Nurse: the checked-in patient is on the triage list; record vital signs.
    nurse = page_as(NURSE)
    nav(nurse, "Triage")
    row = nurse.locator("main tr", has_text="Amira Khan")
    row.get_by_role("button", name="Take vitals").click()
    expect(nurse.get_by_role("heading", level=1)).to_have_text("Record an observation")
    nurse.locator("select[name=kind]").select_option("temperature")
    nurse.locator("input[name=value]").fill("38.4")
    nurse.get_by_role("button", name="Record").click()
    expect(nurse.locator("main")).to_contain_text("38.4")
    observation = Observation.objects.get(encounter__appointment=visit)
    assert observation.kind == "temperature" and observation.recorded_by.email == NURSE
    assert observation.value == Decimal("38.4")
    screenshot(nurse, "nurse-observation")

    # --- Doctor: the day schedule, the chart, a prescription and a lab order.
    doctor = page_as(DR_HOUSE)
    nav(doctor, "My day")
    day = doctor.locator("main table")
    expect(day.locator("tr", has_text="Amira Khan")).to_contain_text("Checked in")
    screenshot(doctor, "doctor-day")
    day.get_by_role("link", name="Amira Khan").click()
    expect(doctor.get_by_role("heading", level=1)).to_have_text("Amira Khan")
    encounter = doctor.locator("article.encounter").first
    expect(encounter).to_contain_text("38.4")

    encounter.get_by_role("button", name="Prescribe").click()
    doctor.locator("input[name=items-0-drug]").fill("Paracetamol")
    doctor.locator("input[name=items-0-dose]").fill("500 mg")
    doctor.locator("input[name=items-0-frequency]").fill("every 6 hours")
    doctor.locator("input[name=items-0-duration_days]").fill("3")
    doctor.get_by_role("button", name="Prescribe").click()
    expect(doctor.locator("article.encounter").first).to_contain_text("Paracetamol")

    doctor.locator("article.encounter").first.get_by_role("button", name="Order a test").click()
    doctor.locator("input[name=test_name]").fill("CRP")
    doctor.get_by_role("button", name="Order").click()
    expect(doctor.locator("article.encounter").first).to_contain_text("Awaiting result")

    prescription = Prescription.objects.get(encounter__appointment=visit)
    assert [item.drug for item in prescription.items.all()] == ["Paracetamol"]
    lab_order = LabOrder.objects.get(encounter__appointment=visit)
    assert lab_order.test_name == "CRP"

    # --- The lab desk enters the result; it is flagged against its reference range.
    nav(doctor, "Lab")
    doctor.locator("main tr", has_text="Amira Khan").filter(has_text="CRP").get_by_role(
        "link", name="Enter result"
    ).click()
    for name, value in {
        "value": "42",
        "unit": "mg/L",
        "reference_low": "0",
        "reference_high": "5",
    }.items():
        doctor.locator(f"input[name={name}]").fill(value)
    doctor.locator("main form").get_by_role("button").click()
    result = LabResult.objects.get(order=lab_order)
    assert result.abnormal and result.value == Decimal("42")
    doctor.goto(f"/chart/{amira.pk}/")
    expect(doctor.locator("article.encounter").first.locator("td.abnormal")).to_contain_text(
        "42 mg/L"
    )

    # The doctor closes the visit, then completes the appointment from the day.
    encounter = doctor.locator("article.encounter").first
    encounter.get_by_label("Closing summary").fill(
        "Fever, raised CRP: paracetamol, review in 3 days."
    )
    encounter.get_by_role("button", name="Close encounter").click()
    expect(doctor.locator("article.encounter").first).to_contain_text("Closed")
    nav(doctor, "My day")
    doctor.locator("main tr", has_text="Amira Khan").get_by_role("button", name="Complete").click()
    expect(doctor.locator("main tr", has_text="Amira Khan")).to_contain_text("Completed")
    screenshot(doctor, "chart")

    # --- The desk bills the visit: a line, issue, payment in full.
    nav(desk, "Billing")
    desk.locator("main tr", has_text="Amira Khan").get_by_role(
        "button", name="Bill this visit"
    ).click()
    desk.locator("input[name=description]").fill("Consultation")
    desk.locator("input[name=quantity]").fill("1")
    desk.locator("input[name=unit_price]").fill("80.00")
    desk.get_by_role("button", name="Add the line").click()
    desk.get_by_role("button", name="Issue the invoice").click()
    desk.locator("input[name=amount]").fill("80.00")
    desk.locator("select[name=method]").select_option(index=0)
    desk.get_by_role("button", name="Record the payment").click()
    expect(desk.locator("hgroup")).to_contain_text("Paid")
    screenshot(desk, "invoice")
    invoice = Invoice.objects.get(encounter__appointment=visit)
    assert (invoice.status, invoice.total, invoice.balance) == ("paid", Decimal("80.00"), 0)

    # No page ran an inline script or style that the Content-Security-Policy blocked.
    assert browser_console.csp_violations() == []


def test_a_patient_uses_the_portal_and_cancels_within_the_rules(seeded, page_as, screenshot):
    pat = Patient.objects.get(user__email=PATIENT)
    house = Doctor.objects.get(profile__user__email=DR_HOUSE)
    portal = page_as(PATIENT)
    nav(portal, "My appointments")
    expect(portal.get_by_role("heading", level=1)).to_have_text("My appointments")
    rows = portal.locator("main table tbody tr")
    # Today's appointment (seeded) is listed, and too close to cancel online.
    today_row = rows.filter(has_text=timezone.localdate().strftime("%-d %b %Y"))
    expect(today_row).to_have_count(1)
    expect(today_row.get_by_role("button", name="Cancel")).to_have_count(0)

    # Book a slot three days ahead: a request for the desk to confirm.
    day = timezone.localdate() + timedelta(days=3)
    portal.get_by_role("button", name="Book an appointment").click()
    portal.locator("select[name=doctor]").select_option(str(house.pk))
    portal.locator("input[name=day]").fill(day.isoformat())
    portal.get_by_role("button", name="Show free slots").click()
    portal.locator(".slots").get_by_role("button", name="10:00").click()
    expect(portal.get_by_role("heading", level=1)).to_have_text("My appointments")
    booked = Appointment.objects.get(patient=pat, start__date=day)
    assert booked.status == AppointmentStatus.REQUESTED
    new_row = portal.locator("main table tbody tr", has_text=day.strftime("%-d %b %Y"))
    expect(new_row).to_contain_text("Requested")
    screenshot(portal, "portal")

    # Three days ahead is more than the 24 hours the rules ask: the patient may cancel.
    new_row.get_by_role("button", name="Cancel").click()
    expect(
        portal.locator("main table tbody tr", has_text=day.strftime("%-d %b %Y"))
    ).to_contain_text("Cancelled")
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED

    # Own results (the seed gave Pat some), and nobody else's.
    nav(portal, "My results")
    expect(portal.get_by_role("heading", level=1)).to_have_text("My results")
    mine = LabResult.objects.filter(order__encounter__patient=pat)
    assert mine.exists() and LabResult.objects.exclude(pk__in=mine).exists()
    rows = portal.locator("main table").first.locator("tbody tr")
    expect(rows).to_have_count(mine.count())  # every one of Pat's results, no one else's
    shown = sorted(row.locator("td").first.inner_text() for row in rows.all())
    assert shown == sorted(result.order.test_name for result in mine)

    # The other portal pages open, styled, for the patient.
    for link, heading in (
        ("My invoices", "My invoices"),
        ("Who saw my record", "Who saw my record"),
    ):
        nav(portal, link)
        expect(portal.get_by_role("heading", level=1)).to_have_text(heading)
        screenshot(portal, heading.lower().replace(" ", "-"))


def test_a_report_page_shows_its_progress_bar_until_done(
    seeded, page_as, browser_console, screenshot
):
    """The bar follows the job's event stream (static/shared/js/progress.js)."""
    from reports.services import build_report
    from shared.tasks.services import start_job

    admin = page_as(ADMIN)
    nav(admin, "Dashboard")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Departments today")
    screenshot(admin, "dashboard")
    nav(admin, "Reports")
    # Requested from the page: in the embedded mode Celery builds it inside the request.
    admin.get_by_role("button", name="Build the report").click()
    expect(admin).to_have_url(re.compile(r"/reports/\d+/$"))
    expect(admin.get_by_role("button", name="Download CSV")).to_be_visible()

    # To watch the bar move, a report whose build has not started: what the page shows
    # between the request and the worker picking the job up (made here without queueing
    # it, so no message is left in a broker). The test then builds it while the page watches.
    owner = User.objects.get(email=ADMIN)
    job = start_job(name="Department report, all departments, this month", owner=owner)
    report = DepartmentReport.objects.create(
        month=timezone.localdate().replace(day=1), requested_by=owner, job=job
    )
    admin.goto(f"/reports/{report.pk}/")
    widget = admin.locator("[data-task-progress]")
    expect(widget).to_be_visible()
    expect(widget).to_have_attribute("data-state", "pending")
    screenshot(admin, "report-waiting")

    assert build_report(report_id=report.pk) is True

    expect(widget).to_have_attribute("data-state", "succeeded")
    assert widget.locator("progress").evaluate("el => el.max > 0 && el.value === el.max")
    expect(widget.locator("[data-task-progress-message]")).to_have_text("Report ready")
    screenshot(admin, "report-done")
    widget.get_by_role("link", name="See the result").click()
    expect(admin.get_by_role("button", name="Download CSV")).to_be_visible()
    assert browser_console.csp_violations() == []
    assert browser_console.errors() == []


# Each role's main pages, and the columns of their first table a person looks for.
ROLE_PAGES = {
    RECEPTION: {
        "/desk/": ("Time", "Patient", "Status"),
        "/billing/": ("Number", "Status", "Total", "Balance"),
        "/dashboard/": ("Department", "Total"),
    },
    NURSE: {"/triage/": ("Time", "Patient")},
    DR_HOUSE: {"/schedule/": ("Time", "Patient", "Status"), "/lab/": (), "/reports/": ()},
    ADMIN: {"/dashboard/": ("Department", "Completed", "Total")},
    PATIENT: {
        "/portal/": ("When", "Status"),
        "/portal/book/": (),
        "/portal/results/": ("Test", "Result"),
        "/portal/invoices/": ("Total", "Balance"),
    },
}


@BOTH_SCREENS
def test_each_roles_pages_fit_the_screen_with_their_key_columns_in_view(
    seeded, browser, live_server, screen, screenshot
):
    """On a phone (390 px) and a laptop (1280 px): nothing sticks out or hides sideways
    (``screenshot`` runs ``assert_page_rendered``: the department dashboard's ten columns
    once hid the total at 1280 px), and the key columns of each list are in view."""
    from patients.tests.factories import PatientFactory
    from scheduling.tests.factories import AppointmentFactory
    from staff.tests.factories import DoctorFactory

    chart_of = Patient.objects.get(user__email=PATIENT).pk
    # A visit later today (the desk shows its buttons: Check in, No-show, Cancel) and one
    # checked in now (the nurse's triage lists it), whatever the seed left for today.
    # Minutes from now, not hours: they stay on today's list at (almost) any hour. A new
    # doctor and new patients, so they overlap nothing the seed booked.
    now = timezone.now().replace(second=0, microsecond=0)
    house = Doctor.objects.get(profile__user__email=DR_HOUSE)
    colleague = DoctorFactory(profile__department=house.profile.department)
    later = now + timedelta(minutes=30)
    AppointmentFactory(patient=PatientFactory(), doctor=colleague, start=later)
    AppointmentFactory(
        patient=PatientFactory(),
        doctor=colleague,
        start=now - timedelta(minutes=10),
        status=AppointmentStatus.CHECKED_IN,
    )
    extra = {RECEPTION: [f"/desk/patients/{chart_of}/"], DR_HOUSE: [f"/chart/{chart_of}/"]}
    for email, pages in ROLE_PAGES.items():
        context = new_context(browser, live_server.url, screen)
        page = context.new_page()
        if email == RECEPTION:  # the pages before a login, once
            for path in ("/", "/accounts/login/"):
                page.goto(path)
                screenshot(page, screen + (path.rstrip("/").replace("/", "-") or "-home"))
        log_in(page, email, django_settings.DEMO_PASSWORD)
        for path, columns in pages.items():
            page.goto(path)
            screenshot(page, screen + path.rstrip("/").replace("/", "-"))
            assert_columns_in_view(page, *columns)
            if path == "/desk/":
                # The desk's buttons (Check in, Cancel) sit in the last column of the day.
                assert_in_view(page.locator("main table").last.get_by_role("button").first)
        for path in extra.get(email, []):
            page.goto(path)
            screenshot(page, screen + path.rstrip("/").replace("/", "-"))
        context.close()


def test_the_api_docs_list_the_hospitals_operations(browser_page, browser_console):
    from shared.testing.browser import assert_api_docs_list_the_operations

    operations = assert_api_docs_list_the_operations(browser_page, browser_console)
    assert operations > 40  # patients, appointments, records, invoices, the accounts API
    assert browser_console.csp_violations() == []


def test_form_errors_look_like_the_shops(seeded, page_as, screenshot):
    """One error style (shared/css/app.css) whatever printed the error: shared/form.html on
    the patient form, Django's ``{{ field.errors }}`` list on the report form."""
    from shared.testing.browser import assert_form_errors_styled

    desk = page_as(RECEPTION)
    desk.goto("/desk/patients/new/")
    desk.get_by_role("button", name="Save").click()
    expect(desk.locator("small.error").first).to_be_visible()
    assert assert_form_errors_styled(desk) >= 3  # first name, last name, date of birth...
    screenshot(desk, "patient-form-errors")

    admin = page_as(ADMIN)
    admin.goto("/reports/")
    admin.get_by_label("Month").fill("")  # the form is novalidate: the server says why
    admin.get_by_role("button", name="Build the report").click()
    expect(admin.locator("ul.errorlist").first).to_be_visible()
    assert assert_form_errors_styled(admin) >= 1
    screenshot(admin, "report-form-errors")
