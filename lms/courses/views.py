"""Course pages: the catalogue, a course's page with its syllabus, and the instructor's builder."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from core.roles import COURSE_AUTHORS
from courses import services
from courses.forms import AnnouncementForm, CatalogueSearchForm, CourseForm, LessonForm, ModuleForm
from courses.models import Course, Lesson, Module
from shared.accounts.roles import role_required
from shared.errors import DomainError
from shared.web.forms import add_domain_error, form_status
from shared.web.pagination import TimedCountPaginator


# --- Catalogue -----------------------------------------------------------------------
def catalogue(request):
    form = CatalogueSearchForm(request.GET)
    courses = Course.objects.published().prefetch_related("tags")
    if form.is_valid():
        if q := form.cleaned_data["q"]:
            courses = courses.filter(Q(title__icontains=q) | Q(summary__icontains=q))
        if tag := form.cleaned_data["tag"]:
            courses = courses.filter(tags=tag)
    # The count behind "page 3 of 40" is cached for a minute: a big catalogue counts once.
    page = TimedCountPaginator(courses, 12).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/catalogue.html",
        {"form": form, "page_obj": page},
        status=form_status(form),
    )


def syllabus(course: Course):
    """The course's modules with their lessons, in order, in two queries."""
    return course.modules.prefetch_related(
        Prefetch("lessons", queryset=Lesson.objects.order_by("position", "pk"))
    )


def course_detail(request, slug: str):
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=slug)
    enrollment = (
        course.enrollments.filter(student=request.user).first()
        if request.user.is_authenticated
        else None
    )
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "modules": syllabus(course),
            "enrollment": enrollment,
            "announcements": course.announcements.all()[:5],
            "can_build": request.user.has_perm("courses.build_course", course),
            "can_grade": request.user.has_perm("courses.grade_course", course),
        },
    )


# --- The instructor's builder ----------------------------------------------------------
@login_required
def teaching(request):
    """The courses the user teaches, and (for course authors) a new course form."""
    courses = Course.objects.visible_to(request.user).taught_by(request.user).distinct()
    return render(request, "courses/teaching.html", {"courses": courses})


@role_required(*COURSE_AUTHORS)
@require_http_methods(["GET", "POST"])
def course_create(request):
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.create_course(by=request.user, **form.values())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, gettext("Course created as a draft. Add modules and lessons.")
            )
            return redirect("courses:builder", slug=course.slug)
    return render(request, "courses/course_form.html", {"form": form}, status=form_status(form))


def _built_course(request, slug: str) -> Course:
    """A course the user may build: 404 when invisible to them, 403 when only visible."""
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=slug)
    services.require_perm(request.user, "courses.build_course", course)
    return course


@login_required
@require_http_methods(["GET", "POST"])
def builder(request, slug: str):
    course = _built_course(request, slug)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_course(by=request.user, course=course, **form.values())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, gettext("Course saved."))
            return redirect("courses:builder", slug=course.slug)
    course.refresh_from_db()
    context = {
        "course": course,
        "form": form,
        "modules": syllabus(course),
        # The quiz editor lives in the quizzes app; the builder only lists and links.
        "quizzes": course.quizzes.annotate(question_count=Count("questions")),
        "module_form": ModuleForm(),
        "lesson_form": LessonForm(),
        "announcement_form": AnnouncementForm(),
        "transitions": [t for t in Course.TRANSITIONS.values() if t.allowed_from(course.status)],
    }
    return render(request, "courses/builder.html", context, status=form_status(form))


@login_required
@require_POST
def course_transition(request, slug: str, action: str):
    course = _built_course(request, slug)
    course = services.apply_transition(by=request.user, course=course, action=action)
    status = course.get_status_display().lower()
    messages.success(request, gettext("The course is now %(status)s.") % {"status": status})
    return redirect("courses:builder", slug=course.slug)


@login_required
@require_POST
def module_create(request, slug: str):
    course = _built_course(request, slug)
    form = ModuleForm(request.POST)
    if form.is_valid():
        services.add_module(by=request.user, course=course, title=form.cleaned_data["title"])
        messages.success(request, gettext("Module added."))
        return redirect("courses:builder", slug=course.slug)
    return _builder_error(request, course, form)


@login_required
@require_POST
def lesson_create(request, slug: str, module_pk: int):
    course = _built_course(request, slug)
    module = get_object_or_404(course.modules, pk=module_pk)
    form = LessonForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_lesson(by=request.user, module=module, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, gettext("Lesson added."))
            return redirect("courses:builder", slug=course.slug)
    return _builder_error(request, course, form)


def _builder_error(request, course: Course, form):
    return render(
        request, "courses/builder_error.html", {"course": course, "form": form}, status=400
    )


@login_required
@require_POST
def move_item(request, slug: str, kind: str, pk: int, direction: str):
    course = _built_course(request, slug)
    if kind == "module":
        item: Module | Lesson = get_object_or_404(course.modules, pk=pk)
    elif kind == "lesson":
        item = get_object_or_404(Lesson.objects.filter(module__course=course), pk=pk)
    else:
        raise Http404("Only modules and lessons move.")
    services.move(by=request.user, item=item, direction=direction)
    return redirect("courses:builder", slug=course.slug)


@login_required
@require_POST
def announcement_create(request, slug: str):
    course = _built_course(request, slug)
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        services.post_announcement(by=request.user, course=course, **form.cleaned_data)
        messages.success(request, gettext("Announcement posted and emailed to the students."))
        return redirect("courses:builder", slug=course.slug)
    return _builder_error(request, course, form)
