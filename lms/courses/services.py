"""Use cases of building a course: create, staff, modules, lessons, reorder, publish, announce."""

# UploadedFile is generic only for the type checker, so annotations are not evaluated.
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from core.roles import COURSE_AUTHORS
from courses.models import Announcement, Course, CourseStaff, Lesson, Module, Tag
from courses.uploads import validate_upload
from shared.accounts.models import User
from shared.errors import Conflict, DomainError
from shared.tasks.base import enqueue_on_commit
from shared.transitions import get_transition
from shared.web.live import group_send_on_commit


def require_perm(user: User, perm: str, course: Course) -> None:
    """Refuse (403) a user without ``perm`` on ``course``; the doors 404 first when the
    course is not even visible, so this only speaks to people who may see it."""
    if not user.has_perm(perm, course):
        raise PermissionDenied


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "course"
    slug, n = base, 2
    while Course.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_course(
    *,
    by: User,
    title: str,
    summary: str = "",
    description: str = "",
    capacity: int = 30,
    starts_on: date | None = None,
    ends_on: date | None = None,
    tags: list[str] | None = None,
) -> Course:
    """A draft course, its author staffed as its instructor."""
    if not by.has_role(*COURSE_AUTHORS):
        raise PermissionDenied
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError(gettext("The course cannot end before it starts."), field="ends_on")
    course = Course.objects.create(
        title=title,
        slug=_unique_slug(title),
        summary=summary,
        description=description,
        capacity=capacity,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    CourseStaff.objects.create(course=course, user=by, role=CourseStaff.Role.INSTRUCTOR)
    set_tags(course=course, names=tags or [])
    return course


def set_tags(*, course: Course, names: list[str]) -> None:
    """Replace the course's tags by these names, creating the tags that are new."""
    tags = []
    for name in {n.strip() for n in names if n.strip()}:
        tag, _ = Tag.objects.get_or_create(slug=slugify(name)[:50], defaults={"name": name[:50]})
        tags.append(tag)
    course.tags.set(tags)


@transaction.atomic
def update_course(
    *,
    by: User,
    course: Course,
    title: str,
    summary: str,
    description: str,
    capacity: int,
    starts_on: date | None,
    ends_on: date | None,
    tags: list[str],
) -> Course:
    require_perm(by, "courses.build_course", course)
    locked: Course = Course.objects.select_for_update().get(pk=course.pk)
    if capacity < locked.seats_taken:
        raise DomainError(
            gettext("%(taken)s students hold a seat; the capacity cannot be lower.")
            % {"taken": locked.seats_taken},
            field="capacity",
        )
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError(gettext("The course cannot end before it starts."), field="ends_on")
    grew = capacity > locked.capacity
    for field, value in {
        "title": title,
        "summary": summary,
        "description": description,
        "capacity": capacity,
        "starts_on": starts_on,
        "ends_on": ends_on,
    }.items():
        setattr(locked, field, value)
    locked.save()
    set_tags(course=locked, names=tags)
    if grew:
        # New seats go to the waitlist at once, in order (the enrollments job).
        enqueue_on_commit("enrollments.fill_free_seats", course_id=locked.pk)
    return locked


@transaction.atomic
def apply_transition(*, by: User, course: Course, action: str) -> Course:
    """Publish, unpublish or archive: a conditional UPDATE, so two clicks cannot both win."""
    require_perm(by, "courses.build_course", course)
    transition = get_transition(Course.TRANSITIONS, action)
    if action == "publish" and not Lesson.objects.filter(module__course=course).exists():
        raise Conflict(gettext("Add at least one lesson before publishing."), code="empty_course")
    moved = Course.objects.filter(pk=course.pk, status__in=transition.sources).update(
        status=transition.target
    )
    if not moved:
        course.refresh_from_db()
        status = course.get_status_display().lower()
        raise Conflict(gettext("A %(status)s course cannot do that.") % {"status": status})
    course.refresh_from_db()
    return course


def add_staff(*, by: User, course: Course, user: User, role: str) -> CourseStaff:
    require_perm(by, "courses.build_course", course)
    if role not in CourseStaff.Role.values:
        raise DomainError(gettext("Unknown staff role %(role)r.") % {"role": role}, field="role")
    staff, _ = CourseStaff.objects.update_or_create(
        course=course, user=user, defaults={"role": role}
    )
    return staff


@transaction.atomic
def add_module(*, by: User, course: Course, title: str) -> Module:
    require_perm(by, "courses.build_course", course)
    # Lock the course so two modules added at once do not take the same position.
    Course.objects.select_for_update().get(pk=course.pk)
    position = course.modules.count() + 1
    return Module.objects.create(course=course, title=title, position=position)


@transaction.atomic
def add_lesson(
    *,
    by: User,
    module: Module,
    title: str,
    kind: str = Lesson.Kind.TEXT,
    body: str = "",
    video_url: str = "",
    attachment: UploadedFile[bytes] | None = None,
) -> Lesson:
    require_perm(by, "courses.build_course", module.course)
    if kind not in Lesson.Kind.values:
        raise DomainError(gettext("Unknown lesson kind %(kind)r.") % {"kind": kind}, field="kind")
    if kind == Lesson.Kind.VIDEO and not video_url:
        raise DomainError(gettext("A video lesson needs the video's address."), field="video_url")
    if kind == Lesson.Kind.FILE and attachment is None:
        raise DomainError(gettext("A file lesson needs its file."), field="attachment")
    Module.objects.select_for_update().get(pk=module.pk)
    lesson = Lesson(
        module=module,
        title=title,
        kind=kind,
        body=body,
        video_url=video_url,
        position=module.lessons.count() + 1,
    )
    if attachment is not None:
        validate_upload(attachment)
        name = attachment.name or "attachment"
        lesson.attachment_name = name[:200]
        lesson.attachment.save(name, attachment, save=False)
    lesson.save()
    return lesson


@transaction.atomic
def reorder_modules(*, by: User, course: Course, order: list[int]) -> None:
    """Put the course's modules in this order of ids (every module, each once)."""
    require_perm(by, "courses.build_course", course)
    Course.objects.select_for_update().get(pk=course.pk)
    ids = set(course.modules.values_list("pk", flat=True))
    if set(order) != ids or len(order) != len(ids):
        raise DomainError(gettext("List every module of the course exactly once."), field="order")
    for position, pk in enumerate(order, start=1):
        Module.objects.filter(pk=pk).update(position=position)


@transaction.atomic
def reorder_lessons(*, by: User, module: Module, order: list[int]) -> None:
    """Put the module's lessons in this order of ids (every lesson, each once)."""
    require_perm(by, "courses.build_course", module.course)
    Module.objects.select_for_update().get(pk=module.pk)
    ids = set(module.lessons.values_list("pk", flat=True))
    if set(order) != ids or len(order) != len(ids):
        raise DomainError(gettext("List every lesson of the module exactly once."), field="order")
    for position, pk in enumerate(order, start=1):
        Lesson.objects.filter(pk=pk).update(position=position)


@transaction.atomic
def move(*, by: User, item: Module | Lesson, direction: str) -> None:
    """Swap a module or lesson with its neighbour ("up" or "down"): the builder's buttons."""
    siblings = (
        list(item.course.modules.all())
        if isinstance(item, Module)
        else list(item.module.lessons.all())
    )
    ids = [s.pk for s in siblings]
    index = ids.index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down"):
        raise DomainError(gettext("Move up or down."), field="direction")
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
    if isinstance(item, Module):
        reorder_modules(by=by, course=item.course, order=ids)
    else:
        reorder_lessons(by=by, module=item.module, order=ids)


@transaction.atomic
def post_announcement(*, by: User, course: Course, title: str, body: str) -> Announcement:
    """Post to the course; every active student is emailed (one job per announcement)."""
    require_perm(by, "courses.build_course", course)
    announcement = Announcement.objects.create(course=course, author=by, title=title, body=body)
    enqueue_on_commit("enrollments.email_announcement", announcement_id=announcement.pk)
    # And live, to every student connected to the course (classroom/consumers.py).
    group_send_on_commit(
        course.live_group,
        {"type": "live.event", "kind": "announcement", "title": title, "body": body},
    )
    return announcement
