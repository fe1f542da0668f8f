"""The hospital's layout on every page, the shared ones (login, password, errors) included."""

import pytest
from django.test import Client
from django.urls import reverse

from patients.tests.factories import PortalPatientFactory
from staff.tests.factories import staff_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/password/change/", "/nowhere/"])
def test_the_shared_pages_keep_the_hospitals_navigation(page_client_for, make_user, path):
    desk = page_client_for(make_user(roles=["receptionist"]))
    page = desk.get(path).content.decode()
    assert 'href="/desk/"' in page and ">Desk</a>" in page


@pytest.mark.usefixtures("at_noon")
def test_home_shows_the_doors_of_each_role(client, settings):
    settings.DEBUG = True  # the demo logins show only on a laptop
    settings.DEMO_LOGINS = [{"role": "doctor", "email": "d@x.io", "password": "pw"}]
    assert "d@x.io" in client.get("/").content.decode()
    client.force_login(staff_user("receptionist"))
    page = client.get("/").content.decode()
    assert reverse("scheduling:desk") in page and reverse("scheduling:portal") not in page


@pytest.mark.usefixtures("at_noon")
@pytest.mark.parametrize(
    "role, shown, hidden",
    [
        ("receptionist", ["/desk/", "/billing/", "/dashboard/"], ["/schedule/", "/portal/"]),
        ("doctor", ["/schedule/", "/triage/", "/lab/", "/dashboard/"], ["/desk/", "/portal/"]),
        ("nurse", ["/triage/", "/dashboard/"], ["/desk/", "/schedule/", "/lab/"]),
        (
            "patient",
            ["/portal/", "/portal/results/", "/portal/invoices/", "/portal/access/"],
            ["/desk/", "/dashboard/"],
        ),
    ],
)
def test_the_navigation_shows_each_role_its_pages(client, role, shown, hidden):
    user = staff_user(role) if role != "patient" else PortalPatientFactory().user
    client.force_login(user)
    nav = client.get("/").content.decode().split("</nav>")[0]
    for url in shown:
        assert f'href="{url}"' in nav, (role, url)
        assert client.get(url).status_code == 200, (role, url)  # the link opens
    for url in hidden:
        assert f'href="{url}"' not in nav, (role, url)


def test_pages_with_patient_data_are_never_cached(ward, page_client_for, api_client_for):
    desk = page_client_for(ward.receptionist)
    invoice = ward.encounter.invoices.create(patient=ward.patient, created_by=ward.receptionist)
    answers = [
        desk.get(reverse("scheduling:desk")),
        desk.get(reverse("scheduling:patient", args=[ward.patient.pk])),
        desk.get(reverse("billing:detail", args=[invoice.pk])),
        page_client_for(ward.doctor_user).get(reverse("clinical:chart", args=[ward.patient.pk])),
        page_client_for(ward.patient_user).get(reverse("clinical:my-results")),
        api_client_for(ward.receptionist).get(f"/api/v1/patients/{ward.patient.pk}/"),
    ]
    for response in answers:
        assert response.status_code == 200, response
        assert "no-store" in response["Cache-Control"], response
    # A public page may be cached: the rule is for what a signed-in user sees.
    assert "no-store" not in Client().get("/").get("Cache-Control", "")
