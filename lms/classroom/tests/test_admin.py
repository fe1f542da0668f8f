"""The admin shows live sessions with their questions, read only."""

import pytest
from django.urls import reverse

from classroom.tests.factories import LiveQuestionFactory

pytestmark = pytest.mark.django_db


def test_a_superuser_reads_a_session_with_its_questions(page_client_for, make_user, course):
    question = LiveQuestionFactory(session__course=course, prompt="Tabs or spaces?")
    client = page_client_for(make_user(email="root@example.com", is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:classroom_livesession_changelist"))
    assert listing.status_code == 200 and "Python basics" in listing.content.decode()
    page = client.get(reverse("admin:classroom_livesession_change", args=[question.session_id]))
    assert page.status_code == 200 and "Tabs or spaces?" in page.content.decode()
