"""Pages of the staff app: the home page and the department dashboard."""

from django.shortcuts import render


def home(request):
    return render(request, "home.html")
