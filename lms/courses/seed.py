"""Demo courses: published ones with modules and lessons, a full one, and a draft.

``seed_demo()`` is idempotent (courses are keyed by slug); ``seed_bulk(n)`` adds n generated
courses for load tests. The demo users (settings.DEMO_LOGINS) must exist first.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from courses.models import Course, CourseStaff, Lesson, Module, Tag

LESSON_TEXT = """## What you will learn

This lesson explains one idea with a short example:

```python
print("hello, learner")
```

Read it, try it, then **mark the lesson complete**.
"""

DEMO_COURSES = [
    {
        "slug": "python-for-beginners",
        "title": "Python for beginners",
        "summary": "From your first variable to small scripts.",
        "capacity": 500,
        "status": Course.Status.PUBLISHED,
        "tags": ["Python", "Programming"],
        "modules": {
            "Getting started": ["Installing Python", "Your first program", "Variables"],
            "Control flow": ["Conditions", "Loops", "Functions"],
        },
    },
    {
        "slug": "web-apps-with-django",
        "title": "Web apps with Django",
        "summary": "Models, views, templates and forms, step by step.",
        "capacity": 200,
        "status": Course.Status.PUBLISHED,
        "tags": ["Python", "Web"],
        "modules": {
            "The request cycle": ["URLs and views", "Templates"],
            "Data": ["Models", "The admin", "Forms"],
        },
    },
    {
        "slug": "data-masterclass",
        "title": "Data masterclass",
        "summary": "A small group, live sessions: the waitlist opens when it is full.",
        "capacity": 2,
        "status": Course.Status.PUBLISHED,
        "tags": ["Data"],
        "modules": {"Foundations": ["Tidy data", "Grouping"]},
    },
    {
        "slug": "machine-learning-draft",
        "title": "Machine learning (in preparation)",
        "summary": "Not published yet: only its staff can open it.",
        "capacity": 40,
        "status": Course.Status.DRAFT,
        "tags": ["Data"],
        "modules": {"Introduction": ["What is a model?"]},
    },
]
INSTRUCTOR_EMAIL = "instructor@lms.example"
ASSISTANT_EMAIL = "ta@lms.example"


def _build(spec: dict, instructor, assistant=None) -> Course:
    course, created = Course.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "title": spec["title"],
            "summary": spec["summary"],
            "description": f"# {spec['title']}\n\n{spec['summary']}",
            "capacity": spec["capacity"],
            "status": spec["status"],
            "created_by": instructor,
        },
    )
    if not created:
        return course
    CourseStaff.objects.create(course=course, user=instructor, role=CourseStaff.Role.INSTRUCTOR)
    if assistant is not None:
        CourseStaff.objects.create(course=course, user=assistant, role=CourseStaff.Role.ASSISTANT)
    for name in spec["tags"]:
        tag, _ = Tag.objects.get_or_create(slug=name.lower(), defaults={"name": name})
        course.tags.add(tag)
    for m, (title, lessons) in enumerate(spec["modules"].items(), start=1):
        module = Module.objects.create(course=course, title=title, position=m)
        Lesson.objects.bulk_create(
            Lesson(module=module, title=name, position=n, body=LESSON_TEXT)
            for n, name in enumerate(lessons, start=1)
        )
    return course


@transaction.atomic
def seed_demo() -> None:
    users = get_user_model().objects
    instructor = users.get(email=INSTRUCTOR_EMAIL)
    assistant = users.get(email=ASSISTANT_EMAIL)
    for number, spec in enumerate(DEMO_COURSES):
        # The TA assists the first course, and is a student elsewhere (enrollments/seed.py).
        _build(spec, instructor, assistant if number == 0 else None)


BULK_BATCH = 2000


def seed_bulk(count: int) -> None:
    """Make sure ``count`` generated published courses exist (one module, three lessons each).

    ``bulk_create`` in batches, one transaction each: the benchmark's 10,000 courses take
    seconds, where one ``_build`` per course (a dozen queries each) would take minutes."""
    instructor = get_user_model().objects.get(email=INSTRUCTOR_EMAIL)
    tag, _ = Tag.objects.get_or_create(slug="bulk", defaults={"name": "Bulk"})
    have = Course.objects.filter(slug__startswith="bulk-course-").count()
    for first in range(have + 1, count + 1, BULK_BATCH):
        numbers = range(first, min(first + BULK_BATCH, count + 1))
        with transaction.atomic():
            courses = Course.objects.bulk_create(
                Course(
                    slug=f"bulk-course-{n}",
                    title=f"Bulk course {n}",
                    summary="Generated for load tests.",
                    description=f"# Bulk course {n}\n\nGenerated for load tests.",
                    capacity=1000,
                    status=Course.Status.PUBLISHED,
                    created_by=instructor,
                )
                for n in numbers
            )
            CourseStaff.objects.bulk_create(
                CourseStaff(course=course, user=instructor, role=CourseStaff.Role.INSTRUCTOR)
                for course in courses
            )
            Course.tags.through.objects.bulk_create(
                Course.tags.through(course=course, tag=tag) for course in courses
            )
            modules = Module.objects.bulk_create(
                Module(course=course, title="Module 1", position=1) for course in courses
            )
            Lesson.objects.bulk_create(
                Lesson(module=module, title=f"Lesson {n}", position=n, body=LESSON_TEXT)
                for module in modules
                for n in (1, 2, 3)
            )
