"""Certificate pages and API: my certificates, the PDF, and the public verification."""

import pytest

from certificates import services
from enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(course, student):
    enrollment = EnrollmentFactory(course=course, student=student, status="completed")
    return services.issue_certificate(enrollment=enrollment)[0]


def test_verification_page_is_public(client, certificate):
    page = client.get(f"/certificates/{certificate.code.lower()}/")
    assert page.status_code == 200 and "Certificate verified" in page.text
    assert certificate.course_title in page.text
    assert client.get("/certificates/NOTACODE/").status_code == 404


def test_verification_api_is_public(api_client, certificate):
    response = api_client.get(f"/api/v1/certificates/verify/{certificate.code}/")
    assert response.status_code == 200 and response.json()["course_title"] == "Python basics"
    assert api_client.get("/api/v1/certificates/verify/NOPE/").status_code == 404


def test_my_certificates_and_the_pdf(client, certificate, student, other_student, instructor):
    client.force_login(student)
    assert certificate.code in client.get("/certificates/").text
    pdf = client.get(f"/certificates/{certificate.code}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(instructor)  # staff of the course
    assert client.get(f"/certificates/{certificate.code}/pdf/").status_code == 200
    client.force_login(other_student)
    assert client.get(f"/certificates/{certificate.code}/pdf/").status_code == 404


def test_certificates_api_lists_only_mine(api_client_for, certificate, student, other_student):
    assert api_client_for(student).get("/api/v1/certificates/").json()["count"] == 1
    assert api_client_for(other_student).get("/api/v1/certificates/").json()["count"] == 0
    assert (
        api_client_for(other_student).get(f"/api/v1/certificates/{certificate.code}/").status_code
        == 404
    )
