"""Assignment pages: the student's upload, the staff's list and grading, and the files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from assignments import services
from assignments.forms import GradeForm, SubmissionForm
from assignments.models import Assignment, Submission
from courses.services import require_perm
from courses.uploads import protected_file_response
from shared.errors import DomainError
from shared.web.forms import add_domain_error, form_status


@login_required
@require_http_methods(["GET", "POST"])
def assignment_detail(request, pk: int):
    """The assignment; a student uploads here, staff see the submissions."""
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("course"), pk=pk
    )
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(by=request.user, assignment=assignment, file=form.cleaned_data["file"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, gettext("Your file is handed in."))
            return redirect("assignments:detail", pk=assignment.pk)
    can_grade = request.user.has_perm("courses.grade_course", assignment.course)
    mine = assignment.submissions.filter(enrollment__student=request.user).first()
    submissions = assignment.submissions.select_related("enrollment__student") if can_grade else []
    context = {
        "assignment": assignment,
        "form": form,
        "mine": mine,
        "can_grade": can_grade,
        "submissions": submissions,
    }
    return render(request, "assignments/assignment_detail.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def grade(request, pk: int):
    submission = get_object_or_404(
        Submission.objects.visible_to(request.user).select_related(
            "assignment__course", "enrollment__student"
        ),
        pk=pk,
    )
    require_perm(request.user, "courses.grade_course", submission.assignment.course)
    initial = {"points": submission.points, "feedback": submission.feedback}
    form = GradeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.grade(by=request.user, submission=submission, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, gettext("Grade saved; the student is emailed."))
            return redirect("assignments:detail", pk=submission.assignment.pk)
    context = {"submission": submission, "form": form}
    return render(request, "assignments/grade.html", context, status=form_status(form))


@login_required
def submission_file(request, pk: int):
    """The submitted file: for its student and the course's staff; 404 for everyone else."""
    submission = Submission.objects.visible_to(request.user).filter(pk=pk).first()
    if submission is None:
        raise Http404("No such file.")
    return protected_file_response(submission.file, download_name=submission.original_name)
