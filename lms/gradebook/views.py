"""The gradebook page and its CSV export (the course's instructors and assistants)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from gradebook import services
from gradebook.access import gradebook_course


@login_required
def course_gradebook(request, slug: str):
    book = services.gradebook(course=gradebook_course(request.user, slug))
    return render(request, "gradebook/gradebook.html", {"book": book, "course": book.course})


@login_required
def gradebook_csv(request, slug: str):
    book = services.gradebook(course=gradebook_course(request.user, slug))
    response = HttpResponse(services.gradebook_csv(book), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gradebook-{book.course.slug}.csv"'
    return response
