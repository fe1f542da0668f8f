"""The live classroom's pages: the instructor's console and the student's live view.

Both pages work without JavaScript (forms that POST); classroom.js then opens the socket so
questions and tallies change in place (classroom/consumers.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom import services
from classroom.forms import AnswerForm, QuestionForm
from classroom.models import LiveAnswer, LiveQuestion, LiveSession
from courses.models import Course
from courses.services import require_perm
from shared.errors import DomainError
from shared.web.forms import add_domain_error, form_status


def _course(request, slug: str, perm: str) -> Course:
    """A course the user may see (else 404) and holds ``perm`` on (else 404 for a learner's
    page, where even being refused would tell the course has a live session)."""
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=slug)
    if not request.user.has_perm(perm, course):
        raise Http404("You are not a member of this course.")
    return course


def _session(request, course: Course, pk: int) -> LiveSession:
    return get_object_or_404(
        LiveSession.objects.visible_to(request.user).select_related("course"), pk=pk, course=course
    )


# --- The instructor's console -----------------------------------------------------------


@login_required
def console(request, slug: str):
    course = _course(request, slug, "classroom.join")
    require_perm(request.user, "classroom.run", course)
    return _render_console(request, course, QuestionForm())


def _render_console(request, course: Course, form: QuestionForm):
    session = LiveSession.objects.open().filter(course=course).first()
    questions = list(session.questions.order_by("-pk")) if session else []
    context = {
        "course": course,
        "session": session,
        "questions": questions,
        "form": form,
    }
    return render(request, "classroom/console.html", context, status=form_status(form))


@login_required
@require_POST
def open_session(request, slug: str):
    course = _course(request, slug, "classroom.join")
    services.open_session(by=request.user, course=course)
    messages.success(request, _("The live session is open: students can join now."))
    return redirect("classroom:console", slug=course.slug)


@login_required
@require_POST
def push_question(request, slug: str, pk: int):
    course = _course(request, slug, "classroom.join")
    session = _session(request, course, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.push_question(by=request.user, session=session, **form.values())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("classroom:console", slug=course.slug)
    return _render_console(request, course, form)


@login_required
@require_POST
def close_session(request, slug: str, pk: int):
    course = _course(request, slug, "classroom.join")
    services.close_session(by=request.user, session=_session(request, course, pk))
    messages.success(request, _("The live session is closed."))
    return redirect("classroom:console", slug=course.slug)


# --- The student's live view ------------------------------------------------------------


@login_required
def join(request, slug: str):
    course = _course(request, slug, "classroom.join")
    session = LiveSession.objects.open().filter(course=course).first()
    question = session.current_question() if session else None
    answered = bool(
        question and LiveAnswer.objects.filter(question=question, student=request.user).exists()
    )
    context = {
        "course": course,
        "session": session,
        "question": question,
        "answered": answered,
        "may_answer": request.user.has_perm("classroom.answer", course),
    }
    return render(request, "classroom/join.html", context)


@login_required
@require_POST
def answer(request, slug: str):
    """The form's way to answer (without JavaScript the socket is not there)."""
    course = _course(request, slug, "classroom.join")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Pick one of the choices."), field="choice")
    question = get_object_or_404(
        LiveQuestion.objects.select_related("session__course"),
        pk=form.cleaned_data["question"],
        session__course=course,
    )
    services.answer(by=request.user, question=question, choice=form.cleaned_data["choice"])
    messages.success(request, _("Your answer is in."))
    return redirect("classroom:join", slug=course.slug)
