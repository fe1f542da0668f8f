"""The LMS in a real browser: a student enrols, learns and takes a timed quiz; an instructor
builds a quiz in the quiz editor and grades a submission in the gradebook; the instructor's
pages in Hindi, on a phone and a laptop.

Headless Chromium against a live server, on the demo seed (shared/testing/browser.py and
docs/browser-tests.md). Only a browser proves that the countdown's script runs under the
Content-Security-Policy, that the forms post where they should and the pages are styled.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from playwright.sync_api import expect

from assignments import services as assignment_services
from assignments.models import Assignment, Submission
from core.roles import STUDENT
from enrollments.seed import STUDENT_EMAIL
from quizzes.models import Attempt, Quiz
from shared.testing.browser import BOTH_SCREENS, assert_columns_in_view, log_in, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INSTRUCTOR = "instructor@lms.example"


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)


def test_a_student_enrols_learns_and_takes_a_timed_quiz(
    seeded, make_user, browser_page, browser_console, screenshot
):
    page = browser_page
    student = make_user(roles=[STUDENT], email="learner@example.com", full_name="Lee Learner")
    log_in(page, student.email)

    # The catalogue: search, then the course page with its syllabus.
    page.get_by_role("link", name="Courses", exact=True).click()
    page.get_by_role("searchbox", name="Search").fill("python")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Python for beginners").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Python for beginners")
    expect(page.locator(".syllabus")).to_contain_text("Installing Python")
    screenshot(page, "course")

    # Enrol, then learn: mark the first lesson complete and move on.
    page.get_by_role("button", name="Enrol").click()
    expect(page.locator(".messages")).to_contain_text("You are enrolled")
    page.get_by_role("button", name="Continue learning").click()  # a link styled as a button
    expect(page.get_by_role("heading", level=1)).to_have_text("Installing Python")
    page.get_by_role("button", name="Mark complete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first program")
    expect(page.locator("label[for=course-progress]")).to_contain_text("1 of 6 lessons (17%)")
    page.get_by_role("link", name=re.compile("Installing Python")).first.click()
    expect(page.locator("article footer")).to_contain_text("Complete")
    screenshot(page, "lesson")

    # The quiz: start, watch the countdown run (a static script, allowed by the CSP), answer.
    page.locator("aside").get_by_role("link", name=re.compile("check your understanding")).click()
    page.get_by_role("button", name="Start or resume an attempt").click()
    timer = page.get_by_role("timer")
    expect(timer).to_have_text(re.compile(r"^9:\d\d$"))
    page.get_by_label("def").check()
    page.get_by_label("list").check()
    page.get_by_label("dict").check()
    page.get_by_label("3", exact=True).check()
    screenshot(page, "quiz")
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator(".score")).to_contain_text("3/3")
    expect(page.locator(".score")).to_contain_text("Passed")
    attempt = Attempt.objects.get(enrollment__student=student)
    assert (attempt.status, attempt.score, attempt.number) == ("submitted", 3, 1)
    assert browser_console.csp_violations() == []
    assert browser_console.errors() == []


def test_an_instructor_grades_a_submission_from_the_gradebook(
    seeded, browser_page, browser_console, screenshot
):
    page = browser_page
    student = get_user_model().objects.get(email="student@lms.example")
    assignment = Assignment.objects.get(
        course__slug="python-for-beginners", title="Project: put it into practice"
    )
    assignment_services.submit(
        by=student, assignment=assignment, file=SimpleUploadedFile("project.txt", b"print(1)")
    )

    log_in(page, INSTRUCTOR, django_settings.DEMO_PASSWORD)
    page.get_by_role("link", name="Teaching").click()
    page.locator("tr", has_text="Python for beginners").get_by_role(
        "link", name="Gradebook"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gradebook: Python for beginners")
    expect(page.locator("table.gradebook")).to_contain_text("Asha Rao")
    screenshot(page, "gradebook")

    page.get_by_role("link", name="Project: put it into practice").click()
    row = page.locator("tr", has_text="Asha Rao")
    expect(row).to_contain_text("project.txt")
    row.get_by_role("link", name="Grade").click()
    page.get_by_label("Points").fill("85")
    page.get_by_label("Feedback").fill("Clear and tested.")
    page.get_by_role("button", name="Save the grade").click()
    expect(page.locator(".messages")).to_contain_text("Grade saved")
    expect(page.locator("tr", has_text="Asha Rao")).to_contain_text("85/100")
    assert Submission.objects.get(assignment=assignment).points == 85
    assert browser_console.errors() == []


def test_an_instructor_builds_a_quiz_in_the_editor(
    seeded, browser_page, browser_console, screenshot
):
    page = browser_page
    log_in(page, INSTRUCTOR, django_settings.DEMO_PASSWORD)
    page.get_by_role("link", name="Teaching").click()
    page.locator("tr", has_text="Python for beginners").get_by_role("link", name="Builder").click()
    page.get_by_role("button", name="New quiz").click()  # a link styled as a button

    # The quiz's settings: a missing title is shown on its field, the rest is kept.
    page.get_by_label("Attempts allowed").fill("2")
    page.get_by_label("Time limit (minutes)").fill("5")
    page.get_by_label("Pass mark (%)").fill("50")
    page.get_by_label("Grading").select_option("last")
    page.get_by_label("Title").fill("Loops and lists")
    page.get_by_role("button", name="Create the quiz").click()
    expect(page.locator(".messages")).to_contain_text("Quiz created")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quiz editor: Loops and lists")
    screenshot(page, "quiz-editor-empty")

    # A question whose answer key is wrong comes back with the message and what was typed.
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Question").fill("Which of these repeat code?")
    page.get_by_label("Answers").select_option("multiple")
    page.get_by_label("Points").fill("2")
    page.get_by_label("Choice 1", exact=True).fill("for")
    page.get_by_label("Choice 2", exact=True).fill("while")
    page.get_by_label("Choice 3", exact=True).fill("if")
    page.get_by_role("button", name="Save the question").click()
    expect(page.locator(".form-errors")).to_contain_text("at least one correct choice")
    expect(page.get_by_label("Choice 3", exact=True)).to_have_value("if")
    screenshot(page, "quiz-question-error")
    page.get_by_label("Choice 1 is correct").check()
    page.get_by_label("Choice 2 is correct").check()
    page.get_by_role("button", name="Save the question").click()
    expect(page.locator(".messages")).to_contain_text("Question saved")

    # A second question, then move it to the top.
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Question").fill("What does len([1, 2]) give?")
    page.get_by_label("Choice 1", exact=True).fill("2")
    page.get_by_label("Choice 2", exact=True).fill("1")
    page.get_by_label("Choice 1 is correct").check()
    page.get_by_role("button", name="Save the question").click()
    page.locator("li", has_text="What does len").get_by_role("button", name="Move up").click()
    expect(page.locator("[data-question]").first).to_contain_text("What does len")
    screenshot(page, "quiz-editor")

    quiz = Quiz.objects.get(title="Loops and lists")
    assert (quiz.attempt_limit, quiz.time_limit_minutes, quiz.grading) == (2, 5, "last")
    assert [(q.text, q.kind, q.points) for q in quiz.questions.all()] == [
        ("What does len([1, 2]) give?", "single", 1),
        ("Which of these repeat code?", "multiple", 2),
    ]
    assert list(quiz.questions.last().choices.values_list("text", "is_correct")) == [
        ("for", True), ("while", True), ("if", False),
    ]  # fmt: skip
    assert browser_console.csp_violations() == []
    # The refused question answered 400, as every invalid form does, and Chromium logs
    # that status: it is the one error expected.
    refused = "the server responded with a status of 400 (Bad Request)"
    assert [e for e in browser_console.errors() if refused not in e] == []
    assert len(browser_console.errors()) == 1


@BOTH_SCREENS
def test_each_roles_pages_fit_the_screen_with_their_key_columns_in_view(
    seeded, browser, live_server, screen, screenshot
):
    """On a phone (390 px) and a laptop (1280 px): nothing sticks out or hides sideways
    (``screenshot`` runs ``assert_page_rendered``), and the key columns of each list (a
    status, a grade, the link to go on) are in view without a sideways scroll."""
    course = "python-for-beginners"
    quiz = Quiz.objects.filter(course__slug=course).order_by("pk").first()
    assignment = Assignment.objects.filter(course__slug=course).order_by("pk").first()
    pages = {
        None: {"/": (), "/courses/": (), f"/courses/{course}/": (), "/accounts/login/": ()},
        STUDENT_EMAIL: {
            "/my/courses/": ("Course", "Status", "Progress"),
            f"/learn/{course}/": (),
            f"/quizzes/{quiz.pk}/": (),
            f"/assignments/{assignment.pk}/": (),
            "/certificates/": (),
        },
        INSTRUCTOR: {
            "/teach/": ("Course", "Status"),
            f"/teach/{course}/": (),
            f"/teach/{course}/gradebook/": (),
            f"/assignments/{assignment.pk}/": ("Student", "Grade", "Action"),
        },
    }
    for email, paths in pages.items():
        context = new_context(browser, live_server.url, screen)
        page = context.new_page()
        if email:
            log_in(page, email, django_settings.DEMO_PASSWORD)
        for path, columns in paths.items():
            page.goto(path)
            name = (email or "visitor").split("@")[0]
            screenshot(page, f"{screen}-{name}{path.rstrip('/').replace('/', '-')}")
            if columns:
                assert_columns_in_view(page, *columns)
        context.close()


def test_the_api_docs_list_the_lms_operations(browser_page, browser_console):
    from shared.testing.browser import assert_api_docs_list_the_operations

    operations = assert_api_docs_list_the_operations(browser_page, browser_console)
    assert operations > 15  # courses, enrollments, quizzes, attempts, submissions, accounts
    assert browser_console.csp_violations() == []


def test_a_student_switches_to_hindi_and_learns_in_hindi(
    seeded, make_user, browser_page, browser_console, screenshot
):
    """The switcher is a plain form: one click, no script; then every page is in Hindi."""
    page = browser_page
    student = make_user(roles=[STUDENT], email="hindi@example.com", full_name="Ravi Kumar")
    log_in(page, student.email)  # the browser asks for English (en-US): the login is English

    page.locator("header").get_by_role("button", name="हिंदी").click()
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    # The header, then the catalogue: search, and a course's page.
    page.get_by_role("link", name="पाठ्यक्रम", exact=True).click()  # "Courses"
    expect(page.get_by_role("heading", level=1)).to_have_text("पाठ्यक्रम सूची-पत्र")
    page.get_by_role("searchbox", name="खोजें").fill("python")
    page.get_by_role("button", name="खोजें").click()
    expect(page.locator(".course-card").first).to_contain_text("सीटें बाकी")  # "seats left"
    screenshot(page, "hindi-catalogue")
    page.get_by_role("link", name="Python for beginners").click()
    syllabus = page.get_by_role("heading", name="पाठ्यक्रम सूची", exact=True)  # "Syllabus"
    expect(syllabus).to_be_visible()

    # Enrol and mark the first lesson complete, in Hindi.
    page.get_by_role("button", name="नामांकन करें").click()  # "Enrol"
    expect(page.locator(".messages")).to_contain_text("आप Python for beginners में नामांकित हैं।")
    page.get_by_role("button", name="सीखना जारी रखें").click()  # "Continue learning"
    expect(page.get_by_role("heading", level=1)).to_have_text("Installing Python")
    page.get_by_role("button", name="पूर्ण चिह्नित करें").click()  # "Mark complete"
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first program")
    expect(page.locator("label[for=course-progress]")).to_contain_text("प्रगति: 6 में से 1 पाठ (17%)")
    screenshot(page, "hindi-lesson")

    # The learner's own list: headings, status and the link to go on, all in Hindi.
    page.get_by_role("link", name="मेरी पढ़ाई").click()  # "My learning"
    row = page.locator("tr", has_text="Python for beginners")
    expect(row).to_contain_text("सक्रिय")  # "Active"
    expect(row.get_by_role("link", name="जारी रखें")).to_be_visible()  # "Continue"
    expect(page.locator("thead")).to_contain_text("प्रगति")
    screenshot(page, "hindi-my-learning")

    # And back to English with the same switcher, on the same page.
    page.locator("header").get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")
    assert browser_console.csp_violations() == []
    assert browser_console.errors() == []


@BOTH_SCREENS
def test_an_instructor_walks_the_teaching_pages_in_hindi(
    seeded, browser, live_server, screen, screenshot
):
    """The instructor's pages (teaching list, builder, quiz editor, gradebook, grading)
    in Hindi, on a phone and a laptop: each page's heading or a known text is Hindi."""
    student = get_user_model().objects.get(email=STUDENT_EMAIL)
    assignment = Assignment.objects.get(
        course__slug="python-for-beginners", title="Project: put it into practice"
    )
    submission = assignment_services.submit(
        by=student, assignment=assignment, file=SimpleUploadedFile("project.txt", b"print(1)")
    )
    quiz = Quiz.objects.get(course__slug="python-for-beginners")  # the demo student tried it
    context = new_context(browser, live_server.url, screen)
    page = context.new_page()
    log_in(page, INSTRUCTOR, django_settings.DEMO_PASSWORD)
    page.locator("header").get_by_role("button", name="हिंदी").click()
    expect(page.locator("html")).to_have_attribute("lang", "hi")

    course = "python-for-beginners"
    walk = {
        "/teach/": "आपके पढ़ाए जाने वाले पाठ्यक्रम",  # "Courses you teach"
        f"/teach/{course}/": "पाठ्यक्रम सूची",  # "Syllabus"
        f"/teach/{course}/quizzes/{quiz.pk}/": "प्रश्नोत्तरी संपादक",  # "Quiz editor"
        f"/teach/{course}/quizzes/{quiz.pk}/questions/new/": "नया प्रश्न",  # "New question"
        f"/teach/{course}/gradebook/": "ग्रेडबुक: Python for beginners",
        f"/submissions/{submission.pk}/grade/": "ग्रेड सहेजें",  # "Save the grade"
    }
    for path, hindi in walk.items():
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "hi")
        expect(page.locator("main")).to_contain_text(hindi)
        screenshot(page, f"{screen}-hindi{path.rstrip('/').replace('/', '-')}")
    # The builder lists the quiz and the editor says, in Hindi, why its questions are locked.
    page.goto(f"/teach/{course}/")
    expect(page.get_by_role("button", name="नई प्रश्नोत्तरी")).to_be_visible()  # "New quiz"
    page.goto(f"/teach/{course}/quizzes/{quiz.pk}/")
    expect(page.locator(".notice")).to_contain_text("बंद (लॉक) हैं")  # "are locked"
    context.close()
