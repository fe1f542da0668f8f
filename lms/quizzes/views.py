"""Quiz pages: the quiz's page (start), taking an attempt with a countdown, and its result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from quizzes import services
from quizzes.models import Attempt, Quiz


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
