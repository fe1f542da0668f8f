"""Quiz pages: the quiz's page (start), taking an attempt with a countdown, and its result;
and the instructor's editor under /teach/ (the quiz's settings, its questions and choices)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from courses.models import Course, is_platform_admin
from courses.services import require_perm
from quizzes import services
from quizzes.forms import ChoiceFormSet, QuestionForm, QuizForm, choice_rows
from quizzes.models import Attempt, Question, Quiz
from shared.errors import DomainError
from shared.web.forms import add_domain_error, form_status


# --- Taking a quiz ---------------------------------------------------------------------
@login_required
def quiz_detail(request, pk: int):
    quiz = get_object_or_404(Quiz.objects.visible_to(request.user).select_related("course"), pk=pk)
    enrollment = quiz.course.enrollments.filter(student=request.user).first()
    attempts = (
        Attempt.objects.filter(enrollment=enrollment, quiz=quiz)
        if enrollment
        else Attempt.objects.none()
    )
    context = {
        "quiz": quiz,
        "attempts": attempts,
        "result": services.result_for(enrollment=enrollment, quiz=quiz) if enrollment else None,
        "can_start": enrollment is not None and enrollment.takes_part,
    }
    return render(request, "quizzes/quiz_detail.html", context)


@login_required
@require_POST
def start(request, pk: int):
    quiz = get_object_or_404(Quiz.objects.visible_to(request.user), pk=pk)
    attempt = services.start_attempt(by=request.user, quiz=quiz)
    return redirect("quizzes:attempt", pk=attempt.pk)


@login_required
@require_http_methods(["GET", "POST"])
def take(request, pk: int):
    """The attempt's questions. POST saves every answer given, then submits."""
    attempt = services.own_attempt(request.user, pk)
    if attempt.status == Attempt.Status.SUBMITTED:
        return redirect("quizzes:result", pk=attempt.pk)
    questions = attempt.quiz.questions.prefetch_related("choices")
    if request.method == "POST":
        for question in questions:
            picked = [int(v) for v in request.POST.getlist(f"q{question.pk}") if v.isdigit()]
            if picked:
                services.answer(
                    by=request.user, attempt=attempt, question=question, choice_ids=picked
                )
        attempt = services.submit(by=request.user, attempt=attempt)
        messages.success(request, gettext("Your answers are submitted."))
        return redirect("quizzes:result", pk=attempt.pk)
    chosen = {
        answer.question_id: {c.pk for c in answer.choices.all()}
        for answer in attempt.answers.prefetch_related("choices")
    }
    context = {"attempt": attempt, "questions": questions, "chosen": chosen}
    return render(request, "quizzes/take.html", context)


@login_required
def result(request, pk: int):
    attempt = services.own_attempt(request.user, pk)
    questions = attempt.quiz.questions.prefetch_related("choices")
    chosen = {
        answer.question_id: {c.pk for c in answer.choices.all()}
        for answer in attempt.answers.prefetch_related("choices")
    }
    context = {"attempt": attempt, "questions": questions, "chosen": chosen}
    return render(request, "quizzes/result.html", context)


# --- The instructor's editor -------------------------------------------------------------
def _built_course(request, slug: str) -> Course:
    """A course whose quizzes the user may write.

    404 unless they teach it (a student of the course, another course's instructor), then
    the rules decide: an instructor builds, a teaching assistant grades but does not build
    (403, as on the course builder)."""
    courses = Course.objects.visible_to(request.user)
    if not is_platform_admin(request.user):
        courses = courses.taught_by(request.user)
    course = get_object_or_404(courses.distinct(), slug=slug)
    require_perm(request.user, "courses.build_course", course)
    return course


def _built_quiz(request, slug: str, pk: int) -> Quiz:
    course = _built_course(request, slug)
    return get_object_or_404(course.quizzes.select_related("course"), pk=pk)


def _built_question(request, slug: str, pk: int, question_pk: int) -> Question:
    quiz = _built_quiz(request, slug, pk)
    return get_object_or_404(quiz.questions.select_related("quiz__course"), pk=question_pk)


@login_required
@require_http_methods(["GET", "POST"])
def quiz_create(request, slug: str):
    course = _built_course(request, slug)
    form = QuizForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            quiz = services.create_quiz(by=request.user, course=course, **form.values())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, gettext("Quiz created. Now add its questions."))
            return redirect("quizzes:edit", slug=course.slug, pk=quiz.pk)
    context = {"course": course, "form": form}
    return render(request, "quizzes/quiz_form.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def quiz_edit(request, slug: str, pk: int):
    """The quiz's settings (saved by this page's POST) and the list of its questions."""
    quiz = _built_quiz(request, slug, pk)
    form = QuizForm(request.POST or None, instance=quiz)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_quiz(by=request.user, quiz=quiz, **form.values())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, gettext("Quiz saved."))
            return redirect("quizzes:edit", slug=slug, pk=quiz.pk)
    # A refused POST has changed the instance's fields in memory: read the saved quiz back.
    quiz.refresh_from_db()
    context = {
        "course": quiz.course,
        "quiz": quiz,
        "form": form,
        "questions": quiz.questions.prefetch_related("choices"),
        "locked": quiz.attempts.exists(),
    }
    return render(request, "quizzes/quiz_edit.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, slug: str, pk: int, question_pk: int | None = None):
    """Add a question (no ``question_pk``) or edit one, with its choices in a formset.

    A refused save shows the page again with what was typed, so nothing is lost."""
    quiz = _built_quiz(request, slug, pk)
    question = (
        get_object_or_404(quiz.questions, pk=question_pk) if question_pk is not None else None
    )
    form = QuestionForm(request.POST or None, instance=question)
    choices = ChoiceFormSet(request.POST or None, initial=choice_rows(question), prefix="choice")
    status = 200
    if request.method == "POST":
        status = 400  # unless the save below succeeds
        if form.is_valid() and choices.is_valid():
            try:
                saved = services.save_question(
                    by=request.user,
                    quiz=quiz,
                    question=question,
                    choices=choices.drafts(),
                    **form.cleaned_data,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status_code  # 409 when the quiz is locked
            else:
                messages.success(request, gettext("Question saved."))
                edit_url = reverse("quizzes:edit", args=[quiz.course.slug, quiz.pk])
                return redirect(f"{edit_url}#question-{saved.pk}")
    context = {
        "course": quiz.course,
        "quiz": quiz,
        "question": question,
        "form": form,
        "choices": choices,
        "locked": quiz.attempts.exists(),
    }
    return render(request, "quizzes/question_form.html", context, status=status)


@login_required
@require_POST
def question_delete(request, slug: str, pk: int, question_pk: int):
    # A refusal (the quiz has attempts) is rendered by DomainErrorMiddleware, with its 409.
    question = _built_question(request, slug, pk, question_pk)
    services.delete_question(by=request.user, question=question)
    messages.success(request, gettext("Question deleted."))
    return redirect("quizzes:edit", slug=slug, pk=pk)


@login_required
@require_POST
def question_move(request, slug: str, pk: int, question_pk: int, direction: str):
    # A direction other than "up" or "down" is the service's DomainError: a 400 page.
    question = _built_question(request, slug, pk, question_pk)
    services.move_question(by=request.user, question=question, direction=direction)
    return redirect("quizzes:edit", slug=slug, pk=pk)
