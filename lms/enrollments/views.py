"""Learner pages: enrol and drop, my learning, the lesson view with progress, lesson files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from courses.models import Course, Lesson
from courses.services import require_perm
from courses.uploads import protected_file_response
from enrollments import services
from enrollments.forms import BulkEnrollmentForm
from enrollments.models import BulkEnrollment, Enrollment
from shared.errors import DomainError
from shared.web.forms import add_domain_error, form_status


@login_required
@require_POST
def enrol(request, slug: str):
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=slug)
    enrollment = services.enroll(by=request.user, course=course)
    if enrollment.status == Enrollment.Status.ACTIVE:
        messages.success(
            request, gettext("You are enrolled in %(course)s.") % {"course": course.title}
        )
    else:
        messages.info(
            request,
            gettext("The course is full: you are number %(position)s on the waitlist.")
            % {"position": enrollment.waitlist_position},
        )
    return redirect(course)


@login_required
@require_POST
def drop(request, pk: int):
    enrollment = get_object_or_404(Enrollment.objects.filter(student=request.user), pk=pk)
    services.drop(by=request.user, enrollment=enrollment)
    messages.success(
        request, gettext("You have left %(course)s.") % {"course": enrollment.course.title}
    )
    return redirect(enrollment.course)


@login_required
def my_learning(request):
    enrollments = (
        Enrollment.objects.filter(student=request.user)
        .exclude(status=Enrollment.Status.DROPPED)
        .select_related("course")
        .with_progress()
        .order_by("status", "course__title")
    )
    return render(request, "enrollments/mine.html", {"enrollments": enrollments})


def _learner_course(request, slug: str) -> tuple[Course, Enrollment | None]:
    """The course and the user's enrollment; 404 unless they take part in it or teach it."""
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=slug)
    enrollment = services.enrollment_of(request.user, course)
    if enrollment is None and not request.user.has_perm("courses.grade_course", course):
        raise Http404("You are not enrolled in this course.")
    return course, enrollment


@login_required
def learn(request, slug: str):
    """Continue where the learner stopped: the first lesson not yet complete."""
    course, enrollment = _learner_course(request, slug)
    lessons = Lesson.objects.filter(module__course=course)
    if enrollment is not None:
        lessons = lessons.exclude(progress__enrollment=enrollment)
    lesson = lessons.first() or Lesson.objects.filter(module__course=course).first()
    if lesson is None:
        messages.info(request, gettext("This course has no lessons yet."))
        return redirect(course)
    return redirect("enrollments:lesson", slug=course.slug, pk=lesson.pk)


@login_required
def lesson_view(request, slug: str, pk: int):
    course, enrollment = _learner_course(request, slug)
    lessons = list(Lesson.objects.filter(module__course=course).select_related("module"))
    lesson = next((item for item in lessons if item.pk == pk), None)
    if lesson is None:
        raise Http404("No such lesson in this course.")
    index = lessons.index(lesson)
    done = set(enrollment.progress.values_list("lesson_id", flat=True)) if enrollment else set()
    progress = services.progress_of(enrollment) if enrollment else None
    context = {
        "course": course,
        "lesson": lesson,
        "lessons": lessons,
        "done": done,
        "enrollment": enrollment,
        "progress": progress,
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
    }
    return render(request, "enrollments/lesson.html", context)


@login_required
@require_POST
def complete_lesson(request, slug: str, pk: int):
    course, _ = _learner_course(request, slug)
    lesson = get_object_or_404(Lesson.objects.filter(module__course=course), pk=pk)
    progress = services.mark_complete(by=request.user, lesson=lesson)
    if progress.percent == 100:
        messages.success(request, gettext("Course complete! Your certificate is on its way."))
    following = Lesson.objects.filter(module__course=course).exclude(
        progress__enrollment__student=request.user
    )
    target = following.first() or lesson
    return redirect("enrollments:lesson", slug=course.slug, pk=target.pk)


@login_required
def lesson_attachment(request, pk: int):
    """A lesson's file, for its course's staff and students only; 404 for everyone else."""
    lesson = get_object_or_404(Lesson.objects.select_related("module__course"), pk=pk)
    course = lesson.module.course
    allowed = request.user.has_perm("courses.grade_course", course) or (
        services.enrollment_of(request.user, course) is not None
    )
    if not allowed or not lesson.attachment:
        raise Http404("No such file.")
    return protected_file_response(lesson.attachment, download_name=lesson.attachment_name)


# --- Bulk enrolment (staff) ----------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def bulk_enroll(request, slug: str):
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=slug)
    require_perm(request.user, "courses.grade_course", course)
    form = BulkEnrollmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            bulk = services.start_bulk_enrollment(
                by=request.user, course=course, content=form.cleaned_data["file"].read()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("enrollments:bulk-detail", pk=bulk.pk)
    context = {"course": course, "form": form, "history": course.bulk_enrollments.all()[:10]}
    return render(request, "enrollments/bulk_form.html", context, status=form_status(form))


def _own_bulk(request, pk: int) -> BulkEnrollment:
    bulk = get_object_or_404(BulkEnrollment.objects.select_related("course", "job"), pk=pk)
    if not request.user.has_perm("courses.grade_course", bulk.course):
        raise Http404("No such bulk enrolment.")
    return bulk


@login_required
def bulk_detail(request, pk: int):
    """The job's progress bar, then its outcome and the error report to download."""
    bulk = _own_bulk(request, pk)
    return render(request, "enrollments/bulk_detail.html", {"bulk": bulk, "job": bulk.job})


@login_required
def bulk_errors(request, pk: int):
    bulk = _own_bulk(request, pk)
    response = HttpResponse(bulk.error_report, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="enrolment-errors-{bulk.pk}.csv"'
    return response
