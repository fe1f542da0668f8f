"""The LMS's load: learners browsing, enrolling, working through lessons and taking quizzes,
instructors in their gradebook grading submissions, and a program reading the API with a JWT.

    make loadtest P=lms USERS=30        (headless, report in loadtests/reports/)
    make loadtest-ui P=lms              (locust's web UI)

Learners log in through the login page (session + CSRF) and use the pages as a browser
does; the course slugs they need are read from the public API. A refusal that is part of
the domain (already enrolled: 409) is an outcome, not a failure.
"""

import random
import re
from urllib.parse import urlsplit

from locust import HttpUser, task

from loadtests.common.auth import (
    ApiSession,
    allow_secure_cookies_over_http,
    page_login,
    post_form,
)
from loadtests.common.journey import SeedData, collect, next_login, pause, share, think

COMPLETE_FORM = re.compile(r'action="(/learn/[^"]+/lessons/\d+/complete/)"')
NEXT_LINK = re.compile(r'href="(/learn/[^"]+/lessons/\d+/)" rel="next"')
QUIZ_LINK = re.compile(r'href="(/quizzes/\d+/)"')
START_FORM = re.compile(r'action="(/quizzes/\d+/start/)"')
CHOICE = re.compile(r'name="(q\d+)" value="(\d+)"')
GRADEBOOK_LINK = re.compile(r'href="(/teach/[\w-]+/gradebook/)"')
ASSIGNMENT_LINK = re.compile(r'href="(/assignments/\d+/)"')
SEARCH_WORDS = ["python", "django", "data", "bulk", "course"]

STEPS = [
    "/accounts/login/",
    "/accounts/login/ [POST]",
    "/courses/",
    "/courses/?q=[words]",
    "/courses/[slug]/",
    "/courses/[slug]/enrol/",
    "/learn/[slug]/",
    "/learn/[slug]/lessons/[id]/complete/",
    "/learn/[slug]/lessons/[id]/",
    "/my/courses/",
    "/quizzes/[id]/",
    "/quizzes/[id]/start/",
    "/attempts/[id]/ [POST]",
    "/teach/",
    "/teach/[slug]/",
    "/teach/[slug]/gradebook/",
    "/assignments/[id]/",
    "/api/v1/submissions/",
    "/submissions/[id]/grade/",
    "/submissions/[id]/grade/ [POST]",
    "/api/v1/auth/token/",
    "/api/v1/courses/",
    "/api/v1/courses/[slug]/",
    "/api/v1/enrollments/",
]


def course_slugs(client) -> list[str]:
    return SeedData.get(
        "courses", lambda: collect(client, "/api/v1/courses/", field="slug", pages=5)
    )


class Learner(HttpUser):
    """Browses the catalogue, enrols, reads lessons and marks them complete."""

    weight = share(6)
    wait_time = think(2, 6)

    def on_start(self):
        allow_secure_cookies_over_http(self.client)
        account = next_login("student")
        page_login(self.client, account["email"], account["password"])

    @task(2)
    def browse(self):
        self.client.get("/courses/", name="/courses/")
        pause(1, 3)
        self.client.get(f"/courses/?q={random.choice(SEARCH_WORDS)}", name="/courses/?q=[words]")
        pause(1, 3)
        self.client.get(
            f"/courses/{random.choice(course_slugs(self.client))}/", name="/courses/[slug]/"
        )

    @task(3)
    def study(self):
        slug = random.choice(course_slugs(self.client))
        page = self.client.get(f"/courses/{slug}/", name="/courses/[slug]/")
        pause(1, 2)
        if "/enrol/" in page.text:
            with post_form(
                self.client,
                f"/courses/{slug}/enrol/",
                {},
                name="/courses/[slug]/enrol/",
                page_html=page.text,
            ) as response:
                if response.status_code in (200, 409):
                    response.success()  # enrolled, waitlisted, or already in: all outcomes
        lesson = self.client.get(f"/learn/{slug}/", name="/learn/[slug]/")
        if lesson.status_code != 200:
            return  # on the waitlist: no lessons yet
        for _ in range(random.randint(1, 3)):
            pause(2, 5)
            match = COMPLETE_FORM.search(lesson.text)
            if match:
                with post_form(
                    self.client,
                    match.group(1),
                    {},
                    name="/learn/[slug]/lessons/[id]/complete/",
                    page_html=lesson.text,
                ) as response:
                    if response.ok:
                        response.success()
                lesson = response
            following = NEXT_LINK.search(lesson.text)
            if not following:
                break
            lesson = self.client.get(following.group(1), name="/learn/[slug]/lessons/[id]/")

    @task(1)
    def my_learning(self):
        self.client.get("/my/courses/", name="/my/courses/")

    @task(2)
    def take_a_quiz(self):
        """Enrolled courses only: open a quiz, start (or resume) an attempt, answer, submit."""
        mine = self.client.get("/my/courses/", name="/my/courses/")
        slugs = re.findall(r'href="/learn/([\w-]+)/"', mine.text)
        if not slugs:
            return
        course = self.client.get(f"/courses/{random.choice(slugs)}/", name="/courses/[slug]/")
        quiz = QUIZ_LINK.search(course.text)
        if not quiz:
            return
        page = self.client.get(quiz.group(1), name="/quizzes/[id]/")
        start = START_FORM.search(page.text)
        if not start:
            return
        with post_form(
            self.client, start.group(1), {}, name="/quizzes/[id]/start/", page_html=page.text
        ) as attempt:
            if attempt.status_code == 409:
                attempt.success()  # every attempt used: an outcome of the domain
                return
        if "/attempts/" not in attempt.url:
            return
        pause(3, 8)  # reading the questions, under the countdown
        answers: dict[str, str] = {}
        for name, value in CHOICE.findall(attempt.text):
            answers.setdefault(name, value)
        with post_form(
            self.client,
            urlsplit(attempt.url).path,
            answers,
            name="/attempts/[id]/ [POST]",
            page_html=attempt.text,
        ) as submitted:
            if submitted.status_code == 409:
                submitted.success()  # time ran out on a slow machine: refused, not failed


class Instructor(HttpUser):
    """Opens the courses they teach, their builder and gradebook, and grades submissions."""

    weight = share(1)
    wait_time = think(3, 8)

    def on_start(self):
        allow_secure_cookies_over_http(self.client)
        account = next_login("instructor")
        page_login(self.client, account["email"], account["password"])

    @task
    def builder(self):
        page = self.client.get("/teach/", name="/teach/")
        slugs = re.findall(r'href="/teach/([\w-]+)/"', page.text)
        if slugs:
            pause(1, 3)
            self.client.get(f"/teach/{random.choice(slugs)}/", name="/teach/[slug]/")

    @task(2)
    def grade(self):
        """The gradebook of a course they teach, then a submission waiting for a grade."""
        teaching = self.client.get("/teach/", name="/teach/")
        books = GRADEBOOK_LINK.findall(teaching.text)
        if books:
            book = self.client.get(random.choice(books), name="/teach/[slug]/gradebook/")
            assignments = ASSIGNMENT_LINK.findall(book.text)
            if assignments:
                pause(1, 3)
                self.client.get(random.choice(assignments), name="/assignments/[id]/")
        # The submissions of every course they teach (the seed hands one in), with the session.
        listing = self.client.get("/api/v1/submissions/?page_size=50", name="/api/v1/submissions/")
        rows = listing.json().get("results", []) if listing.ok else []
        if not rows:
            return
        url = f"/submissions/{random.choice(rows)['id']}/grade/"
        form = self.client.get(url, name="/submissions/[id]/grade/")
        pause(2, 5)
        with post_form(
            self.client,
            url,
            {"points": random.randint(50, 100), "feedback": "Good work."},
            name="/submissions/[id]/grade/ [POST]",
            page_html=form.text,
        ) as response:
            if not response.ok:
                response.failure(f"grading answered {response.status_code}")


class ApiClient(HttpUser):
    """A mobile app's backend reading the catalogue and its learner's enrollments."""

    weight = share(2)
    wait_time = think(1, 3)

    def on_start(self):
        account = next_login("student")
        self.api = ApiSession(self.client, account["email"], account["password"])
        self.api.login()

    @task(3)
    def courses(self):
        self.api.get("/api/v1/courses/?search=python", name="/api/v1/courses/")
        slug = random.choice(course_slugs(self.client))
        self.api.get(f"/api/v1/courses/{slug}/", name="/api/v1/courses/[slug]/")

    @task(1)
    def enrollments(self):
        self.api.get("/api/v1/enrollments/", name="/api/v1/enrollments/")
